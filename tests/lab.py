"""Helpers for the real-browser tests: a private JupyterLab server and headless Chromium.

``jupyter_lab(root, scratch)`` starts JupyterLab from this virtual environment on a free
loopback port with a random token; its config, data, runtime, settings and workspaces live in
``scratch`` so the user's own ``~/.jupyter`` never leaks in, while the Russian interface comes
from the environment's ``share/jupyter/lab/settings/overrides.json`` (written by
``scripts/_setup.sh``). ``chromium()`` opens a page in Debian's ``/usr/bin/chromium``
through Playwright. ``Notebook`` drives a notebook through the Russian menus, the
way a learner would.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from conftest import REPO
from playwright.sync_api import Error, Locator, Page, expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1000}
SCREENSHOTS = REPO / "artifacts" / "screenshots"

# Kernel start, a run of every cell and a restart on a loaded 2-core CI machine.
KERNEL_TIMEOUT_MS = 60_000
UI_TIMEOUT_MS = 30_000
SERVER_START_TIMEOUT_S = 90

# The Russian interface as learners see it (jupyterlab-language-pack-ru-RU).
MENU_RUN = "Выполнить"
MENU_RUN_ALL = "Запустить все ячейки"
MENU_KERNEL = "Ядро"
MENU_RESTART_KERNEL = "Перезапустить ядро…"
DIALOG_RESTART = "Перезапустить"
KERNEL_IDLE = "Простаивает"  # the status bar: "Python 3 (ipykernel) | Простаивает"

# JupyterLab renders both stderr streams and error outputs (tracebacks) with this MIME type.
ERROR_OUTPUT = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'


def tail(log: Path, chars: int) -> str:
    """The last ``chars`` characters of a server's log file, for a failure message."""
    try:
        return log.read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError as exc:
        return f"(no log {log}: {exc})"


def free_port() -> int:
    """Return a loopback port that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Lab:
    """A running JupyterLab server."""

    process: subprocess.Popen[bytes]
    port: int
    token: str
    root: Path
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, notebook: str) -> str:
        """The address that opens ``notebook`` (relative to the root) in JupyterLab."""
        return f"{self.base}/lab/tree/{notebook}?token={self.token}"

    def log_tail(self, chars: int = 6000) -> str:
        return tail(self.log, chars)

    def status(self) -> dict | None:
        """The server's ``/api/status``, or None while it does not answer."""
        try:
            with urllib.request.urlopen(
                f"{self.base}/api/status?token={self.token}", timeout=5
            ) as response:
                return json.loads(response.read())
        except (OSError, urllib.error.URLError, ValueError):
            return None


def processes() -> dict[int, tuple[int, str]]:
    """Every process as pid -> (parent pid, start time), read from /proc."""
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ... starttime ...": comm may hold spaces, so split after it.
        fields = text[text.rfind(")") + 2 :].split()
        table[int(stat.parent.name)] = (int(fields[1]), fields[19])
    return table


def descendants(pid: int) -> dict[int, str]:
    """The processes started by ``pid`` (kernels are the server's children) -> start time."""
    table = processes()
    found, todo = {}, [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, started) in table.items():
            if ppid == parent:
                found[child] = started
                todo.append(child)
    return found


def stop_process_tree(
    process: subprocess.Popen[bytes], *, children_first: bool = False, timeout: float = 20
) -> None:
    """Stop a server started by a test and everything it started, leaving no stray process.

    ``children_first`` sends SIGTERM to the descendants before the server itself (a hub would
    otherwise give each of its servers 10 s); then the server gets SIGTERM (SIGKILL after
    ``timeout``), and any descendant still alive is killed.
    """
    leftovers = descendants(process.pid)
    if children_first:
        for pid in leftovers:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGTERM)
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    alive = processes()
    for pid, started in leftovers.items():
        if pid in alive and alive[pid][1] == started:  # the same process, not a reused pid
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


LEARNER_CONFIG = Path(__file__).resolve().parent.parent / "scripts" / "learner-jupyter"


