package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/mistake"
)

type command struct {
	summary string
	run     func(args []string) error
}

var commands = map[string]command{}

func register(name, summary string, run func([]string) error) {
	commands[name] = command{summary, run}
}

// usage lists the commands on w.
func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: dlnb <command> [flags]\n\ncommands:")
	var names []string
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun \"dlnb <command> -h\" for a command's flags.")
}

func main() {
	if len(os.Args) < 2 {
		usage(os.Stderr)
		os.Exit(2)
	}
	if a := os.Args[1]; a == "-h" || a == "help" || a == "--help" || a == "-help" {
		usage(os.Stdout) // asked for: the answer, not an error
		return
	}
	c, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "dlnb: unknown command %q\n\n", os.Args[1])
		usage(os.Stderr)
		os.Exit(2)
	}
	if err := backend.Err(); err != nil {
		fmt.Fprintf(os.Stderr, "dlnb %s: %v; or unset DLNB_BLAS for the automatic choice: unset DLNB_BLAS\n", os.Args[1], err)
		os.Exit(1)
	}
	// A library mistake (a panic with a *mistake.Error) is printed as one
	// line like any other error, not as a goroutine trace.
	var err error
	if m := mistake.Catch(func() { err = c.run(os.Args[2:]) }); m != nil {
		err = m
	}
	if err == nil {
		err = outputError()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "dlnb "+os.Args[1]+":", err)
		os.Exit(1)
	}
}

// parseFlags parses args into fs and refuses what the flag package would
// skip in silence. It stops at the first argument that is not a flag, so in
// "dlnb train -shuffle false -net mlp" the flag -shuffle is true, "false"
// ends the flags and -net mlp is never read: the run would train a network
// other than the one asked for, with its batches drawn the other way, and
// say nothing. Arguments left over are an error, or, when names is set
// (notebooks), may only be names: a flag among them is an error too.
func parseFlags(fs *flag.FlagSet, args []string, names bool) error {
	fs.Parse(args)
	rest := fs.Args()
	if len(rest) == 0 {
		return nil
	}
	first := len(args) - len(rest)
	if b, ok := boolFlagBefore(fs, args, first); ok {
		if _, err := strconv.ParseBool(rest[0]); err == nil {
			return fmt.Errorf("%s %s: a true/false flag takes its value after '=': write %s=%s (as written, %s is true and the flags after %q are not read)",
				b, rest[0], b, rest[0], b, rest[0])
		}
	}
	if m := fs.Lookup("model"); m != nil && m.Value.String() == "" && !strings.HasPrefix(rest[0], "-") {
		return fmt.Errorf("unexpected argument %q: give the model file with -model, as in dlnb %s -model %s",
			rest[0], fs.Name(), rest[0])
	}
	if !names {
		return fmt.Errorf("unexpected argument %q: dlnb %s takes only flags (see dlnb %s -h), and the flags after it would not be read",
			rest[0], fs.Name(), fs.Name())
	}
	for i, a := range rest {
		switch {
		case strings.HasPrefix(a, "-") && i == 0: // after "--"
			return fmt.Errorf("%s: a notebook name cannot start with '-'", a)
		case strings.HasPrefix(a, "-"):
			return fmt.Errorf("%s comes after the notebook name %s and would not be read: put every flag before the names (dlnb %s [flags] [name ...])",
				a, rest[i-1], fs.Name())
		}
	}
	return nil
}

// boolFlagBefore reports whether args[i-1] is a true/false flag of fs
// written without a value ("-shuffle", not "-shuffle=false"), and returns it.
func boolFlagBefore(fs *flag.FlagSet, args []string, i int) (string, bool) {
	if i == 0 {
		return "", false
	}
	a := args[i-1]
	name := strings.TrimLeft(a, "-")
	if name == a || strings.Contains(name, "=") {
		return "", false
	}
	f := fs.Lookup(name)
	if f == nil {
		return "", false
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return a, ok && b.IsBoolFlag()
}
