# JupyterHub configuration of a dlnb class on one machine. scripts/hub.sh starts the hub with it and
# sets the DLNB_HUB_* variables below; docs/class.md explains each choice.
import grp
import os
import sys

c = get_config()  # noqa: F821 (defined by JupyterHub when it loads this file)

env = os.environ.get
prefix = env("DLNB_HUB_PREFIX", "/opt/dlnb")  # the shared installation (scripts/hub.sh install)
state = env("DLNB_HUB_STATE", "/var/lib/dlnb-hub")  # database, secrets, passwords, log
group = env("DLNB_HUB_GROUP", "dlnb-class")  # the class: the students are the members of this Unix group
venv = os.path.join(prefix, "venv")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dlnbhub  # noqa: E402

# --- Where the hub listens: the students' address, and the hub's own API on the loopback only.
c.JupyterHub.ip = env("DLNB_HUB_IP", "0.0.0.0")
c.JupyterHub.port = int(env("DLNB_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env("DLNB_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%s" % env("DLNB_HUB_PROXY_API_PORT", "8001")
c.ConfigurableHTTPProxy.command = [os.path.join(prefix, "proxy", "node_modules", ".bin", "configurable-http-proxy")]
if env("DLNB_HUB_SSL_CERT"):
    c.JupyterHub.ssl_cert = env("DLNB_HUB_SSL_CERT")
    c.JupyterHub.ssl_key = env("DLNB_HUB_SSL_KEY")
c.JupyterHub.db_url = "sqlite:///" + os.path.join(state, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(state, "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(state, "jupyterhub.pid")
# A restart of the hub (a new version, a crash) leaves the students' servers and kernels running;
# the new hub finds them again. Their saved work is in their homes either way.
c.JupyterHub.cleanup_servers = False

# --- Who may log in: local Unix users in the class group, with the passwords scripts/hub.sh made
# (PAM, JupyterHub's default authenticator). Members at start-up are known to the hub at once (so
# that they can log in through the REST API too); students added later with scripts/hub.sh add
# can log in through the group.
c.JupyterHub.authenticator_class = "pam"
members = sorted(grp.getgrnam(group).gr_mem) if group in {g.gr_name for g in grp.getgrall()} else []
c.Authenticator.allowed_users = set(members)
c.LocalAuthenticator.allowed_groups = {group}
c.Authenticator.admin_users = set(filter(None, env("DLNB_HUB_ADMINS", "").split(",")))
c.PAMAuthenticator.open_sessions = False

# --- Each student's server: JupyterLab from the shared environment, on their workspace, as their
# Unix user, inside a cgroup with enforced limits (scripts/hub/dlnbhub.py).
c.JupyterHub.spawner_class = dlnbhub.CgroupSpawner
c.Spawner.cmd = [os.path.join(venv, "bin", "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.mem_limit = env("DLNB_HUB_MEM", "3G")
c.Spawner.cpu_limit = float(env("DLNB_HUB_CPU", "1"))
c.Spawner.cpu_guarantee = 1.0  # equal shares: a busy student gets no more than another busy one
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.environment = {
    "PATH": os.path.join(venv, "bin") + ":/usr/local/bin:/usr/bin:/bin",
    "LANG": env("LANG", "C.UTF-8"),
    "JUPYTER_PATH": os.path.join(venv, "share", "jupyter"),
}
c.LocalProcessSpawner.env_keep = []  # nothing of the hub's own environment reaches a student
c.LocalProcessSpawner.interrupt_timeout = 10
c.LocalProcessSpawner.term_timeout = 10
c.CgroupSpawner.cgroup_parent = env("DLNB_HUB_CGROUP", "dlnb-hub")
c.CgroupSpawner.mem_total = env("DLNB_HUB_MEM_TOTAL", "")
c.CgroupSpawner.course_notebooks = os.path.join(prefix, "course", "notebooks")
c.CgroupSpawner.gocache_seed = os.path.join(prefix, "gocache")
c.CgroupSpawner.gocache_root = env("DLNB_HUB_CACHE", "/var/cache/dlnb-hub")
c.CgroupSpawner.log_dir = os.path.join(state, "logs")
c.Spawner.poll_interval = 10  # how soon a leftover process is ended and gopls shielded

# --- Idle servers are stopped, so that their memory (server, kernel, gopls) comes back. A server
# reports its last activity (a kernel running, a request) every DLNB_HUB_ACTIVITY_INTERVAL seconds.
cull = int(env("DLNB_HUB_CULL", "3600"))
activity = int(env("DLNB_HUB_ACTIVITY_INTERVAL", "300"))
c.JupyterHub.last_activity_interval = activity
c.Spawner.environment["JUPYTERHUB_ACTIVITY_INTERVAL"] = str(activity)
c.JupyterHub.load_roles = [
    {"name": "idle-culler", "services": ["idle-culler"],
     "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
    # scripts/hub.sh's own commands (status, stop, add): a token in the state folder, root only.
    {"name": "dlnb-teacher", "services": ["dlnb-teacher"],
     "scopes": ["admin:users", "admin:servers", "tokens", "list:users", "read:users"]},
]
c.JupyterHub.services = [
    {"name": "idle-culler",
     "command": [os.path.join(venv, "bin", "python"), "-m", "jupyterhub_idle_culler",
                 "--timeout=%d" % cull, "--cull-every=%d" % max(10, min(300, cull // 4))]},
    {"name": "dlnb-teacher", "api_token": open(os.path.join(state, "teacher-token")).read().strip()},
]
