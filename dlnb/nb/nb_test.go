package nb

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/dlnb/course/dlnb/chart"
)

func TestShowOutsideNotebookWritesPNG(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("DLNB_OUT_DIR", dir)
	Show(chart.Accuracy(nil, []float64{0.1, 0.5}, []float64{0.1, 0.4}))
	files, _ := filepath.Glob(filepath.Join(dir, "accuracy-*.png"))
	if len(files) != 1 {
		t.Fatalf("files %v", files)
	}
	b, _ := os.ReadFile(files[0])
	if !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Fatal("not a PNG")
	}
}

func TestCheckExitsWithMessage(t *testing.T) {
	code := -1
	exit = func(c int) { code = c }
	defer func() { exit = os.Exit }()
	Check(nil)
	if code != -1 {
		t.Fatal("Check(nil) exited")
	}
	Check(errors.New("mnist: boom"))
	if code != 1 {
		t.Fatalf("exit code %d, want 1", code)
	}
	if h := ErrorHTML(errors.New("a < b")); !strings.Contains(h, "a &lt; b") {
		t.Errorf("error HTML not escaped: %s", h)
	}
}

func TestTextTable(t *testing.T) {
	got := TextTable([]string{"cell", "test"}, [][]string{{"sigmoid-gauss", "0.1135"}, {"ReLU-He", "0.9538"}})
	want := "cell           test\n-------------  ------\nsigmoid-gauss  0.1135\nReLU-He        0.9538\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if !strings.Contains(HTMLTable([]string{"a"}, [][]string{{"<b>"}}), "&lt;b&gt;") {
		t.Error("HTML table cells not escaped")
	}
}

func TestProgressOutsideNotebook(t *testing.T) {
	var out bytes.Buffer
	p := NewProgress("demo", 100)
	p.Out = &out
	p.Every = 0
	for i := 1; i <= 100; i++ {
		p.Step(i, 1/float64(i))
		if i%10 == 0 {
			p.Eval(i, 0.5+float64(i)/400, 0.4+float64(i)/400)
		}
	}
	p.Done()
	s := out.String()
	if strings.Count(s, "\n") < 11 || !strings.Contains(s, "demo 100% 100/100") ||
		!regexp.MustCompile(`demo 100% 100/100 .* test 0\.65\n`).MatchString(s) { // the final evaluation, not the one before
		t.Fatalf("progress lines:\n%s", s)
	}
	if !strings.Contains(s, "demo: 100 iterations in") || !strings.Contains(s, "test accuracy 0.65") {
		t.Fatalf("summary missing:\n%s", s)
	}
}

// TestSweepKeepsOrderAndResults: a sweep on all cores gives each run's own
// result, in order.
func TestSweepKeepsOrderAndResults(t *testing.T) {
	got := Sweep(9, func(i int) int {
		s := 0
		for j := range 1000 * (9 - i) {
			s += j % (i + 2)
		}
		return s*100 + i
	})
	for i, v := range got {
		if v%100 != i {
			t.Fatalf("result %d came from run %d", i, v%100)
		}
	}
}
