"""Every lecture on an office screen: it runs, nothing is wider than its cell, quiz options do
not overlap or get cut, and axe-core finds no serious or critical accessibility violation.

One JupyterLab (see ``tests/lab.py``) serves a copy of ``course/``; one headless Chromium
opens every lecture with the file browser open, runs it at 1280×800 and checks it there and
at 1440×900, then both again with the file browser closed. A screenshot of every widget and
every chart goes to ``artifacts/screenshots/screen-<lecture>-<n>.png`` (1280×800, the file
browser open: the narrowest case).
axe-core comes from npm (``scripts/test.sh`` installs it into ``.node/``).
"""

from __future__ import annotations

import json
import shutil
import urllib.request

import pytest
from conftest import REPO
from lab import (
    KERNEL_TIMEOUT_MS,
    SCREENSHOTS,
    Notebook,
    chromium,
    clear_screenshots,
    evidence_on_failure,
    jupyter_lab,
)
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LECTURES = sorted(p.name for p in (REPO / "course").glob("[0-9][0-9]_*.ipynb"))
SIZES = ({"width": 1280, "height": 800}, {"width": 1440, "height": 900})
AXE = REPO / ".node" / "node_modules" / "axe-core" / "axe.min.js"
PREFIX = "screen"

# Every output (a widget, a table, a chart) that reaches past its cell, or scrolls sideways
# as a whole: the output area's scrollWidth exceeds its clientWidth. A widget part that
# scrolls inside itself (a wide table in its own scroll box) does not count: it fits.
_JS_TOO_WIDE = r"""(out) => {
    const cell = out.closest('.jp-CodeCell').getBoundingClientRect();
    const box = out.getBoundingClientRect();
    const what = (out.innerText || (out.querySelector('img') ? 'image' : '')).trim().slice(0, 60);
    if (box.width === 0) return [`${what}: not laid out`];
    if (out.scrollWidth > out.clientWidth + 1) {
        return [`${what}: content ${out.scrollWidth}px in ${out.clientWidth}px`];
    }
    if (box.right > cell.right + 1) {
        return [`${what}: ends at ${box.right}px, the cell at ${cell.right}px`];
    }
    return [];
}"""

# Quiz options: labels of one question that overlap each other, or text cut off («…» or
# clipped) inside its label; and any text part of a widget wider than its box.
_JS_QUIZ_LABELS = r"""(out) => {
    const found = [];
    const clipped = (el) => el.scrollWidth > el.clientWidth + 1
        || el.scrollHeight > el.clientHeight + 1;
    const groups = [...out.querySelectorAll('.widget-radio-box')].map(
        g => [...g.querySelectorAll('label')]);
    for (const box of out.querySelectorAll('.cxlab-quiz-multiple')) {
        groups.push([...box.querySelectorAll('.widget-checkbox')]);
    }
    // a widget's text part (a column header, a label) wider than its own box runs into
    // its neighbour: «Реализуемость» into «Скорость»
    for (const part of out.querySelectorAll('.cxlab-widget .widget-html')) {
        if (part.clientWidth > 0 && part.scrollWidth > part.clientWidth + 1) {
            found.push(`«${part.innerText.trim().slice(0, 50)}» is wider than its box`);
        }
    }
    for (const labels of groups) {
        const rects = labels.map(l => l.getBoundingClientRect());
        for (let i = 0; i < labels.length; i++) {
            const text = labels[i].innerText.trim().slice(0, 50);
            if (i > 0 && rects[i].top < rects[i - 1].bottom - 1) {
                found.push(`«${text}» overlaps the option above`);
            }
            for (const el of [labels[i], ...labels[i].querySelectorAll('label, span')]) {
                if (el.clientWidth > 0 && clipped(el)) {
                    found.push(`«${text}» is cut off`);
                    break;
                }
            }
        }
    }
    return found;
}"""

_JS_WIDGET_OR_CHART = "(out) => out.querySelector('.jupyter-widgets, img') !== null"

_JS_FILE_BROWSER_OPEN = r"""() => {
    const browser = document.querySelector('#filebrowser');
    return browser !== null && browser.getBoundingClientRect().width > 150;
}"""

_JS_AXE = r"""async (selectors) => {
    const result = await axe.run({include: selectors}, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
        resultTypes: ['violations'],
    });
    return result.violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => ({id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: '
                        + (n.failureSummary || '').replace(/\s+/g, ' ').slice(0, 200))}));
}"""

# What axe checks: the outputs of the course's code cells (widgets, tables, charts) and the
# rendered Markdown, not JupyterLab's own toolbars and prompts.
AXE_SCOPE = [".jp-OutputArea-output", ".jp-MarkdownOutput"]


