"""Measure the formative-feedback heuristics on the labelled sets in tests/files/.

    python scripts/eval_feedback.py            accuracy per split, confusion matrix
    python scripts/eval_feedback.py --errors   also list every misjudged item

The sets were written blind to the heuristics; rules are tuned on the ``dev`` split only and
``holdout`` estimates how the heuristics do on questions nobody tuned them for.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from cxlab.feedback import classify_question, hmw_feedback  # noqa: E402

QUESTIONS = REPO / "tests" / "files" / "interview_questions.csv"
HMW = REPO / "tests" / "files" / "hmw_statements.csv"
KINDS = ("open", "closed", "leading")
PARTS = ("user", "need", "insight")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def question_results(split: str | None = None) -> list[tuple[str, str, str]]:
    """``(text, expected, predicted)`` for the labelled questions of ``split`` (or all)."""
    return [
        (r["text"], r["label"], classify_question(r["text"]))
        for r in _rows(QUESTIONS)
        if split in (None, r["split"])
    ]


def hmw_results(split: str | None = None) -> list[tuple[str, dict[str, bool], dict[str, bool]]]:
    """``(text, expected flags, predicted flags)`` for the labelled HMW statements."""
    out = []
    for r in _rows(HMW):
        if split not in (None, r["split"]):
            continue
        fb = hmw_feedback(r["text"])
        expected = {p: r[f"has_{p}"] == "1" for p in PARTS}
        out.append((r["text"], expected, {p: getattr(fb, p) for p in PARTS}))
    return out


def accuracy(pairs: list[tuple[object, object]]) -> float:
    return sum(a == b for a, b in pairs) / len(pairs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every misjudged item")
    args = parser.parse_args(argv)
    print("classify_question (open / closed / leading)")
    for split in ("dev", "holdout", None):
        res = question_results(split)
        acc = accuracy([(e, p) for _t, e, p in res])
        print(f"  {split or 'all':8} n={len(res):4}  accuracy {acc:.1%}")
    res = question_results()
    confusion = Counter((e, p) for _t, e, p in res)
    print("  confusion (rows: label, columns: predicted): " + " ".join(f"{k:>8}" for k in KINDS))
    for e in KINDS:
        print(f"  {e:>46}: " + " ".join(f"{confusion[e, p]:8}" for p in KINDS))
    print("hmw_feedback (per part: user / need / insight; all three right)")
    for split in ("dev", "holdout", None):
        res = hmw_results(split)
        parts = "  ".join(f"{p} {accuracy([(e[p], q[p]) for _t, e, q in res]):.1%}" for p in PARTS)
        whole = accuracy([(e, q) for _t, e, q in res])
        print(f"  {split or 'all':8} n={len(res):4}  {parts}  all three {whole:.1%}")
    if args.errors:
        print("\nmisjudged questions:")
        for text, e, p in question_results():
            if e != p:
                print(f"  [{e} → {p}] {text}")
        print("\nmisjudged HMW parts:")
        for text, e, q in hmw_results():
            wrong = [f"{p}: {int(e[p])}→{int(q[p])}" for p in PARTS if e[p] != q[p]]
            if wrong:
                print(f"  [{', '.join(wrong)}] {text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
