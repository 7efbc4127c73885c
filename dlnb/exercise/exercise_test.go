package exercise_test

import (
	"bytes"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dlnb/course/dlnb/exercise"
	"github.com/dlnb/course/dlnb/np"
)

// TestMain keeps the checks' messages out of the test output.
func TestMain(m *testing.M) {
	exercise.Stdout, exercise.Stderr = io.Discard, io.Discard
	os.Exit(m.Run())
}

func noTrace(t *testing.T, what string, r exercise.Result) {
	t.Helper()
	for _, bad := range []string{"goroutine ", "panic(", ".go:"} {
		if strings.Contains(r.String(), bad) {
			t.Errorf("%s: the message shows %q:\n%s", what, bad, r)
		}
	}
}

// TestAllListsEveryExercise: the tests cover exactly the exercises of All,
// in its order, and there are at least 20 (issue 34).
func TestAllListsEveryExercise(t *testing.T) {
	ts := tests()
	if len(exercise.All) < 20 || len(ts) != len(exercise.All) {
		t.Fatalf("%d exercises in All, %d tested", len(exercise.All), len(ts))
	}
	for i, e := range exercise.All {
		if ts[i].name != e.Name {
			t.Errorf("exercise %d: All has %s, the tests %s", i, e.Name, ts[i].name)
		}
		if e.Notebook == "" || e.Title == "" || e.Points < 1 {
			t.Errorf("%s: incomplete %+v", e.Name, e)
		}
	}
}

// TestAnswersPass: the notebook's answer passes, with one line that starts
// with 正解, within the time limit.
func TestAnswersPass(t *testing.T) {
	for _, x := range tests() {
		start := time.Now()
		r := x.answer()
		took := time.Since(start)
		if r.Status != exercise.Correct || r.Exercise != x.name || len(r.Lines) != 1 || !strings.HasPrefix(r.Lines[0], "正解: ") {
			t.Errorf("%s: the answer gives\n%s", x.name, r)
		}
		if took > exercise.Limit() {
			t.Errorf("%s: the check of the answer took %v", x.name, took)
		}
	}
}

// TestStubsAreUnanswered: the student's copy (the stub) is 未回答, never 不正解.
func TestStubsAreUnanswered(t *testing.T) {
	for _, x := range tests() {
		r := x.stub()
		if r.Status != exercise.Unanswered || !strings.HasPrefix(r.Lines[0], "未回答: ") {
			t.Errorf("%s: the stub gives\n%s", x.name, r)
		}
	}
}

// TestMistakesGetTheirHint: every known mistake, injected, is 不正解 with
// its own hint (no two mistakes of an exercise share a hint).
func TestMistakesGetTheirHint(t *testing.T) {
	n := 0
	for _, x := range tests() {
		hints := map[string]string{}
		for id, f := range x.mistakes {
			n++
			r := f()
			if r.Status != exercise.Wrong || r.Hint != id || !strings.HasPrefix(r.Lines[0], "不正解: ") {
				t.Errorf("%s, mistake %s: got hint %q:\n%s", x.name, id, r.Hint, r)
				continue
			}
			var hint string
			for _, l := range r.Lines {
				if strings.HasPrefix(l, "  ヒント: ") {
					hint = l
				}
			}
			if hint == "" {
				t.Errorf("%s, mistake %s: no hint line:\n%s", x.name, id, r)
			}
			if other, ok := hints[hint]; ok {
				t.Errorf("%s: mistakes %s and %s get the same hint %q", x.name, id, other, hint)
			}
			hints[hint] = id
			noTrace(t, x.name+" "+id, r)
		}
		if len(x.mistakes) < 2 {
			t.Errorf("%s: %d known mistakes", x.name, len(x.mistakes))
		}
	}
	t.Logf("%d known mistakes, each with its hint", n)
}

// TestNamedMistakesOfTheIssue: the mistakes issue 34 names each have a hint
// in at least one exercise.
func TestNamedMistakesOfTheIssue(t *testing.T) {
	want := map[string]string{"sign": "Adam", "epsilon": "RMSprop", "batch": "SoftmaxWithLossBackward", "accumulate": "AdaGrad",
		"transpose": "AffineBackward", "axis": "BatchNormBackward", "mask-reuse": "DropoutBackward"}
	for id, name := range want {
		found := false
		for _, x := range tests() {
			if x.name == name {
				_, found = x.mistakes[id]
			}
		}
		if !found {
			t.Errorf("%s has no test of the mistake %q", name, id)
		}
	}
}

// TestPanicIsReadable: a panic or a shape error in the student's code is
// 不正解 with the message and the input, and no goroutine trace.
func TestPanicIsReadable(t *testing.T) {
	for _, x := range tests() {
		r := x.panics()
		if r.Status != exercise.Wrong || !strings.Contains(r.Lines[0], "途中で止まりました") || !strings.Contains(r.String(), "入力: ") {
			t.Errorf("%s: code that panics gives\n%s", x.name, r)
		}
		noTrace(t, x.name, r)
	}
}

// TestEndlessLoopIsBounded: code that never ends is 不正解 after the time
// limit (shortened here), and the check returns.
func TestEndlessLoopIsBounded(t *testing.T) {
	defer exercise.SetLimit(100 * time.Millisecond)()
	for _, x := range tests() {
		var stop atomic.Bool
		start := time.Now()
		r := x.loops(&stop)
		took := time.Since(start)
		stop.Store(true)
		if r.Status != exercise.Wrong || !strings.Contains(r.Lines[0], "終わりません") {
			t.Errorf("%s: an endless loop gives\n%s", x.name, r)
		}
		if took > 600*time.Millisecond {
			t.Errorf("%s: the check of an endless loop returned after %v (limit 100ms)", x.name, took)
		}
	}
}

// TestOneSecond: with the real limit, a check of an endless loop returns
// after about a second.
func TestOneSecond(t *testing.T) {
	var stop atomic.Bool
	defer stop.Store(true)
	start := time.Now()
	r := exercise.SGD(func(key string, params, grad map[string]*np.Array, lr float64) { spin(&stop) })
	took := time.Since(start)
	if r.Status != exercise.Wrong || !strings.Contains(r.Lines[0], "1 秒たっても終わりません") || took < time.Second || took > 1500*time.Millisecond {
		t.Errorf("after %v:\n%s", took, r)
	}
}

// TestStreams: a pass is printed on standard output and nothing on standard
// error; a stub and a wrong answer on standard error only (nbgrader counts a
// test cell with output there as failed).
func TestStreams(t *testing.T) {
	defer func(o, e io.Writer) { exercise.Stdout, exercise.Stderr = o, e }(exercise.Stdout, exercise.Stderr)
	for _, c := range []struct {
		run  func() exercise.Result
		word string
	}{
		{func() exercise.Result { return exercise.ChainRule(dzdx) }, "正解"},
		{func() exercise.Result { return exercise.ChainRule(func(x, y float64) (d float64) { return }) }, "未回答"},
		{func() exercise.Result { return exercise.ChainRule(func(x, y float64) float64 { return x }) }, "不正解"},
	} {
		var out, errs bytes.Buffer
		exercise.Stdout, exercise.Stderr = &out, &errs
		r := c.run()
		pass, fail := out.String(), errs.String()
		if c.word == "正解" {
			pass, fail = fail, pass
		}
		if pass != "" || !strings.HasPrefix(fail, c.word+": ") || fail != r.String()+"\n" {
			t.Errorf("%s: stdout %q, stderr %q", c.word, out.String(), errs.String())
		}
	}
}
