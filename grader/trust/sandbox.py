"""Run every grading kernel in its own bubblewrap (``bwrap``) sandbox.

The kernel of a submission sees a read-only system and Python environment, the course's
library (``cxlab``) and data, a private writable copy of its own answers files at the
notebook's path, and a private ``/tmp``: nothing else. No exercises source, gradebook, cohort
folder, exchange, other learner or home folder is mounted; it has no network (``ipc``
transport: the kernel's sockets are files in a folder bound into the sandbox), its own PID
namespace (no process outlives it and none can signal the grader), and limits on memory, CPU
time, processes and file size. When the grader runs as root the kernel still runs as an
unprivileged, per-sandbox user id.

What the sandbox is (limits, mounts, environment, the bwrap command line) lives in
``grader.trust.bwrap``; this module starts and stops kernels in it.

``SandboxKernelManager`` is a jupyter_client kernel manager; ``grader.trust.execute`` makes
nbgrader's ``Execute`` preprocessor use it, so ``grader autograde`` and the formgrader's
autograde button share it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from traitlets import Bool, Unicode

from grader.trust import forkserver
from grader.trust.bwrap import (
    SandboxError,
    SandboxLimits,
    bwrap_command,
    check_sandbox,
    matplotlib_cache,
    resource_limits,
    sandbox_env,
)
from grader.trust.channels import WatchfulKernelManager

log = logging.getLogger(__name__)

__all__ = [
    "SandboxError",
    "SandboxKernelManager",
    "SandboxLimits",
    "bwrap_command",
    "check_sandbox",
]

_NO_FORK = [False]  # set once the fork server failed in this process


def _placeholder(bwrap_pid: int, timeout: float = 10.0) -> int:
    """The pid of the sandbox's placeholder (``sleep``, bwrap's grandchild) once bwrap has
    finished setting the sandbox up and executed it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        todo, seen = [bwrap_pid], set()
        while todo:
            pid = todo.pop()
            seen.add(pid)
            try:
                comm = Path(f"/proc/{pid}/comm").read_text().strip()
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                continue
            if comm == "sleep" and pid != bwrap_pid:
                return pid
            todo += [int(c) for c in children if int(c) not in seen]
        time.sleep(0.002)
    raise forkserver.ForkServerError(f"no sandbox placeholder under bwrap {bwrap_pid}")


_SANDBOX_COUNTER = [0]


