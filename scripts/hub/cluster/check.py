"""check.py — what can be checked of the cluster recipe without a cluster.

    python check.py [values.yaml]

Run it in a throw-away environment made from requirements.txt beside it (JupyterHub 6.1.1 and
KubeSpawner 7.1.0, what Zero to JupyterHub's hub runs); internal/hubtest's TestClusterRecipe does.
It parses values.yaml, turns its single-user settings into KubeSpawner configuration the way the
chart's own hub configuration does (singleuser.memory.limit becomes KubeSpawner.mem_limit, and so
on; hub.config is passed as it is), loads that into a KubeSpawner, and checks

  - each trait holds the value meant (memory and CPU guarantees and limits, image, user, hooks);
  - the pod KubeSpawner would create carries them: resources, the postStart hook that fills the
    workspace, the environment, the notebook user, the workspace as the server's root;
  - the Dockerfile beside it puts the workspace script and the warmed cache where values.yaml
    says.

Not checked, because it needs Kubernetes: that the chart renders, that the image builds and
starts, that the scheduler places pods by these requests, that the OOM killer stops a pod at its
limit. Prints each check; exits 1 when one fails.
"""

import asyncio
import os
import sys
import tempfile

import yaml
from traitlets.config import Config

HERE = os.path.dirname(os.path.abspath(__file__))
KUBECONFIG = """apiVersion: v1
kind: Config
clusters: [{name: none, cluster: {server: "https://127.0.0.1:9"}}]
users: [{name: none, user: {token: none}}]
contexts: [{name: none, context: {cluster: none, user: none, namespace: dlnb}}]
current-context: none
"""
failed = []


def check(what, ok, detail=""):
    print("%-58s %s%s" % (what, "ok" if ok else "FAILED", ("  " + str(detail)) if detail else ""))
    if not ok:
        failed.append(what)


def kubespawner_config(values):
    """The KubeSpawner part of what the chart's jupyterhub_config.py makes of values."""
    c = Config()
    for cls, traits in (values.get("hub", {}).get("config") or {}).items():
        for k, v in traits.items():
            c[cls][k] = v
    su = values.get("singleuser", {})
    ks = c.KubeSpawner
    image = su.get("image", {})
    ks.image = "%s:%s" % (image["name"], image["tag"])
    ks.default_url = su["defaultUrl"]
    ks.cmd = su["cmd"]
    ks.uid = su["uid"]
    ks.fs_gid = su["fsGid"]
    ks.mem_limit = su["memory"]["limit"]
    ks.mem_guarantee = su["memory"]["guarantee"]
    ks.cpu_limit = float(su["cpu"]["limit"])
    ks.cpu_guarantee = float(su["cpu"]["guarantee"])
    ks.lifecycle_hooks = su.get("lifecycleHooks", {})
    ks.environment = su.get("extraEnv", {})
    storage = su.get("storage", {})
    if storage.get("type") == "dynamic":
        ks.storage_pvc_ensure = True
        ks.pvc_name_template = "claim-{username}"
        ks.storage_capacity = storage["capacity"]
        ks.storage_access_modes = ["ReadWriteOnce"]
        ks.volumes = [{"name": "volume-{username}", "persistentVolumeClaim": {"claimName": "claim-{username}"}}]
        ks.volume_mounts = [{"name": "volume-{username}", "mountPath": storage["homeMountPath"]}]
    return c


