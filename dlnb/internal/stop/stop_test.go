package stop

import (
	"errors"
	"os"
	"testing"
)

func TestPanicsOutsideNotebooks(t *testing.T) {
	t.Setenv("GONB_PIPE", "")
	want := errors.New("shapes (2, 3) and (4, 5) do not match")
	defer func() {
		if got := recover(); got != want {
			t.Fatalf("recovered %v, want the error itself", got)
		}
	}()
	With(want)
	t.Fatal("With returned")
}

func TestShowsAndExitsInNotebooks(t *testing.T) {
	t.Setenv("GONB_PIPE", "/tmp/pipe")
	var shown error
	code := -1
	Display = func(err error) { shown = err }
	exit = func(c int) { code = c }
	defer func() { Display, exit = nil, os.Exit }()
	With(errors.New("bad shape"))
	if shown == nil || shown.Error() != "bad shape" || code != 1 {
		t.Fatalf("shown %v, exit %d", shown, code)
	}
	With(nil)
	if code != 1 || shown.Error() != "bad shape" {
		t.Fatal("With(nil) did something")
	}
}

func TestCatchWorksInNotebooks(t *testing.T) {
	t.Setenv("GONB_PIPE", "/tmp/pipe")
	exited := false
	exit = func(int) { exited = true }
	defer func() { exit = os.Exit }()
	err := Catch(func() { Errorf("layer %d does not fit", 3) })
	if err == nil || err.Error() != "layer 3 does not fit" || exited {
		t.Fatalf("Catch returned %v, exited %v", err, exited)
	}
	if Catch(func() {}) != nil {
		t.Fatal("Catch of a finished function returned an error")
	}
	Display = func(error) {}
	defer func() { Display = nil }()
	With(errors.New("after Catch"))
	if !exited {
		t.Fatal("With no longer exits in a notebook after Catch")
	}
}
