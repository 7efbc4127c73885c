package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSecondRunOnAFolderStops: while one training run uses a folder, a
// second one (another optimizer, say) stops with a message naming the first
// and the command for a folder of its own — both used to write the same
// model.npz, the last writer winning. Once the first run is killed, the
// next run takes the folder over with a note.
func TestSecondRunOnAFolderStops(t *testing.T) {
	bin := buildCLI(t)
	out := filepath.Join(t.TempDir(), "shared")
	first := exec.Command(bin, tinyArgs(out, "-iters", "100000", "-checkpoint-every", "100000")...)
	first.Env = cliEnv(t)
	var log bytes.Buffer
	first.Stdout, first.Stderr = &log, &log
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	defer first.Process.Kill()
	lock := filepath.Join(out, lockName)
	deadline := time.Now().Add(time.Minute)
	for {
		if b, _ := os.ReadFile(lock); bytes.Contains(b, []byte("command")) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the first run did not lock %s within a minute:\n%s", out, log.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	msg := wantError(t, nil, tinyArgs(out, "-iters", "5", "-optimizer", "sgd"),
		"in use by", fmt.Sprintf("PID %d", first.Process.Pid), "-optimizer sgd", "-out "+out+"-2")
	if !strings.Contains(msg, "-iters 100000") {
		t.Errorf("the message does not show the first run's command:\n%s", msg)
	}
	first.Process.Kill()
	first.Wait()
	took := mustCLI(t, "", nil, tinyArgs(out, "-iters", "2", "-fresh")...)
	if !strings.Contains(took, fmt.Sprintf("taking over the lock of PID %d", first.Process.Pid)) {
		t.Errorf("the stale lock was not reported:\n%s", took)
	}
	if again := mustCLI(t, "", nil, tinyArgs(out, "-iters", "2")...); strings.Contains(again, "taking over") {
		t.Errorf("a run that ended normally left its lock behind:\n%s", again)
	}
}
