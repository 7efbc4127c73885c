package notebooks

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dlnb/course/internal/nbrun"
)

// TestOutputsInProgramOrder: what a cell prints on standard output and
// error and what it displays (markdown, tables, charts, a progress display,
// an error box) reach the notebook in the order the program made them,
// through the real kernel. GoNB reads the program's standard output and its
// displays on two pipes of their own; without nb's care a display could
// overtake lines printed before it (2_1's "✔" summary above "データ読み込み完了").
func TestOutputsInProgramOrder(t *testing.T) {
	requireKernel(t)
	const rounds = 40
	src := testHeader("dlnb/nb", "dlnb/np") +
		"#### code\n%%\nfor i := range " + fmt.Sprint(rounds) + " {\n" +
		"\tfmt.Printf(\"out %d\\n\", i)\n" +
		"\tnb.Markdown(fmt.Sprintf(\"md %d\", i))\n" +
		"\tfmt.Fprintf(os.Stderr, \"err %d\\n\", i)\n" +
		"\tnb.Table([]string{\"k\"}, [][]string{{fmt.Sprintf(\"table %d\", i)}})\n" +
		"}\n" +
		"fmt.Println(\"before progress\")\n" +
		"p := nb.NewProgress(\"progress\", 2)\np.Step(1, 1)\np.Step(2, 0.5)\np.Done()\n" +
		"fmt.Println(\"before the error\")\n" +
		"np.Dot(np.Zeros(2, 3), np.Zeros(4, 5))\n"
	nb := executeWithErrors(t, "order.ipynb", src)
	if len(nb.Cells) != headerCells+1 {
		t.Fatalf("%d cells executed", len(nb.Cells))
	}
	var got []string
	for _, o := range nb.Cells[headerCells].Outputs {
		var text string
		switch {
		case o.Type == "stream":
			text = string(o.Text)
		case o.Data["text/markdown"] != nil:
			text = rawText(o.Data["text/markdown"])
		case o.Data["text/plain"] != nil:
			text = rawText(o.Data["text/plain"])
		case o.Data["text/html"] != nil:
			text = rawText(o.Data["text/html"])
		}
		for _, l := range strings.Split(strings.TrimSpace(text), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				got = append(got, l)
			}
		}
	}
	var want []string
	for i := range rounds {
		want = append(want, fmt.Sprintf("out %d", i), fmt.Sprintf("md %d", i), fmt.Sprintf("err %d", i), fmt.Sprintf("table %d", i))
	}
	want = append(want, "before progress", "progress", "before the error", "Error")
	k := 0
	for _, g := range got {
		if k < len(want) && strings.Contains(g, want[k]) {
			k++
		}
	}
	if k < len(want) {
		t.Errorf("outputs out of program order: %q is missing after %q; the outputs were:\n%s", want[k], want[max(k-1, 0)], strings.Join(got, "\n"))
	}
}

// rawText decodes a notebook string (one string or a list of lines).
func rawText(raw []byte) string {
	var t nbrun.Text
	if t.UnmarshalJSON(raw) != nil {
		return ""
	}
	return string(t)
}
