// Package ordered sends a notebook cell's displays to GoNB in program order:
// after everything the program printed before them.
//
// GoNB reads a cell program's standard output and error on pipes of their
// own, and its displays (charts, tables, markdown, the progress display, the
// error box) on a third, each in a goroutine of its own. A display sent right
// after a Println could reach the notebook before the line: 2_1's "✔"
// summary showed above "データ読み込み完了". Send first waits until GoNB has
// read the standard output and error pipes empty (FIONREAD), then makes one
// round trip to GoNB (gonbui.Sync) so that what it read is published, and only
// then sends the display. notebooks/order_test.go checks the order through the
// real kernel.
package ordered

import (
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// drainLimit bounds how long Send waits for GoNB to read what was printed
// (GoNB reads as fast as it can; a second means it is stuck, and the display
// is then sent anyway).
const drainLimit = time.Second

// Send shows data as a new output of the cell, after what the program wrote
// to its standard output and error before the call, and returns once GoNB has
// taken it. Outside a notebook it does nothing.
func Send(data *protocol.DisplayData) {
	if !gonbui.IsNotebook {
		return
	}
	Flush()
	gonbui.SendData(data)
	gonbui.Sync()
}

// Flush waits until what the program wrote to its standard output and error
// so far has reached the notebook, so that a display sent next comes after
// it. Outside a notebook it does nothing.
func Flush() {
	if !gonbui.IsNotebook {
		return
	}
	deadline := time.Now().Add(drainLimit)
	for _, fd := range []int{1, 2} {
		for unread(fd) > 0 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Microsecond)
		}
	}
	// GoNB publishes what it read right after reading it; a round trip on
	// the display pipe gives it that moment.
	gonbui.Sync()
}
