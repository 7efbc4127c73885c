package nb

import (
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/dlnb/course/dlnb/chart"
	"github.com/dlnb/course/dlnb/lesson"
	"github.com/dlnb/course/dlnb/nb/internal/ordered"
	"github.com/dlnb/course/dlnb/tensor"
	"github.com/dlnb/course/dlnb/train"
	"github.com/janpfeifer/gonb/gonbui"
)

// Progress shows a training run while it happens. In a notebook it is one
// output block, updated in place at most every Every: a progress bar with the
// iteration, elapsed time, loss and latest accuracies, and below it the
// accuracy chart redrawn as evaluation points arrive (at most every
// ChartEvery). Done replaces the block with a permanent one-line summary, so
// an exported report never shows a half-drawn state. In a terminal it draws a
// text progress bar instead (or, when the output is not a terminal, a line
// every 10%).
//
// Use it from a hand-written training loop:
//
//	progress := nb.NewProgress("SimpleConvNet", itersNum)
//	for i := 0; i < itersNum; i++ {
//		… // gradient, update, loss
//		progress.Step(i+1, loss)
//		if (i+1)%plotInterval == 0 {
//			progress.Eval(i+1, accrTrain, accrTest)
//		}
//	}
//	progress.Done()
//
// or attach it to a train.Trainer with Attach.
type Progress struct {
	Title      string
	Total      int
	Every      time.Duration // text refresh interval (default 250 ms)
	ChartEvery time.Duration // chart redraw interval (default 1 s)
	Out        io.Writer     // terminal output (default os.Stdout)
	// Settings describes the run in a divergence message, e.g. "SGD(lr=0.1)".
	Settings string

	id                   string
	start                time.Time
	lastText, lastChart  time.Time
	iter                 int
	loss                 float64
	xs, trainAcc, testAc []float64
	chartHTML            string
	lastPct              int
	done                 bool
}

// NewProgress starts a progress display for total iterations.
func NewProgress(title string, total int) *Progress {
	p := &Progress{Title: title, Total: total, Every: 250 * time.Millisecond, ChartEvery: time.Second,
		Out: os.Stdout, start: time.Now(), lastPct: -1, Settings: title}
	if IsNotebook() {
		p.id = "dlnb_progress_" + gonbui.UniqueId()
		ordered.Flush() // the display comes after what the cell printed before it
		gonbui.UpdateHTML(p.id, p.html())
	}
	return p
}

// Step records the loss after an iteration and refreshes the display when
// Every has passed. A NaN or infinite loss stops the program with a message
// naming the iteration and suggesting a lower learning rate (see Check).
func (p *Progress) Step(iter int, loss float64) {
	if err := train.CheckLoss(iter, loss, p.Settings); err != nil {
		p.refresh()
		Fail(err)
	}
	p.iter, p.loss = iter, loss
	if time.Since(p.lastText) >= p.Every || iter == p.Total {
		p.refresh()
	}
}

// Resume continues the display of a run that restarts from a checkpoint
// after iter iterations and elapsed training time, so counts, elapsed time
// and ETA cover the whole run.
func (p *Progress) Resume(iter int, elapsed time.Duration) {
	p.iter = iter
	p.start = time.Now().Add(-elapsed)
	p.refresh()
}

// Generation prints the course's two Generation lines for an evaluation and
// records it for the live chart (lesson.PrintGeneration and Eval in one):
//
//	progress.Generation(i+1, accrTrain, accrTest)
func (p *Progress) Generation(iter int, trainAcc, testAcc float64) {
	lesson.PrintGeneration(iter, trainAcc, testAcc)
	p.Eval(iter, trainAcc, testAcc)
}

// Eval records an evaluation (the course's Generation number and the two
// accuracies) for the live chart.
func (p *Progress) Eval(iter int, trainAcc, testAcc float64) {
	p.iter = max(p.iter, iter)
	p.xs = append(p.xs, float64(iter))
	p.trainAcc = append(p.trainAcc, trainAcc)
	p.testAc = append(p.testAc, testAcc)
	if IsNotebook() && time.Since(p.lastChart) >= p.ChartEvery {
		p.drawChart()
		p.refresh()
	}
}

func (p *Progress) drawChart() {
	p.lastChart = time.Now()
	// x as in the course's chart: range(0, iters, interval).
	xs := make([]float64, len(p.xs))
	step := p.xs[0]
	if len(p.xs) > 1 {
		step = p.xs[1] - p.xs[0]
	}
	for i, v := range p.xs {
		xs[i] = v - step
	}
	fig := chart.Accuracy(xs, p.trainAcc, p.testAc)
	fig.Plots[0].X.Min, fig.Plots[0].X.Max = 0, math.Max(float64(p.Total), xs[len(xs)-1])
	png, err := fig.PNG()
	if err != nil {
		p.chartHTML = ""
		return
	}
	p.chartHTML = fmt.Sprintf(`<img width="%d" alt="accuracy (live)" src="data:image/png;base64,%s">`,
		fig.CSSWidth(), base64.StdEncoding.EncodeToString(png))
}

