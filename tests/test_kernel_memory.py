"""The habits that keep a learner's kernel within its memory budget (``docs/ARCHITECTURE.md``).

The budget itself (peak kernel memory per lecture) is measured by
``scripts/bench_notebooks.py``, not asserted here: the figure depends on the machine and the
library versions. These tests check, deterministically, what the figure rests on: the
learner-side modules load matplotlib only when a chart is drawn, and a chart is shown as one
SVG, never rasterised for display, with no pixel buffer left behind.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from conftest import REPO


def _run(code: str) -> dict:
    """Run ``code`` in a fresh interpreter (a clean ``sys.modules``); it prints JSON."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_learner_modules_load_no_plotting_until_a_chart_is_drawn():
    """Do ``cxlab``'s modules and ``fmt.use_in_notebook()`` leave pyplot and pandas' matplotlib
    plotting unloaded, so that only a lecture that draws pays for them?"""
    loaded = _run(
        """
        import json, sys
        from IPython.core.interactiveshell import InteractiveShell
        import cxlab
        from cxlab import answers, assignments, data, feedback, fmt, lecture, plots, steps
        from cxlab.widgets import Quiz, TextAnswer
        InteractiveShell.instance()
        assert fmt.use_in_notebook()
        data.load("belgorod_journey_as_is")
        heavy = ("matplotlib.pyplot", "matplotlib.figure", "pandas.plotting._matplotlib")
        print(json.dumps(sorted(m for m in heavy if m in sys.modules)))
        """
    )
    assert loaded == []


def test_course_charts_draw_without_pandas_plotting():
    """Does ``plots.bars`` (the lectures' bar charts) draw with matplotlib alone, leaving
    pandas' plotting machinery unloaded?"""
    loaded = _run(
        """
        import json, sys
        import matplotlib
        matplotlib.use("agg")
        import pandas as pd
        from cxlab import plots
        plots.bars(pd.Series({"Очередь": 9, "Касса": 4}), "Боли", "Число интервью")
        frame = pd.DataFrame({"Заявители": [9, 3], "Сотрудники": [2, None]}, index=["А", "Б"])
        plots.bars(frame, "Боли", "Число интервью", legend="Кто назвал")
        print(json.dumps("pandas.plotting._matplotlib" in sys.modules))
        """
    )
    assert loaded is False


_CHART = (
    "fig, ax = plt.subplots(figsize=(8, 5), layout='constrained')\\n"
    "ax.bar(['До', 'После'], [12345, 2.5])\\n"
    "ax.set_title('Проба')\\n"
    "fig.canvas.draw()\\n"  # as pyplot does after every cell in a kernel: a raster
    "drawn = fig.canvas\\n"  # closing the figure gives it a new canvas; the old one waits
)


@pytest.mark.parametrize("first", ["cxlab", "a chart"])
def test_a_lecture_chart_is_shown_once_as_svg_and_keeps_no_pixel_buffer(first):
    """In a kernel with the inline backend, is a pyplot chart displayed as one SVG (in the
    ``<img>`` with its text alternative and as ``image/svg+xml``), with no PNG made and no
    pixel buffer left on its canvas, and still with Russian numbers, whether the lecture set
    up ``cxlab`` first or had drawn a chart before?"""
    result = _run(
        f"""
        import json, os
        os.environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
        from IPython.core.interactiveshell import InteractiveShell
        shell = InteractiveShell.instance()
        shown = []
        shell.display_pub.publish = lambda data, metadata=None, **kw: shown.append(data)
        from cxlab import fmt
        shell.run_cell("import matplotlib.pyplot as plt")
        if {first!r} == "a chart":
            shell.run_cell("{_CHART}")
            shown.clear()
        fmt.use_in_notebook()
        shell.run_cell("{_CHART}")
        canvas = shell.user_ns["drawn"]
        print(json.dumps({{
            "formats": [sorted(data) for data in shown],
            "html": shown[0].get("text/html", "") if shown else "",
            "svg": shown[0].get("image/svg+xml", "") if shown else "",
            "buffer": getattr(canvas, "renderer", None) is not None,
        }}))
        """
    )
    assert result["formats"] == [["image/svg+xml", "text/html", "text/plain"]]
    assert result["html"].startswith('<img src="data:image/svg+xml;base64,')
    assert 'alt="График. Проба' in result["html"]
    assert "<!-- 10\u202f000 -->" in result["svg"]  # a tick label, drawn as paths
    assert result["buffer"] is False
