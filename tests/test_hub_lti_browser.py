"""LTI 1.3 in the real hub, in a browser: a test LMS (tests/lti_platform.py) with its own keys
launches people into the multi-cohort JupyterHub running grader/hub/jupyterhub_config.py with
$CXLAB_HUB_LTI. A learner's launch from cohort A's LMS course lands in the learner's own
server with cohort A's group; an instructor's launch reaches cohort A's formgrader; a
learner's launch from cohort B's course gets nothing."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from unittest import mock

import pytest
from conftest import REPO
from hub import graders_only, run, shared_python, start_hub, unix_users
from lab import chromium, free_port
from lti_platform import INSTRUCTOR, LEARNER, Platform
from playwright.sync_api import expect

from grader.cli import main as grader_main

pytestmark = [pytest.mark.slow, pytest.mark.hub, pytest.mark.browser]

if os.geteuid() != 0:
    pytest.skip("the hub test creates Unix accounts (needs root)", allow_module_level=True)

SPAWN_TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def lti_hub():
    tag = "t" + secrets.token_hex(2)
    cohort_a, cohort_b = f"{tag}a", f"{tag}b"
    learner_a, learner_b, teacher = f"{tag}-l1", f"{tag}-l2", f"{tag}-in1"
    graders = {c: f"grader-{c}" for c in (cohort_a, cohort_b)}
    scratch = Path(tempfile.mkdtemp(prefix="cxlab-lti-"))
    scratch.chmod(0o755)
    try:
        accounts = [learner_a, learner_b, teacher, *graders.values()]
        with (
            unix_users(accounts),
            graders_only(REPO / "exercises", f"{tag}-graders", [*graders.values(), teacher]),
            Platform() as lms,
        ):
            python = shared_python(scratch)
            home, exchange = scratch / "cohorts", scratch / "exchange"
            for cohort, learner in ((cohort_a, learner_a), (cohort_b, learner_b)):
                roster = scratch / f"{cohort}.csv"
                roster.write_text(
                    "id,last name,first name,email,agency\n"
                    f"{learner},Фамилия,Имя,{learner}@example.ru,МФЦ\n",
                    encoding="utf-8",
                )
                args = ["--home", str(home), "cohort", "create", cohort, "--roster", str(roster)]
                assert grader_main([*args, "--exchange", str(exchange)]) == 0
                run("chown", "-R", f"{graders[cohort]}:{graders[cohort]}", str(home / cohort))
            cohorts_file = scratch / "cohorts.json"
            cohorts_file.write_text(json.dumps({
                "home": str(home), "exchange": str(exchange), "state": str(scratch / "state"),
                "cohorts": [
                    {"id": cohort_a, "instructors": [teacher], "port": free_port()},
                    {"id": cohort_b, "instructors": [teacher], "port": free_port()},
                ],
            }), encoding="utf-8")  # fmt: skip
            settings = scratch / "lti.json"
            settings.write_text(json.dumps({
                "issuer": lms.issuer, "client_id": lms.client_id,
                "authorize_url": lms.authorize_url, "jwks_endpoint": lms.jwks_url,
                "contexts": {"course-a": cohort_a, "course-b": cohort_b},
                "instructor_emails": {"teacher@example.ru": teacher},
            }), encoding="utf-8")  # fmt: skip
            with (
                mock.patch.dict(os.environ, {"CXLAB_HUB_LTI": str(settings)}),
                start_hub(python, cohorts_file, scratch, [cohort_a, cohort_b]) as hub,
            ):
                lms.tool_login = f"{hub.base}/hub/lti13/oauth_login"
                lms.target_link = f"{hub.base}/hub"  # the tool's home: the hub decides
                yield {
                    "hub": hub, "lms": lms, "a": cohort_a, "b": cohort_b,
                    "learner_a": learner_a, "learner_b": learner_b, "teacher": teacher,
                }  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _groups(hub, user: str) -> list[str]:
    """The user's groups, read from the hub's database file (the hub's own view)."""
    import sqlite3

    db = Path(json.loads(hub.cohorts_file.read_text())["state"]) / "private" / "jupyterhub.sqlite"
    with sqlite3.connect(db) as con:
        rows = con.execute(
            "SELECT groups.name FROM groups JOIN user_group_map ON groups.id = group_id "
            "JOIN users ON users.id = user_id WHERE users.name = ?",
            (user,),
        ).fetchall()
    return sorted(r[0] for r in rows)


@contextlib.contextmanager
def _evidence(page, hub):
    """On a failure: where the browser is, what it shows, and the hub's log."""
    try:
        yield
    except Exception as exc:
        text = page.locator("body").inner_text(timeout=5000) if page.url else ""
        raise AssertionError(
            f"{exc}\nbrowser at {page.url}:\n{text[:1500]}\nhub log:\n{hub.log_tail(6000)}"
        ) from exc


def test_lms_launches_into_the_right_cohort(lti_hub):
    """Does a learner's launch from course A open their own server (cohort A's learner), an
    instructor's reach cohort A's formgrader, and a learner's launch from course B fail?"""
    hub, lms = lti_hub["hub"], lti_hub["lms"]
    learner, a = lti_hub["learner_a"], lti_hub["a"]
    with chromium() as page, _evidence(page, hub):
        page.goto(lms.launch_url(email=f"{learner}@example.ru", role=LEARNER, context="course-a"))
        page.wait_for_url(f"**/user/{learner}/**", timeout=SPAWN_TIMEOUT_MS)
        assert f"nbgrader-{a}" in _groups(hub, learner)
        # the same learner launched from cohort B's course: refused, no server of B's
        page.context.clear_cookies()
        page.goto(lms.launch_url(email=f"{learner}@example.ru", role=LEARNER, context="course-b"))
        expect(page.locator("body")).to_contain_text("403")
        assert "/user/" not in page.url
    with chromium() as page, _evidence(page, hub):
        page.goto(lms.launch_url(email="teacher@example.ru", role=INSTRUCTOR, context="course-a"))
        page.wait_for_url("**/hub/**")
        response = page.goto(f"{hub.base}/services/{a}/formgrader")
        assert response is not None and response.status == 200, page.content()[:500]
        assert f"formgrade-{a}" in _groups(hub, lti_hub["teacher"])
    # an unsigned request to the callback is refused outright
    request = urllib.request.Request(
        f"{hub.base}/hub/lti13/oauth_callback", data=b"id_token=x&state=y", method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code in (400, 401, 403)
