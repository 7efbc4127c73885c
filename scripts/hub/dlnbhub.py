"""dlnbhub — the JupyterHub spawner of a dlnb class on one machine (see docs/class.md).

JupyterHub's LocalProcessSpawner starts each student's server as the student's Unix user, but it
does not enforce mem_limit or cpu_limit: they are only settings there. CgroupSpawner does. Before a
student's server starts it puts the server in a control group of its own (cgroup v1 memory, cpu and
pids controllers, or cgroup v2 where the machine has it), with

    memory   mem_limit (no swap); a runaway allocation is ended by the kernel's OOM killer inside
             that group, not elsewhere
    cpu      cpu_limit cores at most (CFS quota), cpu_guarantee as the relative share
    pids     pids_limit processes and threads

Everything the server starts (the GoNB kernel, gopls, each cell's program, terminals) is in the same
group. When the server stops (the student, the idle culler, the teacher, or because it died), every
process left in the group is killed and the group removed: a kernel killed without a shutdown request
leaves its gopls running (166 MB to 1.4 GB each); here it cannot outlive the server. While the server
runs, a process in the group whose parent has gone (such a gopls, or the program of a killed kernel)
is killed at the next poll, every poll_interval seconds, and gopls is shielded from the OOM killer
(CgroupSpawner._tend says why).

Before the server starts, the spawner also
  - brings the course into the student's workspace, as the student (scripts/hub/workspace.py):
    missing notebooks copied, changed ones put beside the student's copy as NAME.new.ipynb;
  - gives the student a Go build cache of their own, seeded with hard links to the warmed, read-only
    build cache of the shared installation, so that the first cell does not compile dlnb. Go needs a
    writable build cache (a read-only one fails with "permission denied"), so the links live in a
    folder the student owns, inside a root-owned one the student cannot redirect.
"""

import asyncio
import errno
import os
import pwd
import shutil
import signal
import subprocess
import sys
import time

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import Integer, Unicode


class CgroupError(RuntimeError):
    pass


def _read(path):
    with open(path) as f:
        return f.read()


def _write(path, value):
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, str(value).encode())
    except OSError as e:
        raise CgroupError("cannot write %r to %s: %s" % (value, path, e)) from e
    finally:
        os.close(fd)