func (p *Progress) stats() string {
	el := time.Since(p.start)
	parts := []string{fmt.Sprintf("%d/%d", p.iter, p.Total), fmtDur(el)}
	if p.iter > 0 && p.iter < p.Total {
		parts = append(parts, "ETA "+fmtDur(time.Duration(float64(el)/float64(p.iter)*float64(p.Total-p.iter))))
	}
	if p.iter > 0 {
		parts = append(parts, "loss "+fmt.Sprintf("%.4g", p.loss))
	}
	if n := len(p.trainAcc); n > 0 {
		parts = append(parts, fmt.Sprintf("train %.4g", p.trainAcc[n-1]), fmt.Sprintf("test %.4g", p.testAc[n-1]))
	}
	return strings.Join(parts, " · ")
}

func fmtDur(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}

func (p *Progress) html() string {
	return fmt.Sprintf(`<div style="font-family:sans-serif;font-size:13px"><b>%s</b> `+
		`<progress value="%d" max="%d" style="width:240px;vertical-align:middle"></progress> %s</div>%s`,
		html.EscapeString(p.Title), p.iter, max(p.Total, 1), html.EscapeString(p.stats()), p.chartHTML)
}

func (p *Progress) refresh() {
	p.lastText = time.Now()
	if IsNotebook() {
		gonbui.UpdateHTML(p.id, p.html())
		return
	}
	if p.Out == nil {
		return
	}
	pct := 0
	if p.Total > 0 {
		pct = 100 * p.iter / p.Total
	}
	if isTerminal(p.Out) {
		const width = 30
		bar := strings.Repeat("█", width*pct/100) + strings.Repeat("░", width-width*pct/100)
		fmt.Fprintf(p.Out, "\r%s %s %3d%% %s\x1b[K", p.Title, bar, pct, p.stats())
		return
	}
	if pct >= 100 && !p.done {
		return // the 100% line waits for Done: the last evaluation comes after the last step
	}
	if pct/10 != p.lastPct/10 { // not a terminal: one line per 10%
		p.lastPct = pct
		fmt.Fprintf(p.Out, "%s %3d%% %s\n", p.Title, pct, p.stats())
	}
}

// Summary is the final line: iterations, time and final accuracies.
func (p *Progress) Summary() string {
	s := fmt.Sprintf("%s: %d iterations in %s", p.Title, p.iter, fmtDur(time.Since(p.start)))
	if n := len(p.trainAcc); n > 0 {
		s += fmt.Sprintf(" · final train accuracy %s · test accuracy %s", lesson.Accuracy(p.trainAcc[n-1]), lesson.Accuracy(p.testAc[n-1]))
	}
	return s
}

// Done ends the display: in a notebook the live block is replaced by the
// summary line (the chart is left to an explicit Show); in a terminal the
// line is finished with the summary.
func (p *Progress) Done() {
	if p.done {
		return
	}
	p.done = true
	if IsNotebook() {
		gonbui.UpdateHTML(p.id, fmt.Sprintf(`<div style="font-family:sans-serif;font-size:13px">✔ %s</div>`, html.EscapeString(p.Summary())))
		gonbui.Sync()
		return
	}
	if p.Out != nil {
		if isTerminal(p.Out) {
			fmt.Fprint(p.Out, "\r\x1b[K")
		} else {
			p.refresh() // the 100% line, with the final evaluation
		}
		fmt.Fprintln(p.Out, p.Summary())
	}
}

// Attach shows the progress of a Trainer and, when it ends, the course's
// accuracy chart of the run as a permanent figure.
func Attach[T tensor.Float](t *train.Trainer[T], title string) *Progress {
	p := NewProgress(title, t.Config.Iters)
	p.Settings = t.Opt.Name()
	attach(t, p, func(h *train.History) *chart.Figure { return chart.Accuracy(h.X(), h.TrainAcc(), h.TestAcc()) })
	return p
}

// attach feeds p from t's hooks and shows the figure end draws when the run
// ends.
func attach[T tensor.Float](t *train.Trainer[T], p *Progress, end func(*train.History) *chart.Figure) {
	t.OnStep = append(t.OnStep, func(iter int, loss float64) error { p.Step(iter, loss); return nil })
	t.OnEval = append(t.OnEval, func(e train.Eval) error { p.Eval(e.Iter, e.TrainAcc, e.TestAcc); return nil })
	t.OnEnd = append(t.OnEnd, func(h *train.History) error {
		p.Done()
		return ShowErr(end(h))
	})
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
