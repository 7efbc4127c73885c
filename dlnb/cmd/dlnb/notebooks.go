package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/lesson"
	"github.com/dlnb/course/internal/nbrun"
	"github.com/dlnb/course/internal/results"
)

func init() {
	register("notebooks", "execute the notebooks through the GoNB kernel and export HTML reports", runNotebooks)
}

// notebookFlags are the flags of dlnb notebooks.
type notebookFlags struct {
	dir, out, html string
	quick, full    bool
	timeout        time.Duration
	jobs           int
	names          []string // the notebooks named on the command line
}

// parseNotebookFlags reads the flags of dlnb notebooks and the notebook
// names after them.
func parseNotebookFlags(args []string) (notebookFlags, error) {
	var f notebookFlags
	fs := flag.NewFlagSet("notebooks", flag.ExitOnError)
	fs.StringVar(&f.dir, "dir", "notebooks", "directory holding the notebooks")
	fs.StringVar(&f.out, "out", "build/executed", "where the executed notebooks are written (and, under flops/, what their matrix products computed)")
	fs.StringVar(&f.html, "html", "reports", "where the HTML reports are written (empty: none)")
	fs.BoolVar(&f.quick, "quick", false, "quick mode: a fraction of the iterations (also DLNB_QUICK=1)")
	fs.BoolVar(&f.full, "full", false, "also the long all-data runs (DLNB_FULL=1), e.g. DeepConvNet for 20 epochs in 2_8")
	fs.DurationVar(&f.timeout, "timeout", 2*time.Hour, "time limit per cell")
	fs.IntVar(&f.jobs, "jobs", 1, "notebooks executed at a time (2 on 2 cores overlaps one notebook's compiling and loading with the other's training)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: dlnb notebooks [flags] [name ...]\n\nExecutes every notebook (or the named ones) headless and writes HTML reports.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, true); err != nil {
		return f, err
	}
	if f.jobs < 1 {
		return f, fmt.Errorf("-jobs %d: give the number of notebooks to execute at a time, 1 or more", f.jobs)
	}
	f.names = fs.Args()
	return f, nil
}

// selectNotebooks returns the notebooks of dir, or those named.
func selectNotebooks(dir string, names []string) ([]string, error) {
	all, err := nbrun.List(dir)
	if err != nil || len(all) == 0 {
		return nil, fmt.Errorf("no notebooks in %s", dir)
	}
	if len(names) == 0 {
		return all, nil
	}
	var todo []string
	for _, name := range names {
		p := filepath.Join(dir, strings.TrimSuffix(name, ".ipynb")+".ipynb")
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("no notebook %s", p)
		}
		todo = append(todo, p)
	}
	return todo, nil
}

// runNotebooks is dlnb notebooks: it executes the notebooks through the GoNB
// kernel, exports their reports and writes the results page.
func runNotebooks(args []string) error {
	f, err := parseNotebookFlags(args)
	if err != nil {
		return err
	}
	m, err := notebookMode(f.quick, f.full)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s mode%s\n", m.name, m.why)
	if err := nbrun.CheckTools(); err != nil {
		return err
	}
	todo, err := selectNotebooks(f.dir, f.names)
	if err != nil {
		return err
	}
	r := &notebookRun{flags: f, mode: m.name, flopDir: filepath.Join(f.out, "flops"), start: time.Now(),
		walls: map[string]time.Duration{}, work: map[string]backend.Work{}}
	// The last run's wall times (the results page this run replaces, else
	// the one committed in docs/) decide which notebooks start first when
	// several run at a time.
	expected, err := results.ReadWalls(filepath.Join(f.html, "results.md"))
	if err != nil {
		expected, _ = results.ReadWalls(filepath.Join(nbrun.Root(), "docs", "results.md"))
	}
	nbrun.ExecuteAll(context.Background(), todo, f.out,
		nbrun.Options{Quick: m.quick, CellTimeout: f.timeout, Env: m.env, FLOPDir: r.flopDir},
		nbrun.Batch{Jobs: f.jobs, Expected: expected, Started: r.started, Done: r.done})
	return r.finish(len(todo))
}

// notebookRun is the state of one dlnb notebooks run, which its notebooks
// update as they end (one at a time: nbrun.Batch calls Done so).
type notebookRun struct {
	flags     notebookFlags
	mode      string
	flopDir   string // the notebooks' FLOP counts (nbrun.Options.FLOPDir)
	start     time.Time
	walls     map[string]time.Duration // by notebook name, the notebooks that ran without error
	work      map[string]backend.Work  // their matrix products' FLOPs, when counted
	failed    []string
	exportErr error
}

// started says that a notebook started.
func (r *notebookRun) started(src string) {
	if r.flags.jobs > 1 {
		fmt.Fprintf(stdout, "▶ %s (%s mode) started\n", filepath.Base(src), r.mode)
		return
	}
	fmt.Fprintf(stdout, "▶ %s (%s mode) … ", filepath.Base(src), r.mode)
}

