// Package errbox makes a GoNB notebook cell show a dlnb mistake as one
// readable message: a red error box with the sentence, no goroutine trace,
// and the cell ends with exit status 1, so the kernel marks it as failed and
// a headless run stops there.
//
// The library reports mistakes by panicking with a *mistake.Error (package
// dlnb/mistake) and knows nothing of notebooks; importing this package
// installs the display with mistake.SetHandler. GoNB drops the imports a
// cell does not use, so every course notebook's import cell has
//
//	_ "github.com/dlnb/course/dlnb/nb/errbox" // 間違いを赤い枠の一文で表示
//
// which GoNB keeps in every later cell, even one that uses only np. Package
// nb imports it too. Outside a notebook the handler does nothing and the
// panic goes on, for the caller to recover.
package errbox

import (
	"fmt"
	"html"
	"os"

	"github.com/dlnb/course/dlnb/mistake"
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
	gonbui.SendData(&protocol.DisplayData{Data: map[protocol.MIMEType]any{
		protocol.MIMETextHTML: HTML(err), protocol.MIMETextPlain: "Error: " + err.Error()}})
	gonbui.Sync()
}

// HTML formats an error as a red-bordered box for notebook output.
func HTML(err error) string {
	return fmt.Sprintf(`<div style="border-left:5px solid #d62728;background:#fdecea;padding:8px 12px;`+
		`font-family:sans-serif;font-size:14px;white-space:pre-wrap"><b>Error</b>: %s</div>`, html.EscapeString(err.Error()))
}
