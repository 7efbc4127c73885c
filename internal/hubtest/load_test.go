package hubtest

import (
	"fmt"
	"math"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dlnb/course/internal/nbrun"
)

// The notebook every simulated student runs, in quick mode.
const lesson = "2_1_network_modified.ipynb"

var (
	generation = regexp.MustCompile(`Generation: \d+\.`)
	relError   = regexp.MustCompile(`(W1|b1|W2|b2): max relative error ([0-9.e+-]+)`)
)

// students returns N, the students who work at the same time
// (DLNB_HUB_STUDENTS, 6 by default: what 2 cores hold with room to spare).
func students(t *testing.T) int {
	n := 6
	if v := os.Getenv("DLNB_HUB_STUDENTS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 3 {
			t.Fatalf("DLNB_HUB_STUDENTS=%q: give a number of at least 3", v)
		}
	}
	return n
}

// lessonCells returns the code cells of 2_1.
func lessonCells(t *testing.T) []string {
	nb, err := nbrun.Read(filepath.Join(Root(), "notebooks", lesson))
	if err != nil {
		t.Fatal(err)
	}
	var cells []string
	for _, c := range nb.Cells {
		if c.Type == "code" && strings.TrimSpace(string(c.Source)) != "" {
			cells = append(cells, string(c.Source))
		}
	}
	if len(cells) < 5 || !strings.HasPrefix(cells[0], "%noautoget") {
		t.Fatalf("%s: expected an import cell starting with %%noautoget and the lesson's cells, got %d cells", lesson, len(cells))
	}
	return cells
}

// run is one student's session: log in, start the server, open a kernel,
// run the lesson's cells, ask for one completion.
type run struct {
	student           string
	token             string
	kernel            *Kernel
	login, spawn      time.Duration
	kernelStart       time.Duration
	cells             []Result
	complete          time.Duration
	completionMatches int
	err               error
}

func (r *run) fail(format string, a ...any) { r.err = fmt.Errorf(format, a...) }

func session(h *Hub, student string, cells []string) *run {
	r := &run{student: student}
	t0 := time.Now()
	var err error
	if r.token, err = h.Login(student); err != nil {
		r.fail("login: %v", err)
		return r
	}
	r.login = time.Since(t0)
	t0 = time.Now()
	if err := h.StartServer(student, r.token, 3*time.Minute); err != nil {
		r.fail("server: %v", err)
		return r
	}
	r.spawn = time.Since(t0)
	t0 = time.Now()
	if r.kernel, err = h.StartKernel(student, r.token); err != nil {
		r.fail("kernel: %v", err)
		return r
	}
	// GoNB's %env sets the variable for the kernel and every later cell:
	// the notebook's quick mode, as scripts/run.sh --quick sets it.
	if res, err := r.kernel.Execute("%env DLNB_QUICK 1", 2*time.Minute); err != nil || !res.OK {
		r.fail("%%env: %v %s", err, res.Text)
		return r
	}
	r.kernelStart = time.Since(t0)
	for i, c := range cells {
		res, err := r.kernel.Execute(c, 4*time.Minute)
		r.cells = append(r.cells, res)
		if err != nil || !res.OK {
			r.fail("cell %d: %v\n%s", i+1, err, tail(res.Text, 15))
			return r
		}
	}
	// Tab, once, as a student would after the import cell: gopls loads
	// dlnb (its memory counts in the student's share).
	t0 = time.Now()
	for time.Since(t0) < 3*time.Minute {
		m, err := r.kernel.Complete("%%\nn := nets.New", time.Minute)
		if err != nil {
			r.fail("completion: %v", err)
			return r
		}
		if slices.Contains(m, "NewSimpleConvNet") {
			r.completionMatches = len(m)
			break
		}
		time.Sleep(time.Second)
	}
	r.complete = time.Since(t0)
	if r.completionMatches == 0 {
		r.fail("completion of nets.New never offered NewSimpleConvNet")
	}
	return r
}

