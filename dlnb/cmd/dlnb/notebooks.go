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
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: dlnb notebooks [flags] [name ...]\n\nExecutes every notebook (or the named ones) headless and writes HTML reports.")
		fs.PrintDefaults()
	}
	fs.Parse(args)
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
	q, mode, env := m.quick, m.name, m.env
	ctx := context.Background()
	start := time.Now()
	var failed []string
	walls := map[string]time.Duration{}
	for _, nbPath := range todo {
		t := time.Now()
		fmt.Printf("▶ %s (%s mode) … ", filepath.Base(nbPath), mode)
		executed, err := nbrun.Execute(ctx, nbPath, *out, nbrun.Options{Quick: q, CellTimeout: *timeout, Env: env})
		if err != nil {
			fmt.Printf("FAILED after %s\n%v\n", time.Since(t).Round(time.Second), err)
			failed = append(failed, filepath.Base(nbPath))
			if executed == "" || *html == "" {
				continue
			}
			// Cells failed, but the executed notebook shows where: export it.
		} else {
			walls[strings.TrimSuffix(filepath.Base(nbPath), ".ipynb")] = time.Since(t)
			fmt.Printf("ok in %s", time.Since(t).Round(time.Second))
		}
		if *html != "" {
			h, err := nbrun.ExportHTML(ctx, executed, *html)
			if err != nil {
				fmt.Println()
				return err
			}
			fmt.Printf(" → %s", h)
		}
		fmt.Println()
	}
	if *html != "" && len(walls) > 0 {
		if err := writeResults(*out, *html, walls, mode); err != nil {
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
func writeResults(executedDir, dir string, walls map[string]time.Duration, mode string) error {
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
	now := time.Now()
	if err := os.WriteFile(filepath.Join(dir, "results.md"), []byte(results.Markdown(runs, mode, now)), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.html"), []byte(results.HTML(runs, mode, now)), 0o644); err != nil {
		return err
	}
	fmt.Printf("results table: %s\n", filepath.Join(dir, "results.md"))
	return nil
}

// runMode is how the notebooks run: quick, full, or full with the long
// all-data runs.
type runMode struct {
	name  string   // "quick", "full" or "full + all-data runs", as results.md shows it
	why   string   // what chose it, e.g. " (DLNB_QUICK=true)"
	quick bool     // nbrun.Options.Quick
	env   []string // extra environment for the notebooks
}

// notebookMode decides the mode from the -quick and -full flags and the
// DLNB_QUICK and DLNB_FULL variables, parsed strictly (course.EnvBool): an
// unknown value is an error, not full mode. Quick wins over full, as in
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
		return runMode{name: "full + all-data runs", why: source("-full", fullFlag, course.FullEnv),
			env: []string{course.QuickEnv + "=0", course.FullEnv + "=1"}}, nil
	}
	return runMode{name: "full", env: []string{course.QuickEnv + "=0", course.FullEnv + "=0"}}, nil
}

// source says whether a flag or an environment variable chose a mode.
func source(flagName string, flagSet bool, env string) string {
	if flagSet {
		return " (" + flagName + ")"
	}
	return " (" + env + "=" + os.Getenv(env) + ")"
}
