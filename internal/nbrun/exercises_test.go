package nbrun

import (
	"encoding/json"
	"strings"
	"testing"
)

const solutionMeta = `{"nbgrader": {"grade": false, "grade_id": "ans", "locked": false, "schema_version": 3, "solution": true}}`

// studentCopy converts src and makes the student's copy.
func studentCopy(t *testing.T, src string) (*Notebook, int, error) {
	t.Helper()
	b, err := FromSource(src)
	if err != nil {
		t.Fatal(err)
	}
	out, n, err := StudentCopy(b, "x.ipynb")
	if err != nil {
		return nil, n, err
	}
	var nb Notebook
	if err := json.Unmarshal(out, &nb); err != nil {
		t.Fatal(err)
	}
	return &nb, n, nil
}

func TestStudentCopyReplacesRegions(t *testing.T) {
	src := "#### code " + solutionMeta + `
func f(x float64) (y float64) {
	if x > 0 {
		// BEGIN SOLUTION
		y = 2 * x
		// END SOLUTION
	}
	return
}

func g(key string, m map[string]float64) {
	// BEGIN SOLUTION
	m[key]++
	// END SOLUTION
}
#### code {"nbgrader": {"grade": true, "grade_id": "check", "locked": true, "points": 2, "schema_version": 3, "solution": false}}
%%
fmt.Println(f(1))
#### markdown
## 答え
`
	nb, n, err := studentCopy(t, src)
	if err != nil {
		t.Fatal(err)
	}
	want := `func f(x float64) (y float64) {
	if x > 0 {
		// ここにコードを書く
	}
	return
}

func g(key string, m map[string]float64) {
	// ここにコードを書く
}`
	if n != 2 || string(nb.Cells[0].Source) != want {
		t.Errorf("%d regions, the cell became:\n%s", n, nb.Cells[0].Source)
	}
	if g := nb.Cells[0].Metadata.NbGrader; g == nil || !g.Solution || g.GradeID != "ans" {
		t.Errorf("solution metadata lost: %+v", g)
	}
	if g := nb.Cells[1].Metadata.NbGrader; g == nil || !g.Grade || g.Points != 2 || string(nb.Cells[1].Source) != "%%\nfmt.Println(f(1))" {
		t.Errorf("check cell changed: %+v %q", g, nb.Cells[1].Source)
	}
}

// TestStudentCopyRefuses: what would not give a working copy is refused,
// naming the notebook and the cell.
func TestStudentCopyRefuses(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"#### code\n%%\nx := 1\n#### code " + solutionMeta + "\n// BEGIN SOLUTION\nvar y = 2\n// END SOLUTION\n",
			"x.ipynb, cell 2: the solution region on line 1 is not inside a function body"},
		{"#### code\nfunc f() {\n\t// BEGIN SOLUTION\n\tprintln()\n\t// END SOLUTION\n}\n",
			"x.ipynb, cell 1 has a solution region but is not a solution cell"},
		{"#### code " + solutionMeta + "\nfunc f() {}\n", "x.ipynb, cell 1 is a solution cell without a // BEGIN SOLUTION"},
		{"#### code " + solutionMeta + "\nfunc f() {\n\t// BEGIN SOLUTION\n\tprintln()\n}\n", "has no END SOLUTION line"},
		{"#### code " + solutionMeta + "\nfunc f() {\n\tprintln()\n\t// END SOLUTION\n}\n", "line 3: END SOLUTION without a BEGIN SOLUTION"},
		{"#### code " + solutionMeta + "\nfunc f() int {\n\t// BEGIN SOLUTION\n\treturn 1\n\t// END SOLUTION\n}\n",
			"f returns values but its body is only the solution region"},
		{"#### code " + solutionMeta + "\nfunc f() int {\n\tx := 1\n\t// BEGIN SOLUTION\n\treturn x\n\t// END SOLUTION\n}\n",
			"f returns values but has no return after its solution region"},
		{"#### code " + solutionMeta + "\nfunc f() {\n\t// BEGIN SOLUTION\n\tif true {\n}\n\t// END SOLUTION\n}\nfunc g() {}\n// END SOLUTION\n",
			"END SOLUTION without a BEGIN SOLUTION"},
	} {
		_, _, err := studentCopy(t, c.src)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want %q for\n%s", err, c.want, c.src)
		}
	}
}

// TestStudentCopyInMain: a region in a %% cell's statements is inside main.
func TestStudentCopyInMain(t *testing.T) {
	nb, n, err := studentCopy(t, "#### code "+solutionMeta+"\n%%\nx := 1\n// BEGIN SOLUTION\nx++\n// END SOLUTION\nfmt.Println(x)\n")
	if err != nil || n != 1 || string(nb.Cells[0].Source) != "%%\nx := 1\n// ここにコードを書く\nfmt.Println(x)" {
		t.Errorf("%v, %d: %q", err, n, nb.Cells[0].Source)
	}
}

func TestChecks(t *testing.T) {
	one := 1
	check := func(id string, outputs ...Output) Cell {
		c := Cell{Type: "code", Outputs: outputs, ExecutionCount: &one}
		c.Metadata.NbGrader = &NbGrader{Grade: true, Locked: true, Points: 2, GradeID: id}
		return c
	}
	out := func(name, text string) Output { return Output{Type: "stream", Name: name, Text: Text(text)} }
	answer := Cell{Type: "code"}
	answer.Metadata.NbGrader = &NbGrader{Solution: true, GradeID: "ans"}
	nb := &Notebook{Cells: []Cell{
		answer,
		check("pass", out("stdout", "正解: AdaGrad の更新 (…)\n")),
		check("stub", out("stderr", "未回答: AdaGrad の更新 — まだ何も計算していません\n  …\n")),
		check("wrong", out("stdout", "正解: x\n"), out("stderr", "不正解: y\n")),
		check("error", Output{Type: "error", EName: "ERROR", EValue: "failed to compile"}),
		check("silent"),
		{Type: "code"},
	}}
	got := Checks(nb)
	want := []Check{
		{2, "pass", 2, true, "正解: AdaGrad の更新 (…)"},
		{3, "stub", 2, false, "未回答: AdaGrad の更新 — まだ何も計算していません"},
		{4, "wrong", 2, false, "不正解: y"},
		{5, "error", 2, false, "ERROR: failed to compile"},
		{6, "silent", 2, false, "何も表示されませんでした (正解の行がありません)"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("check %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestFromSourceMetadata(t *testing.T) {
	if _, err := FromSource("#### code {not json\n%%\n"); err == nil || !strings.Contains(err.Error(), "line 1: the metadata after \"#### code\" is not a JSON object") {
		t.Errorf("bad metadata: %v", err)
	}
	b, err := FromSource("#### code " + solutionMeta + "\nfunc f() {}\n")
	if err != nil {
		t.Fatal(err)
	}
	var nb Notebook
	json.Unmarshal(b, &nb)
	if g := nb.Cells[0].Metadata.NbGrader; g == nil || !g.Solution || g.SchemaVersion != 3 {
		t.Errorf("metadata: %+v", g)
	}
}
