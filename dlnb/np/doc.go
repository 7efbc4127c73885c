// Package np gives Go notebooks NumPy's way of writing array code, so that a
// cell reads like the course's Python line by line:
//
//	out := np.Add(np.Dot(x, l.W), l.B)         // out = np.dot(x, self.W) + self.b
//	l.DB = np.Sum(dout, 0)                     // self.db = np.sum(dout, axis=0)
//	mask := np.LessEqual(x, 0)                 // self.mask = (x <= 0)
//	v = np.Subtract(np.Multiply(0.9, v), np.Multiply(lr, g))   // v = 0.9 * v - lr * g
//
// An Array is a float64 tensor (the course's precision): the same type the
// rest of dlnb uses, so arrays go straight into networks, layers and charts.
// Arithmetic follows NumPy: new arrays as results, broadcasting of shapes
// aligned from the right, scalars where NumPy takes scalars (the arithmetic
// functions take a float64, an int or an *Array on either side).
//
// There are no error results. A mistake — shapes that do not broadcast, an
// axis out of range — panics with a *mistake.Error ("np.Add: shapes
// (100, 10) and (100, 40) do not broadcast"), the way gonum reports shape
// mismatches; a notebook cell shows it as one readable message (package
// dlnb/nb/errbox).
//
// Random numbers come from Random, NumPy's global generator:
// np.Random.Seed(0) makes np.Random.Randn(784, 40) draw exactly what
// np.random.seed(0); np.random.randn(784, 40) draws.
package np