class SandboxKernelManager(WatchfulKernelManager):
    """A kernel manager whose kernels run inside a fresh bwrap sandbox each.

    The kernel's working folder (the autograded submission, or a source copy when a key is
    built) is never mounted: the sandbox gets a private copy of the answers files in it,
    visible at the same path. Everything the sandbox wrote is discarded at shutdown.
    """

    copy_patterns = Unicode(
        "*.answers.json", help="Files of the working folder copied into the sandbox."
    ).tag(config=True)
    fork = Bool(
        True,
        help="Fork kernels from a pre-imported interpreter into their sandboxes (root only; "
        "see grader.trust.forkserver). Off, or where it cannot work: a plain start.",
    ).tag(config=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._rundir: Path | None = None
        self._visible_as: str | None = None
        self.limits = SandboxLimits(parent=self)
        self._kernel_args: list[str] = []
        self._forked: int | None = None  # the forked kernel's pid
        self._pidfd: int | None = None

    # -- set-up ---------------------------------------------------------------------------

    def _prepare(self, cwd: str) -> None:
        check_sandbox(self.limits)
        self._rundir = Path(tempfile.mkdtemp(prefix="cxlab-sandbox-"))
        os.chmod(self._rundir, 0o711)
        self._visible_as = str(Path(cwd).resolve())
        for sub in ("conn", "stage"):
            (self._rundir / sub).mkdir(mode=0o755)
            os.chmod(self._rundir / sub, 0o755)
        self._stage(Path(cwd))
        self.transport = "ipc"
        self.ip = str(self._rundir / "conn" / "kernel")
        self.connection_file = str(self._rundir / "conn" / "kernel.json")
        _SANDBOX_COUNTER[0] += 1
        self._uid = None
        if os.getuid() == 0:
            self._uid = (
                self.limits.uid_base + (os.getpid() % 100_000) * 10 + (_SANDBOX_COUNTER[0] % 10)
            )

    def _stage(self, source: Path) -> None:
        """The files the sandbox copies into its private folder at start: the working
        folder's answers files (nothing else a submission ships) and the font cache."""
        assert self._rundir is not None
        stage = self._rundir / "stage"
        (stage / ".matplotlib").mkdir(mode=0o755, exist_ok=True)
        for pattern in self.copy_patterns.split():
            for path in source.glob(pattern):
                if path.is_file() and not path.is_symlink():
                    shutil.copyfile(path, stage / path.name)
                    os.chmod(stage / path.name, 0o644)
        mpl = matplotlib_cache()
        if mpl is not None:
            shutil.copyfile(mpl, stage / ".matplotlib" / mpl.name)
            os.chmod(stage / ".matplotlib" / mpl.name, 0o644)

    def _own(self) -> None:
        """Hand the sockets' folder to the sandbox's unprivileged uid (grader is root)."""
        if self._uid is None or self._rundir is None:
            return
        conn = self._rundir / "conn"
        os.chown(conn, self._uid, self._uid)
        for path in conn.iterdir():
            os.chown(path, self._uid, self._uid)

    async def _async_pre_start_kernel(self, **kw):
        cwd = kw.get("cwd") or os.getcwd()
        if self._rundir is None:
            self._prepare(cwd)
        # (a restart reuses the sockets' folder; the new sandbox copies the stage afresh)
        kw["cwd"] = str(self._rundir / "stage")
        kw["env"] = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        kw["stdout"] = subprocess.DEVNULL  # the kernel's banner, not the operator's business
        cmd, kw = await super()._async_pre_start_kernel(**kw)
        self._own()
        return cmd, kw

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        # The spec's argv is `python -m ipykernel_launcher -f {connection_file} ...`: keep
        # the arguments after the module, run them through the launcher inside bwrap.
        try:
            args = cmd[cmd.index("ipykernel_launcher") + 1 :]
        except ValueError as exc:
            raise SandboxError(f"not a Python kernel command: {cmd!r}") from exc
        assert self._rundir is not None and self._visible_as is not None
        self._kernel_args = list(args)
        wrapped = bwrap_command(
            self.limits,
            stagedir=str(self._rundir / "stage"),
            visible_as=self._visible_as,
            conndir=str(self._rundir / "conn"),
            uid=self._uid,
            holder=self._forking(),
        )
        return wrapped if self._forking() else [*wrapped, *args]

    # -- the fork server --------------------------------------------------------------------

    def _forking(self) -> bool:
        return self.fork and forkserver.available() and not _NO_FORK[0]

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        await super()._async_launch_kernel(kernel_cmd, **kw)
        if not self._forking():
            return
        try:
            self._fork_into_sandbox()
        except (forkserver.ForkServerError, OSError) as exc:
            # Never worse than a plain start: say so once, then start plainly from now on.
            log.warning("fork server unusable, starting kernels plainly: %s", exc)
            _NO_FORK[0] = True
            await self._async_kill_kernel()
            await super()._async_launch_kernel(self.format_kernel_cmd(), **kw)

    def _fork_into_sandbox(self) -> None:
        assert self.provisioner is not None and self._visible_as is not None
        bwrap = self.provisioner.process  # type: ignore[attr-defined]
        holder = _placeholder(bwrap.pid)
        server = forkserver.ForkServer.shared(sandbox_env())
        pid = server.spawn(
            {
                "holder": holder,
                "argv": self._kernel_args,
                "uid": self._uid,
                "limits": resource_limits(self.limits, self._uid),
                "env": sandbox_env(),
                "cwd": self._visible_as,
            }
        )
        self._forked = pid
        try:
            self._pidfd = os.pidfd_open(pid)
        except ProcessLookupError:
            self._pidfd = None  # already gone: is_alive says so

    async def _async_is_alive(self) -> bool:
        if self._forked is not None:
            if self._pidfd is None or select.select([self._pidfd], [], [], 0)[0]:
                return False
        return await super()._async_is_alive()

    is_alive = _async_is_alive

    async def _async_signal_kernel(self, signum: int) -> None:
        if self._forked is None:
            await super()._async_signal_kernel(signum)
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._forked, signum)  # the kernel leads its own process group

    signal_kernel = _async_signal_kernel

    def _forget_fork(self) -> None:
        if self._forked is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(self._forked, signal.SIGKILL)
        if self._pidfd is not None:
            with contextlib.suppress(OSError):
                os.close(self._pidfd)
        self._forked = self._pidfd = None

    # -- tear-down --------------------------------------------------------------------------

    async def _async_shutdown_kernel(self, now: bool = False, restart: bool = False):
        # The sandbox is disposable: kill it at once (its PID namespace takes every process
        # the submission started with it).
        await super()._async_shutdown_kernel(now=True, restart=restart)
        self._forget_fork()
        if not restart:
            self._remove()

    # AsyncKernelManager binds shutdown_kernel to its own coroutine: route it through ours.
    shutdown_kernel = _async_shutdown_kernel

    def _remove(self) -> None:
        if self._rundir is not None:
            shutil.rmtree(self._rundir, ignore_errors=True)
            self._rundir = None

    def __del__(self):
        try:
            self._remove()
        except Exception:
            pass