async def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "values.yaml")
    with open(path) as f:
        values = yaml.safe_load(f)
    check("values.yaml parses", isinstance(values, dict), path)

    # KubeSpawner reads a kubeconfig when it is made: one naming a cluster that is not there (port 9
    # of the loopback, which nothing below connects to).
    kubeconfig = os.path.join(tempfile.mkdtemp(prefix="dlnb-kube-"), "config")
    with open(kubeconfig, "w") as f:
        f.write(KUBECONFIG)
    os.environ["KUBECONFIG"] = kubeconfig

    from kubespawner import KubeSpawner
    import kubespawner

    # KubeSpawner's own stand-ins for a hub and a user (_mock): there is no hub database or
    # Kubernetes API here, and nothing below talks to either. (It must be made in a running event
    # loop, as in the hub.)
    spawner = KubeSpawner(config=kubespawner_config(values), _mock=True)
    print("KubeSpawner %s, user %r" % (kubespawner.__version__, spawner.user.name))
    su = values["singleuser"]
    G = 1024 ** 3
    check("mem_limit 3G", spawner.mem_limit == 3 * G, spawner.mem_limit)
    check("mem_guarantee 1.5G", spawner.mem_guarantee == int(1.5 * G), spawner.mem_guarantee)
    check("cpu_limit 1 core", spawner.cpu_limit == 1.0, spawner.cpu_limit)
    check("cpu_guarantee a third of a core", abs(spawner.cpu_guarantee - 0.33) < 1e-9, spawner.cpu_guarantee)
    check("image from values", spawner.image == "%s:%s" % (su["image"]["name"], su["image"]["tag"]), spawner.image)
    check("notebook user uid 1000", spawner.uid == 1000, spawner.uid)
    check("the workspace is the server's root", spawner.notebook_dir == "/home/jovyan/workspace", spawner.notebook_dir)
    check("JupyterLab by default", spawner.default_url == "/lab", spawner.default_url)

    # The pod as KubeSpawner would send it to the API, as plain data.
    from kubernetes_asyncio.client import ApiClient
    api = ApiClient()
    pod = api.sanitize_for_serialization(await spawner.get_pod_manifest())
    ctr = pod["spec"]["containers"][0]
    limits, requests = ctr["resources"]["limits"], ctr["resources"]["requests"]
    check("pod: memory limit 3G", int(limits["memory"]) == 3 * G, limits)
    check("pod: memory request 1.5G", int(requests["memory"]) == int(1.5 * G), requests)
    check("pod: cpu limit 1", float(limits["cpu"]) == 1.0, limits["cpu"])
    check("pod: cpu request 0.33", abs(float(requests["cpu"]) - 0.33) < 1e-9, requests["cpu"])
    hook = ctr.get("lifecycle", {}).get("postStart", {}).get("exec", {}).get("command", [])
    check("pod: postStart fills the workspace", hook[1:2] == ["/opt/dlnb/course/scripts/hub/workspace.py"], hook)
    env = {e["name"]: e.get("value") for e in ctr.get("env", [])}
    check("pod: each pod's own build cache (GOCACHE)", env.get("GOCACHE") == "/opt/dlnb/gocache", env.get("GOCACHE"))
    uid = ctr.get("securityContext", {}).get("runAsUser", pod["spec"].get("securityContext", {}).get("runAsUser"))
    check("pod: runs as uid 1000", uid == 1000, uid)
    check("pod: server root is the workspace", env.get("JUPYTERHUB_ROOT_DIR") == "/home/jovyan/workspace",
          env.get("JUPYTERHUB_ROOT_DIR"))
    check("pod: runs jupyterhub-singleuser", ctr.get("args") == ["jupyterhub-singleuser"], ctr.get("args"))
    mounts = [m["mountPath"] for m in ctr.get("volumeMounts", [])]
    check("pod: the home is a persistent volume", "/home/jovyan" in mounts, mounts)
    pvc = api.sanitize_for_serialization(spawner.get_pvc_manifest())
    await api.close()
    storage = pvc["spec"]["resources"]["requests"]["storage"]
    check("pvc: 2Gi per student", storage == "2Gi", storage)

    with open(os.path.join(HERE, "Dockerfile")) as f:
        docker = f.read()
    check("Dockerfile: install of /opt/dlnb", "DLNB_HUB_PREFIX=/opt/dlnb scripts/hub.sh install --image" in docker)
    check("Dockerfile: GOCACHE as in values.yaml", "GOCACHE=/opt/dlnb/gocache" in docker)
    check("Dockerfile: notebook user 1000", "--uid 1000" in docker and "USER 1000" in docker)

    if failed:
        print("check.py: failed: " + "; ".join(failed), file=sys.stderr)
        return 1
    print("all checks passed; not run: the chart, the image build, a cluster")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
