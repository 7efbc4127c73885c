package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dlnb/course/internal/nbrun"
)

// TestExercisesCommand: dlnb exercises writes the student's copy, and
// refuses bad paths and an -out that would overwrite the answers; dlnb check
// asks for notebooks. (The kernel runs of dlnb check are in
// notebooks/exercises_test.go.)
func TestExercisesCommand(t *testing.T) {
	dir := t.TempDir()
	src, err := nbrun.FromSource(`#### code {"nbgrader": {"solution": true, "grade": false, "locked": false, "grade_id": "answer-x", "schema_version": 3}}
func double(x float64) (y float64) {
	// BEGIN SOLUTION
	y = 2 * x
	// END SOLUTION
	return
}
`)
	if err != nil {
		t.Fatal(err)
	}
	nb := filepath.Join(dir, "x.ipynb")
	os.WriteFile(nb, src, 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o644)
	out := filepath.Join(dir, "student")
	if err := runExercises([]string{"-out", out, nb}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(out, "x.ipynb"))
	if !strings.Contains(string(b), nbrun.Stub) || strings.Contains(string(b), "y = 2 * x") {
		t.Errorf("student's copy:\n%s", b)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-out", dir, nb}, "would overwrite the notebook with its answers"},
		{[]string{"-out", out, filepath.Join(dir, "none.ipynb")}, "none.ipynb: no such notebook or folder"},
		{[]string{"-out", out, filepath.Join(dir, "notes.txt")}, "notes.txt is not a notebook (.ipynb) or a folder of notebooks"},
		{[]string{"-out", dir, dir}, "would overwrite"},
	} {
		if err := runExercises(c.args); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("dlnb exercises %v: %v, want %q", c.args, err, c.want)
		}
	}
	empty := t.TempDir()
	if err := runCheck([]string{empty}); err == nil || !strings.Contains(err.Error(), "no notebooks (.ipynb) in this folder") {
		t.Errorf("dlnb check on an empty folder: %v", err)
	}
}
