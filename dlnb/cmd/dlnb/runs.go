package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/dlnb/course/dlnb/lesson"
	"github.com/dlnb/course/dlnb/train"
)

// runFolder returns the absolute folder of a training run and what chose
// it: -out when given, else NET-DATASET in the runs folder the notebooks
// use too (lesson.RunsDir).
func runFolder(out, net, dataset string) (string, folderOrigin, error) {
	from := folderOrigin{"-out " + out, "give -out a folder you can write (it is made when missing)"}
	switch {
	case out != "":
	case os.Getenv(lesson.RunsEnv) != "":
		from = folderOrigin{lesson.RunsEnv + "=" + os.Getenv(lesson.RunsEnv), "point " + lesson.RunsEnv +
			" at a folder you can write (it is made when missing), or unset it to use the repository's runs/"}
	default:
		from = folderOrigin{"the runs folder " + lesson.RunsDir(), "set " + lesson.RunsEnv + " to a folder you can write, or give -out"}
	}
	if out == "" {
		out = filepath.Join(lesson.RunsDir(), net+"-"+dataset)
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", from, fmt.Errorf("run folder %s: %w", out, err)
	}
	return abs, from, nil
}

// folderOrigin says what chose a run folder, for messages about it.
type folderOrigin struct {
	what string // "-out DIR", "DLNB_RUNS_DIR=DIR" or "the runs folder DIR"
	fix  string // what to do when the folder cannot be used
}

// makeRunFolder makes the run folder dir and checks that it can be written
// to; what stands in the way is named with what chose the folder.
func makeRunFolder(dir string, from folderOrigin) error {
	if err := folderProblem(dir); err != nil {
		return fmt.Errorf("%s: %v; %s", from.what, err, from.fix)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%s: the folder cannot be made (%v); %s", from.what, err, from.fix)
	}
	if err := syscall.Access(dir, 2); err != nil { // W_OK
		return fmt.Errorf("%s: %s cannot be written to (%v); %s", from.what, dir, err, from.fix)
	}
	return nil
}

// folderProblem finds, from dir upwards, the first path that exists and
// reports it when it is not a folder: a file, or a symbolic link to
// nothing (MkdirAll says only "file exists" or "not a directory").
func folderProblem(dir string) error {
	for p := dir; ; p = filepath.Dir(p) {
		fi, err := os.Lstat(p)
		switch {
		case (errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR)) && filepath.Dir(p) != p:
			continue // a file above is found next
		case err != nil:
			return err
		case fi.Mode()&fs.ModeSymlink != 0:
			return linkProblem(p)
		case !fi.IsDir():
			return fmt.Errorf("%s is a file, not a folder", p)
		}
		return nil
	}
}

// linkProblem reports a symbolic link that does not lead to a folder.
func linkProblem(p string) error {
	target, _ := os.Readlink(p)
	st, err := os.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		abs := target
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(filepath.Dir(p), target)
		}
		return fmt.Errorf("%s is a symbolic link to %s, which does not exist (mkdir -p %s makes it)", p, target, shellQuote(abs))
	case err != nil:
		return fmt.Errorf("%s is a symbolic link to %s, which cannot be reached (%v)", p, target, err)
	case !st.IsDir():
		return fmt.Errorf("%s is a symbolic link to the file %s, not to a folder", p, target)
	}
	return nil
}

// cmdLine is a dlnb command line as the user typed it, for messages that
// give a command to run next.
type cmdLine []string

// String returns the command as a shell line: "dlnb" and the arguments,
// quoted where the shell needs it.
func (c cmdLine) String() string {
	parts := []string{"dlnb"}
	for _, a := range c {
		parts = append(parts, shellQuote(a))
	}
	return strings.Join(parts, " ")
}

