package nbrun

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/lesson"
)

// Options control an execution.
type Options struct {
	Quick       bool          // set DLNB_QUICK=1 for the notebooks
	CellTimeout time.Duration // per-cell limit (nbconvert's ExecutePreprocessor.timeout)
	Env         []string      // extra environment variables
	AllowErrors bool          // failed cells are not an error of Execute
	Log         func(format string, args ...any)
	// FLOPDir, when set, makes each notebook's cells count the work of their
	// matrix products in FLOPDir/<notebook> (DLNB_FLOP_DIR: see backend.FLOPs
	// and FLOPs); that folder is emptied first.
	FLOPDir string
}

// FLOPs returns the work of the matrix products that the cells of the
// notebook src did in an Execute with o.FLOPDir set (see backend.FLOPs),
// and whether any cell left a count.
func FLOPs(flopDir, src string) (backend.Work, bool, error) {
	total, files, err := backend.ReadFLOPDir(notebookFLOPDir(flopDir, src))
	return total, files > 0, err
}

// notebookFLOPDir is the folder of the notebook src's FLOP counts under
// flopDir.
func notebookFLOPDir(flopDir, src string) string { return filepath.Join(flopDir, Name(src)) }

// Root returns the root of the dlnb checkout that contains the working
// directory, or "" outside one.
func Root() string { return lesson.RepoRoot(".") }

// VenvBin is the bin folder of the project's Python environment (.venv/bin
// under Root), where scripts/setup.sh installs JupyterLab, nbconvert and NumPy.
func VenvBin() string {
	if r := Root(); r != "" {
		return filepath.Join(r, ".venv", "bin")
	}
	return ""
}

// errNoJupyter says how to get the Jupyter stack.
var errNoJupyter = errors.New("jupyter is not installed in .venv: run scripts/setup.sh (it installs JupyterLab 4 and nbconvert 7 from PyPI into .venv)")

// Jupyter returns the path of the project's jupyter command (.venv/bin/jupyter),
// or an error saying how to install it.
func Jupyter() (string, error) {
	p := filepath.Join(VenvBin(), "jupyter")
	if VenvBin() == "" || !onPath("jupyter", VenvBin()) {
		return "", errNoJupyter
	}
	return p, nil
}

// ToolEnv returns the environment for Jupyter and the kernel: PATH extended
// with the project's .venv/bin and the Go binary directories (GOBIN,
// GOPATH/bin, the Go root), so that the GoNB kernel finds go, goimports and
// gopls however it was started.
func ToolEnv() []string {
	var dirs []string
	if v := VenvBin(); v != "" {
		dirs = append(dirs, v)
	}
	if goBin, err := exec.LookPath("go"); err == nil {
		dirs = append(dirs, filepath.Dir(goBin))
		out, err := exec.Command(goBin, "env", "GOBIN", "GOPATH").Output()
		if err == nil {
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			if len(lines) > 0 && lines[0] != "" {
				dirs = append(dirs, lines[0])
			}
			if len(lines) > 1 && lines[1] != "" {
				dirs = append(dirs, filepath.Join(filepath.SplitList(lines[1])[0], "bin"))
			}
		}
	}
	path := strings.Join(append(dirs, os.Getenv("PATH")), string(os.PathListSeparator))
	env := os.Environ()
	for i, kv := range env {
		if strings.HasPrefix(kv, "PATH=") {
			env[i] = "PATH=" + path
			return env
		}
	}
	return append(env, "PATH="+path)
}

// CheckTools reports the first missing tool the notebooks need, with the fix.
func CheckTools() error {
	var path string
	for _, kv := range ToolEnv() {
		if strings.HasPrefix(kv, "PATH=") {
			path = kv[5:]
		}
	}
	if err := checkToolsIn(path); err != nil {
		return err
	}
	_, err := Jupyter()
	return err
}

// checkToolsIn checks for the programs the notebooks need in the directories
// of path, with what to do about each missing one.
func checkToolsIn(path string) error {
	for _, t := range [...]struct{ tool, fix string }{
		{"go", "install Go 1.26 or newer (https://go.dev/doc/install) and put its bin directory on PATH"},
		{"gonb", "run scripts/setup.sh, which installs the GoNB kernel (v0.11.5) into $(go env GOPATH)/bin"},
		{"goimports", "run scripts/setup.sh, which installs goimports into $(go env GOPATH)/bin (GoNB needs it)"},
		{"jupyter", "run scripts/setup.sh, which installs JupyterLab 4 and nbconvert 7 into .venv"},
	} {
		if !onPath(t.tool, path) {
			return fmt.Errorf("%s is not installed or not on PATH: %s", t.tool, t.fix)
		}
	}
	return nil
}

