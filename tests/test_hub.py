"""The multi-cohort JupyterHub for real: two cohorts, real Unix accounts, headless Chromium.

A JupyterHub with configurable-http-proxy runs ``grader/hub/jupyterhub_config.py`` on free
loopback ports, for two cohorts made by ``grader cohort create``. The accounts (learners,
instructors, the cohorts' grader accounts) are created here with private homes and random
passwords and removed afterwards, so PAM, the spawner and the filesystem exchange's
permissions are the real ones. A learner logs in, fetches exercise 02 in the Russian
assignment panel («Мои задания»), sorts the empathy-map widget in the browser and submits
there; the instructor collects in the cohort's formgrader (its own tab), autogrades and
releases feedback with the ``grader`` command as the cohort's grader account; the learner
fetches the feedback in the panel. Screenshots go to ``artifacts/screenshots/hub-*.png``.

Needs root (accounts, PAM, a spawner that switches users); skipped otherwise.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import REPO
from hub import (
    Hub,
    as_user,
    graders_only,
    process_env,
    run,
    shared_python,
    start_hub,
    unix_users,
)
from lab import (
    _JS_IDLE,
    KERNEL_IDLE,
    KERNEL_TIMEOUT_MS,
    SCREENSHOTS,
    UI_TIMEOUT_MS,
    VIEWPORT,
    Notebook,
    assignment_panel,
    chromium,
    clear_screenshots,
    free_port,
    press,
    screenshot,
)
from playwright.sync_api import Page, expect

from grader.cli import main as grader_main
from grader.cohort import Cohort
from grader.hub.plan import PANEL_NOTEBOOK

pytestmark = [pytest.mark.slow, pytest.mark.hub]

if os.geteuid() != 0:
    pytest.skip(
        "the hub test creates Unix accounts and runs JupyterHub's PAM authenticator and "
        "process spawner, which need root",
        allow_module_level=True,
    )

ASSIGNMENT = "02_empathy"
SPAWN_TIMEOUT_MS = 120_000
# The learner's sorting in the browser: o1-o5 right, o6-o8 wrong, so the hidden test must give
# 5 x 0.5 = 2.5 of 4 points (full marks or zero would say nothing about the browser).
CHOICES = {
    "o1": ("Говорит", "says"),
    "o2": ("Делает", "does"),
    "o3": ("Думает", "thinks"),
    "o4": ("Чувствует", "feels"),
    "o5": ("Говорит", "says"),
    "o6": ("Чувствует", "feels"),
    "o7": ("Делает", "does"),
    "o8": ("Говорит", "says"),
}
EXPECTED_SORT_SCORE = 2.5


@dataclass
class Deployment:
    hub: Hub
    python: Path
    home: Path
    exchange: Path
    cohort_a: str
    cohort_b: str
    learner: str  # cohort A, plays the round trip
    classmate: str  # cohort A, tries to read the learner's work
    learner_b: str  # cohort B
    instructor: str  # cohort A's instructor only
    graders: dict[str, str]  # cohort -> grader account
    passwords: dict[str, str]

    def grader(
        self, cohort: str, *args: str, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """The ``grader`` command as the cohort's grader account."""
        return as_user(
            self.graders[cohort],
            str(self.python),
            "-m",
            "grader",
            "--home",
            str(self.home),
            *args,
            check=check,
        )


