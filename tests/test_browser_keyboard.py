"""A stage tool used by keyboard only, in a real browser: the interview guide of lecture 02.

JupyterLab runs on a free loopback port in a temporary folder, headless Chromium drives it
(see ``tests/lab.py``). After one focus on the first question, everything is keys: Ctrl+A,
typing, Tab and Shift+Tab to move, Enter to press a button. Screenshots of the guide, the
persona card and the journey map go to ``artifacts/screenshots/02_empathy-*.png``.
"""

from __future__ import annotations

import shutil

import pytest
from conftest import REPO
from lab import (
    KERNEL_TIMEOUT_MS,
    Notebook,
    chromium,
    clear_screenshots,
    evidence_on_failure,
    jupyter_lab,
    press_until_focused,
    screenshot,
    wait_for_answer,
)
from playwright.sync_api import expect

from cxlab.answers import open_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOTEBOOK = "02_empathy.ipynb"
STORE = "02_empathy_lecture"
QUESTION = "lecture_interview_guide"
GUIDE = "Гайд интервью с заявителем"
ADD = "+ Добавить вопрос"
CLOSED = "Вы записывались к врачу заранее?"  # the notebook's first question
SECOND = "Наверное, больше всего вас раздражали очереди?"  # the second, left as it is
OPEN = "Расскажите, как вы записывались к врачу в последний раз"
LEADING = "Согласитесь, очереди были ужасными?"
PERSONA = "Персона: занятой заявитель"
JOURNEY = "Карта пути Николая Т."


def test_interview_guide_by_keyboard_only(tmp_path):
    """Can a learner rewrite and add interview questions with the keyboard alone, and see
    each question judged as soon as they leave its field?"""
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
        notebook.run_all()
        assert notebook.errors() == [], "the lecture's first run showed errors"

        guide = notebook.widget(GUIDE)
        # The table (one widget model, cxlab/widgets/table.js): a row of cells and buttons,
        # and a row below it with the feedback note.
        rows = guide.locator("tr.cxlab-table-row")
        questions = rows.locator("input[type=text]")
        notes = guide.locator("tr.cxlab-table-note")
        add = guide.get_by_role("button", name=ADD, exact=True)
        expect(rows).to_have_count(2, timeout=KERNEL_TIMEOUT_MS)
        expect(questions.nth(0)).to_have_value(CLOSED)
        # every cell is named by its row and column for screen readers
        expect(guide.get_by_role("textbox", name="Вопрос 2: Вопрос")).to_have_value(SECOND)
        expect(notes.nth(0)).to_contain_text("⚠ закрытый")
        expect(notes.nth(1)).to_contain_text("✖ наводящий")
        notebook.show(guide)

        # The one non-key step: put the cursor into the first question.
        questions.nth(0).focus()
        expect(questions.nth(0)).to_be_focused()

        page.keyboard.press("Control+a")
        page.keyboard.type(OPEN)
        expect(questions.nth(0)).to_have_value(OPEN)
        page.keyboard.press("Tab")  # leaving the field sends the question to the kernel
        expect(questions.nth(0)).not_to_be_focused()
        expect(notes.nth(0)).to_contain_text("✔ открытый", timeout=KERNEL_TIMEOUT_MS)
        expect(guide).to_contain_text("Сохранено.")

        press_until_focused(page, add, "Tab", limit=10)
        page.keyboard.press("Enter")
        expect(rows).to_have_count(3, timeout=KERNEL_TIMEOUT_MS)
        expect(notes.nth(2)).to_contain_text("Пустая строка", timeout=KERNEL_TIMEOUT_MS)
        # The widget moves the focus into the new row: the learner types straight away.
        expect(questions.nth(2)).to_be_focused(timeout=KERNEL_TIMEOUT_MS)
        expect(questions.nth(2)).to_have_attribute("aria-label", "Вопрос 3: Вопрос")

        page.keyboard.type(LEADING)
        page.keyboard.press("Tab")
        expect(notes.nth(2)).to_contain_text("✖ наводящий", timeout=KERNEL_TIMEOUT_MS)
        expect(guide).to_contain_text(
            "Вопросов: 3 (открытый: 1, закрытый: 0, наводящий: 2)", timeout=KERNEL_TIMEOUT_MS
        )
        for index, text in enumerate((OPEN, SECOND, LEADING)):
            expect(questions.nth(index)).to_have_value(text)

        expected = [{"question": text} for text in (OPEN, SECOND, LEADING)]
        wait_for_answer(page, lab, STORE, QUESTION, expected)
        assert open_store(STORE, root).get(QUESTION) == expected

        notebook.show(guide)
        screenshot(page, f"{prefix}-1-guide-by-keyboard")

        persona = notebook.widget(PERSONA, tag="h4")
        expect(persona.locator("h4")).to_contain_text(PERSONA)
        notebook.show(persona)
        screenshot(page, f"{prefix}-2-persona")

        journey = notebook.widget(JOURNEY)
        steps = journey.locator("tr.cxlab-table-row")
        expect(steps.nth(5)).to_be_visible()
        notebook.show(steps.nth(5))  # the title, the header and the first dozen steps
        screenshot(page, f"{prefix}-3-journey-map")

        curve = journey.locator(".jp-OutputArea-output img")
        expect(curve).to_have_count(1, timeout=KERNEL_TIMEOUT_MS)
        notebook.show(curve)
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=curve.element_handle()
        )
        screenshot(page, f"{prefix}-4-journey-curve")
