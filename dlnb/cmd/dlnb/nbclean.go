package main

import (
	"errors"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/dlnb/course/internal/nbrun"
)

func init() {
	register("nbclean", "strip outputs from the course notebooks so they can be committed (-check: only report)", runNBClean)
}

// runNBClean strips outputs, execution counts and per-run metadata from the
// course notebooks (or the named ones), in place; with -check it only
// reports the notebooks that carry any, as the test suite does:
//
//	go run ./dlnb/cmd/dlnb nbclean              # notebooks/*.ipynb, in place
//	go run ./dlnb/cmd/dlnb nbclean -check       # exit status 1 if any carries outputs
//	go run ./dlnb/cmd/dlnb nbclean path/x.ipynb # the named notebooks
//
// JupyterLab started with scripts/notebook.sh --edit strips them itself when
// it saves into notebooks/.
func runNBClean(args []string) error {
	fs := flag.NewFlagSet("nbclean", flag.ExitOnError)
	check := fs.Bool("check", false, "report notebooks with outputs instead of stripping them")
	if err := parseFlags(fs, args, true); err != nil {
		return err
	}
	paths := fs.Args()
	if len(paths) == 0 {
		root := nbrun.Root()
		if root == "" {
			return errors.New("not inside the dlnb repository: run it from the repository or name the notebooks")
		}
		paths, _ = filepath.Glob(filepath.Join(root, "notebooks", "*.ipynb"))
	}
	changed, err := nbrun.CleanFiles(paths, *check)
	if err != nil {
		return err
	}
	for _, p := range changed {
		fmt.Fprintln(stdout, "stripped", p)
	}
	if *check {
		fmt.Fprintf(stdout, "%d notebooks, none carries outputs\n", len(paths))
	}
	return nil
}
