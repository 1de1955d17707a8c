"""Exercise 03 through the real nbgrader pipeline (see ``tests/exercise_harness.py`` for the
standard submissions and checks every assignment gets).

The partial learner types the group sizes in by hand (right on the case data only), writes a
priority function that fails with a KeyError, and sorts five of the eight statements right;
the alternatives count with plain loops, with other pandas idioms and rounded as far as the
task text allows (shares to three decimals, whole-number scores as ints); the last fills only the
core track's blanks of the release, with other idioms, and writes the analyst's function with a
loop. Fast checks run the
hidden test cells in-process: plausible wrong answers lose exactly the points they should,
the allowed rounding keeps them, and a malformed answers file scores 0 without an error.

The test cells only report what the learner's functions return; the score and the Russian
verdict are decided outside the kernel from the answer key (``run_source_cell`` returns both).
"""

from __future__ import annotations

import html
import json
import re

import pytest
from exercise_harness import (
    Submission,
    code_cells,
    run_cell,
    run_source_cell,
    source_answers,
    standard_tests,
)

pytestmark = pytest.mark.slow

ASSIGNMENT = "03_problem_definition"
ANSWERS = f"{ASSIGNMENT}.answers.json"
PARTIAL_SORT = {  # five right (s1, s2, s3, s5, s6), three wrong
    "s1": "pain", "s2": "need", "s3": "solution", "s4": "pain",
    "s5": "need", "s6": "pain", "s7": "need", "s8": "need",
}  # fmt: skip

PARTIAL = Submission(
    base="release",
    cells={
        "pain_shares": """def pain_shares(interviews):
    table = pd.DataFrame(interviews["interviews"])
    mentions = table.explode("pain_tags")
    counts = pd.crosstab(mentions["pain_tags"], mentions["role"])
    return {
        "заявитель": (counts["заявитель"] / 7).to_dict(),
        "сотрудник": (counts["сотрудник"] / 3).to_dict(),
    }


pain_shares(interviews)
""",
        "pain_priority": """def pain_priority(interviews, journey):
    steps = journey[journey["pain_tags"].notna()]
    return steps.groupby("pain_tags")["queue_min"].sum().to_dict()


pain_priority(interviews, journey)
""",
    },
    answers={"kind_sort": PARTIAL_SORT},
    expected={
        "test_pain_shares_format": 1.0,
        "test_pain_shares": 1.0,
        "test_kind_sort_complete": 1.0,
        "test_kind_sort": 2.5,
    },
)
ALTERNATIVES = [
    Submission(
        base="source",
        cells={
            "pain_shares": """from collections import Counter


def pain_shares(interviews):
    people = interviews["interviews"]
    result = {}
    for role in {p["role"] for p in people}:
        group = [p for p in people if p["role"] == role]
        mentioned = Counter(tag for p in group for tag in p["pain_tags"])
        result[role] = {tag: n / len(group) for tag, n in mentioned.items()}
    return result


pain_shares(interviews)
""",
            "pain_priority": """def pain_priority(interviews, journey):
    freq = {}
    for person in interviews["interviews"]:
        for tag in person["pain_tags"]:
            freq[tag] = freq.get(tag, 0) + 1
    minutes = {}
    for _, step in journey.iterrows():
        tag = step["pain_tag"]
        if isinstance(tag, str):
            minutes[tag] = minutes.get(tag, 0) + step["travel_min"] + step["queue_min"]
    scores = {tag: freq[tag] * m for tag, m in minutes.items() if tag in freq}
    return dict(sorted(scores.items(), key=lambda item: item[1], reverse=True))


pain_priority(interviews, journey)
""",
        },
    ),
    Submission(
        base="source",
        cells={
            "pain_shares": """def pain_shares(interviews):
    people = interviews["interviews"]
    pairs = pd.DataFrame(
        [(p["role"], tag) for p in people for tag in p["pain_tags"]], columns=["role", "tag"]
    )
    sizes = pd.Series([p["role"] for p in people]).value_counts()
    result = {}
    for (role, tag), n in pairs.groupby(["role", "tag"]).size().items():
        result.setdefault(role, {})[tag] = n / sizes[role]
    return result


pain_shares(interviews)
""",
            "pain_priority": """def pain_priority(interviews, journey):
    people = pd.DataFrame(interviews["interviews"]).explode("pain_tags")
    freq = people.groupby("pain_tags")["id"].count().rename("interviews")
    pains = journey.dropna(subset=["pain"]).assign(lost=lambda d: d.travel_min + d.queue_min)
    lost = pains.groupby("pain_tag")["lost"].sum()
    both = pd.concat([freq, lost], axis=1, join="inner")
    both["score"] = both["interviews"] * both["lost"]
    return both["score"].sort_values(ascending=False).to_dict()


pain_priority(interviews, journey)
""",
        },
    ),
    Submission(  # rounded as the task text allows: shares to 3 decimals, scores as ints
        base="source",
        cells={
            "pain_shares": """def pain_shares(interviews):
    table = pd.DataFrame(interviews["interviews"])
    sizes = table["role"].value_counts()
    result = {}
    for role, size in sizes.items():
        tags = table.loc[table["role"] == role, "pain_tags"].explode().dropna()
        result[role] = {tag: round(n / size, 3) for tag, n in tags.value_counts().items()}
    return result


pain_shares(interviews)
""",
            "pain_priority": """def pain_priority(interviews, journey):
    table = pd.DataFrame(interviews["interviews"])
    frequency = table.explode("pain_tags")["pain_tags"].value_counts()
    steps = journey[journey["pain_tag"].notna()]
    lost = (steps["travel_min"] + steps["queue_min"]).groupby(steps["pain_tag"]).sum()
    score = (frequency * lost).dropna().sort_values(ascending=False)
    return {tag: int(value) for tag, value in score.items()}


pain_priority(interviews, journey)
""",
        },
    ),
    Submission(  # only the blanks of the release, filled with other idioms
        base="release",
        answers=source_answers(ASSIGNMENT),
        blanks={
            "pain_shares": [
                'group_sizes = table.groupby("role").size()',
                "shares = counts.div(group_sizes, axis=1)",
            ],
            "pain_priority": [
                'frequency = mentions.groupby("pain_tags").size()',
                'lost_per_step = pain_steps[["travel_min", "queue_min"]].sum(axis=1)',
                "score = lost * frequency",
            ],
            "pains_per_interview": [
                """found = {}
for item in interviews["interviews"]:
    found.setdefault(item["role"], []).append(len(item["pain_tags"]))
return {role: round(sum(n) / len(n), 2) for role, n in found.items()}"""
            ],
        },
    ),
]

