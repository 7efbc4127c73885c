package notebooks

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dlnb/course/dlnb/exercise"
	"github.com/dlnb/course/internal/nbrun"
)

// exerciseCell is an exercise as docs/exercises.md gives it to the
// notebooks: its solution cell and its check cell, each with its metadata.
type exerciseCell struct {
	solutionMeta, solution, checkMeta, check string
	points                                   float64
}

var docMetaRE = regexp.MustCompile("(?s)^(Solution|Check) cell \\(`(\\{.*\\})`\\):$")

// docExercises reads the cells of every exercise from docs/exercises.md.
func docExercises(t *testing.T) map[string]exerciseCell {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(nbrun.Root(), "docs", "exercises.md"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]exerciseCell{}
	var name, meta string
	var c exerciseCell
	lines := strings.Split(string(b), "\n")
	for k := 0; k < len(lines); k++ {
		l := lines[k]
		if n, ok := strings.CutPrefix(l, "### "); ok {
			name, c = n, exerciseCell{}
			continue
		}
		if m := docMetaRE.FindStringSubmatch(l); m != nil {
			meta = m[2]
			continue
		}
		if l != "```go" || name == "" || meta == "" {
			continue
		}
		var code []string
		for k++; k < len(lines) && lines[k] != "```"; k++ {
			code = append(code, lines[k])
		}
		if c.solution == "" {
			c.solutionMeta, c.solution = meta, strings.Join(code, "\n")
		} else {
			c.checkMeta, c.check = meta, strings.Join(code, "\n")
			if m := regexp.MustCompile(`"points": (\d+)`).FindStringSubmatch(meta); m != nil {
				c.points, _ = strconv.ParseFloat(m[1], 64)
			}
			out[name] = c
		}
		meta = ""
	}
	if len(out) != len(exercise.All) {
		t.Fatalf("docs/exercises.md has the cells of %d exercises, package exercise %d", len(out), len(exercise.All))
	}
	return out
}

// exerciseSource is a notebook source with the given exercises' cells;
// answer may change an exercise's solution cell.
func exerciseSource(t *testing.T, names []string, answer func(name, solution string) string) (string, float64) {
	t.Helper()
	cells := docExercises(t)
	src := "#### code\n" + firstCodeLine + "\nimport (\n\t\"fmt\"\n\t\"math\"\n\n" +
		"\t\"github.com/dlnb/course/dlnb/exercise\"\n\t\"github.com/dlnb/course/dlnb/nets\"\n" +
		"\t\"github.com/dlnb/course/dlnb/np\"\n\t\"github.com/dlnb/course/dlnb/ref\"\n)\n"
	points := 0.0
	for _, n := range names {
		c, ok := cells[n]
		if !ok {
			t.Fatalf("no exercise %s in docs/exercises.md", n)
		}
		sol := c.solution
		if answer != nil {
			sol = answer(n, sol)
		}
		src += "#### code " + c.solutionMeta + "\n" + sol + "\n#### code " + c.checkMeta + "\n" + c.check + "\n"
		points += c.points
	}
	return src, points
}

// buildDlnb builds the dlnb command into dir.
func buildDlnb(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "dlnb")
	cmd := exec.Command("go", "build", "-o", bin, "./dlnb/cmd/dlnb")
	cmd.Dir = nbrun.Root()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./dlnb/cmd/dlnb: %v\n%s", err, out)
	}
	return bin
}

// TestExercisesThroughTheKernel puts the cells of every exercise that
// docs/exercises.md gives into a notebook, makes the student's copy with
// dlnb exercises, and runs dlnb check on both through the GoNB kernel: the
// answers score every check, the copy none, each of its checks 未回答 (the
// stubs compile, and no check calls a stub wrong).
func TestExercisesThroughTheKernel(t *testing.T) {
	requireKernel(t)
	dir := t.TempDir()
	var names []string
	for _, e := range exercise.All {
		names = append(names, e.Name)
	}
	src, points := exerciseSource(t, names, nil)
	answered := writeNotebook(t, filepath.Join(dir), "answers.ipynb", src)
	dlnb := buildDlnb(t, dir)
	student := filepath.Join(dir, "student")
	if out, err := exec.Command(dlnb, "exercises", "-out", student, answered).CombinedOutput(); err != nil ||
		!strings.Contains(string(out), fmt.Sprintf("1 notebooks, %d exercises", len(names))) {
		t.Fatalf("dlnb exercises: %v\n%s", err, out)
	}
	var wg sync.WaitGroup
	outs, errs := make([]string, 2), make([]error, 2)
	for k, p := range []string{answered, student} {
		wg.Go(func() {
			out, err := exec.Command(dlnb, "check", p).CombinedOutput()
			outs[k], errs[k] = string(out), err
		})
	}
	studentMistakes(t) // meanwhile, in this goroutine (it may stop the test)
	wg.Wait()
	t.Logf("answers:\n%s\nstudent's copy:\n%s", outs[0], outs[1])
	all := fmt.Sprintf("%d / %d 正解 (%g / %g 点)", len(names), len(names), points, points)
	if errs[0] != nil || !strings.Contains(outs[0], answered+": "+all) {
		t.Errorf("dlnb check on the answers: %v, want %q", errs[0], all)
	}
	var exit *exec.ExitError
	none := fmt.Sprintf("student/answers.ipynb: 0 / %d 正解 (0 / %g 点)", len(names), points)
	if !errors.As(errs[1], &exit) || exit.ExitCode() != 1 || !strings.Contains(outs[1], none) ||
		strings.Count(outs[1], "未回答: ") != len(names) || strings.Contains(outs[1], "不正解") {
		t.Errorf("dlnb check on the student's copy: %v, want %q and %d lines 未回答", errs[1], none, len(names))
	}
	for _, e := range exercise.All {
		if !strings.Contains(outs[1], "  "+e.Name+" (cell ") {
			t.Errorf("dlnb check does not list %s among the checks not passed", e.Name)
		}
	}
}

