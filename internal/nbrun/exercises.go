package nbrun

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strings"
)

// The course notebooks carry the answers of their exercises: every answer is
// a region of a function's body between a line holding BEGIN SOLUTION and one
// holding END SOLUTION (nbgrader's markers, written as Go comments), in a cell
// whose nbgrader metadata marks it as a solution cell. The cell after it is a
// check cell (nbgrader: grade, locked, points) that calls package exercise.
// StudentCopy makes the student's version the way nbgrader's
// generate_assignment does with scripts/nbgrader/nbgrader_config.py, and
// Checks reads what the check cells of an executed notebook said.

// Stub replaces a code solution region in the student's copy (nbgrader's
// ClearSolutions.code_stub for Go); TextStub a region of a markdown cell.
const (
	Stub     = "// ここにコードを書く"
	TextStub = "ここに答えを書く"
)

// The markers of a solution region (nbgrader's ClearSolutions delimiters):
// any line that contains them.
const (
	beginSolution = "BEGIN SOLUTION"
	endSolution   = "END SOLUTION"
)

// NbGrader is the nbgrader metadata of a cell (metadata.nbgrader, schema 3).
type NbGrader struct {
	Solution      bool    `json:"solution"` // the student writes in it
	Grade         bool    `json:"grade"`    // it is graded: with Solution false, an autograded test (check) cell
	Locked        bool    `json:"locked"`   // the student cannot change it
	Points        float64 `json:"points"`   // what a passed test cell earns
	GradeID       string  `json:"grade_id"` // unique in the notebook
	SchemaVersion int     `json:"schema_version"`
}

// StudentCopy returns the student's version of the notebook b (named name in
// messages): every solution region replaced by Stub at the indentation of its
// BEGIN line, outputs stripped (Clean), everything else, metadata included,
// as it was. It refuses what would not give a working copy: a region outside
// a function body (a half-written statement at top level breaks every later
// cell of a GoNB notebook), a region in a cell not marked as a solution cell
// or a solution cell without a region (nbgrader refuses the first and blanks
// the whole cell for the second), markers that do not pair up, and a
// function with results that does not end with a return after its region.
// It also returns how many regions it replaced.
func StudentCopy(b []byte, name string) ([]byte, int, error) {
	var nb map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&nb); err != nil {
		return nil, 0, fmt.Errorf("%s: not a notebook: %w", name, err)
	}
	cells, _ := nb["cells"].([]any)
	regions := 0
	for i, c := range cells {
		cell, ok := c.(map[string]any)
		if !ok {
			continue
		}
		where := fmt.Sprintf("%s, cell %d", name, i+1)
		src, asList := sourceOf(cell["source"])
		meta := nbgraderOf(cell)
		stub := Stub
		if cell["cell_type"] != "code" {
			stub = TextStub
		}
		out, n, err := replaceRegions(src, stub)
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %v", where, err)
		}
		switch {
		case n > 0 && (meta == nil || !meta.Solution):
			return nil, 0, fmt.Errorf("%s has a solution region but is not a solution cell: give it the nbgrader metadata solution: true and a grade_id (nbgrader refuses such a cell)", where)
		case n == 0 && meta != nil && meta.Solution:
			return nil, 0, fmt.Errorf("%s is a solution cell without a // BEGIN SOLUTION … // END SOLUTION region: nbgrader would replace the whole cell by the stub; mark the answer inside a function", where)
		case n == 0:
			continue
		}
		if cell["cell_type"] == "code" {
			if err := checkRegions(src, out); err != nil {
				return nil, 0, fmt.Errorf("%s: %v", where, err)
			}
		}
		regions += n
		cell["source"] = sourceValue(out, asList)
	}
	stubbed, err := marshalNotebook(nb)
	if err != nil {
		return nil, 0, err
	}
	clean, err := Clean(stubbed)
	return clean, regions, err
}

