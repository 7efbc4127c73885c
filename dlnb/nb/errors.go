package nb

import (
	"fmt"
	"os"

	"github.com/dlnb/course/dlnb/nb/errbox"
)

// Check stops the program with a readable message when err is not nil: in a
// notebook an error box in the cell output, in a terminal one line on standard
// error. The exit status is 1, so GoNB marks the cell as failed and a headless
// run (jupyter nbconvert --execute) stops — without a Go panic trace.
func Check(err error) {
	if err == nil {
		return
	}
	Fail(err)
}

// Must returns v when err is nil and stops like Check otherwise:
//
//	data := nb.Must(datasets.LoadMNIST(datasets.OneHotLabel(true)))
func Must[T any](v T, err error) T {
	Check(err)
	return v
}

// exit is os.Exit, replaceable in tests.
var exit = os.Exit

// Fail reports err as Check does and exits with status 1.
func Fail(err error) {
	show(err)
	exit(1)
}

// show displays err: an error box in a notebook, a line on standard error
// elsewhere.
func show(err error) {
	if IsNotebook() {
		// One output with two forms: the red box, and plain text for
		// text-only front ends and exports.
		errbox.Show(err)
	} else {
		fmt.Fprintf(os.Stderr, "Error: %v\n", err)
	}
}

// ErrorHTML formats an error as a red-bordered box for notebook output.
func ErrorHTML(err error) string { return errbox.HTML(err) }
