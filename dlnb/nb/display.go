package nb

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/dlnb/course/dlnb/chart"
	"github.com/dlnb/course/dlnb/nb/internal/ordered"
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// IsNotebook reports whether the program runs inside a GoNB notebook cell.
func IsNotebook() bool { return gonbui.IsNotebook }

// OutDir is where figures go outside a notebook: $DLNB_OUT_DIR, or
// "dlnb-out" in the working directory.
func OutDir() string {
	if d := os.Getenv("DLNB_OUT_DIR"); d != "" {
		return d
	}
	return "dlnb-out"
}

// Show displays a figure. In a notebook it becomes a permanent PNG output
// (with the title as alt text); elsewhere it is saved under OutDir() and the
// path is printed. A figure that failed to build or render stops the cell
// with a readable error (see Check).
func Show(f *chart.Figure) {
	Check(ShowErr(f))
}

// ShowErr is Show returning the error instead of stopping.
func ShowErr(f *chart.Figure) error {
	png, err := f.PNG()
	if err != nil {
		return err
	}
	if !IsNotebook() {
		_, err := SavePNG(f.Title, png)
		return err
	}
	ShowPNG(png, f.CSSWidth(), f.Title)
	return nil
}

// SavePNG writes png under OutDir() with a name made of the title and a short
// content hash, prints the path and returns it.
func SavePNG(title string, png []byte) (string, error) {
	sum := sha256.Sum256(png)
	name := slug(title) + "-" + hex.EncodeToString(sum[:4]) + ".png"
	path := filepath.Join(OutDir(), name)
	if err := os.MkdirAll(OutDir(), 0o755); err != nil {
		return "", fmt.Errorf("nb: %w", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return "", fmt.Errorf("nb: %w", err)
	}
	fmt.Printf("[chart %q saved to %s]\n", title, path)
	return path, nil
}

var nonWord = regexp.MustCompile(`[^a-zA-Z0-9]+`)

func slug(s string) string {
	s = strings.Trim(nonWord.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if s == "" {
		return "chart"
	}
	return s
}

// ShowPNG displays PNG bytes at the given CSS width (the image is drawn at
// twice that resolution). alt is the text/plain fallback.
func ShowPNG(png []byte, cssWidth int, alt string) {
	if !IsNotebook() {
		if _, err := SavePNG(alt, png); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		return
	}
	ordered.Send(&protocol.DisplayData{
		Data:     map[protocol.MIMEType]any{protocol.MIMEImagePNG: png, protocol.MIMETextPlain: "[chart: " + alt + "]"},
		Metadata: map[string]any{string(protocol.MIMEImagePNG): map[string]int{"width": cssWidth}},
	})
}

// ShowHTML displays an HTML fragment; outside a notebook it prints the text
// with the tags removed.
func ShowHTML(h string) {
	if !IsNotebook() {
		fmt.Println(stripTags(h))
		return
	}
	ordered.Send(&protocol.DisplayData{Data: map[protocol.MIMEType]any{
		protocol.MIMETextHTML: h, protocol.MIMETextPlain: stripTags(h)}})
}

var tags = regexp.MustCompile(`<[^>]*>`)

func stripTags(h string) string { return html.UnescapeString(tags.ReplaceAllString(h, "")) }

// Markdown displays markdown text (rendered by the notebook; printed as is
// outside one).
func Markdown(md string) {
	if !IsNotebook() {
		fmt.Println(md)
		return
	}
	ordered.Send(&protocol.DisplayData{Data: map[protocol.MIMEType]any{
		protocol.MIMETextMarkdown: md, protocol.MIMETextPlain: md}})
}

// Table displays rows under a header: an HTML table in a notebook, with the
// aligned text as its text/plain form (for text-only front ends, exports and
// tests), and the aligned text elsewhere.
func Table(header []string, rows [][]string) {
	if !IsNotebook() {
		fmt.Print(TextTable(header, rows))
		return
	}
	ordered.Send(&protocol.DisplayData{Data: map[protocol.MIMEType]any{
		protocol.MIMETextHTML: HTMLTable(header, rows), protocol.MIMETextPlain: TextTable(header, rows)}})
}

// HTMLTable renders a table as HTML with inline styles (they survive the
// export to HTML and untrusted notebooks).
func HTMLTable(header []string, rows [][]string) string {
	var b strings.Builder
	b.WriteString(`<table style="border-collapse:collapse;font-family:sans-serif;font-size:13px">`)
	b.WriteString("<thead><tr>")
	for _, h := range header {
		fmt.Fprintf(&b, `<th style="border-bottom:2px solid #555;padding:3px 10px;text-align:left">%s</th>`, html.EscapeString(h))
	}
	b.WriteString("</tr></thead><tbody>")
	for i, r := range rows {
		bg := "#fff"
		if i%2 == 1 {
			bg = "#f4f6f8"
		}
		fmt.Fprintf(&b, `<tr style="background:%s">`, bg)
		for _, c := range r {
			fmt.Fprintf(&b, `<td style="padding:3px 10px">%s</td>`, html.EscapeString(c))
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</tbody></table>")
	return b.String()
}

// TextTable renders a table as aligned plain text.
func TextTable(header []string, rows [][]string) string {
	w := make([]int, len(header))
	for i, h := range header {
		w[i] = textWidth(h)
	}
	for _, r := range rows {
		for i, c := range r {
			if i < len(w) {
				w[i] = max(w[i], textWidth(c))
			}
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		for i, c := range cells {
			if i >= len(w) {
				break
			}
			b.WriteString(c)
			if i < len(cells)-1 {
				b.WriteString(strings.Repeat(" ", w[i]-textWidth(c)+2))
			}
		}
		b.WriteByte('\n')
	}
	line(header)
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = strings.Repeat("-", w[i])
	}
	line(sep)
	for _, r := range rows {
		line(r)
	}
	return b.String()
}

// textWidth counts display columns: East Asian wide characters take two.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x1100 && (r <= 0x115f || (r >= 0x2e80 && r <= 0xa4cf) || (r >= 0xac00 && r <= 0xd7a3) ||
			(r >= 0xf900 && r <= 0xfaff) || (r >= 0xfe30 && r <= 0xfe4f) || (r >= 0xff00 && r <= 0xff60) || (r >= 0xffe0 && r <= 0xffe6)) {
			n += 2
		} else {
			n++
		}
	}
	return n
}