// sourceOf returns a cell's source as one string, and whether it was stored
// as a list of lines.
func sourceOf(v any) (string, bool) {
	switch s := v.(type) {
	case string:
		return s, false
	case []any:
		var b strings.Builder
		for _, p := range s {
			str, _ := p.(string)
			b.WriteString(str)
		}
		return b.String(), true
	}
	return "", false
}

// sourceValue stores src as it was stored: a list of lines each ending in
// "\n" but the last (nbformat's way), or one string.
func sourceValue(src string, asList bool) any {
	if !asList {
		return src
	}
	lines := strings.SplitAfter(src, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	out := make([]any, len(lines))
	for i, l := range lines {
		out[i] = l
	}
	return out
}

// nbgraderOf returns a cell's nbgrader metadata, or nil.
func nbgraderOf(cell map[string]any) *NbGrader {
	md, _ := cell["metadata"].(map[string]any)
	raw, ok := md["nbgrader"]
	if !ok {
		return nil
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return nil
	}
	var g NbGrader
	if json.Unmarshal(b, &g) != nil {
		return nil
	}
	return &g
}

var indentRE = regexp.MustCompile(`^\s*`)

// replaceRegions replaces every region of src, from a line holding BEGIN
// SOLUTION to one holding END SOLUTION, by stub indented as the BEGIN line
// (nbgrader's ClearSolutions, line for line), and returns how many it
// replaced.
func replaceRegions(src, stub string) (string, int, error) {
	var out []string
	in, n, begin := false, 0, 0
	for k, line := range strings.Split(src, "\n") {
		switch {
		case strings.Contains(line, beginSolution):
			if in {
				return "", 0, fmt.Errorf("line %d: BEGIN SOLUTION inside the region that begins on line %d: end it with END SOLUTION first", k+1, begin)
			}
			in, n, begin = true, n+1, k+1
			for _, s := range strings.Split(stub, "\n") {
				out = append(out, indentRE.FindString(line)+s)
			}
		case strings.Contains(line, endSolution):
			if !in {
				return "", 0, fmt.Errorf("line %d: END SOLUTION without a BEGIN SOLUTION before it", k+1)
			}
			in = false
		case !in:
			out = append(out, line)
		}
	}
	if in {
		return "", 0, fmt.Errorf("the solution region that begins on line %d has no END SOLUTION line", begin)
	}
	return strings.Join(out, "\n"), n, nil
}

// goFile turns a GoNB cell into a Go file for the parser: magic lines (%…,
// !…) become empty lines, and a %% cell's statements the body of main. Line
// k of the cell is line k+1 of the file.
func goFile(src string) string {
	lines := strings.Split(src, "\n")
	tail := ""
	for k, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "%%"):
			lines[k], tail = "func main() {", "\n}"
		case strings.HasPrefix(t, "%") || strings.HasPrefix(t, "!"):
			lines[k] = ""
		}
	}
	return "package main\n" + strings.Join(lines, "\n") + tail
}

// checkRegions checks a code cell src and its stubbed version out: every
// region lies in one function body, and a function with results still ends
// with a return statement once stubbed (so that the student's copy
// compiles).
func checkRegions(src, out string) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", goFile(src), parser.ParseComments)
	if err != nil {
		return fmt.Errorf("the cell is not Go that parses (%v): the check of its solution regions needs it", err)
	}
	var marks []token.Pos
	for _, g := range f.Comments {
		for _, c := range g.List {
			if strings.Contains(c.Text, beginSolution) || strings.Contains(c.Text, endSolution) {
				marks = append(marks, c.Pos())
			}
		}
	}
	for k := 0; k+1 < len(marks); k += 2 {
		begin, end := marks[k], marks[k+1]
		body := enclosingBody(f, begin)
		line := fset.Position(begin).Line - 1
		if body == nil {
			return fmt.Errorf("the solution region on line %d is not inside a function body: put the answer in a function (GoNB compiles a notebook's declarations together, so a half-written statement at top level breaks every later cell)", line)
		}
		if end > body.End() {
			return fmt.Errorf("the solution region on line %d ends outside the function body it begins in", line)
		}
	}
	g, err := parser.ParseFile(fset, "", goFile(out), parser.ParseComments)
	if err != nil {
		return fmt.Errorf("with its regions replaced by the stub, the cell does not parse (%v)", err)
	}
	var missing error
	ast.Inspect(g, func(n ast.Node) bool {
		var typ *ast.FuncType
		var body *ast.BlockStmt
		name := "a function literal"
		switch fn := n.(type) {
		case *ast.FuncDecl:
			typ, body, name = fn.Type, fn.Body, fn.Name.Name
		case *ast.FuncLit:
			typ, body = fn.Type, fn.Body
		default:
			return true
		}
		if missing != nil || body == nil || typ.Results == nil || !holdsStub(g, body) {
			return true
		}
		if len(body.List) == 0 {
			missing = fmt.Errorf("%s returns values but its body is only the solution region: the stub would not compile; end the body with a return after END SOLUTION (with named results, a bare return)", name)
			return false
		}
		if _, ok := body.List[len(body.List)-1].(*ast.ReturnStmt); !ok {
			missing = fmt.Errorf("%s returns values but has no return after its solution region: the stub would not compile; end the body with a return after END SOLUTION (with named results, a bare return)", name)
		}
		return true
	})
	return missing
}

