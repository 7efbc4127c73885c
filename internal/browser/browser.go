package browser

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/launcher"
)

// Find returns the Chromium executable: $DLNB_CHROMIUM, or chromium /
// chromium-browser / google-chrome on PATH.
func Find() (string, error) {
	if p := os.Getenv("DLNB_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium found: install it with scripts/setup.sh --with-browser (Debian package chromium) or set DLNB_CHROMIUM")
}

// Browser is a running headless Chromium.
type Browser struct {
	*rod.Browser
	launcher *launcher.Launcher
}

// Launch starts Chromium headless with the flags this machine needs (no
// sandbox as root, no GPU, no background network traffic) and a fresh
// profile in userDataDir.
func Launch(userDataDir string) (*Browser, error) {
	bin, err := Find()
	if err != nil {
		return nil, err
	}
	l := launcher.New().Bin(bin).Headless(true).NoSandbox(true).Leakless(false).UserDataDir(userDataDir).
		Set("disable-gpu").Set("no-first-run").Set("disable-background-networking").
		Set("disable-component-update").Set("disable-sync").Set("disable-quic").
		Set("hide-scrollbars").Set("window-size", "1200,900")
	u, err := l.Launch()
	if err != nil {
		return nil, fmt.Errorf("browser: starting %s: %w", bin, err)
	}
	b := rod.New().ControlURL(u)
	if err := b.Connect(); err != nil {
		l.Kill()
		return nil, fmt.Errorf("browser: connecting: %w", err)
	}
	return &Browser{Browser: b, launcher: l}, nil
}

// Close stops the browser.
func (b *Browser) Close() {
	b.Browser.Close()
	b.launcher.Kill()
	b.launcher.Cleanup()
}

// Offline makes the page refuse every request that is not a local file or a
// data: URI, and records them, so a test can prove a page needs no network.
func Offline(p *rod.Page) (blocked func() []string, stop func()) {
	var urls []string
	router := p.HijackRequests()
	router.MustAdd("*", func(ctx *rod.Hijack) {
		u := ctx.Request.URL().String()
		if strings.HasPrefix(u, "file:") || strings.HasPrefix(u, "data:") {
			ctx.ContinueRequest(&protoContinue)
			return
		}
		urls = append(urls, u)
		ctx.Response.Fail(errBlocked)
	})
	go router.Run()
	return func() []string { return urls }, func() { router.Stop() }
}