def _start(root: Path, scratch: Path, port: int, token: str) -> Lab:
    dirs = {name: scratch / name for name in ("config", "data", "runtime", "ipython")}
    for folder in dirs.values():
        folder.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "JUPYTER_TOKEN": token,
        "JUPYTER_CONFIG_DIR": str(dirs["config"]),
        "JUPYTER_DATA_DIR": str(dirs["data"]),
        "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
        "IPYTHONDIR": str(dirs["ipython"]),
        "JUPYTER_PLATFORM_DIRS": "0",
        # what scripts/course.sh gives learners: nbgrader's instructor tools switched off
        "JUPYTER_CONFIG_PATH": str(LEARNER_CONFIG),
    }
    env.pop("JUPYTER_PATH", None)
    args = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",  # another port would be one we do not poll
        "--ServerApp.open_browser=False",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.workspaces_dir={scratch / 'workspaces'}",
        f"--LabApp.user_settings_dir={scratch / 'user-settings'}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:
        args.append("--allow-root")
    log = scratch / f"jupyterlab-{port}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            args, cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out
        )
    return Lab(process=process, port=port, token=token, root=root, log=log)


@contextlib.contextmanager
def jupyter_lab(root: Path, scratch: Path) -> Iterator[Lab]:
    """Run JupyterLab on ``root`` until the block ends; its own files go to ``scratch``."""
    token = secrets.token_hex(24)
    problems = []
    for _attempt in range(3):  # a free port can be taken between picking and binding it
        lab = _start(root, scratch, free_port(), token)
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT_S
            while lab.process.poll() is None and time.monotonic() < deadline:
                if lab.status() is not None:
                    break
                time.sleep(0.25)
            else:
                problem = (
                    f"JupyterLab exited with code {lab.process.returncode}"
                    if lab.process.poll() is not None
                    else f"JupyterLab did not answer within {SERVER_START_TIMEOUT_S} s"
                )
                problems.append(f"{problem}; its log:\n{lab.log_tail()}")
                if "already in use" in lab.log_tail():
                    continue
                raise AssertionError("\n\n".join(problems))
            yield lab
            return
        finally:
            stop_process_tree(lab.process)
    raise AssertionError("\n\n".join(problems))


