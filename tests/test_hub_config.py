"""The multi-cohort hub's configuration as data (fast: no hub, no accounts).

``tests/test_hub.py`` runs the hub for real; these tests pin down what the cohorts file turns
into and that a bad cohorts file is refused with every problem listed.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import stat
import tempfile
from pathlib import Path

import pytest
from conftest import REPO
from traitlets.config import Config, PyFileConfigLoader

from grader.hub import plan as hubplan
from grader.hub.plan import HubConfigError, load_plan

ME = pwd.getpwuid(os.getuid()).pw_name


def _cohort(home, cid, learners, exchange):
    """A cohort folder as `grader cohort create` leaves it (the parts the hub reads)."""
    root = home / cid
    root.mkdir(parents=True)
    settings = {"id": cid, "exchange": str(exchange), "exercises": str(REPO / "exercises")}
    (root / "cohort.json").write_text(json.dumps(settings), encoding="utf-8")
    rows = ["id,last_name,first_name,email,agency"]
    rows += [f"{x},Ф,И,{x}@example.ru,МФЦ" for x in learners]
    (root / "roster.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


@pytest.fixture
def cohorts(tmp_path):
    home, exchange = tmp_path / "cohorts", tmp_path / "exchange"
    _cohort(home, "gos-1", ["anna", "boris"], exchange)
    _cohort(home, "gos-2", ["vera"], exchange)
    path = tmp_path / "cohorts.yaml"
    path.write_text(
        "home: cohorts\n"
        "service_port: 9900\n"
        "cohorts:\n"
        "  - id: gos-1\n"
        "    instructors: [ivanova]\n"
        "  - id: gos-2\n"
        "    instructors: [ivanova, petrov]\n"
        "    port: 9950\n",
        encoding="utf-8",
    )
    return path


def test_groups_and_users_come_from_the_rosters(cohorts):
    """Are learners read from each roster.csv, instructors from the cohorts file, and only
    they allowed to log in (not the grader accounts)?"""
    plan = load_plan(cohorts)
    assert plan.groups() == {
        "formgrade-gos-1": ["grader-gos-1", "ivanova"],
        "nbgrader-gos-1": ["anna", "boris"],
        "formgrade-gos-2": ["grader-gos-2", "ivanova", "petrov"],
        "nbgrader-gos-2": ["vera"],
    }
    assert plan.allowed_users() == {"anna", "boris", "vera", "ivanova", "petrov"}
    assert plan.exchange == cohorts.parent / "exchange"
    assert plan.state == cohorts.parent / "hub-state"


def test_roles_give_each_group_and_service_the_minimal_scopes(cohorts):
    """Does every cohort get nbgrader's three roles, each limited to that cohort?"""
    roles = {r["name"]: r for r in load_plan(cohorts).roles()}
    assert set(roles) == {
        f"{kind}-gos-{n}" for kind in ("formgrade", "nbgrader", "service") for n in (1, 2)
    }
    assert roles["formgrade-gos-2"]["groups"] == ["formgrade-gos-2"]
    assert roles["formgrade-gos-2"]["scopes"] == ["access:services!service=gos-2"]
    assert roles["nbgrader-gos-2"]["scopes"] == ["list:services", "read:services!service=gos-2"]
    assert roles["service-gos-2"]["services"] == ["gos-2"]
    assert roles["service-gos-2"]["scopes"] == [
        "read:users:groups!user=grader-gos-2",
        "groups!group=nbgrader-gos-2",
    ]
    every = [s for role in roles.values() for s in role["scopes"]]
    assert not [s for s in every if s.startswith("admin") or s in ("groups", "read:users")]


def test_services_run_the_formgrader_as_the_grader_account(cohorts):
    """Is each cohort's formgrader a managed jupyterhub-singleuser, as grader-<id>, in the
    cohort's folder, on its own loopback port, opening the formgrader page?"""
    plan = load_plan(cohorts)
    services = {s["name"]: s for s in plan.services(["python", "-m", "jupyterhub.singleuser"])}
    one, two = services["gos-1"], services["gos-2"]
    assert one["url"] == "http://127.0.0.1:9900" and two["url"] == "http://127.0.0.1:9950"
    assert two["user"] == "grader-gos-2"
    assert two["cwd"] == str(plan.home / "gos-2")
    assert two["command"][-1] == f"--ServerApp.root_dir={plan.home / 'gos-2'}"
    assert two["environment"]["JUPYTERHUB_DEFAULT_URL"] == "/formgrader"
    assert two["environment"]["JUPYTER_CONFIG_PATH"] == str(plan.formgrader_config_dir)
    assert two["oauth_no_confirm"] is True


