package main

import (
	"fmt"
	"os"
	"sort"

	"github.com/dlnb/course/dlnb/backend"
)

type command struct {
	summary string
	run     func(args []string) error
}

var commands = map[string]command{}

func register(name, summary string, run func([]string) error) {
	commands[name] = command{summary, run}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: dlnb <command> [flags]\n\ncommands:")
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-10s %s\n", n, commands[n].summary)
	}
}

func main() {
	if len(os.Args) < 2 || os.Args[1] == "-h" || os.Args[1] == "help" || os.Args[1] == "--help" {
		usage()
		os.Exit(2)
	}
	c, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "dlnb: unknown command %q\n\n", os.Args[1])
		usage()
		os.Exit(2)
	}
	if err := backend.Err(); err != nil {
		fmt.Fprintf(os.Stderr, "dlnb %s: %v; or unset DLNB_BLAS for the automatic choice: unset DLNB_BLAS\n", os.Args[1], err)
		os.Exit(1)
	}
	if err := c.run(os.Args[2:]); err != nil {
		fmt.Fprintln(os.Stderr, "dlnb "+os.Args[1]+":", err)
		os.Exit(1)
	}
}
