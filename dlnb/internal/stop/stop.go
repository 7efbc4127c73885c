// Package stop ends a computation on a programmer's mistake — shapes that do
// not fit, an unknown name, an argument out of range — with one readable
// message, the way gonum panics on a shape mismatch.
//
// Code that reads like maths (np.Dot(x, W), network.Gradient(x, d)) has no
// error results; what it cannot do is reported through With:
//
//   - in a GoNB notebook cell the message is shown as the cell's output (the
//     red error box of package nb, or one "Error: …" line on standard error
//     when nb is not linked) and the cell ends with exit status 1, so a
//     student sees one sentence and no goroutine trace;
//   - everywhere else With panics with the error, which tests and library
//     callers can recover, and which prints as one line in a crash.
//
// Errors a user can fix at run time (a missing file, a bad flag) are returned
// as errors instead.
package stop

import (
	"fmt"
	"html"
	"os"
	"sync/atomic"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// Display, when set, replaces Box as the way With shows err in a notebook
// cell (the tests set it to capture the error).
var Display func(err error)

// exit is os.Exit, replaceable in tests.
var exit = os.Exit

// catching counts the Catch calls under way: while one runs, With panics
// (and Catch recovers) even in a notebook cell.
var catching atomic.Int32

// InNotebook reports whether the program runs as a GoNB cell (GoNB sets
// GONB_PIPE for the programs it runs).
func InNotebook() bool { return os.Getenv("GONB_PIPE") != "" }

// With reports err and stops: in a notebook cell it shows the message and
// exits with status 1; elsewhere, and inside Catch, it panics with err.
// It does nothing when err is nil.
func With(err error) {
	if err == nil {
		return
	}
	if InNotebook() && catching.Load() == 0 {
		if Display != nil {
			Display(err)
		} else {
			Box(err)
		}
		exit(1)
		return
	}
	panic(err)
}

// Box shows err in the notebook cell as a red error box, with the plain text
// "Error: …" beside it for text-only front ends and exports. It is the
// display of every dlnb package, so a cell that imports only np or nets
// (goimports drops an unused nb) shows the same box as one that uses nb.
func Box(err error) {
	gonbui.SendData(&protocol.DisplayData{Data: map[protocol.MIMEType]any{
		protocol.MIMETextHTML: ErrorHTML(err), protocol.MIMETextPlain: "Error: " + err.Error()}})
	gonbui.Sync()
}

// ErrorHTML formats an error as a red-bordered box for notebook output.
func ErrorHTML(err error) string {
	return fmt.Sprintf(`<div style="border-left:5px solid #d62728;background:#fdecea;padding:8px 12px;`+
		`font-family:sans-serif;font-size:14px;white-space:pre-wrap"><b>Error</b>: %s</div>`, html.EscapeString(err.Error()))
}

// Errorf is With(fmt.Errorf(format, args...)).
func Errorf(format string, args ...any) { With(fmt.Errorf(format, args...)) }

// Catch runs f and returns the error it stopped with, or nil when it
// finished: tests use it to check the message of a mistake, code that must
// not panic can turn one into an error, and a notebook cell (through nb.Try)
// can show a mistake's message and go on. It catches what f's own goroutine
// stops with; a goroutine that f starts and that stops is not caught.
func Catch(f func()) (err error) {
	catching.Add(1)
	defer catching.Add(-1)
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(error)
			if !ok {
				panic(r)
			}
			err = e
		}
	}()
	f()
	return nil
}
