package errbox

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/np"
)

// fakeNotebook makes handle act as in a notebook cell, recording what it
// shows and the exit status; exit panics so that the caller stops as the
// cell would.
func fakeNotebook(t *testing.T) (shown *error, code *int) {
	t.Helper()
	shown, code = new(error), new(int)
	*code = -1
	inNotebook = func() bool { return true }
	show = func(err error) { *shown = err }
	exit = func(c int) { *code = c; panic("exited") }
	t.Cleanup(func() {
		inNotebook = func() bool { return false }
		show, exit = Show, os.Exit
	})
	return shown, code
}

func TestShowsAndExitsInNotebooks(t *testing.T) {
	shown, code := fakeNotebook(t)
	func() {
		defer func() {
			if r := recover(); r != "exited" {
				t.Errorf("the cell went on after the mistake: %v", r)
			}
		}()
		np.Dot(np.Zeros(2, 3), np.Zeros(4, 5))
	}()
	if *shown == nil || !strings.Contains((*shown).Error(), "(2, 3) and (4, 5)") || *code != 1 {
		t.Fatalf("shown %v, exit %d", *shown, *code)
	}
}

func TestCatchDoesNotExitInNotebooks(t *testing.T) {
	shown, code := fakeNotebook(t)
	err := mistake.Catch(func() { np.Dot(np.Zeros(2, 3), np.Zeros(4, 5)) })
	if err == nil || *shown != nil || *code != -1 {
		t.Fatalf("Catch returned %v; shown %v, exit %d", err, *shown, *code)
	}
}

func TestPanicsOutsideNotebooks(t *testing.T) {
	want := errors.New("bad shape")
	defer func() {
		if e, ok := recover().(*mistake.Error); !ok || e.Err != want {
			t.Fatalf("recovered %v, want the mistake", e)
		}
	}()
	mistake.Panic(want)
}

func TestHTMLEscapes(t *testing.T) {
	h := HTML(errors.New("a < b"))
	if !strings.Contains(h, "<b>Error</b>: a &lt; b") {
		t.Fatal(h)
	}
}
