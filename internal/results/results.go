package results

import (
	"fmt"
	"html"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/dlnb/course/dlnb/backend"
	"github.com/dlnb/course/dlnb/lesson"
	"github.com/dlnb/course/internal/nbrun"
)

// Result is the final evaluation of one marked training cell.
type Result struct {
	Notebook, Name    string
	Iter              int
	TrainAcc, TestAcc float64
	Published         lesson.Range
}

// Status compares the test accuracy with the published range: "in range",
// "near" (within 0.01), "outside", or "—" when nothing was published.
func (r Result) Status() string {
	p := r.Published
	switch {
	case p.Min == 0 && p.Max == 0:
		return "—"
	case r.TestAcc >= p.Min-1e-9 && r.TestAcc <= p.Max+1e-9:
		return "in range"
	case r.TestAcc >= p.Min-0.01 && r.TestAcc <= p.Max+0.01:
		return "near"
	}
	return "outside"
}

var (
	marker     = regexp.MustCompile(`(?m)^// result: (.+)$`)
	generation = regexp.MustCompile(`Generation: (\d+)\. 正答率\(トレーニング\) = (\S+)\n {16}: \d+\. 正答率\(テスト\) = (\S+)`)
)

// Markers returns the result names marked in a notebook's code cells.
func Markers(nb *nbrun.Notebook) []string {
	var out []string
	for _, c := range nb.Cells {
		if m := marker.FindStringSubmatch(string(c.Source)); c.Type == "code" && m != nil {
			out = append(out, strings.TrimSpace(m[1]))
		}
	}
	return out
}

// Extract returns the last Generation line of every marked cell of an
// executed notebook; name is the notebook's name without extension.
func Extract(name string, nb *nbrun.Notebook) ([]Result, error) {
	var out []Result
	for i, c := range nb.Cells {
		m := marker.FindStringSubmatch(string(c.Source))
		if c.Type != "code" || m == nil {
			continue
		}
		key := strings.TrimSpace(m[1])
		gens := generation.FindAllStringSubmatch(c.Stdout(), -1)
		if len(gens) == 0 {
			return nil, fmt.Errorf("%s cell %d (%s): no Generation lines in the output", name, i, key)
		}
		last := gens[len(gens)-1]
		r := Result{Notebook: name, Name: key, Published: lesson.Published[name][key]}
		r.Iter, _ = strconv.Atoi(last[1])
		r.TrainAcc, _ = strconv.ParseFloat(last[2], 64)
		r.TestAcc, _ = strconv.ParseFloat(last[3], 64)
		out = append(out, r)
	}
	return out, nil
}

// Run summarises one notebook's execution.
type Run struct {
	Notebook string
	Wall     time.Duration
	Results  []Result
	Cells    []CellTime // the code cells that recorded how long they took
	// Work is what the notebook's matrix products computed (backend.FLOPs,
	// summed over its cells), when Counted.
	Work    backend.Work
	Counted bool
}

// CellTime is how long one code cell of an executed notebook took.
type CellTime struct {
	Notebook string
	In       int    // the cell's execution count, the n of "In [n]:" in the report
	What     string // its "// result:" name, else its first line of code
	Took     time.Duration
}

// cellTimes returns the duration of every code cell of nb that has one.
func cellTimes(name string, nb *nbrun.Notebook) []CellTime {
	var out []CellTime
	for _, c := range nb.Cells {
		if c.Type != "code" {
			continue
		}
		if took, ok := c.Took(); ok && c.ExecutionCount != nil {
			out = append(out, CellTime{Notebook: name, In: *c.ExecutionCount, What: describe(string(c.Source)), Took: took})
		}
	}
	return out
}

// describe names a cell for the timing table: its result marker, else its
// first line that is not blank or GoNB's %% marker, cut to 70 characters.
func describe(src string) string {
	if m := marker.FindStringSubmatch(src); m != nil {
		return "result: " + strings.TrimSpace(m[1])
	}
	for _, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line == "%%" {
			continue
		}
		if r := []rune(line); len(r) > 70 {
			line = string(r[:69]) + "…"
		}
		return line
	}
	return ""
}

