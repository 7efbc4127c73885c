package nbrun

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
)

// The notebooks in notebooks/ are the only source of the course: they are
// edited in JupyterLab and committed as they are saved, without outputs.
// JupyterLab strips the outputs itself when it saves into notebooks/ (the
// pre-save hook in scripts/jupyter/jupyter_server_config.py); Clean does the
// same for notebooks saved elsewhere, and Dirt reports what a committed
// notebook must not carry.

// volatileCellMetadata are per-run cell metadata fields JupyterLab may add
// (timings, scroll and collapse state); they are dropped like outputs.
var volatileCellMetadata = []string{"execution", "scrolled", "collapsed", "jupyter"}

// Dirt lists what makes a notebook unfit to commit: outputs, execution
// counts and per-run metadata, one line per cell.
func Dirt(b []byte) ([]string, error) {
	var nb struct {
		Cells []struct {
			Type     string                     `json:"cell_type"`
			Outputs  []json.RawMessage          `json:"outputs"`
			Count    *int                       `json:"execution_count"`
			Metadata map[string]json.RawMessage `json:"metadata"`
		} `json:"cells"`
		Metadata map[string]json.RawMessage `json:"metadata"`
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		return nil, fmt.Errorf("not a notebook: %w", err)
	}
	var dirt []string
	for i, c := range nb.Cells {
		var what []string
		if len(c.Outputs) > 0 {
			what = append(what, fmt.Sprintf("%d outputs", len(c.Outputs)))
		}
		if c.Count != nil {
			what = append(what, fmt.Sprintf("execution count %d", *c.Count))
		}
		for _, k := range volatileCellMetadata {
			if _, ok := c.Metadata[k]; ok {
				what = append(what, "metadata "+k)
			}
		}
		if len(what) > 0 {
			dirt = append(dirt, fmt.Sprintf("cell %d: %s", i+1, strings.Join(what, ", ")))
		}
	}
	if _, ok := nb.Metadata["widgets"]; ok {
		dirt = append(dirt, "notebook metadata: widgets state")
	}
	return dirt, nil
}

// Clean returns the notebook without outputs, execution counts and per-run
// metadata, written the way Jupyter writes notebooks (keys sorted, one space
// indentation, non-ASCII text as is, a final newline), so that a notebook
// JupyterLab saved through the pre-save hook is left byte for byte as it is.
func Clean(b []byte) ([]byte, error) {
	var nb map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&nb); err != nil {
		return nil, fmt.Errorf("not a notebook: %w", err)
	}
	cells, _ := nb["cells"].([]any)
	for _, c := range cells {
		cell, ok := c.(map[string]any)
		if !ok {
			continue
		}
		if cell["cell_type"] == "code" {
			cell["outputs"] = []any{}
			cell["execution_count"] = nil
		}
		if md, ok := cell["metadata"].(map[string]any); ok {
			for _, k := range volatileCellMetadata {
				delete(md, k)
			}
		}
	}
	if md, ok := nb["metadata"].(map[string]any); ok {
		delete(md, "widgets")
	}
	return marshalNotebook(nb)
}

// marshalNotebook writes JSON as nbformat does (json.dumps with sort_keys,
// indent=1, ensure_ascii=False).
func marshalNotebook(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// CleanFiles cleans the notebooks at paths in place and returns the ones it
// changed. With check set it changes nothing and returns an error naming
// every notebook that carries outputs (what to run is in the message).
func CleanFiles(paths []string, check bool) (changed []string, err error) {
	sort.Strings(paths)
	var dirty []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return changed, err
		}
		if check {
			d, err := Dirt(b)
			if err != nil {
				return changed, fmt.Errorf("%s: %w", p, err)
			}
			if len(d) > 0 {
				dirty = append(dirty, p+": "+strings.Join(d, "; "))
			}
			continue
		}
		clean, err := Clean(b)
		if err != nil {
			return changed, fmt.Errorf("%s: %w", p, err)
		}
		if !bytes.Equal(clean, b) {
			if err := os.WriteFile(p, clean, 0o644); err != nil {
				return changed, err
			}
			changed = append(changed, p)
		}
	}
	if len(dirty) > 0 {
		return nil, fmt.Errorf("%d notebook(s) carry outputs; strip them with: go run ./dlnb/cmd/dlnb nbclean\n  %s",
			len(dirty), strings.Join(dirty, "\n  "))
	}
	return changed, nil
}