def test_generated_jupyter_config(cohorts):
    """Do spawned servers get the exchange, JupyterHubAuthPlugin, private submissions, the
    assignment list without instructor tools and the Russian interface, and does the hub's
    own state stay private?"""
    plan = load_plan(cohorts)
    plan.write_jupyter_config()
    learner = json.loads((plan.learner_config_dir / "nbgrader_config.json").read_text())
    assert learner == {
        "Exchange": {"root": str(plan.exchange), "path_includes_course": True},
        "Authenticator": {"plugin_class": "nbgrader.auth.JupyterHubAuthPlugin"},
        "ExchangeFactory": {"submit": "grader.nbgrader_ext.private_submit.PrivateSubmit"},
    }
    grader = json.loads((plan.formgrader_config_dir / "nbgrader_config.json").read_text())
    assert "ExchangeFactory" not in grader
    pages = json.loads((plan.learner_config_dir / "labconfig" / "page_config.json").read_text())
    assert "@jupyter/nbgrader:formgrader" in pages["disabledExtensions"]
    # nbgrader's English learner tools give way to the Russian panel (cxlab.assignments).
    assert "@jupyter/nbgrader:assignment-list" in pages["disabledExtensions"]
    assert "@jupyter/nbgrader:validate-assignment" in pages["disabledExtensions"]
    server = json.loads((plan.learner_config_dir / "jupyter_server_config.json").read_text())
    settings = server["LabApp"]["app_settings_dir"]
    overrides = json.loads((plan.lab_settings_dir / "overrides.json").read_text())
    assert settings == str(plan.lab_settings_dir)
    assert overrides["@jupyterlab/translation-extension:plugin"]["locale"] == "ru_RU"
    assert stat.S_IMODE(plan.private_dir.stat().st_mode) == 0o700
    for path in plan.learner_config_dir.rglob("*"):
        assert path.stat().st_mode & stat.S_IROTH, f"{path} unreadable for learners"


