"""Interactive tools for the course, each saving its state through :mod:`cxlab.answers`."""

from cxlab.widgets.base import StoredWidget, TextAnswer
from cxlab.widgets.empathy import CategorySort, EmpathyMap
from cxlab.widgets.quiz import Quiz

__all__ = ["CategorySort", "EmpathyMap", "Quiz", "StoredWidget", "TextAnswer"]