globals().update(standard_tests(ASSIGNMENT, PARTIAL, ALTERNATIVES))


def test_a_failing_function_costs_only_its_own_part(graded):
    """Does the partial learner, whose priority function raises, lose only part 2's points,
    and does her feedback name the error and her other hints?"""
    course, scores = graded
    assert scores["partial"]["test_pain_priority_format"] == 0
    assert scores["partial"]["test_pain_priority"] == 0
    assert scores["partial"]["test_pain_shares"] == 1
    assert scores["partial"]["test_kind_sort"] == 2.5
    submitted = course.path("submitted", ASSIGNMENT, "partial") / ANSWERS
    saved = json.loads(submitted.read_text(encoding="utf-8"))
    assert saved["answers"]["kind_sort"]["value"] == PARTIAL_SORT
    page = course.path("feedback", ASSIGNMENT, "partial") / f"{ASSIGNMENT}.html"
    text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
    assert "Ваш код завершился с ошибкой: KeyError" in text
    assert "Баллы: 0 из 3." in text  # part 2: the function fails on every case
    assert "Пересмотрите: доли на наборе с другим составом интервью" in text
    assert "Проверьте: ключи — все роли, которые есть в данных" in text
    assert "Баллы: 1 из 3." in text  # part 1: right on the case data only
    assert "Вспомните: «боль» — то, что мешает человеку" in text
    assert "Баллы: 2,5 из 4." in text  # five of the eight statements right


# -- the hidden tests in-process (fast: no nbgrader, no kernel) ------------------------------


