package main

import (
	"fmt"
	"io"
	"os"
)

// stdout is where the commands print what they report. It remembers the
// first write that failed, which main turns into an error: a result lost to
// a full disk (dlnb eval > /dev/full) must not end in success.
var stdout = &checkedWriter{w: os.Stdout, name: "the standard output"}

// checkedWriter is a writer that records its first error.
type checkedWriter struct {
	w    io.Writer
	name string
	err  error
}

// Write writes p, recording the first error.
func (c *checkedWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	if err != nil && c.err == nil {
		c.err = err
	}
	return n, err
}

// outputError reports a failed write to stdout, or nil.
func outputError() error {
	if stdout.err == nil {
		return nil
	}
	return fmt.Errorf("writing %s failed (%v), so what this command printed is incomplete: send the output to a disk with free space, or to the terminal",
		stdout.name, stdout.err)
}
