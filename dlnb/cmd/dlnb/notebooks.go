package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dlnb/course/dlnb/course"
	"github.com/dlnb/course/internal/nbrun"
	"github.com/dlnb/course/internal/results"
)

func init() {
	register("notebooks", "execute the notebooks through the GoNB kernel and export HTML reports", runNotebooks)
}

func runNotebooks(args []string) error {
	fs := flag.NewFlagSet("notebooks", flag.ExitOnError)
	dir := fs.String("dir", "notebooks", "directory holding the notebooks")
	out := fs.String("out", "build/executed", "where the executed notebooks are written")
	html := fs.String("html", "reports", "where the HTML reports are written (empty: none)")
	quick := fs.Bool("quick", false, "quick mode: a fraction of the iterations (also DLNB_QUICK=1)")
	full := fs.Bool("full", false, "also the long all-data runs (DLNB_FULL=1), e.g. DeepConvNet for 20 epochs in 2_8")
	timeout := fs.Duration("timeout", 2*time.Hour, "time limit per cell")
	jobs := fs.Int("jobs", 1, "notebooks executed at a time (2 on 2 cores overlaps one notebook's compiling and loading with the other's training)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: dlnb notebooks [flags] [name ...]\n\nExecutes every notebook (or the named ones) headless and writes HTML reports.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, true); err != nil {
		return err
	}
	if *jobs < 1 {
		return fmt.Errorf("-jobs %d: give the number of notebooks to execute at a time, 1 or more", *jobs)
	}
	m, err := notebookMode(*quick, *full)
	if err != nil {
		return err
	}
	fmt.Printf("%s mode%s\n", m.name, m.why)
	if err := nbrun.CheckTools(); err != nil {
		return err
	}
	all, err := nbrun.List(*dir)
	if err != nil || len(all) == 0 {
		return fmt.Errorf("no notebooks in %s", *dir)
	}
	todo := all
	if fs.NArg() > 0 {
		todo = nil
		for _, name := range fs.Args() {
			p := filepath.Join(*dir, strings.TrimSuffix(name, ".ipynb")+".ipynb")
			if _, err := os.Stat(p); err != nil {
				return fmt.Errorf("no notebook %s", p)
			}
			todo = append(todo, p)
		}
	}
	mode := m.name
	ctx := context.Background()
	start := time.Now()
	var failed []string
	var exportErr error
	walls := map[string]time.Duration{}
	started := func(src string) { fmt.Printf("▶ %s (%s mode) … ", filepath.Base(src), mode) }
	if *jobs > 1 {
		started = func(src string) { fmt.Printf("▶ %s (%s mode) started\n", filepath.Base(src), mode) }
	}
	done := func(r nbrun.Result) {
		if *jobs > 1 {
			fmt.Printf("  %s: ", filepath.Base(r.Src))
		}
		if r.Err != nil {
			fmt.Printf("FAILED after %s\n%v\n", r.Wall.Round(time.Second), r.Err)
			failed = append(failed, filepath.Base(r.Src))
			if r.Executed == "" || *html == "" {
				return
			}
			// Cells failed, but the executed notebook shows where: export it.
		} else {
			walls[nbrun.Name(r.Src)] = r.Wall
			fmt.Printf("ok in %s", r.Wall.Round(time.Second))
		}
		if *html != "" && exportErr == nil {
			h, err := nbrun.ExportHTML(ctx, r.Executed, *html)
			if err != nil {
				exportErr = err
				fmt.Println()
				return
			}
			fmt.Printf(" → %s", h)
		}
		fmt.Println()
	}
	// The last run's wall times (the results page this run replaces, else
	// the one committed in docs/) decide which notebooks start first when
	// several run at a time.
	expected, err := results.ReadWalls(filepath.Join(*html, "results.md"))
	if err != nil {
		expected, _ = results.ReadWalls(filepath.Join(nbrun.Root(), "docs", "results.md"))
	}
	nbrun.ExecuteAll(ctx, todo, *out, nbrun.Options{Quick: m.quick, CellTimeout: *timeout, Env: m.env},
		nbrun.Batch{Jobs: *jobs, Expected: expected, Started: started, Done: done})
	if exportErr != nil {
		return exportErr
	}
	if *html != "" && len(walls) > 0 {
		page := results.Page{Mode: mode, When: time.Now(), Jobs: *jobs, Elapsed: time.Since(start)}
		if err := writeResults(*out, *html, walls, page); err != nil {
			return err
		}
	}
	fmt.Printf("%d notebooks in %s; executed notebooks in %s", len(todo), time.Since(start).Round(time.Second), *out)
	if *html != "" {
		fmt.Printf(", HTML reports in %s", *html)
	}
	fmt.Println()
	if len(failed) > 0 {
		return fmt.Errorf("%d notebook(s) failed: %s", len(failed), strings.Join(failed, ", "))
	}
	return nil
}

// writeResults builds the results page for the notebooks executed now.
func writeResults(executedDir, dir string, walls map[string]time.Duration, page results.Page) error {
	all, err := results.Collect(executedDir, walls)
	if err != nil {
		return err
	}
	var runs []results.Run
	for _, r := range all {
		if _, ran := walls[r.Notebook]; ran {
			runs = append(runs, r)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "results.md"), []byte(results.Markdown(runs, page)), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.html"), []byte(results.HTML(runs, page)), 0o644); err != nil {
		return err
	}
	fmt.Printf("results table: %s\n\n%s\n", filepath.Join(dir, "results.md"), results.WallTable(runs, page))
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
// DLNB_QUICK and DLNB_FULL variables, parsed strictly (course.EnvBool): an
// unknown value is an error, not default mode. Quick wins over full, as in
// course.Full. The notebooks get the decision as DLNB_QUICK=1/0 and
// DLNB_FULL=1/0, so they run in the mode reported.
func notebookMode(quickFlag, fullFlag bool) (runMode, error) {
	qEnv, err := course.EnvBool(course.QuickEnv)
	if err != nil {
		return runMode{}, err
	}
	fEnv, err := course.EnvBool(course.FullEnv)
	if err != nil {
		return runMode{}, err
	}
	switch {
	case quickFlag || qEnv:
		return runMode{name: "quick", why: source("-quick", quickFlag, course.QuickEnv), quick: true,
			env: []string{course.QuickEnv + "=1", course.FullEnv + "=0"}}, nil
	case fullFlag || fEnv:
		return runMode{name: "default + all-data runs", why: source("-full", fullFlag, course.FullEnv),
			env: []string{course.QuickEnv + "=0", course.FullEnv + "=1"}}, nil
	}
	return runMode{name: "default", env: []string{course.QuickEnv + "=0", course.FullEnv + "=0"}}, nil
}

// source says whether a flag or an environment variable chose a mode.
func source(flagName string, flagSet bool, env string) string {
	if flagSet {
		return " (" + flagName + ")"
	}
	return " (" + env + "=" + os.Getenv(env) + ")"
}