def _graded_cell(
    test_id: str, solution: str | None, tmp_path, monkeypatch, answers_file: str | None = None
) -> tuple[object, str]:
    """Run setup, a solution and one test cell; return the grader's score and the stdout with
    its verdict (stderr: none).

    ``answers_file`` is written after the setup cell (whose store would move a corrupt file
    aside), so that the test cell itself meets it.
    """
    monkeypatch.chdir(tmp_path)
    cells = code_cells(ASSIGNMENT)
    namespace: dict = {}
    runs = [run_cell(cells["setup"], namespace, "setup")]
    if solution is not None:
        runs.append(run_cell(solution, namespace, "solution"))
    if answers_file is not None:
        (tmp_path / ANSWERS).write_text(answers_file, encoding="utf-8")
    runs.append(run_source_cell(ASSIGNMENT, test_id, namespace))
    assert "".join(r.stderr for r in runs) == ""
    return runs[-1].value, "".join(r.stdout for r in runs)


SHARES = "def pain_shares(interviews):\n    table = pd.DataFrame(interviews['interviews'])\n"
PRIORITY = (
    "def pain_priority(interviews, journey):\n"
    "    table = pd.DataFrame(interviews['interviews'])\n"
    "    frequency = table.explode('pain_tags')['pain_tags'].value_counts()\n"
    "    steps = journey[journey['pain_tag'].notna()]\n"
)
WRONG = {
    # Part 1: (body after SHARES, expected hidden score out of 3)
    "shares: counts, not shares": (
        "    m = table.explode('pain_tags')\n"
        "    return pd.crosstab(m['pain_tags'], m['role']).to_dict()\n",
        "test_pain_shares",
        0,
    ),
    "shares: divided by all interviews": (
        "    m = table.explode('pain_tags')\n"
        "    return (pd.crosstab(m['pain_tags'], m['role']) / len(table)).to_dict()\n",
        "test_pain_shares",
        0,
    ),
    "shares: percentages": (
        "    m = table.explode('pain_tags')\n"
        "    c = pd.crosstab(m['pain_tags'], m['role'])\n"
        "    return (c / table['role'].value_counts() * 100).to_dict()\n",
        "test_pain_shares",
        0,
    ),
    "shares: rounded": (
        "    m = table.explode('pain_tags')\n"
        "    c = pd.crosstab(m['pain_tags'], m['role'])\n"
        "    return (c / table['role'].value_counts()).round(2).to_dict()\n",
        "test_pain_shares",
        0,
    ),
    "shares: group sizes typed in": (
        "    m = table.explode('pain_tags')\n"
        "    c = pd.crosstab(m['pain_tags'], m['role'])\n"
        "    return (c / pd.Series({'заявитель': 7, 'сотрудник': 3})).to_dict()\n",
        "test_pain_shares",
        1,
    ),
    "shares: interviews without pains left out of the group size": (
        "    m = table.explode('pain_tags').dropna(subset=['pain_tags'])\n"
        "    c = pd.crosstab(m['pain_tags'], m['role'])\n"
        "    return (c / m.groupby('role')['id'].nunique()).to_dict()\n",
        "test_pain_shares",
        2,
    ),
    # Part 2: (body after PRIORITY, expected hidden score out of 3)
    "priority: service minutes counted as lost": (
        "    lost = (steps['travel_min'] + steps['queue_min'] + steps['service_min'])"
        ".groupby(steps['pain_tag']).sum()\n"
        "    return (frequency * lost).dropna().sort_values(ascending=False).to_dict()\n",
        "test_pain_priority",
        0,
    ),
    "priority: frequency among applicants only": (
        "    mine = table[table['role'] == 'заявитель'].explode('pain_tags')['pain_tags']\n"
        "    lost = (steps['travel_min'] + steps['queue_min']).groupby(steps['pain_tag']).sum()\n"
        "    return (mine.value_counts() * lost).dropna().sort_values(ascending=False).to_dict()\n",
        "test_pain_priority",
        0,
    ),
    "priority: pains missing from one source scored 0": (
        "    lost = (steps['travel_min'] + steps['queue_min']).groupby(steps['pain_tag']).sum()\n"
        "    s = (frequency * lost).fillna(0).sort_values(ascending=False)\n"
        "    return s.to_dict()\n",
        "test_pain_priority",
        0,
    ),
    "priority: not sorted": (
        "    lost = (steps['travel_min'] + steps['queue_min']).groupby(steps['pain_tag']).sum()\n"
        "    return (frequency * lost).dropna().to_dict()\n",
        "test_pain_priority",
        2,
    ),
    "priority: frequency as a share of interviews": (
        "    lost = (steps['travel_min'] + steps['queue_min']).groupby(steps['pain_tag']).sum()\n"
        "    share = frequency / len(table)\n"
        "    return (share * lost).dropna().sort_values(ascending=False).to_dict()\n",
        "test_pain_priority",
        1,
    ),
}


