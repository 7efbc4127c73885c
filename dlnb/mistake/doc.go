// Package mistake is how dlnb reports a programmer's mistake — shapes that
// do not fit, an unknown name, an argument out of range — from code that
// reads like maths (np.Dot(x, W), network.Gradient(x, d)) and so has no
// error results: it panics with an *Error, the way gonum panics on a shape
// mismatch.
//
// The package has no user interface and never ends the program. A library
// or command-line caller recovers the *Error (Catch does it) or lets the
// panic print it as one line. How a notebook cell shows a mistake is
// installed from outside with SetHandler: package dlnb/nb/errbox, which
// every course notebook imports, shows one red box with the message and
// ends the cell without a goroutine trace.
//
// Errors a user can fix at run time (a missing file, a bad flag) are
// returned as errors instead.
package mistake
