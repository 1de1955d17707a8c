"""Lecture notebooks keep their skeleton, their length and correct Russian spelling."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import nbformat
import pytest
from conftest import REPO

from cxlab import lecture

COURSE = REPO / "course"
MODULES = [
    "00_start", "01_client_centricity", "02_empathy", "03_problem_definition", "04_ideation",
    "05_selection", "06_prototyping", "07_testing", "08_internal_clients",
    "09_metrics_and_capstone", "10_rollout_and_culture",
]  # fmt: skip
SKELETON = [
    "## Результаты обучения",
    "## Попробуйте сами",
    "## Типичные ошибки",
    "## Самопроверка",
    "## Итоги",
    "### Термины модуля",
]
MIN_WORDS = {"00_start": 700}  # every other module: 1,500 words of prose
WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")


def _markdown(name: str) -> str:
    nb = nbformat.read(COURSE / f"{name}.ipynb", as_version=4)
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _exercise_text(path) -> str:
    """What a learner (or, in mark schemes, an instructor) reads in an assignment: markdown
    cells and the Russian strings of code cells (messages, hints, widget items)."""
    nb = nbformat.read(path, as_version=4)
    parts = [c.source for c in nb.cells if c.cell_type == "markdown"]
    strings = re.compile(r"\"([^\"\n]*)\"|'([^'\n]*)'")
    for cell in nb.cells:
        if cell.cell_type == "code":
            parts += [a or b for a, b in strings.findall(cell.source)]
    return "\n".join(parts)


def _strings(value) -> list[str]:
    """Every string inside a JSON value (the texts of a lecture's widget configuration)."""
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [s for item in items for s in _strings(item)]


def _prose_words(text: str) -> list[str]:
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    return WORD.findall(text)


def test_all_modules_exist():
    """Are all ten modules of the course there, and nothing unexpected?"""
    found = sorted(p.stem for p in COURSE.glob("*.ipynb"))
    assert found == MODULES


@pytest.mark.parametrize("name", MODULES)
def test_skeleton_in_order(name):
    """Does the lecture open with outcomes and close with self-check, summary and terms?"""
    nb = nbformat.read(COURSE / f"{name}.ipynb", as_version=4)
    text = _markdown(name)
    assert text.lstrip().startswith("# "), "the first cell must be the H1 title"
    positions = [text.find(h) for h in SKELETON]
    missing = [h for h, p in zip(SKELETON, positions, strict=True) if p < 0]
    assert not missing, f"missing headings: {missing}"
    assert positions == sorted(positions), "skeleton headings are out of order"
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert code and "import" in code[0], "the first code cell must hold the imports"
    assert any('lecture.widget(store, "lecture_self_check")' in src for src in code), (
        "the self-check must be the lecture's configured Quiz"
    )
    assert lecture.config(name)["lecture_self_check"]["widget"] == "Quiz"


@pytest.mark.parametrize("name", MODULES)
def test_prose_is_long_enough(name):
    """Does the lecture keep enough Russian prose to teach (not just list terms)?"""
    words = len(_prose_words(_markdown(name)))
    assert words >= MIN_WORDS.get(name, 1500), f"{name}: {words} words"


def _allowed(word: str, stems: list[str]) -> bool:
    return any(word.lower().replace("ё", "е").startswith(s) for s in stems)


def test_russian_spelling():
    """Does hunspell's Russian dictionary accept every word of the lectures' prose, of the
    course's markdown files and of the assignments' texts, hints and messages?"""
    hunspell = shutil.which("hunspell")
    assert hunspell, "hunspell is missing: scripts/test.sh installs hunspell and hunspell-ru"
    stems = [
        line.strip().replace("ё", "е")
        for line in (REPO / "tests" / "spelling_allowlist.txt").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    problems = {}
    texts = {name: _markdown(name) for name in MODULES}
    for path in sorted((REPO / "exercises").glob("*/*.ipynb")):
        texts[f"exercises/{path.stem}"] = _exercise_text(path)
    for path in sorted(COURSE.glob("*.md")):  # «Откуда эти данные» and the glossary
        texts[path.name] = path.read_text(encoding="utf-8")
    for path in sorted(lecture.FOLDER.glob("*.json")):  # quizzes and tasks of the lectures
        texts[f"cxlab/lectures/{path.stem}"] = "\n".join(
            _strings(json.loads(path.read_text("utf-8")))
        )
    for name, text in texts.items():
        words = sorted({w for w in _prose_words(text) if len(w) > 1})
        result = subprocess.run(
            [hunspell, "-d", "ru_RU", "-l"],
            input="\n".join(words),
            capture_output=True,
            text=True,
            check=True,
        )
        bad = sorted({w for w in result.stdout.split() if not _allowed(w, stems)})
        if bad:
            problems[name] = bad
    assert not problems, f"unknown words (fix, or add a course term to the allow-list): {problems}"


def test_glossary_is_up_to_date():
    """Does course/glossary.md hold exactly the terms of the modules' «Термины модуля»?"""
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_glossary.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
    glossary = (COURSE / "glossary.md").read_text(encoding="utf-8")
    assert glossary.count("\n- **") >= 60, "the glossary should gather the terms of all modules"


# Every legal act the course names, with the date it must be cited with at least once in each
# text that names it (either «27.07.2010» or «27 июля 2010» is accepted).
ACTS = {
    "210-ФЗ": "27.07.2010",
    "59-ФЗ": "02.05.2006",
    "152-ФЗ": "27.07.2006",
    "79-ФЗ": "27.07.2004",
    "273-ФЗ": "25.12.2008",
    "№ 601": "07.05.2012",
    "№ 1284": "12.12.2012",
    "№ 2516-р": "25.12.2013",
    "№ 548": "14.11.2017",
    "№ 193": "25.04.2019",
    "№ 68": "04.02.2021",
    "№ 474": "21.07.2020",
    "№ 309": "07.05.2024",
}
# Lapsed acts are taught as history only: the paragraph (or quiz question) that names one must
# say that it lapsed or was replaced.
LAPSED = ("№ 548", "№ 193", "№ 474")
LAPSE_WORDS = re.compile(
    r"утратил|утративш|заменён|заменил|заменивш|сменил|сменивш|на смену|действовал|прежн|до него",
    re.I,
)
ACT_NAME = re.compile(r"(?:№ )?\d+-ФЗ\b|№ \d+(?:-р)?(?![\d-])")
MONTHS = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
STRING = re.compile(r"\"([^\"\n]*)\"|'([^'\n]*)'")


def _cited_forms(date: str) -> tuple[str, str]:
    day, month, year = date.split(".")
    return date, f"{int(day)} {MONTHS.split()[int(month) - 1]} {year}"


def _paragraphs() -> dict[str, list[str]]:
    """What a learner reads, cut into paragraphs: the lectures' markdown, each quiz question of
    their code cells (text, options and explanation together) and the course's markdown files
    (glossary.md is left out: it repeats the lectures' terms)."""
    texts: dict[str, list[str]] = {}
    for name in MODULES:
        nb = nbformat.read(COURSE / f"{name}.ipynb", as_version=4)
        parts = []
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                parts += cell.source.split("\n\n")
            else:
                for chunk in cell.source.split('"kind":'):
                    parts.append(" ".join(a or b for a, b in STRING.findall(chunk)))
        texts[name] = parts
    for path in sorted(COURSE.glob("*.md")):
        if path.name != "glossary.md":
            texts[path.name] = path.read_text(encoding="utf-8").split("\n\n")
    return texts


def _act(name: str) -> str:
    return name.removeprefix("№ ") if name.endswith("-ФЗ") else name


def test_course_names_only_known_acts():
    """Is every act the course names (a «№ N» or an «N-ФЗ») in the list of cited acts?"""
    unknown = {
        (name, _act(found))
        for name, parts in _paragraphs().items()
        for part in parts
        if not part.lstrip().startswith("```")
        for found in ACT_NAME.findall(part)
        if _act(found) not in ACTS
    }
    assert not unknown, f"add these acts with their dates to ACTS: {sorted(unknown)}"


@pytest.mark.parametrize("act", ACTS)
def test_legal_acts_are_cited_with_number_and_date(act):
    """Does every lecture or course file that names the act cite it at least once with its
    number and date?"""
    forms = _cited_forms(ACTS[act])
    number = re.compile(re.escape(act) + r"(?![\d-])")
    missing = []
    for name, parts in _paragraphs().items():
        text = "\n\n".join(parts)
        mentions = list(number.finditer(text))
        cited = any(
            form in text[max(0, m.start() - 120) : m.end() + 20] for m in mentions for form in forms
        )
        if mentions and not cited:
            missing.append(name)
    assert not missing, f"{act} is named without its date {forms} anywhere in: {missing}"


@pytest.mark.parametrize("act", LAPSED)
def test_lapsed_acts_are_never_presented_as_in_force(act):
    """Does every paragraph or quiz question that names a lapsed decree, in the lectures and in
    the assignments (tasks, hints, mark schemes), say that it lapsed or was replaced?"""
    number = re.compile(re.escape(act) + r"(?!\d)")
    texts = _paragraphs()
    for path in sorted((REPO / "exercises").glob("*/*.ipynb")):
        texts[f"exercises/{path.stem}"] = _exercise_text(path).split("\n\n")
    bare = [
        f"{name}: {part[:300]}"
        for name, parts in texts.items()
        for part in parts
        if number.search(part) and not LAPSE_WORDS.search(part)
    ]
    assert not bare, "a lapsed act named as if in force:\n" + "\n".join(bare)