def _roster(path: Path, ids: list[str]) -> Path:
    lines = ["id,last name,first name,email,agency"]
    lines += [f"{i},Фамилия{n},Имя{n},{i}@example.ru,МФЦ" for n, i in enumerate(ids)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def deployment():
    tag = "h" + secrets.token_hex(2)  # unique per run: the machine is shared
    cohort_a, cohort_b = f"{tag}a", f"{tag}b"
    learners_a, learners_b = [f"{tag}-l1", f"{tag}-l2"], [f"{tag}-l3"]
    instructors = {cohort_a: f"{tag}-in1", cohort_b: f"{tag}-in2"}
    graders = {cohort_a: f"grader-{cohort_a}", cohort_b: f"grader-{cohort_b}"}
    scratch = Path(tempfile.mkdtemp(prefix="cxlab-hub-"))
    scratch.chmod(0o755)  # every account walks through it to the exchange
    try:
        accounts = [*learners_a, *learners_b, *instructors.values(), *graders.values()]
        with (
            unix_users(accounts) as passwords,
            graders_only(
                REPO / "exercises", f"{tag}-graders", [*graders.values(), *instructors.values()]
            ),
        ):
            python = shared_python(scratch)
            home, exchange = scratch / "cohorts", scratch / "exchange"
            for cohort, learners in ((cohort_a, learners_a), (cohort_b, learners_b)):
                roster = _roster(scratch / f"{cohort}.csv", learners)
                args = ["--home", str(home), "cohort", "create", cohort, "--roster", str(roster)]
                assert grader_main([*args, "--exchange", str(exchange)]) == 0
                run("chown", "-R", f"{graders[cohort]}:{graders[cohort]}", str(home / cohort))
            ports = {cohort_a: free_port(), cohort_b: free_port()}
            cohorts_file = scratch / "cohorts.json"
            cohorts_file.write_text(
                json.dumps(
                    {
                        "home": str(home),
                        "exchange": str(exchange),
                        "state": str(scratch / "hub-state"),
                        "cohorts": [
                            {"id": c, "instructors": [instructors[c]], "port": ports[c]}
                            for c in (cohort_a, cohort_b)
                        ],
                    }
                ),
                encoding="utf-8",
            )
            with start_hub(python, cohorts_file, scratch, [cohort_a, cohort_b]) as hub:
                deployment = Deployment(
                    hub=hub,
                    python=python,
                    home=home,
                    exchange=exchange,
                    cohort_a=cohort_a,
                    cohort_b=cohort_b,
                    learner=learners_a[0],
                    classmate=learners_a[1],
                    learner_b=learners_b[0],
                    instructor=instructors[cohort_a],
                    graders=graders,
                    passwords=passwords,
                )
                # Both cohorts get exercise 02, released by their grader accounts (as
                # instructors do while the hub runs).
                for cohort in (cohort_a, cohort_b):
                    out = deployment.grader(cohort, "release", cohort, ASSIGNMENT).stdout
                    assert f"{ASSIGNMENT}: выдано" in out
                yield deployment
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


# -- helpers -----------------------------------------------------------------------------------


def _login(page: Page, hub: Hub, user: str, password: str, next_url: str = "") -> None:
    query = f"?next={next_url}" if next_url else ""
    page.goto(f"{hub.base}/hub/login{query}")
    page.locator("#username_input").fill(user)
    page.locator("#password_input").fill(password)
    page.locator("#login_submit").click()


def _wait_until(what: str, check, timeout: float = 30) -> None:
    """Poll ``check()`` (a file the server writes) until it is true."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.2)


def _hub_api(env: dict[str, str], path: str, method: str = "GET", body=None):
    """Call the hub's REST API with the token of a server or service; (status, JSON)."""
    request = urllib.request.Request(
        env["JUPYTERHUB_API_URL"] + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {env['JUPYTERHUB_API_TOKEN']}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as exc:
        return exc.code, None


def _saved_choices(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))["answers"]["empathy_sort"]["value"]
    except (OSError, ValueError, KeyError):
        return None


@contextlib.contextmanager
def _evidence(page: Page, hub: Hub):
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):
            screenshot(page, "hub-failure")
        with contextlib.suppress(OSError):
            shutil.copy(hub.log, SCREENSHOTS / "hub-failure-jupyterhub.log")
        raise


# -- the tests ---------------------------------------------------------------------------------


