package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// lockName is the lock file of a run folder.
const lockName = "lock"

// runLock is an exclusive flock(2) on a run folder's lock file, held while a
// run writes to the folder. The kernel drops it when the process ends in any
// way, so a killed run never leaves a live lock; the file's text (PID, host,
// start time, command) only names the holder in messages.
type runLock struct {
	f *os.File
}

// holder is what a lock file says about the run holding it.
type holder struct {
	pid     int
	host    string
	started string
	command string
}

// lockRun takes the lock of the run folder dir for the command cmd. When
// another process holds it, the error names that run and gives the command
// for a run of its own folder. note is set when the lock file names a run
// that ended without releasing it (killed), whose lock is taken over.
func lockRun(dir string, cmd cmdLine) (l *runLock, note string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, "", err
	}
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, "", fmt.Errorf("locking the run folder: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		h := readHolder(f)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, "", busyError(dir, h, cmd)
		}
		return nil, "", fmt.Errorf("locking %s: %w", path, err)
	}
	if h := readHolder(f); h.pid != 0 {
		note = fmt.Sprintf("note: taking over the lock of %s, which ended without releasing it (killed?)", h)
	}
	host, _ := os.Hostname()
	text := fmt.Sprintf("pid %d\nhost %s\nstarted %s\ncommand %s\n", os.Getpid(), host, time.Now().Format(time.RFC3339), cmd)
	if err := writeAll(f, text); err != nil {
		f.Close()
		return nil, "", fmt.Errorf("writing %s: %w", path, err)
	}
	return &runLock{f: f}, note, nil
}

// release empties the lock file and unlocks it. The file stays: removing
// it would let two later runs lock two different files of the same name.
func (l *runLock) release() {
	if l == nil || l.f == nil {
		return
	}
	l.f.Truncate(0)
	l.f.Close() // closing drops the flock
	l.f = nil
}

func writeAll(f *os.File, text string) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt([]byte(text), 0); err != nil {
		return err
	}
	return f.Sync()
}

// readHolder parses a lock file; the zero holder when it is empty.
func readHolder(f *os.File) holder {
	b, _ := io.ReadAll(io.NewSectionReader(f, 0, 1<<16))
	var h holder
	for _, line := range strings.Split(string(b), "\n") {
		k, v, _ := strings.Cut(line, " ")
		switch k {
		case "pid":
			h.pid, _ = strconv.Atoi(v)
		case "host":
			h.host = v
		case "started":
			h.started = v
		case "command":
			h.command = v
		}
	}
	return h
}

// String describes the holder: "PID 1234 on host (started …): dlnb train …".
func (h holder) String() string {
	s := fmt.Sprintf("PID %d on %s", h.pid, h.host)
	if h.started != "" {
		s += " (started " + h.started + ")"
	}
	if h.command != "" {
		s += ": " + h.command
	}
	return s
}

// busyError says which run holds the folder and how to run in another one.
func busyError(dir string, h holder, cmd cmdLine) error {
	who := "another dlnb train"
	if h.pid != 0 {
		who = h.String()
	}
	return fmt.Errorf("the run folder %s is in use by %s\nBoth runs would write the same model.npz. Wait for it to finish, or give this run a folder of its own:\n  %s",
		dir, who, cmd.with("out", dir+"-2"))
}