// checkLesson checks what the lesson's cells printed: the training lines
// and the exercise check.
func checkLesson(t *testing.T, r *run) {
	t.Helper()
	all := ""
	for _, c := range r.cells {
		all += c.Text
	}
	if !generation.MatchString(all) {
		t.Errorf("%s: no Generation lines in 2_1's output:\n%s", r.student, tail(all, 20))
	}
	if strings.Contains(all, "panic:") || strings.Contains(all, "goroutine ") {
		t.Errorf("%s: a cell panicked:\n%s", r.student, tail(all, 20))
	}
	if err := exerciseCheck(r.cells[len(r.cells)-1].Text); err != nil {
		t.Errorf("%s: %v", r.student, err)
	}
}

// exerciseCheck is the hook for the exercise check of each student's run.
// Until the exercises (dlnb check) exist it checks the result 2_1 itself
// checks: its gradient check, the analytic gradients of the student's
// TwoLayerNet against numerical ones, every relative error below 1e-6.
// When exercise cells exist, run one here and check its verdict.
func exerciseCheck(gradientCheckOutput string) error {
	m := relError.FindAllStringSubmatch(gradientCheckOutput, -1)
	if len(m) != 4 {
		return fmt.Errorf("the gradient check printed %d of its 4 lines:\n%s", len(m), gradientCheckOutput)
	}
	for _, x := range m {
		v, err := strconv.ParseFloat(x[2], 64)
		if err != nil || !(v < 1e-6) {
			return fmt.Errorf("gradient check: %s relative error %s, want < 1e-6", x[1], x[2])
		}
	}
	return nil
}

// memory is one student's memory while active.
type memory struct {
	server, kernel, gopls, other int64 // resident, by process
	cgroup, peak                 int64 // charged to the cgroup now, and its peak (cell programs, page cache)
}

func (m memory) steady() int64 { return m.server + m.kernel + m.gopls + m.other }

func (h *Hub) memoryOf(student string) memory {
	var m memory
	for _, pid := range h.Pids(student) {
		rss := RSS(pid)
		switch c := Comm(pid); {
		case c == "gonb":
			m.kernel += rss
		case c == "gopls":
			m.gopls += rss
		case strings.HasPrefix(c, "jupyterhub-sin") || strings.HasPrefix(c, "python"):
			m.server += rss
		default:
			m.other += rss
		}
	}
	d := h.CgroupDir(student, "memory")
	for _, f := range [][2]string{{"memory.usage_in_bytes", "memory.max_usage_in_bytes"}, {"memory.current", "memory.peak"}} {
		if b, err := os.ReadFile(filepath.Join(d, f[0])); err == nil {
			m.cgroup, _ = strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
			b, _ = os.ReadFile(filepath.Join(d, f[1]))
			m.peak, _ = strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		}
	}
	return m
}

func mib(b int64) string { return fmt.Sprintf("%d MiB", b>>20) }

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

// latencies returns how long each student's first cell took (the import
// cell, whose program GoNB builds first), their first cell that runs code
// (2_1's Relu and Affine demo), and every later cell.
func latencies(runs []*run, cells []string) (first, firstRun, later []time.Duration) {
	run := slices.IndexFunc(cells, func(c string) bool { return strings.HasPrefix(c, "%%") })
	for _, r := range runs {
		for i, c := range r.cells {
			switch {
			case i == 0:
				first = append(first, c.Took)
			case i == run:
				firstRun = append(firstRun, c.Took)
			default:
				later = append(later, c.Took)
			}
		}
	}
	return
}

// load is the machine's load average over the last minute: the CPU is
// shared, and the figures mean little without it.
func load() string {
	b, _ := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); len(f) > 0 {
		return f[0]
	}
	return "?"
}

