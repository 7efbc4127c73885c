package main

import (
	"flag"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/dlnb/course/datasets"
	"github.com/dlnb/course/dlnb/tensor"
)

func init() {
	register("data", "load MNIST and Fashion-MNIST once; print shapes and load times", runData)
}

func runData(args []string) error {
	fs := flag.NewFlagSet("data", flag.ExitOnError)
	fashion := fs.Bool("fashion", true, "also load Fashion-MNIST")
	dir := fs.Bool("dir", false, "only print the directory holding the MNIST .gz files")
	if err := parseFlags(fs, args, false); err != nil {
		return err
	}
	if *dir {
		d, err := datasets.MNIST.Default()
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, d)
		return nil
	}
	srcs := []datasets.Source{datasets.MNIST}
	if *fashion {
		srcs = append(srcs, datasets.FashionMNIST)
	}
	for _, src := range srcs {
		for _, opts := range [][]datasets.Option{{datasets.NoCache()}, nil} {
			if err := timeLoad(src, opts); err != nil {
				return err
			}
		}
	}
	return nil
}

// timeLoad loads src once and prints how long it took and how: "cached
// load" only when every file came from the decoded cache; when the cache
// cannot be used, a note says why.
func timeLoad(src datasets.Source, opts []datasets.Option) error {
	debug.FreeOSMemory() // each load starts from a clean heap, as in a new cell
	t := time.Now()
	ds, err := datasets.Load(src, opts...)
	if err != nil {
		return err
	}
	el := time.Since(t)
	what := "uncached load"
	switch {
	case ds.FromCache:
		what = "cached load"
	case ds.CacheErr != nil:
		fmt.Fprintf(stdout, "note: %v\n", ds.CacheErr)
	case len(opts) == 0:
		what = "cache written"
	}
	fmt.Fprintf(stdout, "%-14s %-13s %.3fs  train %s test %s  (%s)\n", src.Name, what, el.Seconds(),
		tensor.ShapeString(ds.Train.X.Shape), tensor.ShapeString(ds.Test.X.Shape), ds.Dirs[0])
	return nil
}