def test_learner_round_trip_through_the_hub(deployment: Deployment):
    """Does a learner's sorting in the browser, submitted through the hub, get graded and come
    back as feedback, while other learners can read none of it and cohort B stays invisible?"""
    d = deployment
    hub, a, b = d.hub, d.cohort_a, d.cohort_b
    clear_screenshots("hub")
    with chromium() as page, _evidence(page, hub):
        # -- the learner logs in: PAM, a server started as the learner, the Russian interface.
        _login(page, hub, d.learner, d.passwords[d.learner])
        page.wait_for_url(re.compile(rf"/user/{d.learner}/lab"), timeout=SPAWN_TIMEOUT_MS)
        menu_bar = page.locator("#jp-menu-panel")
        for title in ("Файл", "Выполнить", "Ядро"):
            expect(menu_bar.get_by_role("menuitem", name=title, exact=True)).to_be_visible()

        # -- the Russian assignment panel («Мои задания», placed in the learner's home at
        # spawn, opened by default) lists cohort A's exercise only; B released the same one.
        notebook = Notebook(page)
        notebook.open(f"{hub.base}/user/{d.learner}/lab/tree/{quote(PANEL_NOTEBOOK)}")
        notebook.run_all()
        assignments = assignment_panel(notebook)
        press(assignments, "Обновить список", "можно получить")
        expect(assignments).to_contain_text(ASSIGNMENT)
        expect(assignments).not_to_contain_text(b)
        assert (d.exchange / b / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()
        # nbgrader's English learner tools are not offered next to it.
        expect(menu_bar.get_by_role("menuitem", name="Nbgrader")).to_have_count(0)
        for word in ("Fetch", "Submit", "Validate"):
            expect(page.get_by_role("button", name=word, exact=True)).to_have_count(0)
        screenshot(page, "hub-0-assignments")

        # -- fetch in the panel, open the notebook, run the set-up and the widget cells.
        press(assignments, "Получить", "получено, можно выполнять")
        # Open it from the file browser (the panel's tab stays as it is, widgets and all).
        listing = page.locator(".jp-DirListing-content")
        for name in (a, ASSIGNMENT, f"{ASSIGNMENT}.ipynb"):
            listing.locator(
                ".jp-DirListing-item", has_text=re.compile(rf"^{name}")
            ).first.dblclick()
        tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=f"{ASSIGNMENT}.ipynb")
        expect(tab).to_have_count(1, timeout=UI_TIMEOUT_MS)
        notebook.panel.locator(".jp-Notebook").wait_for(timeout=KERNEL_TIMEOUT_MS)
        page.wait_for_function(
            f"([panel, idleWord]) => {{ {_JS_IDLE} return kernelIdle(panel, idleWord); }}",
            arg=[notebook.panel.element_handle(), KERNEL_IDLE],
            timeout=KERNEL_TIMEOUT_MS,
            polling=100,
        )
        cells = notebook.panel.locator(".jp-CodeCell")
        for marker in ("store = answers.open_store", "empathy_sort = CategorySort("):
            cells.filter(has_text=marker).locator(".jp-InputArea-editor").click()
            page.keyboard.press("Shift+Enter")
        widget = notebook.widget("Квадрант карты эмпатии")
        selects = widget.locator("select")
        expect(selects).to_have_count(len(CHOICES), timeout=KERNEL_TIMEOUT_MS)
        for index, (label, _key) in enumerate(CHOICES.values()):
            selects.nth(index).select_option(label=label)
        expect(widget).to_contain_text("Сохранено.")
        assert notebook.errors() == [], "the exercise showed errors"
        folder = Path(f"/home/{d.learner}") / a / ASSIGNMENT
        expected = {item: key for item, (_label, key) in CHOICES.items()}
        answers = folder / f"{ASSIGNMENT}.answers.json"
        _wait_until(f"{answers} to hold the sorting", lambda: _saved_choices(answers) == expected)
        notebook.show(widget)
        screenshot(page, "hub-1-widget")

        # -- submit from the panel, back in its tab.
        page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="Мои задания").click()
        press(assignments, "Обновить список", "получено, можно выполнять")
        # she wrote no code: the open check of part 1 fails
        press(assignments, "Проверить", "не пройдено")
        press(assignments, "Отправить", "Отправлено.")
        expect(assignments).to_contain_text("отправлено ")
        screenshot(page, "hub-2-submitted")
        inbound = d.exchange / a / "inbound"
        (submission,) = inbound.glob(f"{d.learner}+{ASSIGNMENT}+*")
        assert _saved_choices(submission / f"{ASSIGNMENT}.answers.json") == expected

        # -- nobody else can read it: not a classmate who knows the path, not the listing.
        for args in (
            ("cat", str(submission / f"{ASSIGNMENT}.ipynb")),
            ("cat", str(submission / f"{ASSIGNMENT}.answers.json")),
            ("ls", str(inbound)),
            ("ls", str(folder)),
        ):
            attempt = as_user(d.classmate, *args, check=False)
            assert attempt.returncode != 0, f"{d.classmate} could run {args}"
            assert "Permission denied" in attempt.stderr, attempt.stderr
        # ... while the cohort's grader account can (collect reads through its group).
        as_user(d.graders[a], "cat", str(submission / "timestamp.txt"))

        # -- the learner's server token reads its owner's groups and nothing else.
        server = process_env(hub.server_pid(d.learner))
        status, model = _hub_api(server, f"/users/{d.learner}")
        assert status == 200 and model["groups"] == [f"nbgrader-{a}"]
        assert _hub_api(server, f"/users/{d.classmate}")[0] in (403, 404)
        assert _hub_api(server, "/groups")[0] == 403

        # -- the instructor: hub home -> Services -> the cohort = the formgrader in its own tab.
        context = page.context.browser.new_context(viewport=VIEWPORT, locale="ru-RU")
        teacher = context.new_page()
        teacher.set_default_timeout(UI_TIMEOUT_MS)
        _login(teacher, hub, d.instructor, d.passwords[d.instructor], "/hub/home")
        teacher.wait_for_url(re.compile(r"/hub/home"))
        teacher.locator("a.dropdown-toggle", has_text="Services").click()
        services = teacher.locator(".dropdown-menu a.dropdown-item")
        expect(services).to_have_text([a])  # cohort B's formgrader is not offered
        services.filter(has_text=a).click()
        teacher.wait_for_url(re.compile(rf"/services/{a}/formgrader/manage_assignments"))
        row = teacher.locator("tr", has=teacher.locator("td.name", has_text=ASSIGNMENT))
        expect(row.locator("td.status")).to_have_text("released")
        # Why a tab of its own: the hub forbids framing (nbgrader #1870) ...
        headers = teacher.request.get(teacher.url).headers
        assert "frame-ancestors 'none'" in headers.get("content-security-policy", "")
        # ... and cohort B's formgrader refuses cohort A's instructor.
        assert teacher.request.get(f"{hub.base}/services/{b}/formgrader").status == 403
        row.locator("td.collect a").click()
        dialog = teacher.locator(".modal-dialog")
        expect(dialog).to_contain_text(f"Successfully collected submissions of '{ASSIGNMENT}'")
        dialog.get_by_role("button", name="OK").click()
        expect(dialog).to_have_count(0)
        expect(row.locator("td.status")).to_have_text("released")
        screenshot(teacher, "hub-3-formgrader")
        context.close()

        # -- autograde and feedback with the grader command, as the cohort's grader account.
        graded = d.grader(a, "autograde", a, ASSIGNMENT, "--quiet").stdout
        assert f"{ASSIGNMENT}: проверено 1, с ошибкой 0" in graded
        scores = Cohort.load(d.home, a).auto_scores(ASSIGNMENT)[d.learner]
        assert scores["test_empathy_sort"] == EXPECTED_SORT_SCORE  # what was chosen above
        assert scores["test_empathy_sort_complete"] == 1
        assert scores["test_journey_summary"] == 0  # the learner wrote no code
        refused = d.grader(a, "feedback", a, ASSIGNMENT, check=False)  # answers ungraded
        assert refused.returncode == 1 and "не проверены" in refused.stdout
        released = d.grader(a, "feedback", a, ASSIGNMENT, "--partial").stdout
        assert f"{ASSIGNMENT}: отзывы выданы" in released

        # -- the learner fetches the feedback in the panel.
        press(assignments, "Обновить список", "есть отзыв преподавателя")
        press(assignments, "Получить отзыв", "Отзыв:")
        (report,) = folder.glob(f"feedback/*/{ASSIGNMENT}.html")
        html = report.read_text(encoding="utf-8")
        assert 'href="#test_empathy_sort">Проверка</a> (баллы: 2,5 из 4)' in html
        assert "=== BEGIN MARK SCHEME ===" not in html and "Пример сильного ответа" not in html
        screenshot(page, "hub-4-feedback")


