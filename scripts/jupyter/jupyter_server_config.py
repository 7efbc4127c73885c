# JupyterLab server settings for dlnb, loaded by scripts/notebook.sh (jupyter lab --config=...).
c = get_config()  # noqa: F821 (defined by Jupyter when it loads this file)

# The kernel's status (idle/busy) in JupyterLab comes from the kernel's status
# messages, but JupyterLab ignores those answering the message types listed
# here. JupyterLab learns "idle" from the first tracked request after the
# kernel_info_request; with IPython that is a history_request, which the GoNB
# kernel leaves unanswered, so a freshly opened Go notebook showed the kernel
# as "Unknown" (an offline icon) until its first cell ran. Tracking
# kernel_info_request/reply too lets the status read "Idle" as soon as the
# kernel is connected. The rest is jupyter_server 2's default list.
c.MappingKernelManager.untracked_message_types = [
    "comm_info_request", "comm_info_reply",
    "shutdown_request", "shutdown_reply",
    "interrupt_request", "interrupt_reply",
    "debug_request", "debug_reply",
    "stream", "display_data", "update_display_data", "execute_input", "execute_result",
    "error", "status", "clear_output", "debug_event", "input_request", "input_reply",
]

# The notebooks in notebooks/ are the course's only source, committed without
# outputs. When JupyterLab saves a notebook there (scripts/notebook.sh --edit),
# the copy on disk loses its outputs, execution counts and per-run metadata,
# so what is saved is what can be committed, and running a notebook never
# makes the tests fail. go run ./dlnb/cmd/dlnb nbclean does the same from the
# command line. Students work in workspace/ (the default of notebook.sh), where
# outputs are kept.
import os

_COURSE_DIR = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "notebooks"))
_VOLATILE_CELL_METADATA = ("execution", "scrolled", "collapsed", "jupyter")


def _strip_outputs(model, path, contents_manager, **kwargs):
    if model.get("type") != "notebook" or not isinstance(model.get("content"), dict):
        return
    os_path = os.path.realpath(contents_manager._get_os_path(path))
    in_course = os.path.dirname(os_path) == _COURSE_DIR
    if not in_course and os.environ.get("DLNB_STRIP_ON_SAVE") != "1":
        return
    nb = model["content"]
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        for key in _VOLATILE_CELL_METADATA:
            cell.get("metadata", {}).pop(key, None)
    nb.get("metadata", {}).pop("widgets", None)


c.FileContentsManager.pre_save_hook = _strip_outputs