// TestClassOnHub is the load test of a class on one machine: N students
// (DLNB_HUB_STUDENTS, 6) log in through the hub's REST API, start their
// servers and run lesson 2_1 in quick mode with its gradient check through
// the proxy, all at once, after one student alone. Then one student's cell
// loops for ever and another's allocates far beyond the machine's memory
// while the others run cells again: theirs must pass and the hub must
// answer. It checks that students cannot reach each other or the admin API,
// that a hub restart keeps servers and saved work, and that culling idle
// servers leaves no process (no gopls) behind. Everything runs on
// 127.0.0.1 and every wait is bounded.
func TestClassOnHub(t *testing.T) {
	Require(t)
	n := students(t)
	testStart := time.Now()
	h := Start(t, Options{Students: n + 1, Prefix: "dlnbt", Mem: "3G", CPU: "1"})
	t.Logf("hub on %s with %d students (one alone first, then %d at once); started in %s", h.Base, n+1, n, time.Since(testStart).Round(time.Second))
	cells := lessonCells(t)
	var report []string
	say := func(format string, a ...any) {
		line := fmt.Sprintf(format, a...)
		report = append(report, line)
		t.Log(line)
	}

	// 1. One student alone.
	solo := session(h, h.Students[0], cells)
	if solo.err != nil {
		t.Fatalf("%s alone: %v", solo.student, solo.err)
	}
	checkLesson(t, solo)
	soloMem := h.memoryOf(solo.student)
	f, fr, l := latencies([]*run{solo}, cells)
	say("one student alone (load average %s): login %s, server %s, kernel %s; first cell (imports) %s, first cell that runs code %s, later cells p50 %s p95 %s (%d cells); first Tab %s",
		load(), secs(solo.login), secs(solo.spawn), secs(solo.kernelStart), secs(f[0]), secs(fr[0]), secs(percentile(l, 50)), secs(percentile(l, 95)), len(l), secs(solo.complete))

	// 2. N students at once.
	runs := make([]*run, n)
	var wg sync.WaitGroup
	phase := time.Now()
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); runs[i] = session(h, h.Students[i+1], cells) }()
	}
	wg.Wait()
	for _, r := range runs {
		if r.err != nil {
			t.Fatalf("%s, one of %d at once: %v", r.student, n, r.err)
		}
		checkLesson(t, r)
	}
	first, firstRun, later := latencies(runs, cells)
	var spawns, logins, tabs []time.Duration
	for _, r := range runs {
		spawns, logins, tabs = append(spawns, r.spawn), append(logins, r.login), append(tabs, r.complete)
	}
	say("%d students at once (load average %s): all passed in %s; login p95 %s, server start p50 %s p95 %s; first cell (imports) p50 %s p95 %s; first cell that runs code p50 %s p95 %s; later cells p50 %s p95 %s (%d cells); first Tab p50 %s p95 %s",
		n, load(), time.Since(phase).Round(time.Second), secs(percentile(logins, 95)), secs(percentile(spawns, 50)), secs(percentile(spawns, 95)),
		secs(percentile(first, 50)), secs(percentile(first, 95)), secs(percentile(firstRun, 50)), secs(percentile(firstRun, 95)),
		secs(percentile(later, 50)), secs(percentile(later, 95)), len(later), secs(percentile(tabs, 50)), secs(percentile(tabs, 95)))

	var mems []memory
	for _, r := range runs {
		mems = append(mems, h.memoryOf(r.student))
	}
	avg := func(get func(memory) int64) int64 {
		var s int64
		for _, m := range mems {
			s += get(m)
		}
		return s / int64(len(mems))
	}
	maxOf := func(get func(memory) int64) int64 {
		var s int64
		for _, m := range mems {
			s = max(s, get(m))
		}
		return s
	}
	say("memory per active student (mean of %d, max): server %s (%s), kernel %s (%s), gopls %s (%s), together %s (%s); cgroup now %s, peak with the cells' programs %s (%s); alone: together %s, peak %s",
		n, mib(avg(func(m memory) int64 { return m.server })), mib(maxOf(func(m memory) int64 { return m.server })),
		mib(avg(func(m memory) int64 { return m.kernel })), mib(maxOf(func(m memory) int64 { return m.kernel })),
		mib(avg(func(m memory) int64 { return m.gopls })), mib(maxOf(func(m memory) int64 { return m.gopls })),
		mib(avg(memory.steady)), mib(maxOf(memory.steady)), mib(avg(func(m memory) int64 { return m.cgroup })),
		mib(avg(func(m memory) int64 { return m.peak })), mib(maxOf(func(m memory) int64 { return m.peak })),
		mib(soloMem.steady()), mib(soloMem.peak))
	for _, m := range mems {
		if m.gopls == 0 || m.kernel == 0 || m.server == 0 {
			t.Errorf("a student's cgroup lacks the server, the kernel or gopls: %+v", m)
		}
	}

	// 3. Students cannot reach each other or the hub's admin API.
	a, b := runs[0], runs[1]
	checkIsolation(t, h, a, b)

	// 4. Runaway cells: a loop that never ends, an allocation far beyond
	// the machine's memory. The others run cells again meanwhile.
	runaway(t, h, runs, cells, say)

	// 5. A hub restart keeps the servers and the saved work; then idle
	// servers are culled and nothing of theirs is left running.
	restartAndCull(t, h, append([]*run{solo}, runs...), say)

	say("wall time of the load test: %s", time.Since(testStart).Round(time.Second))
	if out := os.Getenv("DLNB_HUB_REPORT"); out != "" {
		os.WriteFile(out, []byte(strings.Join(report, "\n")+"\n"), 0o644)
	}
}

