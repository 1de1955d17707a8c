"""The static scan of learners' cells (``grader.trust.scan``): reaching into the grading is
flagged with a Russian reason; ordinary pandas work is not."""

from __future__ import annotations

import pytest

from grader.trust.scan import scan

REACHING = {
    "import sys\nsys.settrace(lambda *a: None)": "sys.settrace",
    "import inspect\nf = inspect.currentframe().f_back": "frame",
    "get_ipython().input_transformers_cleanup.append(f)": "IPython",
    "ip = get_ipython()\nip.ast_node_interactivity = 'none'": "IPython",
    "get_ipython().events.register('pre_run_cell', f)": "IPython",
    "get_ipython().display_formatter.formatters['text/plain']": "display formatter",
    "import builtins\nbuiltins.type = lambda *a: dict": "встроенных",
    "import pandas as pd\npd.Series.sum = lambda self: 0": "библиотек",
    "import math\nmath.isclose = lambda *a, **k: True": "библиотек",
    "ref = globals()['_reference']": "globals",
    "import gc\ngc.get_objects()": "gc",
    "import ctypes": "ctypes",
    "import sys\nsys.meta_path.insert(0, finder)": "импорта",
    "!cat /etc/passwd": "оболочки",
    "float = lambda x: 0": "встроенных",
    "def isinstance(a, b):\n    return True": "встроенных",
    "import os\nos.kill(os.getppid(), 9)": "сигналы",
    "import subprocess\nsubprocess.Popen(['sleep', '9'])": "процессов",
}
HONEST = [
    'def f(df):\n    m = df.loc[df["a"] > 0, "b"].sum()\n    return {"m": int(m)}',
    "total = 0\nfor x in [1, 2]:\n    total += x\nsum_ = total",
    'df.loc[df["day"] == 3, "queue_min"] = 0\nresult = df.groupby("day")["queue_min"].mean()',
    "import numpy as np\nimport pandas as pd\nshares = {k: round(v, 3) for k, v in d.items()}",
    "sum = 0\nfor v in values:\n    sum = sum + v",
]


@pytest.mark.parametrize("source", sorted(REACHING))
def test_reaching_code_is_flagged_with_a_russian_reason(source):
    """Is each way of reaching into the grading named?"""
    reasons = scan(source)
    assert reasons, source
    assert any(REACHING[source] in r for r in reasons), reasons


@pytest.mark.parametrize("source", HONEST)
def test_ordinary_answers_are_not_flagged(source):
    """Does honest pandas work (including `df.loc[...] = ...` and a `sum` variable) pass?"""
    assert scan(source) == []


def test_a_syntax_error_is_not_a_reason():
    assert scan("def f(:\n  pass") == []
