package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dlnb/course/internal/nbrun"
)

func init() {
	register("exercises", "make the student's copies of the notebooks: every answer replaced by a stub", runExercises)
	register("check", "execute notebooks headless and count their exercise checks (正解, 未回答, 不正解)", runCheck)
}

// notebookArgs returns the notebooks named by args: files, and the *.ipynb
// of folders (without the NAME.new.ipynb updates that scripts/notebook.sh
// puts beside a student's copies).
func notebookArgs(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("%s: no such notebook or folder", a)
		}
		if !st.IsDir() {
			if !strings.HasSuffix(a, ".ipynb") {
				return nil, fmt.Errorf("%s is not a notebook (.ipynb) or a folder of notebooks", a)
			}
			out = append(out, a)
			continue
		}
		all, err := nbrun.List(a)
		if err != nil {
			return nil, err
		}
		n := len(out)
		for _, p := range all {
			if !strings.HasSuffix(p, ".new.ipynb") {
				out = append(out, p)
			}
		}
		if len(out) == n {
			return nil, fmt.Errorf("%s: no notebooks (.ipynb) in this folder", a)
		}
	}
	return out, nil
}

// runExercises is dlnb exercises: the student's copies, as nbgrader's
// generate_assignment makes them.
func runExercises(args []string) error {
	fs := flag.NewFlagSet("exercises", flag.ExitOnError)
	out := fs.String("out", "workspace", "folder for the student's copies")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: dlnb exercises [-out DIR] [notebook.ipynb | folder ...]\n\n"+
			"Writes the student's copy of each notebook (default: the course notebooks in notebooks/) to DIR:\n"+
			"every // BEGIN SOLUTION … // END SOLUTION region replaced by "+nbrun.Stub+", outputs stripped,\n"+
			"nbgrader metadata kept. dlnb check tells a student where they stand.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, true); err != nil {
		return err
	}
	args = fs.Args()
	if len(args) == 0 {
		args = []string{filepath.Join(nbrun.Root(), "notebooks")}
	}
	srcs, err := notebookArgs(args)
	if err != nil {
		return err
	}
	absOut, _ := filepath.Abs(*out)
	for _, src := range srcs {
		if d, _ := filepath.Abs(filepath.Dir(src)); d == absOut {
			return fmt.Errorf("-out %s is the folder of %s: the student's copy would overwrite the notebook with its answers; give another folder", *out, src)
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	total := 0
	for _, src := range srcs {
		b, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		copy, n, err := nbrun.StudentCopy(b, src)
		if err != nil {
			return err
		}
		dst := filepath.Join(*out, filepath.Base(src))
		if err := os.WriteFile(dst, copy, 0o644); err != nil {
			return err
		}
		total += n
		what := fmt.Sprintf("%d answers replaced by the stub", n)
		if n == 0 {
			what = "no exercises, copied without outputs"
		}
		fmt.Fprintf(stdout, "%s: %s → %s\n", filepath.Base(src), what, dst)
	}
	fmt.Fprintf(stdout, "%d notebooks, %d exercises, in %s\n", len(srcs), total, *out)
	return nil
}

// runCheck is dlnb check: it executes each notebook through the GoNB kernel
// and reports its check cells.
func runCheck(args []string) error {
	fs := flag.NewFlagSet("check", flag.ExitOnError)
	full := fs.Bool("full", false, "run the training cells with the course's settings (default: quick mode, as the checks need only the answers)")
	timeout := fs.Duration("timeout", 30*time.Minute, "time limit per cell")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: dlnb check [flags] notebook.ipynb | folder ...\n\n"+
			"Executes each notebook headless (every cell, in quick mode) and counts its check cells (nbgrader's\n"+
			"autograded test cells): one passes when it prints a 正解 line and nothing on standard error.\n"+
			"Prints '12 / 15 正解' for each notebook with the checks that did not pass, and a total for several\n"+
			"(a folder of submissions, say). Exit status 0 only when every check passed.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, true); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return fmt.Errorf("name the notebooks or folders to check, e.g. dlnb check workspace/2_4_optimizer.ipynb")
	}
	srcs, err := notebookArgs(fs.Args())
	if err != nil {
		return err
	}
	if err := nbrun.CheckTools(); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "dlnb-check-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	var all, passed int
	var points, got float64
	for k, src := range srcs {
		executed, err := nbrun.Execute(context.Background(), src, filepath.Join(tmp, fmt.Sprint(k)),
			nbrun.Options{Quick: !*full, CellTimeout: *timeout, AllowErrors: true})
		var checks []nbrun.Check
		if err == nil {
			var nb *nbrun.Notebook
			if nb, err = nbrun.Read(executed); err == nil {
				checks = nbrun.Checks(nb)
			}
		}
		if err != nil {
			fmt.Fprintf(stdout, "%s: could not be executed: %v\n", src, err)
			all++
			continue
		}
		if len(checks) == 0 {
			fmt.Fprintf(stdout, "%s: no exercises (no check cells with nbgrader's grade metadata)\n", src)
			continue
		}
		n, p, g := 0, 0.0, 0.0
		for _, c := range checks {
			p += c.Points
			if c.Passed {
				n++
				g += c.Points
			}
		}
		fmt.Fprintf(stdout, "%s: %s\n", src, checkScore(n, len(checks), g, p))
		for _, c := range checks {
			if !c.Passed {
				fmt.Fprintf(stdout, "  %s (cell %d, %g 点): %s\n", c.ID, c.Cell, c.Points, c.Message)
			}
		}
		all, passed, points, got = all+len(checks), passed+n, points+p, got+g
	}
	if len(srcs) > 1 {
		fmt.Fprintf(stdout, "合計: %s\n", checkScore(passed, all, got, points))
	}
	if passed < all {
		return fmt.Errorf("%d of %d checks did not pass", all-passed, all)
	}
	return nil
}

// checkScore writes "n / all 正解", with the points when they differ from the counts.
func checkScore(n, all int, got, points float64) string {
	s := fmt.Sprintf("%d / %d 正解", n, all)
	if got != float64(n) || points != float64(all) {
		s += fmt.Sprintf(" (%g / %g 点)", got, points)
	}
	return s
}
