package chart

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// DPI is the resolution figures are rendered at: 2× the 96 pixels per inch a
// browser assumes, for sharp text on high-DPI screens.
const DPI = 192

// Default figure sizes, matplotlib's 6×4 inches.
var (
	DefaultWidth  = 6 * vg.Inch
	DefaultHeight = 4 * vg.Inch
)

// Figure is a chart ready to render: one plot, or several laid out in a grid.
type Figure struct {
	Title         string       // used for alt text and file names
	Width, Height vg.Length    // size in points (1/72 inch)
	Rows, Cols    int          // grid of plots
	Plots         []*plot.Plot // row-major, len = Rows·Cols; nil entries stay blank
	Suptitle      string       // optional title above the whole grid
	err           error
}

// Err returns the error recorded while building the figure, if any.
func (f *Figure) Err() error { return f.err }

// single wraps one plot in a figure of the default size.
func single(title string, p *plot.Plot) *Figure {
	return &Figure{Title: title, Width: DefaultWidth, Height: DefaultHeight, Rows: 1, Cols: 1, Plots: []*plot.Plot{p}}
}

// failed returns a figure that carries err.
func failed(title string, err error) *Figure {
	return &Figure{Title: title, Width: DefaultWidth, Height: DefaultHeight, err: fmt.Errorf("chart %q: %w", title, err)}
}

// WithSize returns the figure with a new size in inches.
func (f *Figure) WithSize(wInch, hInch float64) *Figure {
	f.Width, f.Height = vg.Length(wInch)*vg.Inch, vg.Length(hInch)*vg.Inch
	return f
}

// CSSWidth is the width in CSS pixels (96 per inch) to display the PNG at.
func (f *Figure) CSSWidth() int { return int(f.Width.Points()*96/72 + 0.5) }

// Draw draws the figure on a canvas.
func (f *Figure) Draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())
	if f.Suptitle != "" {
		sty := textStyle(13, true)
		h := sty.Height(f.Suptitle)
		c.FillText(sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - h}, f.Suptitle)
		c.Max.Y -= 1.6 * h
	}
	if f.Rows*f.Cols <= 1 {
		if len(f.Plots) > 0 && f.Plots[0] != nil {
			f.Plots[0].Draw(c)
		}
		return
	}
	tiles := draw.Tiles{Rows: f.Rows, Cols: f.Cols, PadX: vg.Points(6), PadY: vg.Points(6),
		PadTop: vg.Points(2), PadBottom: vg.Points(2), PadLeft: vg.Points(2), PadRight: vg.Points(2)}
	for i, p := range f.Plots {
		if p != nil {
			p.Draw(tiles.At(c, i%f.Cols, i/f.Cols))
		}
	}
}

// PNG renders the figure at DPI and returns the encoded image.
func (f *Figure) PNG() ([]byte, error) {
	if f.err != nil {
		return nil, f.err
	}
	if len(f.Plots) == 0 {
		return nil, fmt.Errorf("chart %q: nothing to draw", f.Title)
	}
	c := vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(DPI))
	if err := safeDraw(f, draw.New(c)); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart %q: encoding PNG: %w", f.Title, err)
	}
	return buf.Bytes(), nil
}

// safeDraw turns a panic inside gonum/plot (it panics on some degenerate
// inputs, such as an axis whose minimum exceeds its maximum) into an error.
func safeDraw(f *Figure, c draw.Canvas) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("chart %q: drawing failed: %v", f.Title, r)
		}
	}()
	f.Draw(c)
	return nil
}

// Save renders the figure and writes it as a PNG file, creating the directory.
func (f *Figure) Save(path string) error {
	b, err := f.PNG()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// Theme: fonts, colours and line widths shared by every chart.

// Palette is matplotlib's default "tab10" colour cycle, so Go charts use the
// colours students know from the Python course (blue = training set,
// orange = test set).
var Palette = []color.RGBA{
	{0x1f, 0x77, 0xb4, 0xff}, {0xff, 0x7f, 0x0e, 0xff}, {0x2c, 0xa0, 0x2c, 0xff}, {0xd6, 0x27, 0x28, 0xff},
	{0x94, 0x67, 0xbd, 0xff}, {0x8c, 0x56, 0x4b, 0xff}, {0xe3, 0x77, 0xc2, 0xff}, {0x7f, 0x7f, 0x7f, 0xff},
	{0xbc, 0xbd, 0x22, 0xff}, {0x17, 0xbe, 0xcf, 0xff},
}

// Color returns the i-th colour of the palette, cycling.
func Color(i int) color.Color { return Palette[i%len(Palette)] }

var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

func textStyle(size float64, bold bool) draw.TextStyle {
	f := sans
	if bold {
		f.Weight = 700
	}
	return draw.TextStyle{Color: color.Black, Font: font.From(f, vg.Points(size)),
		XAlign: draw.XCenter, YAlign: draw.YBottom, Handler: plot.DefaultTextHandler}
}

// newPlot returns a plot with the shared look (plainPlot) and a light grid.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plainPlot(title, xlabel, ylabel)
	p.Add(gridLines())
	return p
}

// plainPlot returns a plot with the shared fonts and axis colours.
func plainPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(sans, 13)
	p.Title.Padding = vg.Points(6)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(sans, 11)
		ax.Tick.Label.Font = font.From(sans, 9)
		ax.LineStyle.Color = color.Gray{0x50}
		ax.Tick.LineStyle.Color = color.Gray{0x50}
	}
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	p.X.Tick.Marker, p.Y.Tick.Marker = cleanTicks{}, cleanTicks{}
	p.Legend.TextStyle.Font = font.From(sans, 10)
	p.Legend.Padding = vg.Points(2)
	return p
}

var (
	errEmpty  = errors.New("no data")
	lightGray = color.Gray{0xdd}
)

// cleanTicks are gonum's default tick positions with labels printed without
// padding zeros: "50000" and "0.25" rather than "50000.00" and "0.25".
type cleanTicks struct{}

// Ticks returns the tick marks for the range [lo, hi].
func (cleanTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i, t := range ticks {
		if t.Label != "" {
			ticks[i].Label = strconv.FormatFloat(t.Value, 'g', 6, 64)
			if math.Abs(t.Value) >= 1e6 || (t.Value != 0 && math.Abs(t.Value) < 1e-4) {
				ticks[i].Label = strconv.FormatFloat(t.Value, 'e', -1, 64)
			}
		}
	}
	return ticks
}
