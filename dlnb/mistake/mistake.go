package mistake

import (
	"fmt"
	"sync/atomic"
)

// Error is a programmer's mistake found by a dlnb function: the value every
// dlnb function panics with. Err says what is wrong; it is often a
// *tensor.ShapeError, which errors.As finds through Unwrap.
type Error struct {
	Err error
}

// Error returns the message of Err: one line, without a prefix, as a
// notebook cell shows it.
func (e *Error) Error() string { return e.Err.Error() }

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// handler is what SetHandler installed, or nil.
var handler atomic.Pointer[func(*Error)]

// catching counts the Catch calls under way: while one runs, Panic does not
// call the handler, so that Catch recovers the mistake even in a notebook.
var catching atomic.Int32

// SetHandler installs h, which Panic calls with every mistake before it
// panics, except inside Catch; nil removes it. A handler may end the
// program (the notebook's does, after showing the message); when it
// returns, Panic panics as usual.
func SetHandler(h func(*Error)) {
	if h == nil {
		handler.Store(nil)
		return
	}
	handler.Store(&h)
}

// Panic reports err as a mistake: it calls the installed handler, if any,
// and panics with err as an *Error (err itself when it is one). It does
// nothing when err is nil.
func Panic(err error) {
	if err == nil {
		return
	}
	e, ok := err.(*Error)
	if !ok {
		e = &Error{Err: err}
	}
	if h := handler.Load(); h != nil && catching.Load() == 0 {
		(*h)(e)
	}
	panic(e)
}

// Panicf is Panic(fmt.Errorf(format, args...)).
func Panicf(format string, args ...any) { Panic(fmt.Errorf(format, args...)) }

// Catch runs f and returns the mistake it panicked with, or nil when it
// finished: tests use it to check the message of a mistake, code that must
// not panic turns one into an error, and a notebook cell (through nb.Try)
// shows a mistake's message and goes on. The handler is not called while
// Catch runs. Other panics pass through. It catches what f's own goroutine
// panics with; a goroutine that f starts and that panics is not caught.
func Catch(f func()) (err error) {
	catching.Add(1)
	defer catching.Add(-1)
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*Error)
			if !ok {
				panic(r)
			}
			err = e
		}
	}()
	f()
	return nil
}