// checkIsolation: a's token and a's kernel against b's server, files and
// processes, and the admin API.
func checkIsolation(t *testing.T, h *Hub, a, b *run) {
	for _, c := range []struct{ method, path, what string }{
		{"GET", "/hub/api/users", "list every user (admin API)"},
		{"POST", "/hub/api/users/" + b.student + "/server", "start another student's server"},
		{"DELETE", "/hub/api/users/" + b.student + "/server", "stop another student's server"},
		{"POST", "/hub/api/users/" + b.student + "/tokens", "make a token for another student"},
		{"GET", "/user/" + b.student + "/api/contents", "list another student's files"},
		{"GET", "/user/" + b.student + "/api/kernels", "list another student's kernels"},
		{"GET", "/hub/api/users/" + a.student + "/tokens", ""},
	} {
		status, err := h.Request(c.method, c.path, a.token, nil, nil)
		if c.what == "" { // a student may see their own tokens: the token works
			if err != nil || status != 200 {
				t.Errorf("%s %s with %s's own token: HTTP %d %v", c.method, c.path, a.student, status, err)
			}
			continue
		}
		if err != nil || status < 300 || (status >= 300 && status < 400 && c.method != "GET") {
			t.Errorf("%s could %s: %s %s answered HTTP %d %v", a.student, c.what, c.method, c.path, status, err)
		} else {
			t.Logf("%s cannot %s: HTTP %d", a.student, c.what, status)
		}
	}
	home := homeOf(t, b.student)
	kernelPid := 0
	for _, p := range h.Pids(b.student) {
		if Comm(p) == "gonb" {
			kernelPid = p
		}
	}
	if kernelPid == 0 {
		t.Fatalf("no gonb process in %s's cgroup", b.student)
	}
	code := fmt.Sprintf(`%%%%
report := func(what string, err error) { fmt.Printf("%%s: %%v\n", what, err) }
_, err := os.ReadDir(%q)
report("list workspace", err)
_, err = os.ReadFile(%q)
report("read notebook", err)
err = os.WriteFile(%q, []byte("x"), 0o644)
report("write file", err)
err = syscall.Kill(%d, syscall.SIGKILL)
report("kill kernel", err)
_, err = os.ReadFile("/proc/%d/environ")
report("read kernel environment", err)
_, err = os.ReadDir(%q)
report("list build cache", err)
`, filepath.Join(home, "workspace"), filepath.Join(home, "workspace", lesson), filepath.Join(home, "workspace", "from-"+a.student+".txt"),
		kernelPid, kernelPid, filepath.Join(h.Cache, b.student, "go-build"))
	res, err := a.kernel.Execute(code, 2*time.Minute)
	if err != nil || !res.OK {
		t.Fatalf("the isolation cell failed: %v\n%s", err, res.Text)
	}
	lines := strings.Split(strings.TrimSpace(res.Text), "\n")
	if len(lines) != 6 {
		t.Fatalf("the isolation cell printed:\n%s", res.Text)
	}
	for _, line := range lines {
		if !strings.Contains(line, "permission denied") && !strings.Contains(line, "operation not permitted") {
			t.Errorf("%s's kernel against %s: %s", a.student, b.student, line)
		}
	}
	t.Logf("%s's kernel against %s's files and kernel: %s", a.student, b.student, strings.Join(lines, "; "))
	if res, err := b.kernel.Execute("%%\nfmt.Println(\"still here\")", time.Minute); err != nil || !res.OK || !strings.Contains(res.Text, "still here") {
		t.Errorf("%s's kernel after %s's attempts: %v %s", b.student, a.student, err, res.Text)
	}
}

