// Package exercise checks a student's answers to the exercises of the Day 2
// course, in the notebook cell right after the answer.
//
// Each exercise is a function in the notebook whose body the student writes
// between // BEGIN SOLUTION and // END SOLUTION (nbgrader's markers; the
// student's copy has // ここにコードを書く there). The cell after it is a check
// cell that hands the function to the check of the same name:
//
//	exercise.AdaGrad(updateAdaGrad)
//	exercise.AffineBackward(func(x, W, b, dout *np.Array) (out, dx, dW, db *np.Array) {
//		l := &Affine{W: W, B: b}
//		out = l.Forward(x)
//		dx = l.Backward(dout)
//		return out, dx, l.DW, l.DB
//	})
//
// A check runs the student's function on several inputs (shapes that differ,
// edge values such as 0, several steps of an optimizer) and compares every
// result with the library's reference (package ref, or the course's formula
// written out here), and a backward pass also with the numerical gradient.
// It prints one of three answers:
//
//   - 正解 (correct): one line on standard output saying what was checked;
//   - 未回答 (not answered): the function still does what the stub does
//     (returns nil or 0, leaves the parameters as they were), on standard
//     error;
//   - 不正解 (wrong): on standard error, the input, the expected and the
//     obtained values (the first few entries), and a hint in Japanese. A
//     known mistake — the sign of the update, ε in the wrong place,
//     forgetting to divide by the batch size, h that is not accumulated, a
//     transposed product, the wrong axis of a sum, a new dropout mask in
//     backward, … — is recognised by recomputing that mistake and gets its
//     own hint (Result.Hint names it).
//
// Everything but a pass goes to standard error because nbgrader gives no
// points to a test cell with output there: the same cell is the student's
// check and the teacher's autograder test, and dlnb check counts 正解
// lines.
//
// The student's code runs in its own goroutine under recover, with one time
// limit for the whole check (a second): a panic, a shape error of package np
// or an endless loop ends the check with a readable 不正解 line naming the
// input, never with a goroutine trace, and the cell ends normally so that
// Run All goes on. A loop that never ends keeps running until the cell's
// program exits, right after the check.
//
// Every check function returns its Result too, for programs and tests. All
// lists the exercises with the notebook each belongs to.
package exercise