// studentMistakes runs checks on answers that panic, loop and are wrong
// through the kernel (while TestExercisesThroughTheKernel's dlnb check
// runs): each says so on standard error only, with no goroutine
// trace, the endless loop within a few seconds, and the cells after them
// run.
func studentMistakes(t *testing.T) {
	src := "#### code\n" + firstCodeLine + "\nimport (\n\t\"fmt\"\n\n\t\"github.com/dlnb/course/dlnb/exercise\"\n" +
		"\t\"github.com/dlnb/course/dlnb/np\"\n)\n" +
		"#### code\nfunc dzdxPanics(x, y float64) float64 {\n\tvar a []float64\n\treturn a[3]\n}\n" +
		"func dzdxWrong(x, y float64) float64 { return 2 * x }\n" +
		"func updateLoops(key string, params, grad map[string]*np.Array, lr float64) {\n\tfor {\n\t}\n}\n" +
		"#### code\n%%\nexercise.ChainRule(dzdxPanics)\n" +
		"#### code\n%%\nexercise.SGD(updateLoops)\n" +
		"#### code\n%%\nexercise.ChainRule(dzdxWrong)\n" +
		"#### code\n%%\nfmt.Println(\"kernel still works\")\n"
	nb := executeWithErrors(t, "mistakes-in-answers.ipynb", src)
	cells := nb.Cells[2:]
	for i, want := range []string{"不正解: 連鎖律 dz/dx (z = t², t = x + y) — あなたのコードが途中で止まりました: runtime error: index out of range [3] with length 0",
		"不正解: SGD の更新 — 1 秒たっても終わりません (無限ループ?)", "  ヒント: t = x + y です。2x ではなく"} {
		c := cells[i]
		var stderr string
		for _, o := range c.Outputs {
			if o.Type == "stream" && o.Name == "stderr" {
				stderr += string(o.Text)
			} else {
				t.Errorf("check cell %d: an output other than stderr: %+v", i+3, o)
			}
		}
		if !strings.Contains(stderr, want) {
			t.Errorf("check cell %d: stderr lacks %q:\n%s", i+3, want, stderr)
		}
		if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic:") {
			t.Errorf("check cell %d shows a trace:\n%s", i+3, stderr)
		}
		if took, ok := c.Took(); ok && took > 5*time.Second {
			t.Errorf("check cell %d took %v", i+3, took)
		}
	}
	if !strings.Contains(cells[3].Stdout(), "kernel still works") {
		t.Errorf("the cell after the checks: %q", cells[3].Text())
	}
}