func homeOf(t *testing.T, name string) string {
	u, err := user.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return u.HomeDir
}

func readInt(path string) int64 {
	b, _ := os.ReadFile(path)
	v, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return v
}

// statField returns a "name value" field of a cgroup stat file.
func statField(path, name string) int64 {
	b, _ := os.ReadFile(path)
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == name {
			v, _ := strconv.ParseInt(f[1], 10, 64)
			return v
		}
	}
	return 0
}

const loopCell = "%%\nfmt.Println(\"looping\")\nx := 0\nfor {\n\tx++\n}\n"

// allocCell allocates 256 MiB at a time and touches every page, up to 64 GiB.
const allocCell = `%%
var keep [][]byte
for i := 1; i <= 256; i++ {
	b := make([]byte, 256<<20)
	for j := 0; j < len(b); j += 4096 {
		b[j] = 1
	}
	keep = append(keep, b)
	fmt.Printf("%d MiB\n", i*256)
}
`

func runaway(t *testing.T, h *Hub, runs []*run, cells []string, say func(string, ...any)) {
	looper, hog, others := runs[0], runs[1], runs[2:]
	limit := readInt(filepath.Join(h.CgroupDir(hog.student, "memory"), "memory.limit_in_bytes"))
	if limit == 0 {
		limit = readInt(filepath.Join(h.CgroupDir(hog.student, "memory"), "memory.max"))
	}
	if limit <= 0 || limit > 8<<30 {
		t.Fatalf("%s's memory limit is %d bytes, not the 3 GiB asked for: the allocation cell would take the machine, so it is not run", hog.student, limit)
	}
	oomBefore := statField(filepath.Join(h.CgroupDir(hog.student, "memory"), "memory.oom_control"), "oom_kill") +
		statField(filepath.Join(h.CgroupDir(hog.student, "memory"), "memory.events"), "oom_kill")
	cpuBefore := h.cpuUsed(looper.student)

	type outcome struct {
		res  Result
		err  error
		done time.Time
	}
	loopDone, hogDone := make(chan outcome, 1), make(chan outcome, 1)
	start := time.Now()
	go func() {
		r, err := looper.kernel.Execute(loopCell, 6*time.Minute)
		loopDone <- outcome{r, err, time.Now()}
	}()
	go func() {
		r, err := hog.kernel.Execute(allocCell, 5*time.Minute)
		hogDone <- outcome{r, err, time.Now()}
	}()

	// The hub answers throughout.
	stopProbe := make(chan struct{})
	var probeMu sync.Mutex
	var probes []time.Duration
	var probeErrs []string
	go func() {
		for {
			select {
			case <-stopProbe:
				return
			case <-time.After(time.Second):
			}
			t0 := time.Now()
			status, err := h.Request("GET", "/hub/api/", "", nil, nil)
			probeMu.Lock()
			probes = append(probes, time.Since(t0))
			if err != nil || status != 200 {
				probeErrs = append(probeErrs, fmt.Sprintf("HTTP %d %v", status, err))
			}
			probeMu.Unlock()
		}
	}()

	// The others run the lesson's demo cell, the chain rule and the
	// gradient check again.
	var wg sync.WaitGroup
	var mu sync.Mutex
	var during []time.Duration
	again := []string{cells[2], cells[len(cells)-2], cells[len(cells)-1]}
	for _, r := range others {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, c := range again {
				res, err := r.kernel.Execute(c, 3*time.Minute)
				if err != nil || !res.OK {
					t.Errorf("%s's cell %d during the runaway cells: %v\n%s", r.student, i+1, err, tail(res.Text, 10))
					return
				}
				mu.Lock()
				during = append(during, res.Took)
				mu.Unlock()
				if i == len(again)-1 {
					if err := exerciseCheck(res.Text); err != nil {
						t.Errorf("%s during the runaway cells: %v", r.student, err)
					}
				}
			}
		}()
	}
	wg.Wait()
	othersTook := time.Since(start)

	// The allocation ends by itself: the kernel's OOM killer, inside the
	// student's cgroup.
	var hogOut outcome
	select {
	case hogOut = <-hogDone:
	case <-time.After(3 * time.Minute):
		t.Fatalf("%s's allocation cell had not ended 3 minutes after the others finished", hog.student)
	}
	oom := statField(filepath.Join(h.CgroupDir(hog.student, "memory"), "memory.oom_control"), "oom_kill") +
		statField(filepath.Join(h.CgroupDir(hog.student, "memory"), "memory.events"), "oom_kill") - oomBefore
	if hogOut.err != nil || hogOut.res.OK {
		t.Errorf("%s's allocation cell: want an error reply (the program killed), got %v ok=%v:\n%s", hog.student, hogOut.err, hogOut.res.OK, tail(hogOut.res.Text, 5))
	}
	if oom < 1 {
		t.Errorf("%s's cgroup counts no OOM kill", hog.student)
	}
	allocated := ""
	if m := regexp.MustCompile(`(\d+) MiB\n`).FindAllStringSubmatch(hogOut.res.Text, -1); len(m) > 0 {
		allocated = m[len(m)-1][1] + " MiB"
	}
	hogAfter, err := hog.kernel.Execute("%%\nfmt.Println(\"still here\")", 2*time.Minute)
	if err != nil || !hogAfter.OK {
		t.Errorf("%s's kernel after the OOM kill: %v %s", hog.student, err, hogAfter.Text)
	}

	// The loop ends with one click: Kernel ▸ Interrupt.
	select {
	case o := <-loopDone:
		t.Fatalf("%s's endless loop ended by itself: %v %s", looper.student, o.err, o.res.Text)
	default:
	}
	clicked := time.Now()
	if err := looper.kernel.Interrupt(); err != nil {
		t.Fatal(err)
	}
	var loopOut outcome
	select {
	case loopOut = <-loopDone:
	case <-time.After(time.Minute):
		t.Fatalf("%s's endless loop did not stop within a minute of Kernel ▸ Interrupt", looper.student)
	}
	stopped := loopOut.done.Sub(clicked)
	cores := (h.cpuUsed(looper.student) - cpuBefore).Seconds() / clicked.Sub(start).Seconds()
	if cores > 1.05 {
		t.Errorf("%s's loop used %.2f cores, over its limit of 1", looper.student, cores)
	}
	if !strings.Contains(loopOut.res.Text, "looping") || loopOut.res.OK {
		t.Errorf("%s's loop cell after the interrupt: ok=%v\n%s", looper.student, loopOut.res.OK, loopOut.res.Text)
	}
	after, err := looper.kernel.Execute("%%\nfmt.Println(\"after the interrupt\")", 2*time.Minute)
	if err != nil || !after.OK {
		t.Errorf("%s's kernel after the interrupt: %v %s", looper.student, err, after.Text)
	}
	close(stopProbe)
	probeMu.Lock()
	defer probeMu.Unlock()
	if len(probeErrs) > 0 {
		t.Errorf("the hub did not answer %d of %d times during the runaway cells: %v", len(probeErrs), len(probes), probeErrs)
	}
	if percentile(probes, 100) > 5*time.Second {
		t.Errorf("the hub took %s to answer during the runaway cells", percentile(probes, 100))
	}
	gopls := 0
	for _, p := range h.Pids(hog.student) {
		if Comm(p) == "gopls" {
			gopls++
		}
	}
	goplsFate := "its gopls lived on"
	switch {
	case gopls > 0:
	case canLowerOOMScore():
		t.Errorf("%s's gopls did not survive the OOM kill of the cell's program", hog.student)
	default:
		// The spawner cannot shield gopls here (no CAP_SYS_RESOURCE, as in
		// this project's VMs): say what happened, it is no failure of ours.
		goplsFate = "its gopls was killed too (a second OOM kill: this machine's root lacks CAP_SYS_RESOURCE, so gopls cannot be shielded)"
	}
	say("runaway cells (load average %s): %s's allocation was OOM-killed in its own cgroup after %s (%d OOM kill, limit %s; the cell said %q); its kernel lived on and ran the next cell, %s; %s's endless loop used %.2f cores (limit 1) and stopped %s after Kernel ▸ Interrupt; meanwhile the other %d students' %d cells all passed (p50 %s, p95 %s, in %s) and the hub answered %d probes in at most %s",
		load(), hog.student, allocated, oom, mib(limit), lastLine(hogOut.res.Text), goplsFate, looper.student, cores, secs(stopped), len(others), len(during),
		secs(percentile(during, 50)), secs(percentile(during, 95)), othersTook.Round(time.Second), len(probes), secs(percentile(probes, 100)))
}

