// Package pyref runs small reference computations in Python with NumPy for
// dlnb's tests, so Go results are checked against the real course tools.
//
// Tests call Python(t) to get an interpreter that has NumPy. Where none is
// found the test is skipped, unless DLNB_REQUIRE_PYTHON=1 (set by the test
// script after set-up installed NumPy into .venv), in which case it fails.
package pyref
