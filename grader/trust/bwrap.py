"""What a grading sandbox is: its limits, mounts, environment and bwrap command line.

``grader.trust.sandbox`` starts kernels in it (plainly, or forked by
``grader.trust.forkserver`` into a placeholder started with ``holder=True``);
``check_sandbox`` tells whether bwrap works on this machine, naming the fix if not.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from traitlets import Bool, Integer, Unicode
from traitlets.config import Configurable

__all__ = [
    "SandboxError",
    "SandboxLimits",
    "bwrap_command",
    "check_sandbox",
    "matplotlib_cache",
    "resource_limits",
    "sandbox_env",
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

# Run inside the sandbox, in the kernel's process, before the kernel: limits, then (as root)
# an unprivileged uid, then the submission's files (staged read-only) become a private copy in
# the folder's tmpfs and the matplotlib font cache goes to a home in the private /tmp: nothing
# the kernel writes lands on the grader's disk. Shared by the plain launcher below and the
# fork server's kernels (grader.trust.forkserver).
ENTER_SANDBOX = r"""
import os, resource, shutil


def enter_sandbox(limits, uid):
    for name, value in limits.items():
        resource.setrlimit(getattr(resource, name), (value, value))
    if uid is not None:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    stage = "/tmp/.cxlab-stage"
    for name in os.listdir(stage):
        if os.path.isfile(os.path.join(stage, name)):
            shutil.copyfile(os.path.join(stage, name), name)
    os.makedirs("/tmp/home/.matplotlib", exist_ok=True)
    for name in os.listdir(os.path.join(stage, ".matplotlib")):
        shutil.copyfile(os.path.join(stage, ".matplotlib", name), "/tmp/home/.matplotlib/" + name)
"""

# The plain start: the kernel is then started with -P (no current folder on sys.path: a
# `cxlab/` shipped beside the notebook cannot shadow the real library).
_LAUNCHER = """
import sys
enter_sandbox({lim!r}, {uid!r})
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
    launcher = ENTER_SANDBOX + _LAUNCHER.format(lim=resource_limits(limits, uid), uid=uid)
    return [*cmd, sys.executable, "-c", launcher]


def matplotlib_cache() -> Path | None:
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
