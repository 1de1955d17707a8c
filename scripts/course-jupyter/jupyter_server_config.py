"""Jupyter Server settings for a learner's lab started through ./start (Binder/repo2docker).

The same lab as scripts/course.sh: the course/ folder of this checkout is the root (the
sources in exercises/ contain solutions and reach learners only through nbgrader's release),
and the course opens at 00_start. Options given on the command line still win.
"""

from pathlib import Path

COURSE = Path(__file__).resolve().parents[2] / "course"

c = get_config()  # noqa: F821 - provided by Jupyter's config loader
c.ServerApp.root_dir = str(COURSE)
c.LabApp.default_url = "/lab/tree/00_start.ipynb"
