"""workspace.py — give a student their own copy of each course notebook, never overwriting theirs.

    python3 workspace.py COURSE_NOTEBOOKS_DIR WORKSPACE_DIR

The rule of scripts/notebook.sh, for a class on JupyterHub: a course notebook that is not in the
workspace yet is copied there; when a course notebook changes after it was copied, the student's copy
is kept and the new version is put beside it as NAME.new.ipynb. WORKSPACE/.course/NAME.sha256
remembers which course version a copy came from. The hub runs this as the student (never as root, so
that a link the student made cannot send a write elsewhere) each time their server starts, and
scripts/hub.sh update runs it for every student. Prints one line per file it wrote.
"""

import hashlib
import os
import shutil
import sys


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sync(course, workspace):
    os.makedirs(os.path.join(workspace, ".course"), mode=0o700, exist_ok=True)
    for name in sorted(os.listdir(course)):
        if not name.endswith(".ipynb") or name.endswith(".new.ipynb"):
            continue
        src = os.path.join(course, name)
        dst = os.path.join(workspace, name)
        stamp = os.path.join(workspace, ".course", name + ".sha256")
        digest = sha256(src)
        try:
            with open(stamp) as f:
                seen = f.read().strip()
        except FileNotFoundError:
            seen = ""
        if not os.path.lexists(dst):
            shutil.copyfile(src, dst)
            print("copied %s" % name)
        elif seen == digest:
            continue
        else:
            new = name[: -len(".ipynb")] + ".new.ipynb"
            shutil.copyfile(src, os.path.join(workspace, new))
            print("%s changed in the course: your copy is kept, the new version is %s" % (name, new))
        with open(stamp, "w") as f:
            f.write(digest + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().split("\n\n")[1].strip())
    os.umask(0o077)
    sync(sys.argv[1], sys.argv[2])
