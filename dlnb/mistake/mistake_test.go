package mistake

import (
	"errors"
	"testing"
)

type shapeError struct{ msg string }

func (e *shapeError) Error() string { return e.msg }

func TestPanicCarriesTheError(t *testing.T) {
	want := &shapeError{"shapes (2, 3) and (4, 5) do not match"}
	defer func() {
		e, ok := recover().(*Error)
		if !ok || e.Err != want || e.Error() != want.msg {
			t.Fatalf("recovered %v, want an *Error carrying the error", e)
		}
		var se *shapeError
		if !errors.As(e, &se) || se != want {
			t.Fatal("errors.As does not find the error inside")
		}
	}()
	Panic(want)
	t.Fatal("Panic returned")
}

func TestHandlerSeesMistakesOutsideCatch(t *testing.T) {
	var seen []string
	SetHandler(func(e *Error) { seen = append(seen, e.Error()) })
	defer SetHandler(nil)
	Panic(nil)
	err := Catch(func() { Panicf("layer %d does not fit", 3) })
	if err == nil || err.Error() != "layer 3 does not fit" || len(seen) != 0 {
		t.Fatalf("Catch returned %v; the handler saw %q", err, seen)
	}
	if Catch(func() {}) != nil {
		t.Fatal("Catch of a finished function returned an error")
	}
	func() {
		defer func() { recover() }()
		Panicf("after Catch")
	}()
	if len(seen) != 1 || seen[0] != "after Catch" {
		t.Fatalf("the handler saw %q", seen)
	}
}

func TestCatchLetsOtherPanicsThrough(t *testing.T) {
	defer func() {
		if r := recover(); r != "not a mistake" {
			t.Fatalf("recovered %v", r)
		}
	}()
	Catch(func() { panic("not a mistake") })
	t.Fatal("Catch swallowed a panic that is not a mistake")
}
