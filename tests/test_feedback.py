"""Tests for cxlab.feedback: the labelled sets, the measured accuracy, and odd input."""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import Counter

import pytest

from cxlab.feedback import (
    QUESTION_KINDS,
    HMWFeedback,
    classify_question,
    hmw_feedback,
    insight_is_solution,
    question_feedback,
)
from tests.conftest import REPO

QUESTIONS = REPO / "tests" / "files" / "interview_questions.csv"
HMW = REPO / "tests" / "files" / "hmw_statements.csv"
CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def _rows(path):
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _evaluator():
    """scripts/eval_feedback.py, the script that reports the accuracy in the README."""
    spec = importlib.util.spec_from_file_location(
        "eval_feedback", REPO / "scripts" / "eval_feedback.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the labelled sets ---------------------------------------------------------------------


def test_question_set_is_large_varied_and_well_formed():
    """Are there at least 150 distinct labelled questions, every kind well represented?"""
    rows = _rows(QUESTIONS)
    assert len(rows) >= 150
    texts = [r["text"].strip().lower().rstrip("?.") for r in rows]
    assert len(set(texts)) == len(texts), "duplicate questions"
    labels = Counter(r["label"] for r in rows)
    assert set(labels) == set(QUESTION_KINDS)
    assert min(labels.values()) >= 0.2 * len(rows)
    assert {r["split"] for r in rows} == {"dev", "holdout"}
    first_words = Counter(t.split()[0].strip(",") for t in texts)
    assert len(first_words) >= 40, "questions should not all start the same way"


def test_hmw_set_is_well_formed():
    """Are there enough labelled «Как мы могли бы…» statements with 0/1 flags and splits?"""
    rows = _rows(HMW)
    assert len(rows) >= 60
    for row in rows:
        assert {row["has_user"], row["has_need"], row["has_insight"]} <= {"0", "1"}
        assert row["split"] in {"dev", "holdout"}
    complete = [r for r in rows if r["has_user"] == r["has_need"] == r["has_insight"] == "1"]
    assert 0 < len(complete) < len(rows)


# -- measured accuracy ---------------------------------------------------------------------


@pytest.mark.parametrize("split", ["holdout", None], ids=["holdout", "all"])
def test_question_classifier_is_at_least_90_percent_accurate(split):
    """Does classify_question agree with the human labels on at least 90% of questions?"""
    ev = _evaluator()
    results = ev.question_results(split)
    accuracy = ev.accuracy([(expected, got) for _t, expected, got in results])
    wrong = [f"[{e}→{g}] {t}" for t, e, g in results if e != g]
    assert accuracy >= 0.90, "\n".join(wrong)


@pytest.mark.parametrize("part", ["user", "need", "insight"])
def test_hmw_parts_are_found_in_at_least_85_percent_of_statements(part):
    """Does hmw_feedback find the user, the need and the insight as people labelled them?"""
    ev = _evaluator()
    results = ev.hmw_results()
    accuracy = ev.accuracy([(e[part], g[part]) for _t, e, g in results])
    assert accuracy >= 0.85


def test_eval_script_prints_the_figures(capsys):
    """Does scripts/eval_feedback.py print the accuracy for each split?"""
    assert _evaluator().main([]) == 0
    out = capsys.readouterr().out
    assert re.search(r"holdout\s+n=\s*\d+\s+accuracy \d+\.\d%", out)
    assert "all three" in out


# -- typical and odd questions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Расскажите, как вы получали справку в последний раз.", "open"),
        ("Почему вы решили поехать в субботу?", "open"),
        ("Что вы делали, пока ждали нарколога?", "open"),
        ("Вы были в диспансере?", "closed"),
        ("Есть ли у вас медицинская карта?", "closed"),
        ("Сколько раз вы приезжали в город?", "closed"),
        ("Не правда ли, очередь была слишком длинной?", "leading"),
        ("Согласитесь, три кассы — это неудобно?", "leading"),
        ("Вам ведь было тяжело?", "leading"),
    ],
)
def test_issue_examples_are_classified(text, kind):
    """Are the examples from the course's own definition classified as it says?"""
    assert classify_question(text) == kind