# JupyterLab renders only the cells near the screen by default; this test lays out every
# cell, so one measurement covers the whole lecture (and element screenshots stay exact).
WINDOWING = ("@jupyterlab/notebook-extension", "tracker", {"windowingMode": "none"})


def _shut_down_kernels(lab) -> None:
    """Stop the lecture's kernel: ten idle kernels would slow the 2-core machine down."""

    def call(method: str, path: str):
        request = urllib.request.Request(f"{lab.base}{path}?token={lab.token}", method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    for kernel in call("GET", "/api/kernels"):
        call("DELETE", f"/api/kernels/{kernel['id']}")


@pytest.fixture(scope="module")
def lab_page(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    for name in LECTURES:
        shutil.copy(REPO / "course" / name, root)
    clear_screenshots(PREFIX)
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: run `bash scripts/test.sh` (it installs axe-core)")
    scratch = tmp_path_factory.mktemp("jupyter")
    plugin, name, settings = WINDOWING
    folder = scratch / "user-settings" / plugin
    folder.mkdir(parents=True)
    (folder / f"{name}.jupyterlab-settings").write_text(json.dumps(settings), "utf-8")
    with jupyter_lab(root, scratch) as lab, chromium() as page:
        yield lab, page


def _outputs(notebook: Notebook):
    """Every output of the lecture's code cells: widgets, tables, charts, printed text."""
    return notebook.panel.locator(".jp-CodeCell .jp-OutputArea-output")


@pytest.mark.parametrize("lecture", LECTURES)
def test_lecture_fits_office_screens_and_passes_axe(lab_page, lecture):
    """Does the lecture run, fit a 1280×800 and a 1440×900 screen with the file browser
    open (no output wider than its cell, quiz options neither overlapping nor cut), and pass
    axe-core without a serious or critical violation?"""
    lab, page = lab_page
    name = lecture.removesuffix(".ipynb")
    with evidence_on_failure(page, lab, f"{PREFIX}-{name}"):
        page.set_viewport_size(SIZES[0])
        notebook = Notebook(page)
        notebook.open(lab.url(lecture) + "&reset")  # a fresh workspace: this lecture only
        if not page.evaluate(_JS_FILE_BROWSER_OPEN):
            page.locator('.jp-SideBar [data-id="filebrowser"]').click()
        page.wait_for_function(_JS_FILE_BROWSER_OPEN)
        notebook.run_all()
        assert notebook.errors() == [], f"{lecture} showed errors"
        outputs = _outputs(notebook)
        expect(outputs.first).to_be_visible(timeout=KERNEL_TIMEOUT_MS)

        problems = []

        def measure(where: str) -> None:
            for index in range(outputs.count()):
                output = outputs.nth(index)
                for check in (_JS_TOO_WIDE, _JS_QUIZ_LABELS):
                    problems.extend(f"{where}: {p}" for p in output.evaluate(check))

        for size in SIZES:
            page.set_viewport_size(size)
            measure(f"{size['width']}×{size['height']}")
        # and without the file browser: the cell is wider, nothing may break either
        sidebar = page.locator('.jp-SideBar [data-id="filebrowser"]')
        sidebar.click()
        page.wait_for_function(f"() => !({_JS_FILE_BROWSER_OPEN})()")
        for size in SIZES:
            page.set_viewport_size(size)
            measure(f"{size['width']}×{size['height']}, file browser closed")
        sidebar.click()
        page.wait_for_function(_JS_FILE_BROWSER_OPEN)
        page.set_viewport_size(SIZES[0])

        # Screenshots at the narrower width; the window is made tall enough for the
        # tallest widget, since an element screenshot cannot be taller than the window.
        shown = [(i, o) for i, o in enumerate(outputs.all()) if o.evaluate(_JS_WIDGET_OR_CHART)]
        tallest = max((o.bounding_box()["height"] for _i, o in shown), default=0)
        page.set_viewport_size({**SIZES[0], "height": max(SIZES[0]["height"], int(tallest) + 300)})
        for index, output in shown:
            output.screenshot(path=str(SCREENSHOTS / f"{PREFIX}-{name}-{index:02d}.png"))

        page.add_script_tag(path=str(AXE))
        violations = page.evaluate(_JS_AXE, AXE_SCOPE)
        unique = {json.dumps(v, ensure_ascii=False, sort_keys=True) for v in violations}
        problems += [f"axe: {v}" for v in sorted(unique)]
        _shut_down_kernels(lab)
        assert problems == [], "\n".join(problems)