// Slowest returns the n code cells of the runs that took longest, longest
// first.
func Slowest(runs []Run, n int) []CellTime {
	var all []CellTime
	for _, r := range runs {
		all = append(all, r.Cells...)
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Took > all[j].Took })
	return all[:min(n, len(all))]
}

// Collect reads the executed notebooks in dir.
func Collect(dir string, walls map[string]time.Duration) ([]Run, error) {
	paths, err := nbrun.List(dir)
	if err != nil {
		return nil, err
	}
	var runs []Run
	for _, p := range paths {
		name := nbrun.Name(p)
		nb, err := nbrun.Read(p)
		if err != nil {
			return nil, err
		}
		res, err := Extract(name, nb)
		if err != nil {
			return nil, err
		}
		runs = append(runs, Run{Notebook: name, Wall: walls[name], Results: res, Cells: cellTimes(name, nb)})
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].Notebook < runs[j].Notebook })
	return runs, nil
}

func rangeText(p lesson.Range) string {
	if p.Min == 0 && p.Max == 0 {
		return "—"
	}
	if p.Min == p.Max {
		return strconv.FormatFloat(p.Min, 'f', -1, 64)
	}
	return strconv.FormatFloat(p.Min, 'f', -1, 64) + " – " + strconv.FormatFloat(p.Max, 'f', -1, 64)
}

func rows(runs []Run) (header []string, out [][]string) {
	header = []string{"notebook", "cell", "iteration", "train acc.", "test acc.", "published test acc.", "", "source"}
	for _, r := range runs {
		for _, x := range r.Results {
			out = append(out, []string{r.Notebook, x.Name, strconv.Itoa(x.Iter),
				strconv.FormatFloat(x.TrainAcc, 'f', -1, 64), strconv.FormatFloat(x.TestAcc, 'f', -1, 64),
				rangeText(x.Published), x.Status(), x.Published.Source})
		}
	}
	return header, out
}

// Page is what the results page says about the run itself.
type Page struct {
	Mode    string        // "quick", "default", … as dlnb notebooks names it
	When    time.Time     // when the page was made
	Jobs    int           // notebooks executed at a time
	Elapsed time.Duration // wall time of the whole run (0: not known)
}

// timingNote says how to read the per-notebook wall times of a run.
func (p Page) timingNote() string {
	if p.Jobs <= 1 {
		return "One notebook at a time."
	}
	return fmt.Sprintf("%d notebooks at a time, sharing the cores: each wall time includes the time the others took from it, so the sum is more than the run's elapsed time.", p.Jobs)
}

