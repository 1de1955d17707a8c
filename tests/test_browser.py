"""A learner's session in a real browser: JupyterLab in Russian, a widget answer, a restart.

JupyterLab runs on a free loopback port in a temporary folder, headless Chromium drives it
(see ``tests/lab.py``). Screenshots of what learners see go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import REPO
from lab import (
    KERNEL_TIMEOUT_MS,
    MENU_KERNEL,
    MENU_RUN,
    Notebook,
    chromium,
    clear_screenshots,
    evidence_on_failure,
    jupyter_lab,
    screenshot,
)
from playwright.sync_api import expect

from cxlab.answers import open_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "00_start.ipynb"
STORE = "00_start_lecture"
QUESTION = "lecture_service_to_improve"
LABEL = "Какую услугу вашего ведомства вы хотели бы улучшить и почему?"
# Cyrillic, digits, punctuation, an emoji and a line break, typed key by key.
ANSWER = (
    "Выдачу медицинской справки для водителей: 3 дня и 5 часов в очередях.\n"
    "Хочу, чтобы всё делалось за один визит 🚗"
)
SAVED = "Сохранено."
RESTORED = "Ответ восстановлен из файла."


def test_typed_answer_survives_kernel_restart(tmp_path):
    """Does a value typed in the browser survive a kernel restart?"""
    root = tmp_path / "course"
    root.mkdir()
    shutil.copy(REPO / "course" / NOTEBOOK, root)  # the answers file is written here
    prefix = NOTEBOOK.removesuffix(".ipynb")
    clear_screenshots(prefix)

    with (
        jupyter_lab(root, tmp_path / "jupyter") as lab,
        chromium() as page,
        evidence_on_failure(page, lab, prefix),
    ):
        notebook = Notebook(page)
        notebook.open(lab.url(NOTEBOOK))

        # Learners must see the Russian interface (scripts/_setup.sh sets the locale).
        menu_bar = page.locator("#jp-menu-panel")
        for title in (MENU_RUN, MENU_KERNEL):
            expect(menu_bar.get_by_role("menuitem", name=title, exact=True)).to_be_visible()
        # ...and not nbgrader's English instructor menu (scripts/learner-jupyter).
        expect(menu_bar.get_by_role("menuitem", name="Nbgrader")).to_have_count(0)
        screenshot(page, f"{prefix}-0-opened")

        notebook.run_all()
        assert notebook.errors() == [], "the lecture's first run showed errors"
        widget = notebook.widget(LABEL)
        text = widget.locator("textarea")
        expect(text).to_have_value("", timeout=KERNEL_TIMEOUT_MS)

        text.click()
        page.keyboard.type(ANSWER)
        page.keyboard.press("Tab")  # leaving the field sends the value to the kernel
        expect(widget).to_contain_text(SAVED, timeout=KERNEL_TIMEOUT_MS)
        assert open_store(STORE, root).get(QUESTION) == ANSWER
        notebook.show(widget)
        screenshot(page, f"{prefix}-1-filled")

        notebook.restart_kernel()
        notebook.run_all()
        assert notebook.errors() == [], "the run after the restart showed errors"
        widget = notebook.widget(LABEL)
        expect(widget).to_contain_text(RESTORED, timeout=KERNEL_TIMEOUT_MS)
        expect(widget.locator("textarea")).to_have_value(ANSWER)
        notebook.show(widget)
        screenshot(page, f"{prefix}-2-restored")