class Cgroups:
    """The control groups of one name under a parent, in cgroup v1 or v2."""

    V1_CONTROLLERS = ("memory", "cpu", "pids")
    V1_OPTIONAL = ("cpuacct",)  # CPU time used, for the teacher and the load test

    def __init__(self, parent, name):
        self.parent, self.name = parent, name
        self.v1 = {}  # controller -> mount point
        self.v2 = None  # unified mount point, when its controllers are usable
        v2mount = None
        with open("/proc/self/mountinfo") as f:
            for line in f:
                parts = line.split()
                sep = parts.index("-")
                fstype, mount, options = parts[sep + 1], parts[4], parts[sep + 3]
                if fstype == "cgroup":
                    for opt in options.split(","):
                        if opt in self.V1_CONTROLLERS + self.V1_OPTIONAL:
                            self.v1.setdefault(opt, mount)
                elif fstype == "cgroup2" and v2mount is None:
                    v2mount = mount
        if all(c in self.v1 for c in self.V1_CONTROLLERS):
            return
        self.v1 = {}
        if v2mount:
            have = _read(os.path.join(v2mount, "cgroup.controllers")).split()
            if all(c in have for c in self.V1_CONTROLLERS):
                self.v2 = v2mount
                return
        raise CgroupError(
            "no usable cgroups: the memory, cpu and pids controllers must be mounted (cgroup v1 under "
            "/sys/fs/cgroup/<controller>, or cgroup v2 with those controllers at /sys/fs/cgroup), and "
            "the hub must run as root. Without them one student's runaway cell can take the machine; "
            "see docs/class.md")

    @property
    def version(self):
        return 2 if self.v2 else 1

    def parent_dirs(self):
        if self.v2:
            return [os.path.join(self.v2, self.parent)]
        return [os.path.join(m, self.parent) for m in dict.fromkeys(self.v1.values())]

    def dirs(self):
        return [os.path.join(d, self.name) for d in self.parent_dirs()]

    def _dir(self, controller, name=None):
        base = self.v2 if self.v2 else self.v1[controller]
        return os.path.join(base, self.parent, name if name is not None else self.name)

    def make_parent(self, mem_total=0):
        for d in self.parent_dirs():
            os.makedirs(d, exist_ok=True)
        if self.v2:
            for d in (self.v2, os.path.join(self.v2, self.parent)):
                _write(os.path.join(d, "cgroup.subtree_control"), "+memory +cpu +pids")
            if mem_total:
                _write(os.path.join(self.v2, self.parent, "memory.max"), mem_total)
        elif mem_total:
            _write(os.path.join(self.v1["memory"], self.parent, "memory.limit_in_bytes"), mem_total)

    def create(self, mem_limit, cpu_limit, cpu_guarantee, pids_limit, mem_total=0):
        """Makes the groups (empty) and sets their limits."""
        self.make_parent(mem_total)
        for d in self.dirs():
            os.makedirs(d, exist_ok=True)
        period = 100000
        if self.v2:
            _write(self._dir("memory") + "/memory.max", mem_limit or "max")
            if os.path.exists(self._dir("memory") + "/memory.swap.max"):
                _write(self._dir("memory") + "/memory.swap.max", 0)
            _write(self._dir("cpu") + "/cpu.max", "%s %d" % (int(cpu_limit * period) if cpu_limit else "max", period))
            _write(self._dir("cpu") + "/cpu.weight", max(1, min(10000, int(100 * (cpu_guarantee or 1)))))
            _write(self._dir("pids") + "/pids.max", pids_limit or "max")
            return
        mem = self._dir("memory")
        _write(mem + "/memory.limit_in_bytes", mem_limit or -1)
        if mem_limit and os.path.exists(mem + "/memory.memsw.limit_in_bytes"):
            _write(mem + "/memory.memsw.limit_in_bytes", mem_limit)  # no swap beyond the limit
        cpu = self._dir("cpu")
        _write(cpu + "/cpu.cfs_period_us", period)
        _write(cpu + "/cpu.cfs_quota_us", int(cpu_limit * period) if cpu_limit else -1)
        _write(cpu + "/cpu.shares", max(2, int(1024 * (cpu_guarantee or 1))))
        _write(self._dir("pids") + "/pids.max", pids_limit or "max")

    def procs_files(self):
        return [os.path.join(d, "cgroup.procs") for d in self.dirs()]

    def pids(self):
        """The processes in the groups (an empty set when they do not exist)."""
        out = set()
        for p in self.procs_files():
            try:
                out.update(int(x) for x in _read(p).split())
            except FileNotFoundError:
                pass
        return out

    def memory(self):
        """(current, peak) bytes charged to the group, or None."""
        d = self._dir("memory")
        try:
            if self.v2:
                peak = d + "/memory.peak"
                return int(_read(d + "/memory.current")), int(_read(peak)) if os.path.exists(peak) else None
            return int(_read(d + "/memory.usage_in_bytes")), int(_read(d + "/memory.max_usage_in_bytes"))
        except FileNotFoundError:
            return None

    def kill_all(self, timeout=10.0):
        """Kills every process in the groups and removes them. Returns how many were killed."""
        killed = set()
        if self.v2 and os.path.exists(self._dir("pids") + "/cgroup.kill"):
            try:
                _write(self._dir("pids") + "/cgroup.kill", 1)
            except CgroupError:
                pass
        deadline = time.monotonic() + timeout
        while True:
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed.add(pid)
                except ProcessLookupError:
                    pass
            if time.monotonic() > deadline:
                raise CgroupError("processes %s in %s did not die" % (sorted(pids), self.dirs()))
            time.sleep(0.05)
        for d in self.dirs():
            for _ in range(100):
                try:
                    os.rmdir(d)
                    break
                except FileNotFoundError:
                    break
                except OSError as e:
                    if e.errno != errno.EBUSY:
                        raise
                    time.sleep(0.05)
        return len(killed)


def ppid(pid):
    """The parent of pid, or None when it is gone."""
    try:
        stat = _read("/proc/%d/stat" % pid)
    except (FileNotFoundError, ProcessLookupError):
        return None
    return int(stat[stat.rindex(")") + 2:].split()[1])


def comm(pid):
    try:
        return _read("/proc/%d/comm" % pid).strip()
    except (FileNotFoundError, ProcessLookupError):
        return "?"


