"""The grading sandbox (``grader.trust.sandbox``, ``grader.trust.execute``) on its own: what a
kernel can see and do, and what happens to a cell that hangs or kills its kernel."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from conftest import REPO
from nbformat.v4 import new_code_cell, new_notebook

from grader.trust import forkserver
from grader.trust.execute import SandboxedExecute
from grader.trust.sandbox import SandboxError, SandboxLimits, check_sandbox


def test_a_machine_without_bubblewrap_is_refused_with_the_fix():
    """Does a missing bwrap give a clear refusal naming the fix (and --no-sandbox)?"""
    limits = SandboxLimits(bwrap="/nonexistent/bwrap")
    with pytest.raises(SandboxError, match=r"apt-get install bubblewrap.*--no-sandbox"):
        check_sandbox(limits)


def _run(cells: list[str], folder, timeout: int = 5):
    nb = new_notebook(cells=[new_code_cell(c) for c in cells])
    ep = SandboxedExecute(timeout=timeout, startup_timeout=60)
    ep.preprocess(nb, {"metadata": {"path": str(folder)}})
    return ["".join(o.get("text", "")) + str(o.get("evalue", "")) for c in nb.cells
            for o in c.outputs]  # fmt: skip


@pytest.mark.slow
def test_the_kernel_sees_only_its_copy_and_no_network(tmp_path):
    """Does a kernel see its answers file (a private copy), the course library and data, and
    not the exercises, other files of its folder, the network or the grader's files?"""
    (tmp_path / "nb.answers.json").write_text('{"answers": {}}')
    (tmp_path / "other_learner.ipynb").write_text("{}")
    (tmp_path / "cxlab").mkdir()
    (tmp_path / "cxlab" / "__init__.py").write_text("raise SystemExit('shipped cxlab')")
    check = json.dumps(
        [str(REPO / "exercises"), str(REPO / "grader"), "/root/.bashrc", "/etc/shadow"]
    )
    out = _run(
        [
            "import os; print(sorted(os.listdir('.')))",
            "import cxlab, pandas; from cxlab import data; print('lib', len(data.names()) > 0)",
            f"print('seen', [p for p in {check} if os.path.exists(p)])",
            "import socket\ntry:\n    socket.create_connection(('127.0.0.1', 22), 2)\n"
            "    print('net open')\nexcept OSError:\n    print('net closed')",
            "open('nb.answers.json', 'w').write('changed'); print(os.getuid() != 0)",
        ],
        tmp_path,
    )
    assert out[0].strip() == "['nb.answers.json']"
    assert out[1].strip() == "lib True"
    assert out[2].strip() == "seen []"
    assert out[3].strip() == "net closed"
    assert out[4].strip() == "True"
    assert (tmp_path / "nb.answers.json").read_text() == '{"answers": {}}'  # a private copy


@pytest.mark.slow
def test_a_hung_or_dead_kernel_costs_only_its_own_cell(tmp_path):
    """Does grading go on after a cell that ignores the interrupt and one that kills the
    kernel, with the earlier cells' definitions still there?"""
    start = time.monotonic()
    out = _run(
        [
            "x = 41",
            "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True: pass",
            "print('after the loop', x + 1)",
            "import os; os._exit(3)",
            "print('after the exit', x + 1)",
            "print('y' * 3_000_000)",
            "print('end')",
        ],
        tmp_path,
        timeout=3,
    )
    text = "\n".join(out)
    assert "after the loop 42" in text and "after the exit 42" in text and "end" in text
    assert "ядро Python остановилось" in text
    assert "дальше вывод не сохранён" in text and len(text) < 400_000
    assert time.monotonic() - start < 60


@pytest.mark.slow
@pytest.mark.skipif(not forkserver.available(), reason="the fork server needs root")
def test_forked_kernels_start_warm_and_share_nothing(tmp_path):
    """Is a kernel forked from the pre-imported interpreter (pandas already loaded), inside
    its own sandbox (its own uid, PID namespace, no new privileges), and does nothing one
    kernel changes (a module, /tmp, a process) reach the next?"""
    (tmp_path / "nb.answers.json").write_text("{}")
    probe = (
        "import os, sys\n"
        "status = open('/proc/self/status').read()\n"
        "print('warm', 'pandas' in sys.modules, 'pid', os.getpid(), 'uid', os.getuid(),\n"
        "      'nnp', status.split('NoNewPrivs:')[1].split()[0])\n"
        "import pandas\n"
        "print('left', getattr(pandas, 'cxlab_mark', None), os.path.exists('/tmp/mark'))\n"
        "pandas.cxlab_mark = 1; open('/tmp/mark', 'w').write('x')\n"
        "import subprocess; subprocess.Popen(['sleep', '987.654'])"
    )
    seen = []
    for _ in range(2):
        ep = SandboxedExecute(timeout=10, startup_timeout=60)
        nb = new_notebook(cells=[new_code_cell(probe)])
        ep.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
        seen.append("".join(o.get("text", "") for o in nb.cells[0].outputs).split())
    for words in seen:
        assert words[:2] == ["warm", "True"]  # pandas came with the fork, not an import
        assert words[3] == "3"  # pid 1 bwrap, 2 its placeholder, 3 the kernel
        assert int(words[5]) >= 3_000_000 and words[7] == "1"
        assert words[8:] == ["left", "None", "False"]
    assert seen[0][5] != seen[1][5]  # a uid of its own
    deadline = time.monotonic() + 5
    while _sleepers() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _sleepers() == []


def _sleepers() -> list[int]:
    """Processes running `sleep 987.654` (what the probe started in each sandbox; a duration
    of its own, so that no other test's processes count, nor these in another test)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and (proc / "cmdline").read_bytes() == b"sleep\x00987.654\x00":
                found.append(int(proc.name))
        except OSError:
            continue
    return found
