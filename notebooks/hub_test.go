package notebooks

import (
	"strings"
	"testing"
	"time"

	"github.com/dlnb/course/internal/hubtest"
	"github.com/go-rod/rod"
	"github.com/go-rod/rod/lib/input"
	"github.com/go-rod/rod/lib/proto"
)

// TestHubInBrowser is a student's day on the class hub (scripts/hub.sh) in
// headless Chromium: log in on the hub's login page with the password the
// teacher handed out, land in JupyterLab on their own workspace, open 2_1
// from the file browser and run its first cells, then try to open another
// student's JupyterLab and files, which the hub must refuse. Screenshots go
// to build/screenshots/hub-*.png. Runs with DLNB_HUB_TEST=1 or
// DLNB_REQUIRE_HUB=1 (it makes Unix users and cgroups; see internal/hubtest).
func TestHubInBrowser(t *testing.T) {
	hubtest.Require(t)
	h := hubtest.Start(t, hubtest.Options{Students: 2, Prefix: "dlnbb"})
	me, other := h.Students[0], h.Students[1]
	b := launch(t)
	page, err := b.Page(proto.TargetCreateTarget{URL: h.Base + "/hub/login"})
	if err != nil {
		t.Fatal(err)
	}
	if err := page.SetViewport(&proto.EmulationSetDeviceMetricsOverride{Width: 1280, Height: 900, DeviceScaleFactor: 1}); err != nil {
		t.Fatal(err)
	}
	l := &lab{t, page, h.Base + "/user/" + me, ""}

	// The hub's login page, as the student sees it.
	user, err := page.Timeout(time.Minute).Element("#username_input")
	if err != nil {
		l.shoot("hub-no-login.png")
		t.Fatalf("the hub's login page has no user name field: %v", err)
	}
	user.MustInput(me)
	page.MustElement("#password_input").MustInput(h.Passwords[me])
	l.shoot("hub-login.png")
	page.MustElement("#login_submit").MustClick()

	// The hub starts the server and sends the student to JupyterLab on
	// their workspace: the course notebooks, theirs to change.
	if err := page.Timeout(3 * time.Minute).Wait(rod.Eval(`() => location.pathname.startsWith('/user/` + me + `/lab') &&
		document.querySelectorAll('.jp-DirListing-item').length > 0`)); err != nil {
		l.shoot("hub-no-lab.png")
		t.Fatalf("no JupyterLab after logging in (at %s): %v", page.MustInfo().URL, err)
	}
	time.Sleep(time.Second) // let the listing paint before the screenshot
	files := page.MustEval(`() => Array.from(document.querySelectorAll('.jp-DirListing-item .jp-DirListing-itemText')).map(e => e.textContent.trim()).join('\n')`).String()
	l.shoot("hub-lab-files.png")
	if !strings.Contains(files, uiNotebook) {
		t.Fatalf("the workspace does not show %s:\n%s", uiNotebook, files)
	}
	if strings.Contains(files, other) {
		t.Errorf("the file browser shows something of %s:\n%s", other, files)
	}

	// Open 2_1 and run its first three cells (imports, the Relu and Affine
	// classes, their demo) with Shift+Enter.
	l.open(uiNotebook)
	page.MustElements(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell")[0].MustClick()
	page.Keyboard.MustType(input.Escape)
	ran := func() int {
		return page.MustEval(`() => Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputPrompt'))
			.filter(e => /\[\d+\]/.test(e.textContent)).length`).Int()
	}
	for presses := 0; ran() < 3; presses++ {
		if presses > 12 {
			l.shoot("hub-cells-not-run.png")
			t.Fatalf("%d code cells ran after %d Shift+Enter", ran(), presses)
		}
		page.Keyboard.Press(input.ShiftLeft)
		page.Keyboard.MustType(input.Enter)
		page.Keyboard.Release(input.ShiftLeft)
		time.Sleep(300 * time.Millisecond)
		l.waitIdle(3*time.Minute, "hub-cell-timeout.png")
	}
	if err := page.Timeout(2 * time.Minute).Wait(rod.Eval(`() => Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output'))
		.some(e => e.innerText.includes('relu forward'))`)); err != nil {
		l.shoot("hub-no-output.png")
		t.Fatalf("the demo cell showed no output: %v\n%s", err, tail(l.outputs(), 20))
	}
	out := l.outputs()
	if !strings.Contains(out, "affine forward") || strings.Contains(out, "rror") {
		t.Errorf("2_1's first cells show:\n%s", out)
	}
	page.MustElementR(".jp-OutputArea-output", "relu forward").MustScrollIntoView()
	l.shoot("hub-2_1-ran.png")

	// Another student's JupyterLab and files: refused.
	status := page.MustEval(`async () => (await fetch('/user/` + other + `/api/contents', {credentials: 'same-origin'})).status`).Int()
	if status < 400 {
		t.Errorf("fetching %s's files from %s's page answered HTTP %d", other, me, status)
	}
	admin := page.MustEval(`async () => (await fetch('/hub/api/users', {credentials: 'same-origin'})).status`).Int()
	if admin < 400 {
		t.Errorf("the admin API (/hub/api/users) answered HTTP %d to %s", admin, me)
	}
	// The student saves (File ▸ Save Notebook), then opens the other
	// student's JupyterLab in a new tab.
	l.saveNotebook()
	tab, err := b.Page(proto.TargetCreateTarget{URL: h.Base + "/user/" + other + "/lab"})
	if err != nil {
		t.Fatal(err)
	}
	tab.MustSetViewport(1280, 900, 1, false)
	tab.Timeout(time.Minute).MustWaitLoad()
	time.Sleep(2 * time.Second)
	text := tab.MustEval(`() => document.body.innerText`).String()
	(&lab{t, tab, l.base, ""}).shoot("hub-other-student.png")
	if has, _, _ := tab.Has(".jp-DirListing-item"); has || strings.Contains(text, uiNotebook) {
		t.Errorf("%s sees %s's JupyterLab:\n%s", me, other, tail(text, 10))
	}
	t.Logf("%s's files from %s's page: HTTP %d; admin API: HTTP %d; %s's JupyterLab shows: %s", other, me, status, admin, other,
		strings.Join(strings.Fields(tail(text, 4)), " "))
}