// restartAndCull restarts the hub, checks that every server survived with
// the work saved before, then lets the servers go idle with a short cull
// time and checks that each is stopped with nothing of it left running.
func restartAndCull(t *testing.T, h *Hub, runs []*run, say func(string, ...any)) {
	saved := runs[1]
	note := map[string]any{"type": "file", "format": "text", "content": "work saved before the hub restarted\n"}
	if _, err := h.Request("PUT", "/user/"+saved.student+"/api/contents/saved-work.txt", saved.token, note, &map[string]any{}); err != nil {
		t.Fatalf("saving a file: %v", err)
	}
	serverPids := map[string]int{}
	for _, r := range runs {
		r.kernel.Close()
		for _, p := range h.Pids(r.student) {
			if strings.HasPrefix(Comm(p), "jupyterhub-sin") {
				serverPids[r.student] = p
			}
		}
	}
	usedBefore := h.studentsRSS()
	t0 := time.Now()
	h.Restart()
	restart := time.Since(t0)
	// The new hub checks the servers it finds after it answers: wait for
	// all of them to show ready again.
	waitReady := time.Now().Add(2 * time.Minute)
	for _, r := range runs {
		for {
			ready, err := h.ServerReady(r.student, r.token)
			if err == nil && ready {
				break
			}
			if time.Now().After(waitReady) {
				t.Errorf("%s's server after the hub restart: ready=%v %v", r.student, ready, err)
				break
			}
			time.Sleep(time.Second)
		}
	}
	recovered := time.Since(t0)
	var got struct{ Content string }
	if _, err := h.Request("GET", "/user/"+saved.student+"/api/contents/saved-work.txt?content=1&type=file&format=text", saved.token, nil, &got); err != nil || !strings.Contains(got.Content, "work saved") {
		t.Errorf("the work saved before the restart: %v %q", err, got.Content)
	}
	for _, r := range runs {
		found := false
		for _, p := range h.Pids(r.student) {
			found = found || p == serverPids[r.student]
		}
		if !found {
			t.Errorf("%s's server (pid %d) did not survive the hub restart", r.student, serverPids[r.student])
		}
	}
	// The kernels kept running too: open one again and run a cell that uses
	// a declaration from before the restart.
	k, err := h.StartKernelID(saved.student, saved.token, saved.kernel.ID)
	if err != nil {
		t.Fatalf("reconnecting to %s's kernel after the restart: %v", saved.student, err)
	}
	res, err := k.Execute("%%\nfmt.Println(len(NewTwoLayerNet(4, 3, 2, 0.1).Params))", 2*time.Minute)
	if err != nil || !res.OK || strings.TrimSpace(res.Text) != "4" {
		t.Errorf("%s's kernel after the hub restart: %v %q", saved.student, err, res.Text)
	}
	k.Close()

	// Culling: the teacher restarts the hub with a short idle time (30 s,
	// activity reported every 5 s); with nothing running, every server
	// stops within it and the culler's period, and takes all its processes.
	h.restartWith(30, 5)
	t0 = time.Now()
	deadline := t0.Add(3 * time.Minute)
	left := map[string]bool{}
	for _, r := range runs {
		left[r.student] = true
	}
	for len(left) > 0 && time.Now().Before(deadline) {
		time.Sleep(3 * time.Second)
		for s := range left {
			if gone, err := h.ServerGone(s, tokenOf(runs, s)); err == nil && gone {
				delete(left, s)
			}
		}
	}
	if len(left) > 0 {
		t.Fatalf("not culled 3 minutes after going idle: %v\n%s", left, tail(h.Log(), 30))
	}
	culled := time.Since(t0)
	// The hub reports a server gone while the spawner still ends what its
	// server left (a kernel it killed leaves gopls): a few seconds more.
	settle := time.Now().Add(30 * time.Second)
	for _, r := range runs {
		for (len(UserPids(r.student)) > 0 || exists(h.CgroupDir(r.student, "memory"))) && time.Now().Before(settle) {
			time.Sleep(500 * time.Millisecond)
		}
		if p := UserPids(r.student); len(p) > 0 {
			var names []string
			for _, pid := range p {
				names = append(names, fmt.Sprintf("%s(%d)", Comm(pid), pid))
			}
			t.Errorf("%s's processes left after culling: %v", r.student, names)
		}
		if exists(h.CgroupDir(r.student, "memory")) {
			t.Errorf("%s's cgroup is left after culling", r.student)
		}
	}
	usedAfter := h.studentsRSS()
	say("hub restart: answering again after %s, all %d servers ready after %s, their kernels and the saved work kept; after a restart with 30 s idle time all were culled within %s, with no process (no gopls) left; the students' resident memory went from %s to %s",
		secs(restart), len(runs), secs(recovered), culled.Round(time.Second), mib(usedBefore), mib(usedAfter))
}