func onPath(tool, path string) bool {
	for _, d := range filepath.SplitList(path) {
		if st, err := os.Stat(filepath.Join(d, tool)); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return true
		}
	}
	return false
}

// Execute runs every cell of the notebook at src and writes the executed
// notebook to outDir under the same name. Every cell runs even when one
// fails, so the executed notebook (and its report) shows where and why; unless
// o.AllowErrors is set, failed cells are then reported as a *CellError, with
// the executed path still returned. Other failures (no kernel, a cell over
// the time limit) return the tail of nbconvert's log.
func Execute(ctx context.Context, src, outDir string, o Options) (string, error) {
	jup, err := Jupyter()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return "", err
	}
	timeout := o.CellTimeout
	if timeout <= 0 {
		timeout = time.Hour
	}
	abs, _ := filepath.Abs(src)
	absOut, _ := filepath.Abs(outDir)
	cmd := exec.CommandContext(ctx, jup, "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
		fmt.Sprintf("--ExecutePreprocessor.timeout=%d", int(timeout.Seconds())),
		"--ExecutePreprocessor.startup_timeout=180",
		"--ExecutePreprocessor.kernel_name=gonb",
		"--output-dir", absOut, abs)
	cmd.Dir = filepath.Dir(abs)
	cmd.Env = append(ToolEnv(), o.Env...)
	if o.Quick {
		cmd.Env = append(cmd.Env, "DLNB_QUICK=1")
	}
	if o.FLOPDir != "" {
		d, err := filepath.Abs(notebookFLOPDir(o.FLOPDir, src))
		if err == nil {
			err = os.RemoveAll(d)
		}
		if err != nil {
			return "", fmt.Errorf("%s: the folder for its FLOP counts: %v", filepath.Base(src), err)
		}
		cmd.Env = append(cmd.Env, backend.FLOPDirEnv+"="+d)
	}
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s: execution failed (%v):\n%s", filepath.Base(src), err, tail(log.String(), 60))
	}
	out := filepath.Join(outDir, filepath.Base(src))
	if o.AllowErrors {
		return out, nil
	}
	nb, err := Read(out)
	if err != nil {
		return out, err
	}
	ce := &CellError{Notebook: filepath.Base(src)}
	for i, c := range nb.Cells {
		if len(c.Errors()) > 0 {
			ce.Cells = append(ce.Cells, i+1)
			if len(ce.Cells) == 1 {
				ce.Source, ce.Output = string(c.Source), c.Text()
			}
		}
	}
	if len(ce.Cells) > 0 {
		return out, ce
	}
	return out, nil
}

// CellError reports the cells of a notebook that failed.
type CellError struct {
	Notebook string
	Cells    []int  // 1-based cell numbers
	Source   string // the first failed cell's code
	Output   string // and what it showed
}

