"""The Kubernetes deployment files (grader/hub/k8s/): parsed and checked for consistency.

No cluster here: these checks pin down what a cluster would be given. The per-cohort pieces
(groups, roles, services, formgrader sidecars, ports) must describe the same cohorts and match
the one-server hub's model (grader/hub/plan.py); the nbgrader config must use ngshare and a
PostgreSQL gradebook and must run; no secret may be written in the files.
"""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from traitlets.config import Config

from grader.hub.plan import LAB_OVERRIDES, LEARNER_DISABLED, HubCohort, HubPlan

K8S = REPO / "grader" / "hub" / "k8s"
NGSHARE_URL = "http://ngshare:8080/services/ngshare"
PLACEHOLDER = re.compile(r"^<[A-Z_]+>$")


def _load(name: str):
    return yaml.safe_load((K8S / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def values():
    return _load("values.yaml")


@pytest.fixture(scope="module")
def cohorts(values) -> list[str]:
    return sorted(name for name in values["hub"]["services"] if name != "ngshare")


def _env(container) -> dict:
    return {e["name"]: e.get("value", e.get("valueFrom")) for e in container["env"]}


def test_every_per_cohort_piece_names_the_same_cohorts(values, cohorts):
    """Do groups, roles, services, sidecars, Service ports and the network policy all list the
    same cohorts?"""
    hub = values["hub"]
    assert cohorts == ["gos-2025-1", "gos-2025-2"]
    groups = hub["config"]["JupyterHub"]["load_groups"]
    found = {
        "groups": {g.split("-", 1)[1] for g in groups},
        "roles": {r.split("-", 1)[1] for r in hub["loadRoles"] if r != "ngshare-users"},
        "sidecars": {c["name"].removeprefix("formgrader-") for c in hub["extraContainers"]},
    }
    for where, names in found.items():
        assert sorted(names) == cohorts, where
    ports = {c: int(hub["services"][c]["url"].rsplit(":", 1)[1]) for c in cohorts}
    assert sorted(p["port"] for p in hub["service"]["extraPorts"]) == sorted(ports.values())
    (rule,) = hub["networkPolicy"]["ingress"]
    assert sorted(p["port"] for p in rule["ports"]) == sorted(ports.values())


def test_roles_and_groups_are_the_one_server_model(values, cohorts):
    """Are the formgrade/nbgrader groups and roles exactly those grader/hub/plan.py gives on
    one server, and does each formgrader service reach ngshare and nothing else?"""
    hub = values["hub"]
    groups = hub["config"]["JupyterHub"]["load_groups"]
    roles = hub["loadRoles"]
    for cid in cohorts:
        members = groups[f"formgrade-{cid}"]["users"]
        learners = groups[f"nbgrader-{cid}"]["users"]
        grader = f"grader-{cid}"
        assert grader in members and len(members) >= 2 and learners
        cohort = HubCohort(cid, Path("/"), tuple(m for m in members if m != grader), (), grader, 1)
        plan = HubPlan(Path("/"), Path("/"), Path("/"), Path("/"), (), (cohort,))
        for expected in plan.roles()[:2]:  # formgrade-<id>, nbgrader-<id>
            role = roles[expected["name"]]
            assert role["groups"] == expected["groups"]
            assert role["scopes"] == expected["scopes"]
        assert roles[f"service-{cid}"] == {
            "description": roles[f"service-{cid}"]["description"],
            "services": [cid],
            "scopes": ["access:services!service=ngshare"],
        }
        assert {f"formgrade-{cid}", f"nbgrader-{cid}"} <= set(roles["ngshare-users"]["groups"])
    scopes = hub["config"]["Spawner"]["server_token_scopes"]
    assert "access:services!service=ngshare" in scopes


def test_formgrader_sidecars_are_their_cohorts_services(values, cohorts):
    """Does each sidecar run jupyterhub-singleuser as the service its cohort's hub entry
    describes: name, port, prefix, OAuth client, the chart's generated token, the course
    folder and the shared nbgrader config?"""
    hub = values["hub"]
    sidecars = {c["name"]: c for c in hub["extraContainers"]}
    volumes = {v["name"] for v in hub["extraVolumes"]}
    for cid in cohorts:
        port = hub["services"][cid]["url"].rsplit(":", 1)[1]
        assert hub["services"][cid]["url"] == f"http://hub:{port}"
        container = sidecars[f"formgrader-{cid}"]
        env = _env(container)
        assert env["CXLAB_COHORT"] == env["JUPYTERHUB_SERVICE_NAME"] == cid
        assert env["JUPYTERHUB_SERVICE_URL"] == f"http://0.0.0.0:{port}"
        assert env["JUPYTERHUB_SERVICE_PREFIX"] == f"/services/{cid}/"
        assert env["JUPYTERHUB_CLIENT_ID"] == f"service-{cid}"
        assert env["JUPYTERHUB_OAUTH_CALLBACK_URL"] == f"/services/{cid}/oauth_callback"
        assert env["JUPYTERHUB_DEFAULT_URL"] == "/formgrader"
        assert env["JUPYTERHUB_API_TOKEN"]["secretKeyRef"] == {
            "name": "hub",
            "key": f"hub.services.{cid}.apiToken",
        }
        assert container["ports"] == [{"containerPort": int(port)}]
        assert container["command"][-1] == f"--ServerApp.root_dir=/srv/cxlab/cohorts/{cid}"
        mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
        assert mounts["cxlab-cohorts"] == "/srv/cxlab/cohorts"
        assert mounts["cxlab-nbgrader-config"] == "/etc/jupyter/nbgrader_config.py"
        assert set(mounts) <= volumes
        assert "apiToken" not in hub["services"][cid]  # generated by the chart


def _run_config(text: str, monkeypatch, cohort: str | None) -> tuple[Config, list[str]]:
    """Execute the cluster's nbgrader_config.py with a stand-in ngshare_exchange."""
    urls: list[str] = []
    stub = types.ModuleType("ngshare_exchange")
    stub.configureExchange = lambda c, url=None: urls.append(url)
    monkeypatch.setitem(sys.modules, "ngshare_exchange", stub)
    if cohort:
        monkeypatch.setenv("CXLAB_COHORT", cohort)
    else:
        monkeypatch.delenv("CXLAB_COHORT", raising=False)
    c = Config()
    exec(compile(text, "nbgrader_config.py", "exec"), {"get_config": lambda: c})
    return c, urls


def test_nbgrader_config_uses_ngshare_and_a_postgresql_gradebook(values, cohorts, monkeypatch):
    """Does the nbgrader config give everyone the ngshare exchange, learners every course they
    are enrolled in, and a formgrader its cohort with a PostgreSQL gradebook (no password)?"""
    files = values["singleuser"]["extraFiles"]
    text = files["nbgrader_config.py"]["stringData"]
    assert files["nbgrader_config.py"]["mountPath"] == "/etc/jupyter/nbgrader_config.py"
    assert values["hub"]["services"]["ngshare"]["url"] + "/services/ngshare" == NGSHARE_URL
    learner, urls = _run_config(text, monkeypatch, None)
    assert urls == [NGSHARE_URL]
    assert learner.CourseDirectory.course_id == "*"
    for cid in cohorts:
        grader, urls = _run_config(text, monkeypatch, cid)
        assert urls == [NGSHARE_URL]
        assert grader.CourseDirectory.course_id == cid
        assert grader.CourseDirectory.root == f"/srv/cxlab/cohorts/{cid}"
        db_url = grader.CourseDirectory.db_url
        assert re.fullmatch(rf"postgresql\+psycopg://[a-z]+@[\w.-]+:5432/{cid}", db_url), db_url
        assert grader.Autograde.exclude_overwriting  # cxlab's grading settings are applied
    for container in values["hub"]["extraContainers"]:
        assert _env(container)["PGPASSWORD"]["secretKeyRef"]["name"] == "cxlab-secrets"


def test_learners_get_the_one_server_interface(values):
    """Do learners' pods get the Russian interface and the same nbgrader extensions as on one
    server?"""
    files = values["singleuser"]["extraFiles"]
    assert files["lab-overrides.json"]["data"] == LAB_OVERRIDES
    disabled = files["page_config.json"]["data"]["disabledExtensions"]
    assert disabled == dict.fromkeys(LEARNER_DISABLED, True)


def _strings(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, (*path, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, (*path, str(index)))
    elif isinstance(node, str):
        yield path, node


SECRET_KEY = re.compile(r"(token|secret|password|passwd)$", re.IGNORECASE)


@pytest.mark.parametrize("name", ["values.yaml", "ngshare-values.yaml", "cohorts-pvc.yaml"])
def test_no_secret_is_written_in_the_files(name):
    """Is every token, secret or password a placeholder or a reference to a Kubernetes
    Secret, with no credentials in URLs and nothing that looks like a generated key?"""
    for path, value in _strings(_load(name)):
        where = ".".join(path)
        if "secretKeyRef" in path:
            continue  # a reference: the name of a Secret and of its key
        if SECRET_KEY.search(path[-1]):
            assert PLACEHOLDER.match(value), f"{where} holds a secret: {value!r}"
        assert not re.search(r"://[^/\s:@]+:[^/\s@]+@", value), f"{where}: password in a URL"
        assert not re.search(r"\b[0-9a-fA-F]{32,}\b", value), f"{where}: looks like a key"


def test_ngshare_shares_the_hubs_token_placeholder(values):
    """Are the ngshare chart and the hub told to use the same token (one placeholder)?"""
    ngshare = _load("ngshare-values.yaml")["ngshare"]
    assert ngshare["hub_api_token"] == values["hub"]["services"]["ngshare"]["apiToken"]
    assert ngshare["hub_api_url"] == "http://hub:8081/hub/api"
    claim = _load("cohorts-pvc.yaml")
    volumes = {v["name"]: v for v in values["hub"]["extraVolumes"]}
    claim_name = volumes["cxlab-cohorts"]["persistentVolumeClaim"]["claimName"]
    assert claim["kind"] == "PersistentVolumeClaim" and claim["metadata"]["name"] == claim_name


def test_the_user_image_carries_cxlab_and_ngshare_exchange():
    """Does the Dockerfile install this checkout (editable) and ngshare_exchange, and check
    configureExchange against the installed nbgrader at build time?"""
    text = (K8S / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install --no-cache-dir -e /opt/cxlab" in text
    assert '--no-deps "ngshare_exchange==' in text
    assert "configureExchange(c, 'http://ngshare:8080/services/ngshare')" in text
    readme = (K8S / "README.md").read_text(encoding="utf-8")
    for name in ("values.yaml", "ngshare-values.yaml", "cohorts-pvc.yaml", "Dockerfile"):
        assert name in readme, f"README.md does not explain {name}"