// done reports a notebook that ended, keeps its wall time and work, and
// exports its report (also of a failed notebook: it shows where it failed).
func (r *notebookRun) done(res nbrun.Result) {
	if r.flags.jobs > 1 {
		fmt.Fprintf(stdout, "  %s: ", filepath.Base(res.Src))
	}
	if res.Err != nil {
		fmt.Fprintf(stdout, "FAILED after %s\n%v\n", res.Wall.Round(time.Second), res.Err)
		r.failed = append(r.failed, filepath.Base(res.Src))
		if res.Executed == "" || r.flags.html == "" {
			return
		}
	} else {
		name := nbrun.Name(res.Src)
		r.walls[name] = res.Wall
		fmt.Fprintf(stdout, "ok in %s", res.Wall.Round(time.Second))
		switch flops, counted, err := nbrun.FLOPs(r.flopDir, res.Src); {
		case err != nil:
			fmt.Fprintf(stdout, " (its FLOP count is not shown: %v)", err)
		case counted:
			r.work[name] = flops
		}
	}
	if r.flags.html != "" && r.exportErr == nil {
		h, err := nbrun.ExportHTML(context.Background(), res.Executed, r.flags.html)
		if err != nil {
			r.exportErr = err
			fmt.Fprintln(stdout)
			return
		}
		fmt.Fprintf(stdout, " → %s", h)
	}
	fmt.Fprintln(stdout)
}

// finish writes the results page and says what the run did.
func (r *notebookRun) finish(notebooks int) error {
	if r.exportErr != nil {
		return r.exportErr
	}
	if r.flags.html != "" && len(r.walls) > 0 {
		page := results.Page{Mode: r.mode, When: time.Now(), Jobs: r.flags.jobs, Elapsed: time.Since(r.start)}
		if err := writeResults(r.flags.out, r.flags.html, r.walls, r.work, page); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "%d notebooks in %s; executed notebooks in %s", notebooks, time.Since(r.start).Round(time.Second), r.flags.out)
	if r.flags.html != "" {
		fmt.Fprintf(stdout, ", HTML reports in %s", r.flags.html)
	}
	fmt.Fprintln(stdout)
	if len(r.failed) > 0 {
		return fmt.Errorf("%d notebook(s) failed: %s", len(r.failed), strings.Join(r.failed, ", "))
	}
	return nil
}

// writeResults builds the results page for the notebooks executed now;
// work holds the FLOPs of the notebooks whose products were counted.
func writeResults(executedDir, dir string, walls map[string]time.Duration, work map[string]backend.Work, page results.Page) error {
	all, err := results.Collect(executedDir, walls)
	if err != nil {
		return err
	}
	var runs []results.Run
	for _, r := range all {
		if _, ran := walls[r.Notebook]; ran {
			r.Work, r.Counted = work[r.Notebook]
			runs = append(runs, r)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "results.md"), []byte(results.Markdown(runs, page)), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.html"), []byte(results.HTML(runs, page)), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "results table: %s\n\n%s\n", filepath.Join(dir, "results.md"), results.WallTable(runs, page))
	return nil
}

// runMode is how the notebooks run: quick, default (the course's
// iterations), or default with the long all-data runs (-full).
type runMode struct {
	name  string   // "quick", "default" or "default + all-data runs", as results.md shows it
	why   string   // what chose it, e.g. " (DLNB_QUICK=true)"
	quick bool     // nbrun.Options.Quick
	env   []string // extra environment for the notebooks
}

// notebookMode decides the mode from the -quick and -full flags and the
// DLNB_QUICK and DLNB_FULL variables, parsed strictly (lesson.EnvBool): an
// unknown value is an error, not default mode. Quick wins over full, as in
// lesson.Full. The notebooks get the decision as DLNB_QUICK=1/0 and
// DLNB_FULL=1/0, so they run in the mode reported.
func notebookMode(quickFlag, fullFlag bool) (runMode, error) {
	qEnv, err := lesson.EnvBool(lesson.QuickEnv)
	if err != nil {
		return runMode{}, err
	}
	fEnv, err := lesson.EnvBool(lesson.FullEnv)
	if err != nil {
		return runMode{}, err
	}
	switch {
	case quickFlag || qEnv:
		return runMode{name: "quick", why: source("-quick", quickFlag, lesson.QuickEnv), quick: true,
			env: []string{lesson.QuickEnv + "=1", lesson.FullEnv + "=0"}}, nil
	case fullFlag || fEnv:
		return runMode{name: "default + all-data runs", why: source("-full", fullFlag, lesson.FullEnv),
			env: []string{lesson.QuickEnv + "=0", lesson.FullEnv + "=1"}}, nil
	}
	return runMode{name: "default", env: []string{lesson.QuickEnv + "=0", lesson.FullEnv + "=0"}}, nil
}

// source says whether a flag or an environment variable chose a mode.
func source(flagName string, flagSet bool, env string) string {
	if flagSet {
		return " (" + flagName + ")"
	}
	return " (" + env + "=" + os.Getenv(env) + ")"
}
