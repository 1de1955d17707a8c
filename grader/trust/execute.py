"""nbgrader's ``Execute`` preprocessor, run in a sandbox and hardened against one bad cell.

``SandboxedExecute`` replaces ``Execute`` in ``Autograde.autograde_preprocessors`` (see
``grader.config``): the one path of ``grader autograde`` and the formgrader's button.

- Kernels start in a bwrap sandbox (``grader.trust.sandbox``) unless the sandbox is off.
- A cell that does not finish within the cell timeout, or that kills its kernel (``os._exit``,
  a memory limit, a signal handler that ignores the interrupt), does not fail the submission:
  the kernel is replaced by a fresh one, the cells that ran before are run again silently
  (the timed-out or fatal cell is not), and grading goes on with the next cell. The cell gets
  a Russian error saying why.
- A whole submission has a time budget: once it is spent the remaining cells are not run.
- Output is capped per cell and per notebook: a flood of printed text cannot inflate the
  graded notebook, and the widgets' live state is not stored in it.
- The kernel client waits in slices (``grader.trust.channels``): a reply whose wake-up
  was missed cannot stall a submission for the cell timeout.
"""

from __future__ import annotations

import time

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import ensure_async, run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

from grader.trust.channels import WatchfulKernelManager
from grader.trust.sandbox import SandboxKernelManager

__all__ = ["SandboxedExecute"]

DIED = (
    "ядро Python остановилось во время выполнения этой ячейки (например, из-за выхода из "
    "программы или превышения лимита памяти). Ячейку пропустили, остальные ячейки проверены."
)
BUDGET = (
    "ячейка не выполнялась: работа в целом выполнялась дольше {seconds} с, это предел для одной "
    "работы при проверке."
)
TRUNCATED = (
    "\n… дальше вывод не сохранён: при проверке ячейка может напечатать не больше {limit} КБ.\n"
)


class SandboxedExecute(Execute):
    """Execute a submission in a sandboxed, disposable kernel (see the module docstring)."""

    sandbox = Bool(True, help="Run the kernel in a bwrap sandbox.").tag(config=True)
    submission_timeout = Integer(
        600, help="Seconds one submission may run in all; later cells are not run."
    ).tag(config=True)
    max_cell_output_kb = Integer(
        256, help="Output kept per cell, KiB (text and images together)."
    ).tag(config=True)
    max_output_kb = Integer(2048, help="Output kept per notebook, KiB.").tag(config=True)
    # A graded notebook is read, never run: what a reader needs of a widget is its answer,
    # which every cxlab widget prints as static HTML in its display output. The models'
    # live state (1.4 MB for the capstone) is not kept.
    keep_widget_state = Bool(
        False, help="Keep the widgets' live state in the graded notebook."
    ).tag(config=True)

    stock_kernels = Bool(
        False,
        help="Without the sandbox, jupyter_client's own kernel manager and client instead of "
        "the grader's (grader.bench uses it for its stock baseline).",
    ).tag(config=True)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "kernel_manager_class",
            SandboxKernelManager if kwargs.get("sandbox", True) else WatchfulKernelManager,
        )
        super().__init__(*args, **kwargs)

    def preprocess(self, nb, resources=None, km=None):
        if self.sandbox:
            self.kernel_manager_class = SandboxKernelManager
        elif self.stock_kernels:
            self.kernel_manager_class = AsyncKernelManager
        else:
            self.kernel_manager_class = WatchfulKernelManager
        self._ran: list[str] = []
        self._hung = False
        self._started = time.monotonic()
        self._total_out = 0
        self._truncated: set[int] = set()
        nb, resources = super().preprocess(nb, resources, km)
        if not self.keep_widget_state:
            # (nbclient needs the state while it runs: its Output-widget hook writes into it)
            nb.metadata.pop("widgets", None)
        return nb, resources

    # -- one cell -------------------------------------------------------------------------

    def preprocess_cell(self, cell, resources, index):
        self._check_assign_resources(resources)
        if cell.cell_type != "code" or not cell.source.strip():
            return cell, self.resources
        if time.monotonic() - self._started > self.submission_timeout:
            cell.outputs = [_error("SubmissionTimeout", BUDGET, self.submission_timeout)]
            return cell, self.resources
        if self._hung:
            run_sync(self._replace_kernel)()
        self._cell_out = 0
        try:
            cell = self.execute_cell(cell, index, store_history=True)
        except DeadKernelError:
            cell.outputs = [*cell.get("outputs", []), _error("KernelDied", DIED)]
            self._hung = True
            return cell, self.resources
        except CellTimeoutError:  # no reply even to the interrupt: the kernel is stuck
            timeout = self.error_on_timeout or {}
            text = timeout.get("evalue") or "ячейка выполнялась слишком долго"
            cell.outputs = [*cell.get("outputs", []), _error("CellTimeoutError", text)]
            self._hung = True
            return cell, self.resources
        if self._hung:  # the timeout handler fired for this cell: do not replay it
            return cell, self.resources
        self._ran.append(cell.source)
        return cell, self.resources

    async def _async_handle_timeout(self, timeout, cell=None):
        # Interrupting is not enough (a cell may ignore SIGINT): the kernel is replaced
        # before the next cell, which then runs in a clean state.
        self._hung = True
        reply = await super()._async_handle_timeout(timeout, cell)
        return reply

    async def _replace_kernel(self) -> None:
        """A fresh kernel in a fresh sandbox, with every cell that ran before run again."""
        self._hung = False
        await ensure_async(self.km.restart_kernel(now=True))
        await ensure_async(self.kc.wait_for_ready(timeout=self.startup_timeout))
        for source in self._ran:
            msg_id = await ensure_async(self.kc.execute(source, silent=True, store_history=False))
            try:
                await self.async_wait_for_reply(msg_id)
            except Exception:
                self._hung = True
                return
            if self._hung:
                return

    # -- output limits --------------------------------------------------------------------

    def output(self, outs, msg, display_id, cell_index):
        size = len(str(msg.get("content", "")))
        cell_full = self._cell_out + size > self.max_cell_output_kb * 1024
        book_full = self._total_out + size > self.max_output_kb * 1024
        if cell_full or book_full:
            if cell_index not in self._truncated:
                self._truncated.add(cell_index)
                limit = self.max_cell_output_kb if cell_full else self.max_output_kb
                text = TRUNCATED.format(limit=limit)
                outs.append(new_output("stream", name="stdout", text=text))
            return None
        self._cell_out += size
        self._total_out += size
        return super().output(outs, msg, display_id, cell_index)


def _error(ename: str, text: str, seconds: int | None = None):
    text = text.format(seconds=seconds)
    return new_output("error", ename=ename, evalue=text, traceback=[f"{ename}: {text}"])
