// Command mknb generates notebooks/NAME.ipynb from notebooks/src/NAME.txt.
//
// Usage, from the repository root:
//
//	go run ./internal/cmd/mknb            # all notebooks
//	go run ./internal/cmd/mknb 2_1_network_modified
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/dlnb/course/internal/nbrun"
)

func main() {
	srcs, _ := filepath.Glob("notebooks/src/*.txt")
	if len(os.Args) > 1 {
		srcs = nil
		for _, n := range os.Args[1:] {
			srcs = append(srcs, filepath.Join("notebooks/src", n+".txt"))
		}
	}
	if len(srcs) == 0 {
		fmt.Fprintln(os.Stderr, "mknb: no notebooks/src/*.txt here: run it from the repository root")
		os.Exit(1)
	}
	for _, s := range srcs {
		b, err := os.ReadFile(s)
		if err == nil {
			b, err = nbrun.FromSource(string(b))
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "mknb: %s: %v\n", s, err)
			os.Exit(1)
		}
		out := filepath.Join("notebooks", strings.TrimSuffix(filepath.Base(s), ".txt")+".ipynb")
		if err := os.WriteFile(out, b, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "mknb:", err)
			os.Exit(1)
		}
		fmt.Println("wrote", out)
	}
}