// shellQuote quotes s for a POSIX shell when it holds anything but plain
// characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=.,/:+@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// flagName returns the name of the flag arg sets ("seed" for -seed, --seed
// and -seed=3) and whether arg carries its value after "=".
func flagName(arg string) (name string, inline bool) {
	if !strings.HasPrefix(arg, "-") || arg == "-" || arg == "--" {
		return "", false
	}
	name = strings.TrimLeft(arg, "-")
	if i := strings.IndexByte(name, '='); i >= 0 {
		return name[:i], true
	}
	return name, false
}

// boolFlags are the train flags that take no separate value.
var boolFlags = map[string]bool{"fresh": true, "shuffle": true, "force": true}

// without returns the command without the named flag (and its value).
func (c cmdLine) without(name string) cmdLine {
	var out cmdLine
	for i := 0; i < len(c); i++ {
		n, inline := flagName(c[i])
		if n != name {
			out = append(out, c[i])
			continue
		}
		if !inline && !boolFlags[name] {
			i++ // skip the value
		}
	}
	return out
}

// with returns the command with the named flag set to value: in place of
// its first occurrence, in the same form (-name value or -name=value), or
// appended when the command does not set it.
func (c cmdLine) with(name, value string) cmdLine {
	var out cmdLine
	done := false
	for i := 0; i < len(c); i++ {
		tok := c[i]
		n, inline := flagName(tok)
		if n != name {
			out = append(out, tok)
			continue
		}
		separate := !inline && !boolFlags[name]
		if separate {
			i++ // the old value
		}
		if done {
			continue // a later occurrence
		}
		done = true
		dashes := tok[:strings.Index(tok, name)] // "-" or "--"
		if separate {
			out = append(out, dashes+name, value)
		} else {
			out = append(out, dashes+name+"="+value)
		}
	}
	switch {
	case done:
		return out
	case boolFlags[name]:
		return append(out, "-"+name+"="+value)
	}
	return append(out, "-"+name, value)
}

// settingsMismatch turns a *train.SettingsError of the run in dir into a
// message naming each setting with both values and the two commands that
// go on: start over with the new settings, or resume with the saved ones.
func settingsMismatch(e *train.SettingsError, dir string, cmd cmdLine) error {
	var b strings.Builder
	fmt.Fprintf(&b, "the run in %s was started with other settings:\n", dir)
	resume := cmd.without("fresh")
	canResume := true
	for _, d := range e.Diffs {
		fmt.Fprintf(&b, "  -%s: %s in the saved run, %s now\n", d.Name, orUnset(d.Saved), orUnset(d.Now))
		if !validTrainFlag(d.Name, d.Saved) {
			canResume = false
			continue
		}
		resume = resume.with(d.Name, d.Saved)
	}
	fmt.Fprintf(&b, "To start over with the new settings (the saved run is replaced), run:\n  %s", cmd.withFresh())
	if canResume {
		fmt.Fprintf(&b, "\nTo resume the saved run instead, run:\n  %s", resume)
	}
	return errors.New(b.String())
}

// withFresh returns the command with -fresh: it starts the run over.
func (c cmdLine) withFresh() cmdLine { return append(c.without("fresh"), "-fresh") }

func orUnset(v string) string {
	if v == "" {
		return "(not recorded)"
	}
	return v
}

// validTrainFlag reports whether value is a valid value of the train flag
// name, so that a command with it can be suggested.
func validTrainFlag(name, value string) bool {
	var o trainOptions
	fs := trainFlags(&o)
	if value == "" || fs.Lookup(name) == nil || fs.Set(name, value) != nil {
		return false
	}
	switch name {
	case "optimizer":
		return knownOptimizer(value)
	case "net":
		return knownNet(value)
	case "dataset":
		_, err := datasetName(value)
		return err == nil
	}
	return true
}

// checkpointDamaged says that the checkpoint of the run in dir cannot be
// read and gives the command that starts over.
func checkpointDamaged(e *train.CheckpointError, cmd cmdLine) error {
	return fmt.Errorf("the checkpoint %s is damaged (%v), so the run cannot resume; to start over (the saved run is replaced), run:\n  %s",
		e.Path, e.Err, cmd.withFresh())
}