HINTS = {  # a hint each hidden test gives when something is wrong
    "test_pain_shares": ("Проверьте: ключи — все роли",),
    "test_pain_priority": ("Частота — число интервью", "В словаре нужны только", "по убыванию"),
}


@pytest.mark.parametrize("case", list(WRONG))
def test_plausible_wrong_answers_lose_points(case, tmp_path, monkeypatch):
    """Does a plausible mistake (counts for shares, sizes typed in, service minutes counted,
    no sort…) lose exactly the points it should, with a hint and nothing on stderr?"""
    body, test_id, expected = WRONG[case]
    head = SHARES if test_id == "test_pain_shares" else PRIORITY
    score, printed = _graded_cell(test_id, head + body, tmp_path, monkeypatch)
    assert score == expected, printed
    assert f"Баллы: {expected} из 3." in printed
    assert "Пересмотрите: " in printed
    assert any(hint in printed for hint in HINTS[test_id]), printed


def test_missing_pains_hint_names_the_set_of_codes(tmp_path, monkeypatch):
    """Does a priority dict with pains that are missing from one source get the hint about
    the set of codes (a rule worth no points of its own)?"""
    body, test_id, _ = WRONG["priority: pains missing from one source scored 0"]
    _, printed = _graded_cell(test_id, PRIORITY + body, tmp_path, monkeypatch)
    assert "набор «болей» в словаре" in printed
    assert "В словаре нужны только коды" in printed
    body, test_id, _ = WRONG["priority: service minutes counted as lost"]
    _, printed = _graded_cell(test_id, PRIORITY + body, tmp_path, monkeypatch)
    assert "набор «болей»" not in printed  # the right codes, wrong scores


ALLOWED_ROUNDING = {
    "test_pain_shares": SHARES + "    m = table.explode('pain_tags')\n"
    "    c = pd.crosstab(m['pain_tags'], m['role'])\n"
    "    return (c / table['role'].value_counts()).round(3).to_dict()\n",
    "test_pain_priority": PRIORITY
    + "    lost = (steps['travel_min'] + steps['queue_min']).groupby(steps['pain_tag']).sum()\n"
    "    s = (frequency * lost).dropna().sort_values(ascending=False)\n"
    "    return {tag: round(value) for tag, value in s.items()}\n",
}


@pytest.mark.parametrize("test_id", list(ALLOWED_ROUNDING))
def test_rounding_the_task_allows_keeps_every_point(test_id, tmp_path, monkeypatch):
    """Does rounding exactly as far as the task text allows (shares to three decimals, the
    whole-number scores as ints) keep every point?"""
    score, printed = _graded_cell(test_id, ALLOWED_ROUNDING[test_id], tmp_path, monkeypatch)
    assert score == 3, printed
    assert "Пересмотрите" not in printed


ENVELOPE = {"format": "cxlab-answers", "version": 1}


@pytest.mark.parametrize(
    "content",
    [
        None,  # no file at all
        "{not json",
        json.dumps([1, 2, 3]),
        json.dumps({"format": "cxlab-answers", "version": 1, "answers": []}),
        json.dumps({**ENVELOPE, "answers": {"kind_sort": {"value": ["pain"] * 8}}}),
        json.dumps({**ENVELOPE, "answers": {"kind_sort": {"value": {"s1": ["pain"], "s2": 3}}}}),
    ],
    ids=["missing", "not-json", "a-list", "answers-a-list", "value-a-list", "odd-values"],
)
def test_malformed_answers_file_scores_zero_without_an_error(content, tmp_path, monkeypatch):
    """Does a missing or malformed answers file give 0 for the sort, not an error?"""
    score, printed = _graded_cell("test_kind_sort", None, tmp_path, monkeypatch, content)
    assert score == 0
    assert "Баллы: 0 из 4." in printed
    assert "Вспомните: «боль» — то, что мешает человеку" in printed