// nbgraderBin returns .venv-grader's nbgrader script folder, or skips (fails
// with DLNB_REQUIRE_NOTEBOOKS=1) when scripts/nbgrader/setup.sh has not made it.
func nbgraderScript(t *testing.T) string {
	t.Helper()
	requireKernel(t)
	if _, err := os.Stat(filepath.Join(nbrun.Root(), ".venv-grader", "bin", "nbgrader")); err != nil {
		msg := "nbgrader is not installed in .venv-grader: run scripts/nbgrader/setup.sh"
		if os.Getenv("DLNB_REQUIRE_NOTEBOOKS") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return filepath.Join(nbrun.Root(), "scripts", "nbgrader", "nbgrader.sh")
}

// TestNbgraderRoundTrip runs nbgrader's teacher flow on a notebook of
// exercises through the GoNB kernel: generate_assignment makes the
// student's copy (the same code as dlnb exercises), and autograde scores
// three submissions: the answers get every point, the student's copy none,
// and the answers with one wrong exercise all but that exercise's points.
//
// The notebook is generated from docs/exercises.md (three exercises), or is
// DLNB_NBGRADER_NOTEBOOK, a course notebook with exercise cells; its wrong
// submission flips the first .Sub( of a solution region to .Add( (the sign
// of an update).
func TestNbgraderRoundTrip(t *testing.T) {
	script := nbgraderScript(t)
	course := t.TempDir()
	var src []byte
	var wrong []byte
	var lost float64
	if p := os.Getenv("DLNB_NBGRADER_NOTEBOOK"); p != "" {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		src = b
		wrong, lost = flipFirstSub(t, b)
	} else {
		text, _ := exerciseSource(t, []string{"ChainRule", "SGD", "ReluBackward"}, nil)
		b, err := nbrun.FromSource(text)
		if err != nil {
			t.Fatal(err)
		}
		src = b
		wrongText, _ := exerciseSource(t, []string{"ChainRule", "SGD", "ReluBackward"}, func(name, sol string) string {
			if name == "ChainRule" {
				return strings.Replace(sol, "d = 2 * (x + y)", "d = 2 * x", 1)
			}
			return sol
		})
		if wrong, err = nbrun.FromSource(wrongText); err != nil {
			t.Fatal(err)
		}
		lost = 1
	}
	write := func(rel string, b []byte) {
		p := filepath.Join(course, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	nbgrader := func(args ...string) string {
		cmd := exec.Command(script, args...)
		cmd.Dir = course
		cmd.Env = nbrun.ToolEnv()
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("nbgrader %s: %v\n%s", strings.Join(args, " "), err, tail(string(out), 30))
		}
		return string(out)
	}
	write("source/ps1/exercises.ipynb", src)
	nbgrader("generate_assignment", "ps1")
	release, err := os.ReadFile(filepath.Join(course, "release", "ps1", "exercises.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	ours, _, err := nbrun.StudentCopy(src, "exercises.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	if a, b := codeOf(t, release), codeOf(t, ours); a != b {
		t.Errorf("nbgrader's student copy and dlnb exercises' differ:\n--- nbgrader\n%s\n--- dlnb exercises\n%s", a, b)
	}
	write("submitted/answered/ps1/exercises.ipynb", src)
	write("submitted/stubbed/ps1/exercises.ipynb", release)
	write("submitted/wrong/ps1/exercises.ipynb", wrong)
	nbgrader("autograde", "ps1", "--create")
	nbgrader("export")
	f, err := os.Open(filepath.Join(course, "grades.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) != 4 {
		t.Fatalf("grades.csv: %v, %d rows", err, len(rows))
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	scores := map[string][2]float64{}
	for _, r := range rows[1:] {
		s, _ := strconv.ParseFloat(r[col["score"]], 64)
		m, _ := strconv.ParseFloat(r[col["max_score"]], 64)
		scores[r[col["student_id"]]] = [2]float64{s, m}
	}
	max := scores["answered"][1]
	t.Logf("nbgrader autograde scores (of %g): answered %g, stubbed %g, wrong %g", max,
		scores["answered"][0], scores["stubbed"][0], scores["wrong"][0])
	if max == 0 || scores["answered"][0] != max || scores["stubbed"][0] != 0 || scores["wrong"][0] != max-lost {
		t.Errorf("scores %v: want answered %g, stubbed 0, wrong %g", scores, max, max-lost)
	}
}

// codeOf returns the code cells of a notebook, for comparing two copies.
func codeOf(t *testing.T, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "x.ipynb")
	os.WriteFile(path, b, 0o644)
	nb, err := nbrun.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	for i, c := range nb.Cells {
		if c.Type == "code" {
			fmt.Fprintf(&out, "# cell %d\n%s\n", i+1, c.Source)
		}
	}
	return out.String()
}

// flipFirstSub returns the notebook b with the first .Sub( inside a solution
// region turned into .Add(, and the points of the first check cell after
// that solution cell (what the wrong answer loses).
func flipFirstSub(t *testing.T, b []byte) ([]byte, float64) {
	t.Helper()
	var nb map[string]any
	if err := json.Unmarshal(b, &nb); err != nil {
		t.Fatal(err)
	}
	cells, _ := nb["cells"].([]any)
	source := func(c any) string {
		var s string
		switch v := c.(map[string]any)["source"].(type) {
		case string:
			s = v
		case []any:
			for _, l := range v {
				s += l.(string)
			}
		}
		return s
	}
	for i, c := range cells {
		src := source(c)
		begin, end, k := strings.Index(src, "BEGIN SOLUTION"), strings.Index(src, "END SOLUTION"), strings.Index(src, ".Sub(")
		if begin < 0 || k < begin || k > end {
			continue
		}
		for _, after := range cells[i+1:] {
			md, _ := after.(map[string]any)["metadata"].(map[string]any)
			g, _ := md["nbgrader"].(map[string]any)
			if g["grade"] == true && g["solution"] != true {
				c.(map[string]any)["source"] = src[:k] + ".Add(" + src[k+len(".Sub("):]
				out, err := json.Marshal(nb)
				if err != nil {
					t.Fatal(err)
				}
				points, _ := g["points"].(float64)
				return out, points
			}
		}
	}
	t.Fatal("DLNB_NBGRADER_NOTEBOOK: no solution region with .Sub( followed by a check cell")
	return nil, 0
}
