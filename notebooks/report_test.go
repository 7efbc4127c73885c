package notebooks

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
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

// offlineReport is what a report showed when opened with the network off.
type offlineReport struct {
	Images, PNGs int
	Broken       []string // images that did not decode
	Failed       []string // requests that failed or were refused
	MathJax      bool     // "Loading [MathJax]" left on the page
}

// openOffline opens an HTML report from disk in b with every network request
// refused, waits for its images, and reports what failed. It saves a
// full-page screenshot when shot is not empty.
func openOffline(t *testing.T, b *browser.Browser, html, shot string) offlineReport {
	t.Helper()
	page, err := b.Page(proto.TargetCreateTarget{})
	if err != nil {
		t.Fatal(err)
	}
	defer page.Close()
	page = page.Timeout(90 * time.Second)
	var mu sync.Mutex
	var rep offlineReport
	if err := (proto.NetworkEnable{}).Call(page); err != nil {
		t.Fatal(err)
	}
	urls := map[proto.NetworkRequestID]string{}
	wait := page.EachEvent(func(e *proto.NetworkRequestWillBeSent) {
		mu.Lock()
		urls[e.RequestID] = e.Request.URL
		mu.Unlock()
	}, func(e *proto.NetworkLoadingFailed) {
		mu.Lock()
		u := urls[e.RequestID]
		if len(u) > 80 {
			u = u[:80] + "…"
		}
		rep.Failed = append(rep.Failed, u+" ("+e.ErrorText+")")
		mu.Unlock()
	})
	go wait()
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
		return JSON.stringify({imgs: imgs.map(i => ({w: i.naturalWidth, h: i.naturalHeight, src: i.src.slice(0, 22)})),
			mathjax: document.body.innerText.includes('Loading [MathJax]')});
	}`).ByPromise())
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // let late requests (fonts, scripts) fail visibly
	var got struct {
		Imgs []struct {
			W, H int
			Src  string
		}
		MathJax bool
	}
	if err := json.Unmarshal([]byte(res.Value.Str()), &got); err != nil {
		t.Fatal(err)
	}
	rep.MathJax = got.MathJax
	for _, im := range got.Imgs {
		rep.Images++
		if im.Src == "data:image/png;base64," {
			rep.PNGs++
		}
		if im.W == 0 || im.H == 0 {
			rep.Broken = append(rep.Broken, im.Src+"…")
		}
	}
	mu.Lock()
	for _, u := range blocked() {
		rep.Failed = append(rep.Failed, u+" (blocked: network request)")
	}
	mu.Unlock()
	if shot != "" {
		png, err := page.Screenshot(true, &proto.PageCaptureScreenshot{Format: proto.PageCaptureScreenshotFormatPng})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(screenshotDir(t), shot), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return rep
}

// checkOffline fails the test for every failed request, broken image and
// MathJax message of a report.
func checkOffline(t *testing.T, name string, rep offlineReport) {
	t.Helper()
	for _, f := range rep.Failed {
		t.Errorf("%s: request failed offline: %s", name, f)
	}
	for _, b := range rep.Broken {
		t.Errorf("%s: image did not render: %s", name, b)
	}
	if rep.MathJax {
		t.Errorf("%s: 'Loading [MathJax]' is left on the page", name)
	}
}

// TestReportsWorkOffline exports every notebook executed in quick mode to
// HTML, as scripts/run.sh does, opens each report in headless Chromium with
// the network off, and fails on any failed request, image that does not
// render, or "Loading [MathJax]" left on the page. The chart gallery must
// show all its charts as embedded PNG. Screenshots of two reports go to
// build/screenshots/.
//
// With DLNB_REPORTS_DIR set it checks the reports in that folder instead
// (for example reports/ after scripts/run.sh).
func TestReportsWorkOffline(t *testing.T) {
	var reports []string
	if dir := os.Getenv("DLNB_REPORTS_DIR"); dir != "" {
		reports, _ = filepath.Glob(filepath.Join(dir, "*.html"))
		if len(reports) == 0 {
			t.Fatalf("no HTML reports in DLNB_REPORTS_DIR=%s", dir)
		}
	} else {
		requireKernel(t)
		nbs, _ := nbrun.List(".")
		out := t.TempDir()
		for _, name := range nbs {
			load(t, name)
			html, err := nbrun.ExportHTML(context.Background(), executed[name], out)
			if err != nil {
				t.Fatal(err)
			}
			reports = append(reports, html)
		}
	}
	b := launch(t)
	for _, html := range reports {
		name := strings.TrimSuffix(filepath.Base(html), ".html")
		shot := ""
		if name == "0_chart_gallery" || name == "2_6_simple_convolution_network" {
			shot = "report_" + name + ".png"
		}
		rep := openOffline(t, b, html, shot)
		checkOffline(t, name, rep)
		if name == "0_chart_gallery" && rep.PNGs < 11 {
			t.Errorf("%d embedded PNG charts in the gallery report, it shows at least 11", rep.PNGs)
		}
		t.Logf("%s: %d images (%d PNG charts) rendered offline, %d failed requests", name, rep.Images, rep.PNGs, len(rep.Failed))
	}
}

// TestOfflineCheckCatchesNetworkAndMathJax checks the checker on pages that
// must fail it: a CDN script with MathJax's loading message, and a broken
// image.
func TestOfflineCheckCatchesNetworkAndMathJax(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.html")
	os.WriteFile(bad, []byte(`<html><head><script src="https://cdnjs.cloudflare.com/ajax/libs/mathjax/2.7.7/latest.js"></script></head>
<body><img src="data:image/png;base64,AAAA"><div>Loading [MathJax]/jax/output/CommonHTML/config.js</div></body></html>`), 0o644)
	b := launch(t)
	rep := openOffline(t, b, bad, "")
	if len(rep.Failed) == 0 || len(rep.Broken) != 1 || !rep.MathJax {
		t.Errorf("the checker missed a problem: %+v", rep)
	}
}