@contextlib.contextmanager
def chromium() -> Iterator[Page]:
    """A page in headless Debian Chromium (1400×1000), closed when the block ends."""
    if not CHROMIUM.exists():
        raise AssertionError(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium package "
            "(`bash scripts/test.sh` installs it, or run `apt-get install chromium`). "
            "Playwright cannot download its own browser here."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(viewport=VIEWPORT, locale="ru-RU")
            page = context.new_page()
            page.set_default_timeout(UI_TIMEOUT_MS)
            yield page
        finally:
            browser.close()


def screenshot(page: Page, name: str) -> Path:
    """Save what the browser shows as ``artifacts/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def clear_screenshots(prefix: str) -> None:
    """Remove the screenshots of an earlier run, so none of them is mistaken for this one's."""
    for old in SCREENSHOTS.glob(f"{prefix}-*"):
        old.unlink()


@contextlib.contextmanager
def evidence_on_failure(page: Page, lab: Lab, prefix: str) -> Iterator[None]:
    """On a failure inside the block, save ``<prefix>-failure.png`` and the server's log."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):
            screenshot(page, f"{prefix}-failure")
        with contextlib.suppress(OSError):
            shutil.copy(lab.log, SCREENSHOTS / f"{prefix}-failure-jupyterlab.log")
        raise


# A kernel is ready only when both the notebook's toolbar indicator and the status bar say
# idle: on page load the indicator reads "idle" before the kernel has even started, and during
# a run the status bar flips to idle between cells while the indicator stays busy.
_JS_IDLE = r"""
const kernelIdle = (panel, idleWord) => {
    const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
    const bar = [...document.querySelectorAll('#jp-main-statusbar .jp-StatusBar-TextItem')];
    return indicator !== null && indicator.dataset.status === 'idle'
        && bar.some(item => item.textContent.trim().endsWith('| ' + idleWord));
};
"""

# Records, from before an action until it is awaited, whether the kernel left idle and which
# code cells were started ("[*]"): after a restart the old execution counts stay on screen, so
# "every cell has a number" alone does not tell a finished run from one not yet begun.
_JS_WATCH = (
    "(panel, idleWord) => {"
    + _JS_IDLE
    + r"""
    const watch = {
        panel, leftIdle: false, started: new WeakSet(),
        idle: () => kernelIdle(panel, idleWord),
    };
    const scan = () => {
        if (!watch.idle()) watch.leftIdle = true;
        for (const prompt of panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')) {
            if (prompt.textContent.includes('*')) watch.started.add(prompt);
        }
    };
    if (window.__cxlabWatch) window.__cxlabWatch.observer.disconnect();
    watch.observer = new MutationObserver(scan);
    watch.observer.observe(document.body, {
        subtree: true, childList: true, characterData: true,
        attributes: true, attributeFilter: ['data-status'],
    });
    window.__cxlabWatch = watch;
}"""
)

# Every code cell was started after the watch began and shows its new number, and the kernel
# is idle again; or the run stopped at an error (the test then reports the error itself).
_JS_RUN_FINISHED = r"""(errorSelector) => {
    const watch = window.__cxlabWatch;
    if (!watch.idle()) return false;
    if (watch.panel.querySelector(errorSelector)) return true;
    // a cell whose input is collapsed (e.g. the hints' cells) shows an empty prompt
    const prompts = [...watch.panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
        .filter(prompt => prompt.textContent.trim() !== '');
    return prompts.length > 0 && prompts.every(
        prompt => watch.started.has(prompt) && /^\[\d+\]:$/.test(prompt.textContent.trim()));
}"""

_JS_SCROLL_TO = r"""async (element) => {
    const frame = () => new Promise(done => requestAnimationFrame(done));
    let last = null;
    for (let attempt = 0; attempt < 50; attempt++) {
        element.scrollIntoView({block: 'center'});
        await frame();
        await frame();
        const top = Math.round(element.getBoundingClientRect().top);
        if (top === last) return true;
        last = top;
    }
    return false;
}"""

_JS_RESTARTED = "() => window.__cxlabWatch.leftIdle && window.__cxlabWatch.idle()"


class Notebook:
    """A notebook open in JupyterLab, driven through the Russian menus as a learner would."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.panel = page.locator(".jp-NotebookPanel:visible")

    def open(self, url: str) -> None:
        """Open the notebook and wait until its kernel has started and is idle."""
        self.page.goto(url)
        self.panel.locator(".jp-Notebook").wait_for(timeout=KERNEL_TIMEOUT_MS)
        self.page.wait_for_function(
            f"([panel, idleWord]) => {{ {_JS_IDLE} return kernelIdle(panel, idleWord); }}",
            arg=[self.panel.element_handle(), KERNEL_IDLE],
            timeout=KERNEL_TIMEOUT_MS,
            polling=100,
        )

    def menu(self, title: str, item: str) -> None:
        """Click ``item`` in the main menu ``title`` (exact Russian labels)."""
        bar = self.page.locator("#jp-menu-panel")
        bar.get_by_role("menuitem", name=title, exact=True).click()
        label = re.compile(rf"^{re.escape(item)}$")
        self.page.locator(".lm-Menu:visible .lm-Menu-itemLabel", has_text=label).click()

    def _watch(self) -> None:
        self.panel.evaluate(_JS_WATCH, KERNEL_IDLE)

    def run_all(self) -> None:
        """«Выполнить» → «Запустить все ячейки», then wait until the run has finished."""
        self._watch()
        self.menu(MENU_RUN, MENU_RUN_ALL)
        self.page.wait_for_function(
            _JS_RUN_FINISHED, arg=ERROR_OUTPUT, timeout=KERNEL_TIMEOUT_MS, polling=100
        )

    def restart_kernel(self) -> None:
        """«Ядро» → «Перезапустить ядро…», confirm, and wait until the new kernel is idle."""
        self._watch()
        self.menu(MENU_KERNEL, MENU_RESTART_KERNEL)
        dialog = self.page.locator(".jp-Dialog")
        dialog.locator("button.jp-mod-accept", has_text=DIALOG_RESTART).click()
        expect(dialog).to_have_count(0)
        self.page.wait_for_function(_JS_RESTARTED, timeout=KERNEL_TIMEOUT_MS, polling=100)

    def errors(self) -> list[str]:
        """Texts of error and stderr outputs, and of widgets that failed to display."""
        outputs = self.panel.locator(".jp-OutputArea-output")
        found = self.panel.locator(ERROR_OUTPUT).all_inner_texts()
        found += outputs.filter(has_text="Error displaying widget").all_inner_texts()
        return [text[:500] for text in found]

    def show(self, target: Locator) -> None:
        """Scroll ``target`` to the middle of the notebook and let the layout settle.

        Cells off screen are not laid out (JupyterLab's content-visibility windowing), so one
        scroll lands on estimated heights; scroll again until the target stays put.
        """
        settled = target.evaluate(_JS_SCROLL_TO)
        assert settled, "the notebook kept moving while scrolling to the widget"

    def widget(self, label: str, tag: str = "b") -> Locator:
        """The widget box whose bold label (or heading ``tag``, e.g. ``h4``) reads ``label``."""
        return self.panel.locator(".widget-vbox").filter(has=self.page.locator(tag, has_text=label))


# What has the keyboard focus, in a few words (for the message of a failed focus walk).
_JS_DESCRIBE_FOCUS = r"""() => {
    const e = document.activeElement;
    if (!e || e === document.body) return '(nothing: the page body)';
    const text = (e.value || e.textContent || e.title || '').trim().slice(0, 40);
    return `<${e.tagName.toLowerCase()}> ${text}`;
}"""


def press_until_focused(page: Page, target: Locator, key: str = "Tab", limit: int = 12) -> int:
    """Press ``key`` (``Tab``, ``Shift+Tab``) until ``target`` has the keyboard focus.

    Returns the number of presses; fails after ``limit`` presses, listing where focus went.
    """
    path = []
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if target.evaluate("element => element === document.activeElement"):
            return presses
        path.append(page.evaluate(_JS_DESCRIBE_FOCUS))
    raise AssertionError(f"{limit} × {key} never focused {target}; focus went: {path}")


# True once the server's copy of an answers file holds ``expected`` for ``qid``. A synchronous
# request, because wait_for_function does not await promises; a missing file is "not yet".
_JS_ANSWER_SAVED = r"""([url, qid, expected]) => {
    const same = (a, b) => {
        if (a === b) return true;
        if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
            return false;
        }
        if (Array.isArray(a) !== Array.isArray(b)) return false;
        const keys = Object.keys(a);
        return keys.length === Object.keys(b).length && keys.every(k => same(a[k], b[k]));
    };
    const request = new XMLHttpRequest();
    request.open('GET', url, false);
    request.send();
    if (request.status !== 200) return false;
    const entry = JSON.parse(JSON.parse(request.responseText).content).answers[qid];
    return entry !== undefined && same(entry.value, expected);
}"""


def wait_for_answer(
    page: Page, lab: Lab, store: str, qid: str, expected: object, timeout: int = KERNEL_TIMEOUT_MS
) -> None:
    """Wait until ``<store>.answers.json`` in the lab's root holds ``expected`` for ``qid``.

    A widget's feedback is drawn before its answer is written, so what the browser shows
    says nothing about the file yet; this asks the server for the file until it matches.
    ``page`` must show a JupyterLab page: the server's API answers forbid requests from them.
    """
    name = urllib.parse.quote(f"{store}.answers.json")
    url = f"{lab.base}/api/contents/{name}?type=file&format=text&content=1&token={lab.token}"
    try:
        page.wait_for_function(
            _JS_ANSWER_SAVED, arg=[url, qid, expected], timeout=timeout, polling=200
        )
    except Error as exc:
        raise AssertionError(
            f"{store}.answers.json did not come to hold {qid} = {expected!r}: {exc.message}"
        ) from exc


def assignment_panel(notebook: Notebook) -> Locator:
    """The Russian assignment panel (``cxlab.assignments``) of a notebook, once drawn."""
    panel = notebook.widget("Задания курса", tag="h4")
    expect(panel).to_contain_text("Нажмите «Обновить список»", timeout=KERNEL_TIMEOUT_MS)
    return panel


def press(panel: Locator, button: str, then: str) -> None:
    """Click the panel's ``button`` and wait until the panel says ``then``."""
    panel.get_by_role("button", name=button, exact=True).click()
    expect(panel).to_contain_text(then, timeout=KERNEL_TIMEOUT_MS)