def test_formgrader_service_token_reaches_its_own_cohort_only(deployment: Deployment):
    """Can cohort A's formgrader service manage A's learner group and read its own account's
    groups, and nothing else (B's group, other users, the user list)?"""
    d = deployment
    a, b = d.cohort_a, d.cohort_b
    service = process_env(d.hub.service_pid(d.home / a))
    assert service["JUPYTERHUB_USER"] == d.graders[a]
    status, model = _hub_api(service, f"/users/{d.graders[a]}")
    assert status == 200 and model["groups"] == [f"formgrade-{a}"]
    # What nbgrader's JupyterHubAuthPlugin does when the formgrader adds a learner.
    status, groups = _hub_api(service, "/groups")
    assert status == 200 and [g["name"] for g in groups] == [f"nbgrader-{a}"]
    change = {"users": [d.learner_b]}
    assert _hub_api(service, f"/groups/nbgrader-{a}/users", "POST", change)[0] == 200
    assert _hub_api(service, f"/groups/nbgrader-{a}/users", "DELETE", change)[0] == 200
    # And nothing beyond it (the hub answers 404 where a 403 would tell that a group or user
    # exists).
    refused = (403, 404)
    assert _hub_api(service, f"/groups/nbgrader-{b}/users", "POST", change)[0] in refused
    assert _hub_api(service, f"/groups/formgrade-{a}/users", "POST", change)[0] in refused
    assert _hub_api(service, "/groups/new-group", "POST")[0] in refused
    assert _hub_api(service, "/users")[0] in refused
    assert _hub_api(service, f"/users/{d.learner}")[0] in refused
    # Cohort B's own service still sees B's group without the learner.
    other = process_env(d.hub.service_pid(d.home / b))
    status, model = _hub_api(other, "/groups")
    assert status == 200 and [g["name"] for g in model] == [f"nbgrader-{b}"]
    assert model[0]["users"] == [d.learner_b]


