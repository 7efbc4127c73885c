package notebooks

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dlnb/course/internal/browser"
	"github.com/dlnb/course/internal/nbrun"
	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/proto"
)

// screenshotDir is where browser tests leave their screenshots.
func screenshotDir(t *testing.T) string {
	d := os.Getenv("DLNB_SCREENSHOT_DIR")
	if d == "" {
		d = filepath.Join("..", "build", "screenshots")
	}
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

func launch(t *testing.T) *browser.Browser {
	t.Helper()
	if _, err := browser.Find(); err != nil {
		if os.Getenv("DLNB_REQUIRE_NOTEBOOKS") == "1" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	b, err := browser.Launch(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// TestReportChartsVisibleOffline exports the executed chart gallery to HTML,
// opens it in headless Chromium with every network request refused, checks
// that each chart image decoded with a non-zero natural size, and saves a
// full-page screenshot.
func TestReportChartsVisibleOffline(t *testing.T) {
	requireKernel(t)
	load(t, "0_chart_gallery.ipynb")
	html, err := nbrun.ExportHTML(context.Background(), executed["0_chart_gallery.ipynb"], t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b := launch(t)
	page, err := b.Page(proto.TargetCreateTarget{})
	if err != nil {
		t.Fatal(err)
	}
	page = page.Timeout(60 * time.Second)
	blocked, stop := browser.Offline(page)
	defer stop()
	abs, _ := filepath.Abs(html)
	if err := page.Navigate("file://" + abs); err != nil {
		t.Fatal(err)
	}
	if err := page.WaitLoad(); err != nil {
		t.Fatal(err)
	}
	res, err := page.Evaluate(rod.Eval(`async () => {
		const imgs = Array.from(document.images);
		await Promise.all(imgs.map(i => i.decode().catch(() => null)));
		return JSON.stringify(imgs.map(i => ({w: i.naturalWidth, h: i.naturalHeight, src: i.src.slice(0, 22)})));
	}`).ByPromise())
	if err != nil {
		t.Fatal(err)
	}
	var imgs []struct {
		W, H int
		Src  string
	}
	if err := json.Unmarshal([]byte(res.Value.Str()), &imgs); err != nil {
		t.Fatal(err)
	}
	pngs := 0
	for i, im := range imgs {
		if im.W == 0 || im.H == 0 {
			t.Errorf("image %d (%s…) has natural size %d×%d: not rendered", i, im.Src, im.W, im.H)
		}
		if im.Src == "data:image/png;base64," {
			pngs++
		}
	}
	if pngs < 11 {
		t.Errorf("%d embedded PNG charts in the report, the gallery shows at least 11", pngs)
	}
	shot, err := page.Screenshot(true, &proto.PageCaptureScreenshot{Format: proto.PageCaptureScreenshotFormatPng})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(screenshotDir(t), "report_0_chart_gallery.png")
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d images rendered offline (%d blocked requests: %v); screenshot %s", len(imgs), len(blocked()), blocked(), out)
}
