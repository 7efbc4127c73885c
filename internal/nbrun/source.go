package nbrun

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// The course notebooks are .ipynb files, edited in JupyterLab (their only
// source). Tests that need a small throw-away notebook write it as text and
// convert it with FromSource. A source text is a sequence of cells, each
// introduced by a marker line:
//
//	#### markdown
//	# 見出し
//	#### code
//	%%
//	fmt.Println("hello")
//
// A marker may be followed by the cell's metadata as JSON on the same line
// (#### code {"nbgrader": {"grade": true, …}}). Text before the first marker
// is ignored (a comment for maintainers).
const (
	markMarkdown = "#### markdown"
	markCode     = "#### code"
)

// FromSource converts a notebook source text to .ipynb JSON (nbformat 4.4)
// for the GoNB kernel.
func FromSource(src string) ([]byte, error) {
	var cells []map[string]any
	var cur map[string]any
	var body []string
	flush := func() {
		if cur == nil {
			return
		}
		for len(body) > 0 && strings.TrimSpace(body[len(body)-1]) == "" {
			body = body[:len(body)-1]
		}
		for i := range body {
			if i < len(body)-1 {
				body[i] += "\n"
			}
		}
		cur["source"] = append([]string{}, body...)
		cells = append(cells, cur)
		body = nil
	}
	for k, line := range strings.Split(src, "\n") {
		mark, meta, _ := strings.Cut(strings.TrimRight(line, " "), " {")
		md := map[string]any{}
		if meta != "" && (mark == markMarkdown || mark == markCode) {
			if err := json.Unmarshal([]byte("{"+meta), &md); err != nil {
				return nil, fmt.Errorf("line %d: the metadata after %q is not a JSON object: %v", k+1, mark, err)
			}
		} else if meta != "" {
			mark = ""
		}
		switch mark {
		case markMarkdown:
			flush()
			cur = map[string]any{"cell_type": "markdown", "metadata": md}
		case markCode:
			flush()
			cur = map[string]any{"cell_type": "code", "metadata": md, "outputs": []any{}, "execution_count": nil}
		default:
			if cur != nil {
				body = append(body, line)
			}
		}
	}
	flush()
	if len(cells) == 0 {
		return nil, fmt.Errorf("notebook source has no cells (cells start with %q or %q)", markMarkdown, markCode)
	}
	nb := map[string]any{
		"cells": cells,
		"metadata": map[string]any{
			"kernelspec":    map[string]any{"display_name": "Go (gonb)", "language": "go", "name": "gonb"},
			"language_info": map[string]any{"codemirror_mode": "", "file_extension": ".go", "mimetype": "", "name": "go", "nbconvert_exporter": "", "pygments_lexer": "", "version": "go1.26"},
		},
		"nbformat":       4,
		"nbformat_minor": 4,
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(nb); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
