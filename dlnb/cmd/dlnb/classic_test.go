package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestTrainLeNetAndAlexNet trains lesson 2_9's networks for a few
// iterations from the command line: LeNet-5 on MNIST padded to 32×32 (the
// model then evaluates on padded images too) and the AlexNet-style network
// on Fashion-MNIST.
func TestTrainLeNetAndAlexNet(t *testing.T) {
	dir := t.TempDir()
	env := cliEnv(t)
	lenet := filepath.Join(dir, "lenet")
	out := mustCLI(t, "", env, "train", "-net", "lenet", "-lr-decay", "0.7", "-iters", "20", "-eval-every", "20", "-train-samples", "2000",
		"-test-samples", "500", "-eval-train-samples", "500", "-out", lenet)
	if !strings.Contains(out, "LeNet-5") || field(out, "test accuracy") == "" {
		t.Fatalf("lenet run:\n%s", out)
	}
	ev := mustCLI(t, "", env, "eval", "-model", filepath.Join(lenet, "model.npz"), "-test-samples", "500")
	if !strings.Contains(ev, "mnist") {
		t.Errorf("eval of the LeNet model:\n%s", ev)
	}
	alex := filepath.Join(dir, "alexnet")
	out = mustCLI(t, "", env, "train", "-net", "alexnet-gap", "-dataset", "fashion", "-iters", "4", "-eval-every", "4",
		"-train-samples", "400", "-test-samples", "200", "-eval-train-samples", "200", "-out", alex)
	if !strings.Contains(out, "AlexNet-style, global average pooling") {
		t.Fatalf("alexnet run:\n%s", out)
	}
	wantError(t, env, []string{"train", "-net", "alexnet-xl"}, `unknown network "alexnet-xl"`, "alexnet-no-lrn", "lenet-original")
	wantError(t, env, []string{"train", "-net", "lenet", "-lr-decay", "-0.5"}, "-lr-decay -0.5", "0.7")
}