// enclosingBody returns the innermost function body holding pos, or nil.
func enclosingBody(f *ast.File, pos token.Pos) *ast.BlockStmt {
	var found *ast.BlockStmt
	ast.Inspect(f, func(n ast.Node) bool {
		var body *ast.BlockStmt
		switch fn := n.(type) {
		case *ast.FuncDecl:
			body = fn.Body
		case *ast.FuncLit:
			body = fn.Body
		}
		if body != nil && body.Pos() < pos && pos < body.End() {
			found = body
		}
		return n == nil || (n.Pos() <= pos && pos <= n.End())
	})
	return found
}

// holdsStub reports whether the stub comment lies directly in body.
func holdsStub(f *ast.File, body *ast.BlockStmt) bool {
	for _, g := range f.Comments {
		for _, c := range g.List {
			if strings.Contains(c.Text, strings.TrimPrefix(Stub, "// ")) && body.Pos() < c.Pos() && c.Pos() < body.End() {
				return true
			}
		}
	}
	return false
}

// Check is what one check cell (an autograded test cell) of an executed
// notebook said.
type Check struct {
	Cell    int     // 1-based cell number
	ID      string  // its grade_id
	Points  float64 // what it is worth
	Passed  bool    // a stdout line starting with 正解, nothing on stderr, no error
	Message string  // the first line it printed on stderr, its error, or its 正解 line
}

// Checks returns the check cells of an executed notebook: the cells whose
// nbgrader metadata has grade and not solution.
func Checks(nb *Notebook) []Check {
	var out []Check
	for i, c := range nb.Cells {
		g := c.Metadata.NbGrader
		if g == nil || !g.Grade || g.Solution {
			continue
		}
		ch := Check{Cell: i + 1, ID: g.GradeID, Points: g.Points}
		var stdout, stderr string
		for _, o := range c.Outputs {
			switch {
			case o.Type == "stream" && o.Name == "stdout":
				stdout += string(o.Text)
			case o.Type == "stream" && o.Name == "stderr":
				stderr += string(o.Text)
			case o.Type == "error" && ch.Message == "":
				ch.Message = o.EName + ": " + o.EValue
			}
		}
		passLine := ""
		for _, l := range strings.Split(stdout, "\n") {
			if strings.HasPrefix(l, "正解") {
				passLine = l
				break
			}
		}
		errs := len(c.Errors()) > 0
		ch.Passed = passLine != "" && stderr == "" && !errs
		switch {
		case stderr != "":
			ch.Message = strings.SplitN(strings.TrimSpace(stderr), "\n", 2)[0]
		case errs:
		case passLine != "":
			ch.Message = passLine
		case c.ExecutionCount == nil:
			ch.Message = "実行されていません"
		default:
			ch.Message = "何も表示されませんでした (正解の行がありません)"
		}
		out = append(out, ch)
	}
	return out
}
