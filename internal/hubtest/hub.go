// Package hubtest starts a real JupyterHub class with scripts/hub.sh — local
// Unix users, cgroup limits, the shared installation — on the loopback, and
// drives it as students do: log in through the hub's REST API, start a
// server, open a GoNB kernel through the proxy and run cells over its
// WebSocket. The load test of this package and the browser test in
// notebooks/ use it.
//
// It changes the machine (Unix users, groups, cgroups, /opt/dlnb), so the
// tests run only when asked: DLNB_HUB_TEST=1, or DLNB_REQUIRE_HUB=1 which
// also makes a machine that cannot run them a failure (scripts/test.sh sets
// it). Everything it makes is removed when the test ends, failed or not.
package hubtest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Require skips the test unless a hub test was asked for, and fails it when
// DLNB_REQUIRE_HUB=1 and this machine cannot run one.
func Require(t testing.TB) {
	t.Helper()
	required := Asked(t)
	why := ""
	switch {
	case os.Geteuid() != 0:
		why = "the hub tests need root (they make Unix users and cgroups)"
	case !exists("/sys/fs/cgroup/memory/cgroup.procs") && !exists("/sys/fs/cgroup/cgroup.controllers"):
		why = "no cgroup memory controller at /sys/fs/cgroup: the students' limits cannot be enforced here"
	}
	for _, tool := range []string{"node", "npm", "runuser", "useradd", "curl"} {
		if why == "" {
			if _, err := exec.LookPath(tool); err != nil {
				why = tool + " is not installed: the hub needs it (docs/class.md)"
			}
		}
	}
	if why == "" {
		return
	}
	if required {
		t.Fatal(why)
	}
	t.Skip(why)
}

