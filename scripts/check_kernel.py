"""check_kernel.py — the Go kernel as JupyterLab uses it, without a browser.

Starts the kernel that scripts/setup.sh installed (Go (gonb), in .venv), runs a cell that imports
dlnb, then asks what Tab and Shift+Tab ask: a completion of `nets.New` must offer
NewSimpleConvNet and the help on `nets.NewSimpleConvNet` must show its doc comment. Prints each
step with its time; exits 1, saying which step failed, when one does.

    .venv/bin/python scripts/check_kernel.py [--timeout SECONDS]

scripts/fresh.sh runs it on a new user's machine and again with no network.
"""

import argparse
import sys
import tempfile
import time

from jupyter_client.manager import start_new_kernel

IMPORTS = '%noautoget\nimport "github.com/dlnb/course/dlnb/nets"\n'
RUN = '%%\nfmt.Println(nets.NewTwoLayerNet(784, 50, 10, 0.01).Summary() != "")\n'
COMPLETE = "%%\nn := nets.New"
WANT_COMPLETION = "NewSimpleConvNet"
INSPECT = "%%\nn := nets.NewSimpleConvNet"
WANT_HELP = "SimpleConvNet: Conv1 → Relu1"


def run_cell(kc, code, timeout):
    """Executes code; returns (ok, text shown)."""
    shown = []

    def hook(msg):
        c = msg["content"]
        if msg["msg_type"] == "stream":
            shown.append(c["text"])
        elif msg["msg_type"] == "error":
            shown.append("%s: %s" % (c.get("ename"), c.get("evalue")))
        elif msg["msg_type"] in ("display_data", "execute_result"):
            shown.append(c["data"].get("text/plain", ""))

    reply = kc.execute_interactive(code, timeout=timeout, output_hook=hook)
    return reply["content"]["status"] == "ok", "".join(shown)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kernel", default="gonb")
    ap.add_argument("--timeout", type=float, default=120, help="limit for each step, in seconds")
    ap.add_argument("--idle", type=float, default=0,
                    help="seconds to wait after the import cell before the first Tab, as a student reading would")
    args = ap.parse_args()

    failed = []

    def step(name, ok, took, detail=""):
        print("%-34s %6.2f s  %s%s" % (name, took, "ok" if ok else "FAILED", ("  " + detail) if detail else ""))
        sys.stdout.flush()
        if not ok:
            failed.append(name)

    with tempfile.TemporaryDirectory(prefix="dlnb-kernel-check-") as cwd:
        t = time.monotonic()
        km, kc = start_new_kernel(kernel_name=args.kernel, startup_timeout=args.timeout, cwd=cwd)
        step("kernel started", True, time.monotonic() - t)
        try:
            t = time.monotonic()
            ok, text = run_cell(kc, IMPORTS, args.timeout)
            step("import cell", ok and "rror" not in text, time.monotonic() - t, text.strip()[:300])
            t = time.monotonic()
            ok, text = run_cell(kc, RUN, args.timeout)
            step("cell using nets", ok and text.strip() == "true", time.monotonic() - t, text.strip()[:300])

            time.sleep(args.idle)
            # As a student would: Tab, and Tab again while nothing is offered.
            # The first answer's time is what the first Tab costs.
            t = time.monotonic()
            tries, first = 0, None
            while True:
                tries += 1
                t1 = time.monotonic()
                reply = kc.complete(COMPLETE, len(COMPLETE), reply=True, timeout=args.timeout)
                matches = reply["content"].get("matches", [])
                first = first if first is not None else time.monotonic() - t1
                if WANT_COMPLETION in matches or time.monotonic() - t > args.timeout:
                    break
            step("completion (Tab) of nets.New", WANT_COMPLETION in matches, time.monotonic() - t,
                 "first answer after %.2f s, %d Tab(s), %d matches" % (first, tries, len(matches)))
            t = time.monotonic()
            reply = kc.complete(COMPLETE, len(COMPLETE), reply=True, timeout=args.timeout)
            matches = reply["content"].get("matches", [])
            step("completion again", WANT_COMPLETION in matches, time.monotonic() - t, "%d matches" % len(matches))

            t = time.monotonic()
            reply = kc.inspect(INSPECT, len(INSPECT), reply=True, timeout=args.timeout)
            data = reply["content"].get("data", {})
            help_text = data.get("text/markdown") or data.get("text/plain", "")
            step("help (Shift+Tab) on NewSimpleConvNet", WANT_HELP in help_text, time.monotonic() - t,
                 " ".join(help_text.split())[:120] if help_text.strip() else "no help text")
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=False)  # GoNB stops its gopls only on a shutdown request

    if failed:
        print("check_kernel: failed: " + "; ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