func tokenOf(runs []*run, s string) string {
	for _, r := range runs {
		if r.student == s {
			return r.token
		}
	}
	return ""
}

// studentsRSS is the resident memory of all students' processes together
// (the parent cgroup's rss; page cache, which the kernel reclaims, left out).
func (h *Hub) studentsRSS() int64 {
	if exists("/sys/fs/cgroup/cgroup.controllers") {
		return statField(filepath.Join("/sys/fs/cgroup", h.Cgroup, "memory.stat"), "anon")
	}
	return statField(filepath.Join("/sys/fs/cgroup/memory", h.Cgroup, "memory.stat"), "total_rss")
}

// cpuUsed is the CPU time a student's cgroup has used.
func (h *Hub) cpuUsed(student string) time.Duration {
	if exists("/sys/fs/cgroup/cgroup.controllers") {
		return time.Duration(statField(filepath.Join(h.CgroupDir(student, "cpu"), "cpu.stat"), "usage_usec")) * time.Microsecond
	}
	return time.Duration(readInt(filepath.Join(h.CgroupDir(student, "cpuacct"), "cpuacct.usage")))
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// canLowerOOMScore tells whether this process (root, like the hub) has
// CAP_SYS_RESOURCE, which lowering a process's oom_score_adj needs.
func canLowerOOMScore() bool {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "CapEff:"); ok {
			caps, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
			return err == nil && caps&(1<<24) != 0 // CAP_SYS_RESOURCE
		}
	}
	return false
}