// Asked skips the test unless the hub tests were asked for
// (DLNB_HUB_TEST=1 or DLNB_REQUIRE_HUB=1), and tells whether a machine that
// cannot run them is a failure (DLNB_REQUIRE_HUB=1).
func Asked(t testing.TB) (required bool) {
	t.Helper()
	required = os.Getenv("DLNB_REQUIRE_HUB") == "1"
	if !required && os.Getenv("DLNB_HUB_TEST") != "1" {
		t.Skip("the hub tests make Unix users and cgroups on this machine: run them with DLNB_HUB_TEST=1 (scripts/test.sh sets DLNB_REQUIRE_HUB=1)")
	}
	if testing.Short() {
		t.Skip("-short: no hub")
	}
	return required
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// Root is the checkout's top folder.
func Root() string {
	d, _ := os.Getwd()
	for {
		if exists(filepath.Join(d, "scripts", "hub.sh")) {
			return d
		}
		up := filepath.Dir(d)
		if up == d {
			panic("hubtest: not inside the dlnb checkout")
		}
		d = up
	}
}

var installOnce sync.Once
var installErr error

// Install runs scripts/hub.sh install once per test process (a few seconds
// when everything is present; the first time a few minutes).
func Install(t testing.TB) {
	t.Helper()
	installOnce.Do(func() {
		start := time.Now()
		out, err := exec.Command(filepath.Join(Root(), "scripts", "hub.sh"), "install").CombinedOutput()
		if err != nil {
			installErr = fmt.Errorf("scripts/hub.sh install: %v\n%s", err, tail(string(out), 30))
			return
		}
		t.Logf("scripts/hub.sh install: %s", time.Since(start).Round(time.Second))
	})
	if installErr != nil {
		t.Fatal(installErr)
	}
}

// Options of a test hub.
type Options struct {
	Students int    // how many (named <Prefix>1 …)
	Prefix   string // user name prefix, e.g. "dlnbt"
	Mem      string // memory limit per student ("3G")
	CPU      string // cores per student ("1")
	Cull     int    // seconds idle before a server is culled (0: an hour)
	Activity int    // seconds between activity reports (0: JupyterHub's 300)
}

// Hub is a running test hub.
type Hub struct {
	t         testing.TB
	Base      string // http://127.0.0.1:PORT
	State     string // the hub's state folder
	Cache     string // the students' Go build caches
	Group     string
	Cgroup    string
	Students  []string
	Passwords map[string]string
	list      string
	args      []string
	env       []string
	cmd       *exec.Cmd
	exited    chan struct{}
	logFile   string
	watchdog  *time.Timer
}

// Start installs what is missing, makes the students and starts a hub on the
// loopback. Everything is undone when the test ends.
func Start(t testing.TB, o Options) *Hub {
	t.Helper()
	Install(t)
	state, err := os.MkdirTemp("", "dlnb-hub-state-")
	if err != nil {
		t.Fatal(err)
	}
	cache, err := os.MkdirTemp("", "dlnb-hub-cache-")
	if err != nil {
		t.Fatal(err)
	}
	h := &Hub{t: t, State: state, Cache: cache, Group: testGroup, Cgroup: "dlnb-hubtest",
		Passwords: map[string]string{}}
	for i := 1; i <= o.Students; i++ {
		h.Students = append(h.Students, fmt.Sprintf("%s%d", o.Prefix, i))
	}
	h.list = filepath.Join(state, "class.txt")
	if err := os.WriteFile(h.list, []byte("# the test class\n"+strings.Join(h.Students, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	port, api, proxy := freePort(t), freePort(t), freePort(t)
	h.Base = fmt.Sprintf("http://127.0.0.1:%d", port)
	h.args = []string{"--ip", "127.0.0.1", "--port", strconv.Itoa(port), "--state", state, "--group", h.Group,
		"--cgroup", h.Cgroup, "--cache", cache}
	if o.Mem != "" {
		h.args = append(h.args, "--mem", o.Mem)
	}
	if o.CPU != "" {
		h.args = append(h.args, "--cpu", o.CPU)
	}
	if o.Cull > 0 {
		h.args = append(h.args, "--cull", strconv.Itoa(o.Cull))
	}
	h.env = append(os.Environ(), fmt.Sprintf("DLNB_HUB_API_PORT=%d", api), fmt.Sprintf("DLNB_HUB_PROXY_API_PORT=%d", proxy))
	if o.Activity > 0 {
		h.env = append(h.env, fmt.Sprintf("DLNB_HUB_ACTIVITY_INTERVAL=%d", o.Activity))
	}
	h.removeLeftovers()
	t.Cleanup(h.cleanup)
	// A hard limit of its own, below go test's -timeout (whose panic would
	// skip the clean-up): past it, the hub and the students go and the test
	// process ends.
	limit := 25 * time.Minute
	if v, err := time.ParseDuration(os.Getenv("DLNB_HUB_TEST_LIMIT")); err == nil && v > 0 {
		limit = v
	}
	h.watchdog = time.AfterFunc(limit, func() {
		fmt.Fprintf(os.Stderr, "hubtest: %s ran past its limit of %s (DLNB_HUB_TEST_LIMIT): removing the hub and the students, then failing\n", t.Name(), limit)
		h.teardown(func(format string, a ...any) { fmt.Fprintf(os.Stderr, format+"\n", a...) })
		os.Exit(1)
	})
	h.startHub()
	b, err := os.ReadFile(filepath.Join(state, "passwords.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if f := strings.Fields(line); len(f) == 2 {
			h.Passwords[f[0]] = f[1]
		}
	}
	for _, s := range h.Students {
		if h.Passwords[s] == "" {
			t.Fatalf("no password for %s in %s/passwords.txt", s, state)
		}
	}
	return h
}

func (h *Hub) script(args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(Root(), "scripts", "hub.sh"), append(args, h.args...)...)
	cmd.Env = h.env
	return cmd
}

// Log returns the hub's output since it last started.
func (h *Hub) Log() string {
	b, _ := os.ReadFile(h.logFile)
	return string(b)
}

// ServerLog returns the log of a student's server (all its starts).
func (h *Hub) ServerLog(student string) string {
	b, _ := os.ReadFile(filepath.Join(h.State, "logs", student+".log"))
	return string(b)
}

// startHub runs scripts/hub.sh start and waits until the hub answers.
func (h *Hub) startHub() {
	t := h.t
	t.Helper()
	h.cmd = h.script("start", "--no-install", h.list)
	h.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// A file, not a pipe: cmd.Wait must not wait for every process that
	// inherited the hub's output.
	logFile, err := os.CreateTemp(h.State, "hub-*.log")
	if err != nil {
		t.Fatal(err)
	}
	h.logFile = logFile.Name()
	h.cmd.Stdout, h.cmd.Stderr = logFile, logFile
	err = h.cmd.Start()
	logFile.Close()
	if err != nil {
		t.Fatal(err)
	}
	h.exited = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { cmd.Wait(); close(done) }(h.cmd, h.exited)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get(h.Base + "/hub/api/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-h.exited:
			t.Fatalf("the hub exited:\n%s", tail(h.Log(), 40))
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the hub did not answer on %s within 2 minutes:\n%s", h.Base, tail(h.Log(), 40))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// stopHub ends the hub's own processes (hub, proxy, culler: one process
// group); the students' servers, in sessions of their own, keep running.
func (h *Hub) stopHub() {
	syscall.Kill(-h.cmd.Process.Pid, syscall.SIGTERM)
	select {
	case <-h.exited:
	case <-time.After(30 * time.Second):
		syscall.Kill(-h.cmd.Process.Pid, syscall.SIGKILL)
		<-h.exited
	}
}

// Restart stops the hub and starts it again with the same state, as a
// teacher's restart (or a crash) would.
func (h *Hub) Restart() {
	h.t.Helper()
	h.stopHub()
	h.startHub()
}

// restartWith restarts the hub with another cull time and activity
// interval (seconds).
func (h *Hub) restartWith(cull, activity int) {
	h.t.Helper()
	var args []string
	for i := 0; i < len(h.args); i++ {
		if h.args[i] == "--cull" {
			i++
			continue
		}
		args = append(args, h.args[i])
	}
	h.args = append(args, "--cull", strconv.Itoa(cull))
	h.env = append(h.env, fmt.Sprintf("DLNB_HUB_ACTIVITY_INTERVAL=%d", activity))
	h.Restart()
}

// cleanup stops every server and the hub, and removes the students, their
// cgroups and the hub's folders.
func (h *Hub) cleanup() {
	t := h.t
	if !h.watchdog.Stop() {
		return // the watchdog tears down
	}
	if t.Failed() {
		t.Logf("hub log (last lines):\n%s", tail(h.Log(), 60))
		for _, s := range h.Students {
			if l := h.ServerLog(s); l != "" {
				t.Logf("%s's server log (last lines):\n%s", s, tail(l, 8))
			}
		}
	}
	h.teardown(t.Errorf)
}

// teardown stops the servers and the hub and removes the students, their
// cgroups and the hub's folders, reporting what failed with errorf.
func (h *Hub) teardown(errorf func(format string, a ...any)) {
	if out, err := h.script("stop").CombinedOutput(); err != nil {
		errorf("scripts/hub.sh stop: %v\n%s", err, out)
	}
	if h.cmd != nil && h.cmd.Process != nil {
		h.stopHub()
	}
	if out, err := h.script("remove", h.list).CombinedOutput(); err != nil {
		errorf("scripts/hub.sh remove: %v\n%s", err, out)
	}
	for _, s := range h.Students {
		if _, err := lookupUID(s); err == nil {
			errorf("user %s is still there after scripts/hub.sh remove", s)
		}
	}
	for _, d := range []string{"memory", "cpu", "pids"} {
		os.Remove(filepath.Join("/sys/fs/cgroup", d, h.Cgroup))
	}
	os.Remove(filepath.Join("/sys/fs/cgroup", h.Cgroup))
	os.RemoveAll(h.State)
	os.RemoveAll(h.Cache)
}

// testGroup is the Unix group of the test students.
const testGroup = "dlnbtest"

// removeLeftovers ends and removes the students a killed test run left
// (members of testGroup, in the cgroup dlnb-hubtest), so that a new run
// starts clean.
func (h *Hub) removeLeftovers() {
	b, err := exec.Command("getent", "group", testGroup).Output()
	if err != nil {
		return // no group: nothing left
	}
	f := strings.Split(strings.TrimSpace(string(b)), ":")
	if len(f) < 4 || f[3] == "" {
		return
	}
	list := filepath.Join(h.State, "leftovers.txt")
	if err := os.WriteFile(list, []byte(strings.ReplaceAll(f[3], ",", "\n")+"\n"), 0o600); err != nil {
		h.t.Fatal(err)
	}
	h.t.Logf("removing the students an earlier run left: %s", f[3])
	for _, args := range [][]string{{"stop"}, {"remove", list}} {
		if out, err := h.script(args...).CombinedOutput(); err != nil {
			h.t.Fatalf("scripts/hub.sh %s (the leftovers of an earlier run): %v\n%s", args[0], err, out)
		}
	}
}

// CgroupDir is a student's cgroup folder for a v1 controller ("memory",
// "cpu", "pids"), or the v2 folder.
func (h *Hub) CgroupDir(student, controller string) string {
	if exists("/sys/fs/cgroup/cgroup.controllers") {
		return filepath.Join("/sys/fs/cgroup", h.Cgroup, student)
	}
	return filepath.Join("/sys/fs/cgroup", controller, h.Cgroup, student)
}

// Pids returns the processes in a student's cgroup.
func (h *Hub) Pids(student string) []int {
	b, err := os.ReadFile(filepath.Join(h.CgroupDir(student, "memory"), "cgroup.procs"))
	if err != nil {
		return nil
	}
	var pids []int
	for _, f := range strings.Fields(string(b)) {
		if p, err := strconv.Atoi(f); err == nil {
			pids = append(pids, p)
		}
	}
	return pids
}

// UserPids returns every process on the machine that runs as the student.
func UserPids(student string) []int {
	uid, err := lookupUID(student)
	if err != nil {
		return nil
	}
	var pids []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		var st syscall.Stat_t
		if syscall.Stat("/proc/"+e.Name(), &st) == nil && int(st.Uid) == uid {
			pids = append(pids, pid)
		}
	}
	return pids
}

func lookupUID(name string) (int, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(u.Uid)
}

// Comm is a process's command name ("gopls", "gonb", …).
func Comm(pid int) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
	return strings.TrimSpace(string(b))
}

// RSS is a process's resident memory in bytes (0 when it is gone).
func RSS(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

// Request makes an HTTP request to the hub with a token (or none) and
// decodes a JSON answer into out when out is not nil. It returns the status.
func (h *Hub) Request(method, path, token string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, h.Base+path, rd)
	if err != nil {
		return 0, err
	}
	if token != "" {
		req.Header.Set("Authorization", "token "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	client := &http.Client{Timeout: 3 * time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, fmt.Errorf("%s %s: %v: %s", method, path, err, tail(string(b), 5))
		}
	}
	if resp.StatusCode >= 400 && out != nil {
		return resp.StatusCode, fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, tail(string(b), 5))
	}
	return resp.StatusCode, nil
}

// Login logs a student in through the REST API with their password and
// returns a token of theirs.
func (h *Hub) Login(student string) (string, error) {
	var tok struct{ Token string }
	body := map[string]any{"auth": map[string]string{"username": student, "password": h.Passwords[student]}, "note": "load test"}
	if _, err := h.Request("POST", "/hub/api/users/"+student+"/tokens", "", body, &tok); err != nil {
		return "", err
	}
	if tok.Token == "" {
		return "", errors.New("no token in the answer")
	}
	return tok.Token, nil
}

// StartServer starts a student's server and waits until it is ready.
func (h *Hub) StartServer(student, token string, timeout time.Duration) error {
	status, err := h.Request("POST", "/hub/api/users/"+student+"/server", token, nil, nil)
	if err != nil {
		return err
	}
	if status != http.StatusCreated && status != http.StatusAccepted && status != http.StatusBadRequest {
		return fmt.Errorf("starting %s's server: HTTP %d", student, status)
	}
	deadline := time.Now().Add(timeout)
	for {
		ready, err := h.ServerReady(student, token)
		if err != nil {
			return err
		}
		if ready {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s's server was not ready after %s", student, timeout)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// ServerReady tells whether a student's server runs and is ready.
func (h *Hub) ServerReady(student, token string) (bool, error) {
	ready, _, err := h.serverState(student, token)
	return ready, err
}

// ServerGone tells whether a student has no server, not even one stopping.
func (h *Hub) ServerGone(student, token string) (bool, error) {
	_, there, err := h.serverState(student, token)
	return !there, err
}

func (h *Hub) serverState(student, token string) (ready, there bool, err error) {
	var u struct {
		Servers map[string]struct{ Ready bool }
	}
	if _, err := h.Request("GET", "/hub/api/users/"+student, token, nil, &u); err != nil {
		return false, false, err
	}
	s, ok := u.Servers[""]
	return ok && s.Ready, ok, nil
}

// Kernel is a GoNB kernel of a student's server, reached through the proxy.
type Kernel struct {
	hub       *Hub
	Student   string
	token, ID string
	ws        *wsConn
	session   string
	msgs      chan map[string]any
	readErr   error
}

// StartKernel starts a GoNB kernel in the student's server and connects to
// its channels, as JupyterLab does when a notebook opens.
func (h *Hub) StartKernel(student, token string) (*Kernel, error) {
	var k struct{ ID string }
	if _, err := h.Request("POST", "/user/"+student+"/api/kernels", token, map[string]string{"name": "gonb"}, &k); err != nil {
		return nil, err
	}
	return h.StartKernelID(student, token, k.ID)
}

// StartKernelID connects to a running kernel of the student's server.
func (h *Hub) StartKernelID(student, token, id string) (*Kernel, error) {
	kern := &Kernel{hub: h, Student: student, token: token, ID: id, session: randomID(), msgs: make(chan map[string]any, 256)}
	u := strings.Replace(h.Base, "http://", "ws://", 1) + "/user/" + student + "/api/kernels/" + id + "/channels?session_id=" + kern.session
	ws, err := dialWS(u, http.Header{"Authorization": {"token " + token}}, time.Minute)
	if err != nil {
		return nil, err
	}
	kern.ws = ws
	go kern.readLoop()
	return kern, nil
}

func (k *Kernel) readLoop() {
	defer close(k.msgs)
	for {
		b, err := k.ws.Read()
		if err != nil {
			k.readErr = err
			return
		}
		var m map[string]any
		if json.Unmarshal(b, &m) == nil {
			k.msgs <- m
		}
	}
}

// Close disconnects (the kernel keeps running, as when a tab is closed).
func (k *Kernel) Close() { k.ws.Close() }

// Shutdown stops the kernel through the server's API.
func (k *Kernel) Shutdown() error {
	_, err := k.hub.Request("DELETE", "/user/"+k.Student+"/api/kernels/"+k.ID, k.token, nil, nil)
	return err
}

// Interrupt is JupyterLab's Kernel ▸ Interrupt (the ■ button): one request.
func (k *Kernel) Interrupt() error {
	status, err := k.hub.Request("POST", "/user/"+k.Student+"/api/kernels/"+k.ID+"/interrupt", k.token, nil, nil)
	if err == nil && status != http.StatusNoContent {
		err = fmt.Errorf("interrupt: HTTP %d", status)
	}
	return err
}

func randomID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func (k *Kernel) send(channel, msgType string, content map[string]any) (string, error) {
	id := randomID()
	msg := map[string]any{
		"channel": channel,
		"header": map[string]any{"msg_id": id, "msg_type": msgType, "username": k.Student, "session": k.session,
			"date": time.Now().UTC().Format(time.RFC3339Nano), "version": "5.3"},
		"parent_header": map[string]any{}, "metadata": map[string]any{}, "content": content, "buffers": []any{},
	}
	b, err := json.Marshal(msg)
	if err != nil {
		return "", err
	}
	return id, k.ws.WriteText(b)
}

// Result is what a cell did.
type Result struct {
	OK   bool          // the kernel answered status "ok"
	Text string        // stream output and error text
	PNGs int           // images displayed
	Took time.Duration // from the request to the reply and idle status
}

// Execute runs a cell and waits for its reply and the kernel's idle status.
func (k *Kernel) Execute(code string, timeout time.Duration) (Result, error) {
	start := time.Now()
	id, err := k.send("shell", "execute_request", map[string]any{"code": code, "silent": false, "store_history": true,
		"user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true})
	if err != nil {
		return Result{}, err
	}
	var r Result
	var text strings.Builder
	replied, idle := false, false
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for !replied || !idle {
		select {
		case m, ok := <-k.msgs:
			if !ok {
				return r, fmt.Errorf("the kernel's connection closed: %v", k.readErr)
			}
			parent, _ := m["parent_header"].(map[string]any)
			if parent == nil || parent["msg_id"] != id {
				continue
			}
			header, _ := m["header"].(map[string]any)
			content, _ := m["content"].(map[string]any)
			switch header["msg_type"] {
			case "stream":
				text.WriteString(fmt.Sprint(content["text"]))
			case "error":
				fmt.Fprintf(&text, "%v: %v\n", content["ename"], content["evalue"])
			case "display_data", "update_display_data", "execute_result":
				if data, _ := content["data"].(map[string]any); data != nil {
					if _, ok := data["image/png"]; ok {
						r.PNGs++
					}
				}
			case "status":
				if content["execution_state"] == "idle" {
					idle = true
				}
			case "execute_reply":
				replied = true
				r.OK = content["status"] == "ok"
			}
		case <-timer.C:
			r.Text = text.String()
			return r, fmt.Errorf("no reply after %s; output so far:\n%s", timeout, tail(r.Text, 10))
		}
	}
	r.Text, r.Took = text.String(), time.Since(start)
	return r, nil
}

// Complete asks what Tab asks (complete_request) and returns the matches.
func (k *Kernel) Complete(code string, timeout time.Duration) ([]string, error) {
	id, err := k.send("shell", "complete_request", map[string]any{"code": code, "cursor_pos": len([]rune(code))})
	if err != nil {
		return nil, err
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		select {
		case m, ok := <-k.msgs:
			if !ok {
				return nil, fmt.Errorf("the kernel's connection closed: %v", k.readErr)
			}
			parent, _ := m["parent_header"].(map[string]any)
			header, _ := m["header"].(map[string]any)
			if parent == nil || parent["msg_id"] != id || header["msg_type"] != "complete_reply" {
				continue
			}
			content, _ := m["content"].(map[string]any)
			var out []string
			if ms, _ := content["matches"].([]any); ms != nil {
				for _, x := range ms {
					out = append(out, fmt.Sprint(x))
				}
			}
			return out, nil
		case <-timer.C:
			return nil, fmt.Errorf("no completion after %s", timeout)
		}
	}
}

func freePort(t testing.TB) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// PathEscape escapes one path element of a URL.
func PathEscape(s string) string { return url.PathEscape(s) }