@pytest.mark.parametrize("text", ["", "   ", "?!", "123", "😀🙏🏽"])
def test_no_words_is_refused_in_russian(text):
    """Is input without words refused with a Russian message instead of a guess?"""
    with pytest.raises(ValueError) as info:
        classify_question(text)
    assert CYRILLIC.search(str(info.value))


@pytest.mark.parametrize(
    "text",
    [
        "How did you get the certificate?",
        "Расскажите 🙏🏽 как это было 👩‍👩‍👧",
        "客户 — как вы узнали о справке?",
        "расскажите, как это было " * 4000,  # about 100 KB
    ],
)
def test_odd_input_gets_a_verdict(text):
    """Do emoji, other scripts and a 100 KB text get a verdict, not an exception?"""
    kind, advice = question_feedback(text)
    assert kind in QUESTION_KINDS
    assert CYRILLIC.search(advice)


def test_every_kind_has_russian_advice():
    """Does each verdict come with Russian advice on what to do?"""
    for text in ("Расскажите о дне", "Вы были там?", "Согласитесь, это долго?"):
        _kind, advice = question_feedback(text)
        assert CYRILLIC.search(advice) and len(advice) > 40


# -- «Как мы могли бы…» ---------------------------------------------------------------------

GOOD_HMW = (
    "Как мы могли бы помочь пожилым водителям из районов получить справку за одну поездку, "
    "потому что каждая поездка в город отнимает у них целый день?"
)


def test_a_complete_hmw_statement_is_praised():
    """Is a statement with a user, a need and an insight marked complete?"""
    fb = hmw_feedback(GOOD_HMW)
    assert (fb.frame, fb.user, fb.need, fb.insight, fb.solution) == (True, True, True, True, False)
    assert fb.ok
    assert "хорошая" in fb.messages[0]


def test_a_solution_in_disguise_is_flagged():
    """Is «…сделать мобильное приложение» called a solution, not a need?"""
    fb = hmw_feedback("Как мы могли бы сделать мобильное приложение для записи к врачу?")
    assert fb.solution and not fb.need and not fb.ok
    assert any("решение" in m for m in fb.messages)


def test_generic_users_are_asked_to_be_specific():
    """Are «граждане» told to name a concrete group of users?"""
    fb = hmw_feedback("Как мы могли бы помочь гражданам получить справку быстрее?")
    assert not fb.user
    assert any("конкретную группу" in m for m in fb.messages)


def test_missing_insight_is_explained():
    """Does a statement without a reason get advice to add the insight?"""
    fb = hmw_feedback("Как мы могли бы помочь пожилым водителям получить справку за один визит?")
    assert fb.user and fb.need and not fb.insight
    assert any("инсайт" in m for m in fb.messages)


@pytest.mark.parametrize("text", ["", "   ", "😀", "x" * 100_000, "Как мы могли бы 🙏🏽?"])
def test_hmw_feedback_never_crashes(text):
    """Do empty, emoji and huge statements get feedback in Russian rather than an error?"""
    fb = hmw_feedback(text)
    assert isinstance(fb, HMWFeedback)
    assert not fb.ok
    assert fb.messages and all(CYRILLIC.search(m) for m in fb.messages)


def test_a_when_clause_is_not_taken_for_an_insight():
    """Is «…узнать, когда его примут» a need without an insight, not an insight?"""
    fb = hmw_feedback("Как мы могли бы помочь пожилым водителям узнать, когда их примут?")
    assert fb.user and fb.need and not fb.insight


@pytest.mark.parametrize(
    ("text", "solution"),
    [
        ("потому что следует ввести запись через Госуслуги", True),
        ("ведомство должно перенести приём врачей на первый этаж", True),
        ("лучше всего сделать единую площадку", True),
        ("создание единой площадки", True),
        ("установить терминалы в холле", True),
        ("они не знают заранее, сколько ждать, и берут отгул на весь день", False),
        ("должны платить трижды в разных кассах", False),
        ("не хватает времени отпрашиваться с работы", False),
        ("очередь непредсказуема", False),
        ("", False),
        ("😀", False),
    ],
)
def test_a_solution_offered_as_an_insight_is_recognised(text, solution):
    """Does the problem-statement check tell a solution («нужно сделать…») from a reason?
    (Examples, not a measured set: no labelled set of insights exists yet.)"""
    assert insight_is_solution(text) is solution