def seed_gocache(seed, root, user):
    """Gives user a Go build cache made of hard links to the files of seed.

    root/<user> is root-owned (the student cannot replace it or what is in it by a link); the cache
    is root/<user>/go-build, owned by the student. It is made again (the old one removed) when the
    seed changed since, which seed/../gocache.id tells. Returns the cache's path.
    """
    pw = pwd.getpwnam(user)
    home = os.path.join(root, user)
    os.makedirs(root, mode=0o711, exist_ok=True)
    os.chmod(root, 0o711)
    os.makedirs(home, mode=0o711, exist_ok=True)
    st = os.lstat(home)
    if st.st_uid != 0 or not os.path.isdir(home) or os.path.islink(home):
        raise RuntimeError("%s must be a folder owned by root" % home)
    os.chmod(home, 0o711)  # the student passes through to their cache, and sees nothing else
    cache = os.path.join(home, "go-build")
    stamp = os.path.join(home, "seed.id")
    try:
        want = _read(seed + ".id").strip()
    except FileNotFoundError:
        want = "none"
    try:
        have = _read(stamp).strip()
    except FileNotFoundError:
        have = ""
    if have == want and os.path.isdir(cache):
        return cache
    new = cache + ".new"
    if os.path.lexists(new):
        shutil.rmtree(new)
    if os.path.isdir(seed):
        subprocess.run(["cp", "-al", seed, new], check=True)
    else:
        os.mkdir(new)
    trim = os.path.join(new, "trim.txt")
    if os.path.lexists(trim):
        os.unlink(trim)  # Go rewrites it; a root-owned link would stay unwritable
    # Subfolders first, the top last: until then the student cannot reach into the tree.
    for dirpath, dirnames, _ in os.walk(new, topdown=False):
        for d in dirnames:
            os.lchown(os.path.join(dirpath, d), pw.pw_uid, pw.pw_gid)
    os.lchown(new, pw.pw_uid, pw.pw_gid)
    os.chmod(new, 0o700)
    if os.path.lexists(cache):
        old = cache + ".old"
        if os.path.lexists(old):
            shutil.rmtree(old)
        os.rename(cache, old)
        shutil.rmtree(old)
    os.rename(new, cache)
    with open(stamp, "w") as f:
        f.write(want + "\n")
    return cache


def touch_seed(seed, older_than=86400):
    """Go trims build-cache entries unused for 5 days by their mtime, which a student cannot update
    on root-owned links: refresh the seed's files (all their links share them) once a day."""
    marker = seed + ".touched"
    try:
        if time.time() - os.stat(marker).st_mtime < older_than:
            return
    except FileNotFoundError:
        pass
    now = time.time()
    for dirpath, _, files in os.walk(seed):
        for f in files:
            try:
                os.utime(os.path.join(dirpath, f), (now, now))
            except OSError:
                pass
    with open(marker, "w"):
        pass