// Markdown renders the results page.
func Markdown(runs []Run, p Page) string {
	mode, when := p.Mode, p.When
	var b strings.Builder
	fmt.Fprintf(&b, "# Results of the course notebooks (%s mode)\n\nProduced by `dlnb notebooks` on %s from the executed notebooks: the last `Generation` line of each marked training cell, beside the test accuracies students published for the course (docs/course.md §3). All runs use seed 0; \"near\" means within 0.01 of the published range.\n\n",
		mode, when.Format("2006-01-02 15:04 MST"))
	h, rs := rows(runs)
	b.WriteString("| " + strings.Join(h, " | ") + " |\n|" + strings.Repeat("---|", len(h)) + "\n")
	for _, r := range rs {
		b.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	writeSlowest(&b, runs)
	b.WriteString("\n## Wall time per notebook\n\n" + p.timingNote() + " " + workNote + "\n\n| " +
		strings.Join(wallHeader, " | ") + " |\n|" + strings.Repeat("---|", len(wallHeader)) + "\n")
	for _, r := range wallRows(runs, p) {
		cells := r.cells()
		if r.elapsed {
			for i, c := range cells {
				if c != "" {
					cells[i] = "**" + c + "**"
				}
			}
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	return b.String()
}

// wallHeader names the columns of the wall-time table.
var wallHeader = []string{"notebook", "wall time", "float64 products", "float32 products", "per second"}

// workNote says how to read the work columns of the wall-time table.
const workNote = "Products: the floating-point operations of the notebook's matrix products in each precision (2·m·n·k for each product, counted by its cells: backend.FLOPs); per second: both over the wall time, which also holds building and starting each cell and loading data. A dash: the run did not count them."

// wallRow is one row of the wall-time table: a notebook, the sum (or
// total) of their times, or the whole run's elapsed time.
type wallRow struct {
	label, time          string
	work64, work32, rate string // the matrix products' GFLOP and GFLOP/s, "" for none
	elapsed              bool   // the whole run's elapsed time, shown in bold
}

// cells returns the row's cells in the order of wallHeader.
func (r wallRow) cells() []string { return []string{r.label, r.time, r.work64, r.work32, r.rate} }

// wallRows lists the wall time and work of each notebook that has a wall
// time, then their sum ("total" when one notebook ran at a time, since it is
// then the run's time) and the run's elapsed time when known.
func wallRows(runs []Run, p Page) []wallRow {
	var rows []wallRow
	var total time.Duration
	var work backend.Work
	counted := true
	for _, r := range runs {
		if r.Wall > 0 {
			row := wallRow{label: r.Notebook, time: r.Wall.Round(time.Second).String(), work64: "–", work32: "–", rate: "–"}
			if r.Counted {
				row.work64, row.work32 = gflop(float64(r.Work.Float64)), gflop(float64(r.Work.Float32))
				row.rate = gflopRate(float64(r.Work.Total()), r.Wall)
				work = work.Add(r.Work)
			}
			counted = counted && r.Counted
			rows = append(rows, row)
			total += r.Wall
		}
	}
	if total == 0 {
		counted = false
	}
	if total > 0 {
		label := "total"
		if p.Jobs > 1 {
			label = "sum"
		}
		row := wallRow{label: label, time: total.Round(time.Second).String()}
		if counted {
			row.work64, row.work32 = gflop(float64(work.Float64)), gflop(float64(work.Float32))
		}
		rows = append(rows, row)
	}
	if p.Elapsed > 0 {
		row := wallRow{label: "elapsed (the whole run)", time: p.Elapsed.Round(time.Second).String(), elapsed: true}
		if counted {
			row.rate = gflopRate(float64(work.Total()), p.Elapsed)
		}
		rows = append(rows, row)
	}
	return rows
}

// gflop writes an amount of work in GFLOP, to three significant figures
// or to the unit, with thousands separated: "0.0412 GFLOP", "17,512 GFLOP".
// From 999.5 on, three figures would be written as an exponent (1e+03).
func gflop(flops float64) string {
	g := flops / 1e9
	if g >= 999.5 {
		return thousands(int64(math.Round(g))) + " GFLOP"
	}
	return strconv.FormatFloat(g, 'g', 3, 64) + " GFLOP"
}

// gflopRate writes work over a duration in GFLOP/s, to a tenth.
func gflopRate(flops float64, d time.Duration) string {
	return strconv.FormatFloat(flops/1e9/d.Seconds(), 'f', 1, 64) + " GFLOP/s"
}

// thousands writes n with commas between groups of three digits.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// WallTable renders the wall-time table of the results page as aligned
// text, for the end of a run's output.
func WallTable(runs []Run, p Page) string {
	rows := wallRows(runs, p)
	if len(rows) == 0 {
		return ""
	}
	lines := [][]string{wallHeader}
	for _, r := range rows {
		lines = append(lines, r.cells())
	}
	widths := make([]int, len(wallHeader))
	for _, l := range lines {
		for i, c := range l {
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	b.WriteString("Wall time per notebook. " + p.timingNote() + "\n")
	for _, l := range lines {
		line := "  " + l[0] + strings.Repeat(" ", widths[0]-utf8.RuneCountInString(l[0]))
		for i, c := range l[1:] { // right-aligned
			line += "  " + strings.Repeat(" ", widths[i+1]-utf8.RuneCountInString(c)) + c
		}
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	return b.String()
}

// slowestCells is how many cells the timing table of the results page lists.
const slowestCells = 15

// slowestNote says how to read the table of slowest cells.
const slowestNote = "The code cells that took longest, from the kernel's timestamps of each cell (to the second): building the cell's program, loading data and running it. Where the time of a notebook goes."

// writeSlowest adds the table of the slowest cells to a Markdown page.
func writeSlowest(b *strings.Builder, runs []Run) {
	cells := Slowest(runs, slowestCells)
	if len(cells) == 0 {
		return
	}
	b.WriteString("\n## Slowest cells\n\n" + slowestNote + "\n\n| notebook | cell | what it runs | time |\n|---|---|---|---|\n")
	for _, c := range cells {
		fmt.Fprintf(b, "| %s | In [%d] | %s | %s |\n", c.Notebook, c.In, codeSpan(c.What), c.Took.Round(time.Second))
	}
}

// codeSpan writes s as Markdown inline code inside a table cell.
func codeSpan(s string) string {
	s = strings.ReplaceAll(s, "|", "\\|")
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}

// HTML renders the results page as a standalone HTML document.
func HTML(runs []Run, p Page) string {
	mode, when := p.Mode, p.When
	var b strings.Builder
	fmt.Fprintf(&b, `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>dlnb results</title>`+
		`<style>body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse}`+
		`td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}th{border-bottom:2px solid #555}`+
		`.in{color:#2ca02c}.near{color:#b8860b}.out{color:#d62728}</style></head><body>`+
		`<h1>Results of the course notebooks (%s mode)</h1><p>Produced on %s from the executed notebooks; seed 0. Links open each notebook's report.</p><table><tr>`,
		html.EscapeString(mode), when.Format("2006-01-02 15:04 MST"))
	h, rs := rows(runs)
	for _, c := range h {
		fmt.Fprintf(&b, "<th>%s</th>", html.EscapeString(c))
	}
	b.WriteString("</tr>")
	for _, r := range rs {
		cls := map[string]string{"in range": "in", "near": "near", "outside": "out"}[r[6]]
		fmt.Fprintf(&b, `<tr><td><a href="%s.html">%s</a></td>`, html.EscapeString(r[0]), html.EscapeString(r[0]))
		for i, c := range r[1:] {
			if i == 5 {
				fmt.Fprintf(&b, `<td class="%s">%s</td>`, cls, html.EscapeString(c))
				continue
			}
			fmt.Fprintf(&b, "<td>%s</td>", html.EscapeString(c))
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</table>")
	if cells := Slowest(runs, slowestCells); len(cells) > 0 {
		b.WriteString("<h2>Slowest cells</h2><p>" + html.EscapeString(slowestNote) +
			"</p><table><tr><th>notebook</th><th>cell</th><th>what it runs</th><th>time</th></tr>")
		for _, c := range cells {
			fmt.Fprintf(&b, `<tr><td><a href="%s.html">%s</a></td><td>In [%d]</td><td><code>%s</code></td><td>%s</td></tr>`,
				html.EscapeString(c.Notebook), html.EscapeString(c.Notebook), c.In, html.EscapeString(c.What), c.Took.Round(time.Second))
		}
		b.WriteString("</table>")
	}
	b.WriteString("<h2>Wall time per notebook</h2><p>" + html.EscapeString(p.timingNote()+" "+workNote) + "</p><table><tr>")
	for _, h := range wallHeader {
		b.WriteString("<th>" + h + "</th>")
	}
	b.WriteString("</tr>")
	for _, r := range wallRows(runs, p) {
		cell := "td"
		if r.elapsed {
			cell = "th"
		}
		b.WriteString("<tr>")
		for _, c := range r.cells() {
			fmt.Fprintf(&b, "<%s>%s</%s>", cell, html.EscapeString(c), cell)
		}
		b.WriteString("</tr>")
	}
	b.WriteString("</table></body></html>\n")
	return b.String()
}

// ReadWalls returns the wall time per notebook from a results page written
// by Markdown (its "Wall time per notebook" table), for ordering the next
// run; rows that are not a notebook's are left out.
func ReadWalls(path string) (map[string]time.Duration, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	_, table, ok := strings.Cut(string(b), "## Wall time per notebook")
	if !ok {
		return nil, fmt.Errorf("%s: no wall time table", path)
	}
	walls := map[string]time.Duration{}
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
		if len(cells) < 2 { // the notebook and its wall time come first
			continue
		}
		name, wall := strings.TrimSpace(cells[0]), strings.TrimSpace(cells[1])
		d, err := time.ParseDuration(wall)
		if err != nil || name == "total" || name == "sum" || strings.ContainsAny(name, " *") {
			continue
		}
		walls[name] = d
	}
	return walls, nil
}
