package errbox

import (
	"fmt"
	"html"
	"os"

	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/nb/internal/ordered"
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

func init() { mistake.SetHandler(handle) }

// What handle uses, replaceable in tests: whether the program is a
// notebook cell, how the error is shown, and os.Exit.
var (
	inNotebook = func() bool { return gonbui.IsNotebook }
	show       = Show
	exit       = os.Exit
)

// handle shows e and ends the cell when the program runs as a notebook cell,
// and does nothing elsewhere.
func handle(e *mistake.Error) {
	if !inNotebook() {
		return
	}
	show(e)
	exit(1)
}

// Show displays err in the notebook cell as a red error box, with the plain
// text "Error: …" beside it for text-only front ends and exports (one output
// with two forms).
func Show(err error) {
	ordered.Send(&protocol.DisplayData{Data: map[protocol.MIMEType]any{
		protocol.MIMETextHTML: HTML(err), protocol.MIMETextPlain: "Error: " + err.Error()}})
}

// HTML formats an error as a red-bordered box for notebook output.
func HTML(err error) string {
	return fmt.Sprintf(`<div style="border-left:5px solid #d62728;background:#fdecea;padding:8px 12px;`+
		`font-family:sans-serif;font-size:14px;white-space:pre-wrap"><b>Error</b>: %s</div>`, html.EscapeString(err.Error()))
}
