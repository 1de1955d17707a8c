"""Interactive tools for the course, one module per design-thinking stage; each saves its
state through :mod:`cxlab.answers` and comes back after a kernel restart.

- ``base``: :class:`StoredWidget` (the save/restore contract) and :class:`TextAnswer`
- ``table``: :class:`TableEditor`, the editable table behind the list-like tools
- ``empathy``: :class:`InterviewGuide`, :class:`EmpathyMap`, :class:`PersonaCard`,
  :class:`JourneyMapBuilder`, :class:`CategorySort`
- ``ideation``: :class:`ProblemStatement`, :class:`HowMightWe`, :class:`IdeaBoard`
- ``selection``: :class:`CriteriaMatrix`, :class:`ImpactEffort`
- ``prototyping``: :class:`BlueprintEditor`
- ``testing``: :class:`SUSQuestionnaire`, :class:`TestSessionLog`
- ``quiz``: :class:`Quiz`, the self-check with instant explanations
- ``hints``: :class:`Hints`, progressive hints to a graded task, opened one at a time
"""

from cxlab.widgets.base import StoredWidget, TextAnswer
from cxlab.widgets.empathy import (
    CategorySort,
    EmpathyMap,
    InterviewGuide,
    JourneyMapBuilder,
    PersonaCard,
)
from cxlab.widgets.hints import Hints
from cxlab.widgets.ideation import HowMightWe, IdeaBoard, ProblemStatement
from cxlab.widgets.prototyping import BlueprintEditor
from cxlab.widgets.quiz import Quiz
from cxlab.widgets.selection import CriteriaMatrix, ImpactEffort
from cxlab.widgets.table import Field, TableEditor
from cxlab.widgets.testing import SUSQuestionnaire, TestSessionLog

__all__ = [
    "BlueprintEditor",
    "CategorySort",
    "CriteriaMatrix",
    "EmpathyMap",
    "Field",
    "Hints",
    "HowMightWe",
    "IdeaBoard",
    "ImpactEffort",
    "InterviewGuide",
    "JourneyMapBuilder",
    "PersonaCard",
    "ProblemStatement",
    "Quiz",
    "SUSQuestionnaire",
    "StoredWidget",
    "TableEditor",
    "TestSessionLog",
    "TextAnswer",
]
