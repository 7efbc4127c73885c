package nets

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dlnb/course/dlnb/mistake"
	"github.com/dlnb/course/dlnb/rng"
)

// hwc writes a sample shape the way the Day 2 report does: [H, W, C] for
// images, the length for vectors.
func hwc(s []int) string {
	if len(s) == 3 {
		return fmt.Sprintf("[%d,%d,%d]", s[1], s[2], s[0])
	}
	return fmt.Sprint(s[0])
}

// TestLeNetShapesMatchReport checks LeNet-5's shapes against the report's
// [32,32,1] → [28,28,6] → [14,14,6] → [10,10,16] → [5,5,16] → 120 → 84 → 10
// and its parameter count (61,706, as in LeCun et al.'s C1–F6 plus a
// 10-way output layer).
func TestLeNetShapesMatchReport(t *testing.T) {
	for _, original := range []bool{false, true} {
		n := NewLeNet(LeNetConfig{Original: original}, WithRand(rng.New(1)))
		var seen []string
		for i, s := range n.Shapes() {
			if i == 0 || n.Spec.Layers[i-1].Kind == "Conv" || n.Spec.Layers[i-1].Kind == "Pool" || n.Spec.Layers[i-1].Kind == "Affine" {
				seen = append(seen, hwc(s))
			}
		}
		got := strings.Join(seen, " → ")
		want := "[32,32,1] → [28,28,6] → [14,14,6] → [10,10,16] → [5,5,16] → 120 → 84 → 10"
		if got != want {
			t.Errorf("%s: %s, want %s", n.Spec.Name, got, want)
		}
		if c := n.ParamCount(); c != 61706 {
			t.Errorf("%s: %d parameters, want 61706", n.Spec.Name, c)
		}
		acts := map[bool]string{false: "Relu", true: "Tanh"}[original]
		if n.Spec.Layers[1].Kind != acts || n.Spec.Layers[2].Average != original {
			t.Errorf("%s: layers %s, %s (average %v)", n.Spec.Name, n.Spec.Layers[1].Kind, n.Spec.Layers[2].Kind, n.Spec.Layers[2].Average)
		}
	}
}

// TestAlexNetVariants checks the shapes of the AlexNet-style network, that
// the switches remove exactly the LRN and dropout layers, and that the
// global-pooling heads need fewer parameters than Flatten.
func TestAlexNetVariants(t *testing.T) {
	count := func(n *Net[float64], kind string) int {
		c := 0
		for _, l := range n.Spec.Layers {
			if l.Kind == kind {
				c++
			}
		}
		return c
	}
	full := NewAlexNet(AlexNetConfig{}, WithRand(rng.New(1)))
	shapes := full.Shapes()
	if got := hwc(shapes[len(shapes)-1]); got != "10" || count(full, "LRN") != 2 || count(full, "Dropout") != 2 || count(full, "Flatten") != 1 {
		t.Fatalf("AlexNet: output %s, %d LRN, %d dropout\n%s", got, count(full, "LRN"), count(full, "Dropout"), full.Summary())
	}
	if !strings.Contains(full.Summary(), "Flatten1               → (1152,)") {
		t.Errorf("the 6×6×32 feature maps should reach Flatten whole (1152 values):\n%s", full.Summary())
	}
	noLRN := NewAlexNet(AlexNetConfig{NoLRN: true}, WithRand(rng.New(1)))
	noDrop := NewAlexNet(AlexNetConfig{NoDropout: true}, WithRand(rng.New(1)))
	if count(noLRN, "LRN") != 0 || len(noLRN.Layers) != len(full.Layers)-2 || count(noDrop, "Dropout") != 0 || len(noDrop.Layers) != len(full.Layers)-2 {
		t.Errorf("switches: no LRN has %d LRN in %d layers, no dropout %d dropout in %d layers (full: %d)",
			count(noLRN, "LRN"), len(noLRN.Layers), count(noDrop, "Dropout"), len(noDrop.Layers), len(full.Layers))
	}
	for _, h := range []Head{GlobalAvgHead, GlobalMaxHead} {
		g := NewAlexNet(AlexNetConfig{Head: h}, WithRand(rng.New(1)))
		if g.ParamCount() >= full.ParamCount() || !strings.Contains(g.Spec.Name, string(h)) {
			t.Errorf("%s: %d parameters, Flatten %d", g.Spec.Name, g.ParamCount(), full.ParamCount())
		}
	}
	err := mistake.Catch(func() { NewAlexNet(AlexNetConfig{Head: "gap"}) })
	if err == nil || !strings.Contains(err.Error(), "nets.GlobalAvgHead") {
		t.Errorf("unknown head: %v", err)
	}
}

// TestGradLeNetAndAlexNet checks both LeNets and the AlexNet-style network
// (LRN, overlapping pooling, dropout, global pooling) against numerical
// gradients, sampling a few entries of every parameter tensor.
func TestGradLeNetAndAlexNet(t *testing.T) {
	r := rng.New(15)
	for _, original := range []bool{false, true} {
		n := NewLeNet(LeNetConfig{Original: original}, WithRand(r))
		x, d := batch(r, 2, []int{1, 32, 32}, 10, false)
		checkNet(t, n, x, d, 6)
	}
	for _, cfg := range []AlexNetConfig{{}, {Head: GlobalAvgHead, NoDropout: true}} {
		n := NewAlexNet(cfg, WithRand(r))
		x, d := batch(r, 2, []int{1, 28, 28}, 10, false)
		checkNet(t, n, x, d, 6)
	}
}
