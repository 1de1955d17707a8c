"""The configured widgets of the lectures: one short call in the notebook, the configuration
(questions, items, categories, keys and explanations) as data in ``cxlab/lectures/``.

A lecture notebook opens its answers store as ``answers.open_store("NN_topic_lecture")``
and shows a configured task with ``lecture.widget(store, "lecture_self_check")``; the
configuration is ``cxlab/lectures/NN_topic.json``::

    {"lecture_self_check": {"widget": "Quiz", "questions": [...]},
     "lecture_brainstorm_rules": {"widget": "CategorySort", "items": {...},
                                  "categories": {...}, "key": {...}, "explanations": {...}}}

Every other key of an entry is passed to the widget as a keyword argument.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from cxlab.answers import AnswerStore
from cxlab.widgets import CategorySort, IdeaBoard, InterviewGuide, Quiz, StoredWidget

__all__ = ["FOLDER", "WIDGETS", "config", "widget"]

FOLDER = Path(__file__).resolve().parent / "lectures"
WIDGETS: dict[str, type[StoredWidget]] = {
    "CategorySort": CategorySort,
    "IdeaBoard": IdeaBoard,
    "InterviewGuide": InterviewGuide,
    "Quiz": Quiz,
}
_SUFFIX = "_lecture.answers.json"


@cache
def config(lecture: str) -> dict[str, dict[str, Any]]:
    """The configured tasks of ``lecture`` (``"01_client_centricity"``): qid → entry."""
    path = FOLDER / f"{lecture}.json"
    if not path.is_file():
        raise LookupError(f"no widget configuration for lecture {lecture!r} in {FOLDER}")
    with path.open(encoding="utf-8") as file:
        tasks = json.load(file)
    for qid, entry in tasks.items():
        if entry.get("widget") not in WIDGETS:
            raise ValueError(f"{path.name}: {qid}: unknown widget {entry.get('widget')!r}")
    return tasks


def widget(store: AnswerStore, qid: str) -> StoredWidget:
    """The widget of task ``qid`` of the lecture whose answers ``store`` keeps."""
    name = store.path.name
    if not name.endswith(_SUFFIX):
        raise ValueError(f"{name} is not a lecture's answers file (…{_SUFFIX})")
    lecture = name.removesuffix(_SUFFIX)
    tasks = config(lecture)
    if qid not in tasks:
        raise LookupError(f"lecture {lecture!r} has no configured task {qid!r}")
    options = dict(tasks[qid])
    kind = WIDGETS[options.pop("widget")]
    if kind is Quiz:
        return Quiz(options.pop("questions"), store=store, qid=qid, **options)
    return kind(store, qid, **options)