def test_a_bad_cohorts_file_is_refused_with_every_problem(tmp_path):
    """Is every problem named at once: unknown keys, a bad id, no instructors, a missing
    cohort, a clash of ports, a learner who is also an instructor, another exchange?"""
    home = tmp_path / "cohorts"
    _cohort(home, "ok", ["anna"], tmp_path / "exchange")
    _cohort(home, "elsewhere", ["boris"], tmp_path / "other-exchange")
    path = tmp_path / "cohorts.json"
    path.write_text(
        json.dumps(
            {
                "home": "cohorts",
                "colour": "red",
                "cohorts": [
                    {"id": "ok", "instructors": ["anna"], "port": 9000},
                    {"id": "Bad Id", "instructors": ["x"]},
                    {"id": "missing", "instructors": ["x"]},
                    {"id": "elsewhere", "instructors": [], "port": 9000},
                ],
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(HubConfigError) as caught:
        load_plan(path)
    text = str(caught.value)
    for needle in (
        "unknown key(s): colour",
        "cohort Bad Id: invalid cohort id",
        "cohort missing: нет когорты «missing»",
        "cohort elsewhere: name at least one instructor",
        "service port 9000 is used twice",
        "cohort ok: anna both instructor and learner",
        "cohort elsewhere was created with the exchange",
    ):
        assert needle in text, needle


def test_the_cohorts_file_is_named_by_the_environment(monkeypatch, tmp_path):
    """Without $CXLAB_HUB_COHORTS the hub refuses to start, saying what to set."""
    monkeypatch.delenv(hubplan.ENV_COHORTS, raising=False)
    with pytest.raises(HubConfigError, match="CXLAB_HUB_COHORTS"):
        load_plan()
    monkeypatch.setenv(hubplan.ENV_COHORTS, str(tmp_path / "nowhere.yaml"))
    with pytest.raises(HubConfigError, match="cannot read the cohorts file"):
        load_plan()


def test_the_system_check_names_missing_accounts_and_closed_folders(cohorts, tmp_path):
    """Does the hub refuse to start without the grader accounts, and with an interpreter the
    learners cannot run (e.g. under a private home)?"""
    plan = load_plan(cohorts)
    closed = tmp_path / "private"
    closed.mkdir(mode=0o700)
    python = closed / "python3"
    python.write_text("", encoding="utf-8")
    python.chmod(0o755)
    problems = "\n".join(plan.system_problems(python))
    assert "no Unix account 'grader-gos-1'" in problems
    assert f"({closed} is mode 700)" in problems


def test_jupyterhub_config_hands_the_plan_to_jupyterhub(cohorts, monkeypatch):
    """Does grader/hub/jupyterhub_config.py fill JupyterHub's config from the plan: PAM, the
    allowed users, groups, roles, services, the spawner and its environment?"""
    monkeypatch.setenv(hubplan.ENV_COHORTS, str(cohorts))
    # The accounts and the interpreter are the real hub test's business.
    monkeypatch.setattr(hubplan.HubPlan, "system_problems", lambda self, python: [])
    loader = PyFileConfigLoader("jupyterhub_config.py", path=str(REPO / "grader" / "hub"))
    c = loader.load_config()
    assert isinstance(c, Config)
    plan = load_plan(cohorts)
    assert c.JupyterHub.authenticator_class == "pam"
    assert c.Authenticator.allowed_users == plan.allowed_users()
    assert c.Authenticator.allow_existing_users is False
    assert c.JupyterHub.load_groups == plan.groups()
    assert [r["name"] for r in c.JupyterHub.load_roles] == [r["name"] for r in plan.roles()]
    assert [s["name"] for s in c.JupyterHub.services] == ["gos-1", "gos-2"]
    assert c.Spawner.cmd[1:] == ["-m", "jupyterhub.singleuser"]
    assert c.Spawner.environment == {"JUPYTER_CONFIG_PATH": str(plan.learner_config_dir)}
    assert "read:users:groups!user" in c.Spawner.server_token_scopes
    assert c.JupyterHub.db_url.endswith("hub-state/private/jupyterhub.sqlite")


def test_the_example_cohorts_file_uses_only_known_keys():
    """Does grader/hub/cohorts.example.yaml show only keys the hub understands?"""
    import yaml

    example = yaml.safe_load((REPO / "grader" / "hub" / "cohorts.example.yaml").read_text())
    assert set(example) <= hubplan._TOP_KEYS
    for cohort in example["cohorts"]:
        assert set(cohort) <= hubplan._COHORT_KEYS
        assert hubplan.COHORT_ID.match(cohort["id"])


def test_the_hub_refuses_solution_sources_learners_could_read(cohorts, tmp_path, monkeypatch):
    """Does the hub name a world-readable exercises folder, and an open cohort folder, with
    the fix, and accept a source closed to everyone but the graders?"""
    plan = load_plan(cohorts)
    # Under /tmp itself: pytest's own tmp_path sits in a folder closed to other accounts.
    checkout = Path(tempfile.mkdtemp(prefix="cxlab-checkout-"))
    source = checkout / "exercises" / "02_empathy"
    source.mkdir(parents=True)
    (source / "02_empathy.ipynb").write_text("{}", encoding="utf-8")
    for path in (checkout, checkout / "exercises", source):
        path.chmod(0o755)
    (source / "02_empathy.ipynb").chmod(0o644)
    monkeypatch.setattr(hubplan, "REPO", checkout)
    problems = "\n".join(plan.source_problems())
    assert f"the solution source {checkout / 'exercises'} can be read by every account" in problems
    assert "chmod -R o-rwx" in problems
    (checkout / "exercises").chmod(0o750)
    (source / "02_empathy.ipynb").chmod(0o640)
    try:
        assert [p for p in plan.source_problems() if str(checkout) in p] == []
    finally:
        shutil.rmtree(checkout, ignore_errors=True)


def test_withdrawn_learners_cannot_log_in(cohorts):
    """Is a learner marked withdrawn (`grader cohort remove`) left out of the hub's users and
    groups while staying on the roster file?"""
    settings = cohorts.parent / "cohorts" / "gos-1" / "cohort.json"
    data = json.loads(settings.read_text(encoding="utf-8"))
    settings.write_text(json.dumps({**data, "withdrawn": {"boris": "2027-02-01"}}), "utf-8")
    plan = load_plan(cohorts)
    assert "boris" not in plan.allowed_users() and "anna" in plan.allowed_users()
    assert plan.groups()["nbgrader-gos-1"] == ["anna"]


def test_the_panel_notebook_is_placed_once_and_never_through_a_link(tmp_path, monkeypatch):
    """Does the spawn hook put «Мои задания» into a home, keep a learner's own copy, and
    refuse to write through a link planted in its place?"""
    import types

    home = tmp_path / "home"
    home.mkdir()
    account = types.SimpleNamespace(pw_dir=str(home), pw_uid=os.getuid(), pw_gid=os.getgid())
    monkeypatch.setattr(hubplan.pwd, "getpwnam", lambda name: account)
    spawner = types.SimpleNamespace(user=types.SimpleNamespace(name="anna"))
    hubplan.place_panel(spawner)
    placed = home / hubplan.PANEL_NOTEBOOK
    assert "assignments.panel()" in placed.read_text(encoding="utf-8")
    placed.write_text("mine", encoding="utf-8")
    hubplan.place_panel(spawner)
    assert placed.read_text(encoding="utf-8") == "mine"
    placed.unlink()
    outside = tmp_path / "outside.txt"
    placed.symlink_to(outside)
    hubplan.place_panel(spawner)
    assert not outside.exists()
