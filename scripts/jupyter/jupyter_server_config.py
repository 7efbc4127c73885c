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