def test_learners_cannot_read_answer_keys_or_the_gradebook(deployment: Deployment):
    """Does a learner get "Permission denied" on the solution source, the cohort's gradebook
    and its answer keys, while the cohort's grader account reads them?"""
    d = deployment
    root = d.home / d.cohort_a
    source = REPO / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    for path in (source, root / "gradebook.db", root / ".cxlab" / "keys"):
        attempt = as_user(d.learner, "ls" if path.name == "keys" else "cat", str(path), check=False)
        assert attempt.returncode != 0 and "Permission denied" in attempt.stderr, path
    as_user(d.graders[d.cohort_a], "head", "-c", "10", str(source))


def test_hub_writes_no_secret_where_learners_can_read(deployment: Deployment):
    """Are the hub's database and cookie secret private to root, while the Jupyter config the
    learners' servers read is readable and carries the exchange and the private submit?"""
    state = Path(json.loads(deployment.hub.cohorts_file.read_text())["state"])
    private = state / "private"
    assert private.stat().st_mode & 0o077 == 0
    for name in ("jupyterhub.sqlite", "jupyterhub_cookie_secret"):
        assert (private / name).exists()
        attempt = as_user(deployment.learner, "cat", str(private / name), check=False)
        assert "Permission denied" in attempt.stderr
    config = as_user(
        deployment.learner, "cat", str(state / "jupyter" / "learner" / "nbgrader_config.json")
    )
    settings = json.loads(config.stdout)
    assert settings["Exchange"]["root"] == str(deployment.exchange)
    assert settings["ExchangeFactory"]["submit"].endswith("PrivateSubmit")