class CgroupSpawner(LocalProcessSpawner):
    """LocalProcessSpawner whose servers run with enforced limits in a cgroup each (module doc)."""

    cgroup_parent = Unicode("dlnb-hub", help="the parent cgroup of the students' groups").tag(config=True)
    mem_total = Unicode("", help="memory limit of all students together (bytes, K/M/G/T suffix)").tag(config=True)
    pids_limit = Integer(1024, help="processes and threads per student").tag(config=True)
    course_notebooks = Unicode("", help="the course notebooks copied into each workspace").tag(config=True)
    workspace_name = Unicode("workspace", help="the workspace folder in each student's home").tag(config=True)
    workspace_script = Unicode(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "workspace.py")).tag(config=True)
    gocache_seed = Unicode("", help="the warmed Go build cache, read-only").tag(config=True)
    gocache_root = Unicode("/var/cache/dlnb-hub", help="where the students' own Go build caches are").tag(config=True)
    shell = Unicode("/bin/bash", help="SHELL for terminals (students' login shell is nologin)").tag(config=True)
    log_dir = Unicode("/var/log/dlnb-hub", help="where each student's server writes its log").tag(config=True)

    _starting = False
    _unshielded = False

    def _server_log(self):
        """The student's server writes its log to log_dir/<name>.log, not to the hub's output: a
        server outlives a restart of the hub, and must not hold the hub's terminal or pipe."""
        os.makedirs(self.log_dir, mode=0o700, exist_ok=True)
        fd = os.open(os.path.join(self.log_dir, self.user.name + ".log"),
                     os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o600)
        return os.fdopen(fd, "ab", buffering=0)

    def _cgroups(self):
        return Cgroups(self.cgroup_parent, self.user.name)

    def _home(self):
        return pwd.getpwnam(self.user.name).pw_dir

    def user_env(self, env):
        env = super().user_env(env)
        env["SHELL"] = self.shell
        env["GOCACHE"] = os.path.join(self.gocache_root, self.user.name, "go-build")
        return env

    def make_preexec_fn(self, name):
        setuid = set_user_setuid(name)
        procs = self._cgroups().procs_files()

        def preexec():
            pid = str(os.getpid()).encode()
            for p in procs:
                fd = os.open(p, os.O_WRONLY)
                os.write(fd, pid)
                os.close(fd)
            setuid()

        return preexec

    def _run_as_student(self, argv):
        home = self._home()
        env = {"HOME": home, "USER": self.user.name, "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
        return subprocess.run(argv, preexec_fn=set_user_setuid(self.user.name), env=env, cwd=home,
                              capture_output=True, text=True, timeout=120)

    def _prepare(self):
        """As root, before the server starts: workspace, Go build cache, cgroups."""
        if self.course_notebooks:
            ws = os.path.join(self._home(), self.workspace_name)
            r = self._run_as_student([sys.executable, self.workspace_script, self.course_notebooks, ws])
            if r.returncode != 0:
                raise RuntimeError("could not update %s's workspace: %s" % (self.user.name, r.stderr.strip()))
            for line in r.stdout.splitlines():
                self.log.info("workspace of %s: %s", self.user.name, line)
        if self.gocache_seed:
            touch_seed(self.gocache_seed)
            seed_gocache(self.gocache_seed, self.gocache_root, self.user.name)
        cg = self._cgroups()
        left = cg.kill_all()
        if left:
            self.log.warning("killed %d processes left in %s's cgroup by an earlier server", left, self.user.name)
        cg.create(self.mem_limit, self.cpu_limit, self.cpu_guarantee, self.pids_limit, _bytes(self.mem_total))

    async def start(self):
        self._starting = True
        try:
            await asyncio.to_thread(self._prepare)
            self.notebook_dir = os.path.join(self._home(), self.workspace_name)
            log = self._server_log()
            self.popen_kwargs = dict(self.popen_kwargs, stdout=log, stderr=log)
            try:
                return await super().start()
            finally:
                log.close()  # the server has its own copy
        finally:
            self._starting = False

    async def _reap(self):
        try:
            n = await asyncio.to_thread(self._cgroups().kill_all)
        except CgroupError as e:
            self.log.error("cleaning up %s's cgroup: %s", self.user.name, e)
            return
        if n:
            self.log.info("killed %d processes left in %s's cgroup after its server stopped", n, self.user.name)

    def _tend(self):
        """While the server runs (each poll): kills processes in the group whose parent left it
        (not the server itself), and shields gopls from the OOM killer.

        When a cell's program runs the group out of memory, the kernel's OOM killer ends the
        largest process, that program. Measured here (2026-12-08): 0.2 s later, with the program's
        memory not yet given back, a second OOM kill took the student's gopls, the next largest
        (540 MB), and GoNB does not start gopls again: Tab and Shift+Tab were gone until the kernel
        restarted. gopls gets oom_score_adj -500 (the kernel, the server and the cells' programs
        keep 0), so that it is chosen only when nothing else can free the memory. That needs
        CAP_SYS_RESOURCE; without it (some containers and VMs) the spawner says so once."""
        cg = self._cgroups()
        pids = cg.pids()
        for pid in pids:
            if pid == self.pid:
                continue
            parent = ppid(pid)
            if parent is not None and parent not in pids:
                self.log.info("killing %s (pid %d) of %s: its parent is gone", comm(pid), pid, self.user.name)
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            elif comm(pid) == "gopls" and not self._unshielded:
                try:
                    with open("/proc/%d/oom_score_adj" % pid, "r+") as f:
                        if f.read().strip() == "0":
                            f.seek(0)
                            f.write("-500")
                except PermissionError:
                    # Lowering oom_score_adj needs CAP_SYS_RESOURCE, which root has on a
                    # server but not in every container or VM.
                    self._unshielded = True
                    self.log.warning("cannot shield %s's gopls from the OOM killer: the hub lacks "
                                     "CAP_SYS_RESOURCE; a cell that runs out of memory may take gopls "
                                     "with it (Tab then needs Kernel > Restart)", self.user.name)
                except OSError:
                    pass

    async def poll(self):
        status = await super().poll()
        if self._starting:
            return status
        if status is not None:
            await self._reap()
        else:
            await asyncio.to_thread(self._tend)
        return status

    async def stop(self, now=False):
        try:
            await super().stop(now=now)
        finally:
            await self._reap()


def _bytes(spec):
    """'2G' -> 2147483648; '' -> 0."""
    if not spec:
        return 0
    if isinstance(spec, int):
        return spec
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    s = str(spec).strip().upper().rstrip("B")
    if s and s[-1] in units:
        return int(float(s[:-1]) * units[s[-1]])
    return int(s)