func (e *CellError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: cell %d failed", e.Notebook, e.Cells[0])
	if len(e.Cells) > 1 {
		fmt.Fprintf(&b, " (and %d later cells)", len(e.Cells)-1)
	}
	b.WriteString(":\n")
	lines := strings.Split(strings.TrimSpace(e.Source), "\n")
	if len(lines) > 4 {
		lines = append(lines[:4], "…")
	}
	for _, l := range lines {
		b.WriteString("    " + l + "\n")
	}
	b.WriteString("  output:\n")
	for _, l := range strings.Split(tail(strings.TrimSpace(e.Output), 15), "\n") {
		b.WriteString("    " + l + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

//go:embed template
var templates embed.FS

// ExportHTML converts an executed notebook to a self-contained HTML report in
// dir with nbconvert 7 and dlnb's report template (JupyterLab's "lab" look,
// without the require.js, MathJax and Mermaid scripts the lab template
// fetches from CDNs): charts are embedded PNG, so the page makes no network
// request.
func ExportHTML(ctx context.Context, executed, dir string) (string, error) {
	jup, err := Jupyter()
	if err != nil {
		return "", err
	}
	tpl, err := os.MkdirTemp("", "dlnb-template-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tpl)
	if err := os.CopyFS(tpl, templates); err != nil {
		return "", fmt.Errorf("nbrun: writing the report template: %w", err)
	}
	absOut, _ := filepath.Abs(dir)
	cmd := exec.CommandContext(ctx, jup, "nbconvert", "--to", "html", "--template", "dlnb-report",
		"--TemplateExporter.extra_template_basedirs="+filepath.Join(tpl, "template"), "--output-dir", absOut, executed)
	cmd.Env = ToolEnv()
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s: HTML export failed (%v):\n%s", filepath.Base(executed), err, tail(log.String(), 30))
	}
	return filepath.Join(dir, Name(executed)+".html"), nil
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// Name returns a notebook's name: its file name without .ipynb
// ("2_1_network_modified"), as the results page and reports use it.
func Name(path string) string { return strings.TrimSuffix(filepath.Base(path), ".ipynb") }

// List returns the notebooks (*.ipynb) in dir, sorted by name.
func List(dir string) ([]string, error) {
	m, err := filepath.Glob(filepath.Join(dir, "*.ipynb"))
	sort.Strings(m)
	return m, err
}

// Notebook is the part of the .ipynb format dlnb reads.
type Notebook struct {
	Cells    []Cell         `json:"cells"`
	Metadata map[string]any `json:"metadata"`
}

// Cell is one notebook cell.
type Cell struct {
	Type    string   `json:"cell_type"`
	Source  Text     `json:"source"`
	Outputs []Output `json:"outputs"`
	// ExecutionCount is the n of the "In [n]:" a report shows beside an
	// executed code cell (nil before it ran).
	ExecutionCount *int `json:"execution_count"`
	Metadata       struct {
		// Execution holds the message timestamps nbclient records for an
		// executed cell ("iopub.execute_input", "shell.execute_reply", …).
		Execution map[string]string `json:"execution"`
		// NbGrader marks the cells of an exercise (nil elsewhere).
		NbGrader *NbGrader `json:"nbgrader"`
	} `json:"metadata"`
}

// Took returns how long the kernel took to run an executed cell, from the
// timestamps of its execute_input and execute_reply messages (GoNB stamps
// them to the second), and false when the cell has no such timestamps.
func (c Cell) Took() (time.Duration, bool) {
	in, err1 := time.Parse(time.RFC3339Nano, c.Metadata.Execution["iopub.execute_input"])
	out, err2 := time.Parse(time.RFC3339Nano, c.Metadata.Execution["shell.execute_reply"])
	if err1 != nil || err2 != nil || out.Before(in) {
		return 0, false
	}
	return out.Sub(in), true
}

// Output is one output of a code cell.
type Output struct {
	Type     string                     `json:"output_type"` // stream, display_data, error, …
	Name     string                     `json:"name"`        // stdout / stderr for streams
	Text     Text                       `json:"text"`
	Data     map[string]json.RawMessage `json:"data"`
	Metadata map[string]json.RawMessage `json:"metadata"`
	EName    string                     `json:"ename"`
	EValue   string                     `json:"evalue"`
}

// Text is a notebook string, stored either as one string or a list of lines.
type Text string

// UnmarshalJSON accepts both forms.
func (t *Text) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = Text(s)
		return nil
	}
	var parts []string
	if err := json.Unmarshal(b, &parts); err != nil {
		return err
	}
	*t = Text(strings.Join(parts, ""))
	return nil
}

// Read parses a notebook file.
func Read(path string) (*Notebook, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var nb Notebook
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("%s: not a notebook: %w", path, err)
	}
	return &nb, nil
}

// Stdout returns everything a cell printed on standard output.
func (c Cell) Stdout() string {
	var b strings.Builder
	for _, o := range c.Outputs {
		if o.Type == "stream" && o.Name == "stdout" {
			b.WriteString(string(o.Text))
		}
	}
	return b.String()
}

// PNGs returns how many PNG images a cell displayed.
func (c Cell) PNGs() int {
	n := 0
	for _, o := range c.Outputs {
		if _, ok := o.Data["image/png"]; ok && (o.Type == "display_data" || o.Type == "execute_result" || o.Type == "update_display_data") {
			n++
		}
	}
	return n
}

// Text returns everything a cell showed as text: streams, the text/plain
// form of displays and results, and error outputs. HTML-only displays are
// left out.
func (c Cell) Text() string {
	var b strings.Builder
	for _, o := range c.Outputs {
		switch o.Type {
		case "stream":
			b.WriteString(string(o.Text))
		case "error":
			b.WriteString(o.EName + ": " + o.EValue + "\n")
		default:
			if raw, ok := o.Data["text/plain"]; ok {
				var t Text
				if t.UnmarshalJSON(raw) == nil {
					b.WriteString(string(t) + "\n")
				}
			}
		}
	}
	return b.String()
}

// Errors returns the error outputs of a cell ("ename: evalue").
func (c Cell) Errors() []string {
	var errs []string
	for _, o := range c.Outputs {
		if o.Type == "error" {
			errs = append(errs, o.EName+": "+o.EValue)
		}
	}
	return errs
}
