"""Run every grading kernel in its own bubblewrap (``bwrap``) sandbox.

The kernel of a submission sees a read-only system and Python environment, the course's
library (``cxlab``) and data, a private writable copy of its own answers files at the
notebook's path, and a private ``/tmp``: nothing else. No exercises source, gradebook, cohort
folder, exchange, other learner or home folder is mounted; it has no network (``ipc``
transport: the kernel's sockets are files in a folder bound into the sandbox), its own PID
namespace (no process outlives it and none can signal the grader), and limits on memory, CPU
time, processes and file size. When the grader runs as root the kernel still runs as an
unprivileged, per-sandbox user id.

``SandboxKernelManager`` is a jupyter_client kernel manager; ``grader.trust.execute`` makes
nbgrader's ``Execute`` preprocessor use it, so ``grader autograde`` and the formgrader's
autograde button share it.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from traitlets import Bool, Integer, Unicode
from traitlets.config import Configurable

from grader.trust import forkserver
from grader.trust.channels import WatchfulKernelManager

log = logging.getLogger(__name__)

__all__ = [
    "SandboxError",
    "SandboxKernelManager",
    "SandboxLimits",
    "bwrap_command",
    "check_sandbox",
]

REPO = Path(__file__).resolve().parents[2]

FIX = (
    "Install bubblewrap (Debian: `apt-get install bubblewrap`) and allow user namespaces "
    "(`sysctl kernel.unprivileged_userns_clone=1`), or grade without a sandbox with "
    "`--no-sandbox` (only for trusted submissions)."
)


class SandboxError(RuntimeError):
    """The sandbox cannot be used on this machine (the message names the fix)."""


class SandboxLimits(Configurable):
    """Limits of one grading kernel (set per cohort in its nbgrader_config.py)."""

    enabled = Bool(True, help="Run grading kernels in a bwrap sandbox.").tag(config=True)
    memory_mb = Integer(
        1536, help="Address-space limit of each sandboxed process, MiB (RLIMIT_AS)."
    ).tag(config=True)
    cpu_seconds = Integer(
        600, help="CPU time of each sandboxed process, seconds (RLIMIT_CPU)."
    ).tag(config=True)
    processes = Integer(128, help="Processes and threads the sandbox may run (RLIMIT_NPROC).").tag(
        config=True
    )
    file_mb = Integer(64, help="Largest file a sandboxed process may write, MiB.").tag(config=True)
    tmp_mb = Integer(256, help="Size of the sandbox's private /tmp, MiB.").tag(config=True)
    work_mb = Integer(
        128, help="Size of the private copy of the submission's folder (a tmpfs), MiB."
    ).tag(config=True)
    bwrap = Unicode("bwrap", help="The bubblewrap executable.").tag(config=True)
    uid_base = Integer(
        3_000_000,
        help="When the grader runs as root, kernels run as uid_base + a per-sandbox number.",
    ).tag(config=True)


@dataclass
class _Mounts:
    readonly: list[str]


def _python_paths() -> list[str]:
    return list(_python_paths_from(os.getcwd()))


@functools.lru_cache(maxsize=16)
def _python_paths_from(cwd: str) -> tuple[str, ...]:
    """Folders the kernel's Python needs: prefixes, the interpreter, every folder on
    ``sys.path`` (site-packages, ``.pth`` additions) except one that holds the exercises
    source (a checkout's root on ``sys.path`` would expose it)."""
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    paths.add(str(Path(sys.executable).resolve().parent.parent))
    paths.add(str(Path(sys.executable).parent.parent))
    paths.discard("/")
    paths.discard("/usr")
    import site

    candidates = [*site.getsitepackages(), site.getusersitepackages(), *sys.path]
    protected = [REPO / "exercises", Path(cwd), Path("/tmp")]
    for p in candidates:
        if not p or not Path(p).is_dir():
            continue
        folder = Path(p).resolve()
        # Package folders only (a script's folder or a checkout's root on sys.path is not).
        if folder.name not in ("site-packages", "dist-packages"):
            continue
        if any(guard == folder or guard.is_relative_to(folder) for guard in protected):
            continue
        paths.add(str(folder))
    return tuple(sorted(paths))


def _library_paths() -> list[str]:
    return list(_library_paths_for(os.environ.get("CXLAB_DATA_DIR")))


@functools.lru_cache(maxsize=4)
def _library_paths_for(_data_dir_setting: str | None) -> tuple[str, ...]:
    """The learner-side library and the case data (never ``exercises/`` or ``grader/``)."""
    import cxlab
    from cxlab.data import data_dir

    return tuple(
        sorted({str(Path(cxlab.__file__).resolve().parent), str(Path(data_dir()).resolve())})
    )


SYSTEM = ["/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"]
ETC = [
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/localtime",
    "/etc/timezone",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/alternatives",
    "/etc/fonts",
    "/etc/ssl",
    "/etc/mime.types",
]

# Run inside the sandbox before the kernel: limits, then (as root) an unprivileged uid. The
# kernel is started with -P (no current folder on sys.path: a `cxlab/` shipped beside the
# notebook cannot shadow the real library).
_LAUNCHER = r"""
import os, resource, sys
lim = {lim!r}
for name, value in lim.items():
    resource.setrlimit(getattr(resource, name), (value, value))
uid = {uid!r}
if uid is not None:
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
# The submission's files (staged read-only) become a private copy in the folder's tmpfs,
# and the matplotlib font cache goes to a home in the private /tmp: nothing the kernel
# writes lands on the grader's disk.
import shutil
stage = "/tmp/.cxlab-stage"
for name in os.listdir(stage):
    if os.path.isfile(os.path.join(stage, name)):
        shutil.copyfile(os.path.join(stage, name), name)
os.makedirs("/tmp/home/.matplotlib", exist_ok=True)
for name in os.listdir(os.path.join(stage, ".matplotlib")):
    shutil.copyfile(os.path.join(stage, ".matplotlib", name), "/tmp/home/.matplotlib/" + name)
os.execv(sys.executable, [sys.executable, "-P", "-m", "ipykernel_launcher", *sys.argv[1:]])
"""


def _own_tasks() -> int:
    """Threads currently run by this account (RLIMIT_NPROC counts them all)."""
    uid, count = os.getuid(), 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid == uid:
                count += len(os.listdir(entry / "task"))
        except OSError:
            continue
    return count


def resource_limits(limits: SandboxLimits, uid: int | None) -> dict[str, int]:
    """The rlimits a sandboxed kernel sets on itself before it drops privileges."""
    nproc = limits.processes + _own_tasks() if uid is None else limits.processes
    return {
        "RLIMIT_AS": limits.memory_mb * 1024 * 1024,
        "RLIMIT_CPU": limits.cpu_seconds,
        "RLIMIT_NPROC": nproc,
        "RLIMIT_FSIZE": limits.file_mb * 1024 * 1024,
        "RLIMIT_CORE": 0,
    }


def sandbox_env() -> dict[str, str]:
    """The whole environment of a sandboxed kernel (bwrap clears everything else)."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp/home",
        "MPLCONFIGDIR": "/tmp/home/.matplotlib",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "NBGRADER_EXECUTION": os.environ.get("NBGRADER_EXECUTION", "autograde"),
        "CXLAB_SANDBOX": "1",
    }
    if os.environ.get("CXLAB_DATA_DIR"):
        env["CXLAB_DATA_DIR"] = os.environ["CXLAB_DATA_DIR"]
    return env


def bwrap_command(
    limits: SandboxLimits,
    *,
    stagedir: str,
    visible_as: str,
    conndir: str,
    uid: int | None,
    holder: bool = False,
) -> list[str]:
    """The bwrap command line for one kernel: ending in the Python launcher, or (``holder``)
    in the fork server's placeholder."""
    mounts: list[str] = []
    targets = [*_python_paths(), *_library_paths(), visible_as, conndir]
    made: set[str] = set()
    for target in targets:
        # Folders bwrap creates on the way to a mount point are 0700 under a strict umask:
        # make every ancestor 0755 so the unprivileged kernel can walk to its files.
        for parent in reversed(Path(target).parents):
            p = str(parent)
            if p in ("/", "/tmp") or p in made:
                continue
            made.add(p)
            mounts += ["--perms", "0755", "--dir", p]
    for path in SYSTEM:
        mounts += ["--ro-bind-try", path, path]
    for path in ETC:
        mounts += ["--ro-bind-try", path, path]
    for path in [*_python_paths(), *_library_paths()]:
        mounts += ["--ro-bind", path, path]
    cmd = [
        limits.bwrap,
        "--unshare-pid",
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        "--die-with-parent",
        "--hostname",
        "sandbox",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--perms",
        "1777",
        "--size",
        str(limits.tmp_mb * 1024 * 1024),
        "--tmpfs",
        "/tmp",
        *mounts,
        "--ro-bind",
        stagedir,
        "/tmp/.cxlab-stage",
        "--perms",
        "1777",
        "--size",
        str(limits.work_mb * 1024 * 1024),
        "--tmpfs",
        visible_as,
        "--bind",
        conndir,
        conndir,
        "--chdir",
        visible_as,
        "--clearenv",
    ]
    for name, value in sandbox_env().items():
        cmd += ["--setenv", name, value]
    if holder:
        # The fork server's placeholder: it only holds the namespaces open (forkserver.py).
        return [*cmd, "sleep", "infinity"]
    if uid is not None:
        # Root: no user namespace; keep only what is needed to drop to the sandbox's uid.
        cmd += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    launcher = _LAUNCHER.format(lim=resource_limits(limits, uid), uid=uid)
    return [*cmd, sys.executable, "-c", launcher]


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


def _matplotlib_cache() -> Path | None:
    """The grader's own matplotlib font cache, copied into each sandbox (building it takes
    seconds per kernel)."""
    if _MPL_CACHE and _MPL_CACHE[0].is_file():
        return _MPL_CACHE[0]
    found = _find_matplotlib_cache()
    _MPL_CACHE[:] = [found] if found is not None else []
    return found


_MPL_CACHE: list[Path] = []


def _find_matplotlib_cache() -> Path | None:
    try:
        import matplotlib

        found = sorted(Path(matplotlib.get_cachedir()).glob("fontlist-*.json"))
    except Exception:
        return None
    if not found:
        try:
            import matplotlib.font_manager

            found = sorted(Path(matplotlib.get_cachedir()).glob("fontlist-*.json"))
        except Exception:
            return None
    return found[-1] if found else None


_CHECKED: dict[str, str] = {}


def check_sandbox(limits: SandboxLimits | None = None) -> None:
    """Raise :class:`SandboxError` (naming the fix) unless bwrap can start a sandbox here."""
    limits = limits or SandboxLimits()
    key = limits.bwrap
    if _CHECKED.get(key) == "ok":
        return
    exe = shutil.which(limits.bwrap)
    if exe is None:
        raise SandboxError(f"bubblewrap ({limits.bwrap!r}) is not installed. {FIX}")
    probe = [exe, "--unshare-pid", "--unshare-net", "--die-with-parent"]
    probe += ["--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "true"]
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        raise SandboxError(f"bubblewrap could not start: {exc}. {FIX}") from exc
    if done.returncode != 0:
        raise SandboxError(
            f"bubblewrap cannot create a sandbox here: {done.stderr.strip()[:300]}. {FIX}"
        )
    _CHECKED[key] = "ok"


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
        mpl = _matplotlib_cache()
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
