// Command nbclean strips outputs, execution counts and per-run metadata from
// the course notebooks, so that they can be committed; with -check it only
// reports the notebooks that carry any (the test suite runs the same check).
//
// Usage, from the repository root:
//
//	go run ./internal/cmd/nbclean              # notebooks/*.ipynb, in place
//	go run ./internal/cmd/nbclean -check       # exit status 1 if any carries outputs
//	go run ./internal/cmd/nbclean path/x.ipynb # the named notebooks
//
// JupyterLab started with scripts/notebook.sh --edit strips them itself when
// it saves into notebooks/.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dlnb/course/internal/nbrun"
)

func main() {
	check := flag.Bool("check", false, "report notebooks with outputs instead of stripping them")
	flag.Parse()
	paths := flag.Args()
	for _, p := range paths {
		// The flag package stops at the first path: in "nbclean x.ipynb
		// -check", -check would be read as a file ("open -check: no such
		// file or directory").
		if strings.HasPrefix(p, "-") {
			fmt.Fprintf(os.Stderr, "nbclean: %s comes after a notebook path and would be read as one: put the flags first (nbclean [-check] [path ...])\n", p)
			os.Exit(2)
		}
	}
	if len(paths) == 0 {
		root := nbrun.Root()
		if root == "" {
			fmt.Fprintln(os.Stderr, "nbclean: not inside the dlnb repository: run it from the repository or name the notebooks")
			os.Exit(2)
		}
		paths, _ = filepath.Glob(filepath.Join(root, "notebooks", "*.ipynb"))
	}
	changed, err := nbrun.CleanFiles(paths, *check)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nbclean:", err)
		os.Exit(1)
	}
	for _, p := range changed {
		fmt.Println("stripped", p)
	}
	if *check {
		fmt.Printf("%d notebooks, none carries outputs\n", len(paths))
	}
}
