"""Helpers for the real-hub test: Unix accounts, a Python every account can run, JupyterHub.

``unix_users(names)`` creates real accounts (private homes, random passwords) and removes them
with their homes and processes afterwards, also when the test fails. ``shared_python(scratch)``
returns an interpreter all accounts may execute, with this environment's packages.
``start_hub(...)`` runs ``grader/hub/jupyterhub_config.py`` with configurable-http-proxy on
free loopback ports and stops it, its services, servers and kernels at the end.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from conftest import REPO
from lab import descendants, free_port, processes, stop_process_tree, tail

HUB_CONFIG = REPO / "grader" / "hub" / "jupyterhub_config.py"
CHP_LOCAL = REPO / ".node" / "node_modules" / ".bin" / "configurable-http-proxy"
HUB_START_TIMEOUT_S = 120


def run(*args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess[str]:
    """Run a command in the C locale (English messages to assert on) and capture its output."""
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", **kwargs.pop("env", {})}
    result = subprocess.run(args, capture_output=True, text=True, env=env, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(args)} exited with {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result


def as_user(user: str, *args: str, check: bool = True, **kwargs):
    """Run a command as ``user`` (from / so that no folder of root's is the cwd)."""
    return run("runuser", "-u", user, "--", *args, check=check, cwd="/", **kwargs)


# -- Unix accounts ---------------------------------------------------------------------------


def _kill_processes_of(uids: set[int]) -> None:
    """SIGKILL every process still running as one of ``uids`` (the test's own accounts)."""
    for pid in list(processes()):
        try:
            if os.stat(f"/proc/{pid}").st_uid in uids:
                os.kill(pid, signal.SIGKILL)
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue


@contextlib.contextmanager
def unix_users(names: list[str]) -> Iterator[dict[str, str]]:
    """Create Unix accounts with private homes (0700) and random passwords; yield
    ``{name: password}``; remove the accounts, their homes, processes and lock folders."""
    passwords = {name: secrets.token_urlsafe(12) for name in names}
    created: list[str] = []
    try:
        for name in names:
            run("useradd", "--create-home", "--shell", "/bin/bash", "-K", "HOME_MODE=0700", name)
            created.append(name)
        lines = "".join(f"{n}:{p}\n" for n, p in passwords.items())
        run("chpasswd", input=lines)
        yield passwords
    finally:
        uids = set()
        for name in created:
            with contextlib.suppress(KeyError):
                uids.add(pwd.getpwnam(name).pw_uid)
        _kill_processes_of(uids)
        for name in created:
            run("userdel", "--remove", name, check=False)
        for uid in uids:  # cxlab's answer store keeps its locks in $TMPDIR/cxlab-locks-<uid>
            shutil.rmtree(Path("/tmp") / f"cxlab-locks-{uid}", ignore_errors=True)


@contextlib.contextmanager
def graders_only(source: Path, group: str, members: list[str]) -> Iterator[None]:
    """Close a solution source to everyone but a graders' group, as grader/hub/README.md
    ('Answer keys') tells an administrator; put the modes back afterwards (a checkout).

    Hub test modules may run at once (pytest-xdist): they take turns, because each gives the
    checkout's exercises/ to its own graders' group."""
    import fcntl

    lock = open(Path(tempfile.gettempdir()) / "cxlab-hub-tests.lock", "a")
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        with _graders_only(source, group, members):
            yield
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()


@contextlib.contextmanager
def _graders_only(source: Path, group: str, members: list[str]) -> Iterator[None]:
    modes = {p: p.stat().st_mode & 0o7777 for p in [source, *source.rglob("*")]}
    owners = {p: p.stat().st_gid for p in modes}
    run("groupadd", group)
    try:
        for member in members:
            run("usermod", "-aG", group, member)
        run("chgrp", "-R", group, str(source))
        run("chmod", "-R", "g+rX,g-w,o-rwx", str(source))
        yield
    finally:
        for path, mode in modes.items():
            with contextlib.suppress(OSError):
                os.chown(path, -1, owners[path])
                os.chmod(path, mode)
        run("groupdel", group, check=False)


# -- a Python every account can run ----------------------------------------------------------


def _usable_by_all(path: Path) -> bool:
    path = Path(os.path.realpath(path))
    if not path.stat().st_mode & stat.S_IROTH:
        return False
    return all(folder.stat().st_mode & stat.S_IXOTH for folder in path.parents)


def shared_python(scratch: Path) -> Path:
    """This environment's interpreter if every account can run it, else a relocated copy.

    Learners' servers run as the learners, so the hub's Python must be executable by every
    account. When it is not (a pyenv build under root's private home, as on the CI machine),
    the same build is made available: its standard library and libpython are hard-linked
    (or copied) under ``scratch``, the small interpreter binary is copied with its library
    search path made relative (``$ORIGIN/../lib``), and a ``.pth`` file adds this
    environment's site-packages. Same interpreter, same packages, other path.
    """
    site_packages = Path(sysconfig.get_paths()["purelib"])
    if _usable_by_all(Path(sys.executable)) and _usable_by_all(site_packages / "nbgrader"):
        return Path(sys.executable)
    base = Path(sys.base_prefix)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    target = scratch / "python"
    ignore = shutil.ignore_patterns("site-packages", "test", "idlelib", "tkinter", "turtledemo")
    shutil.copytree(
        base / "lib" / version, target / "lib" / version, ignore=ignore, copy_function=_link
    )
    for library in (base / "lib").glob("libpython*.so*"):
        _link(library, target / "lib" / library.name)
    binary = target / "bin" / version
    binary.parent.mkdir(parents=True)
    shutil.copy2(os.path.realpath(sys._base_executable), binary)
    _relative_runpath(binary, str(base / "lib"))
    (target / "lib" / version / "site-packages").mkdir()
    (target / "lib" / version / "site-packages" / "cxlab-env.pth").write_text(
        f"import site; site.addsitedir({str(site_packages)!r})\n", encoding="utf-8"
    )
    # Jupyter finds its data (JupyterLab, extensions) and config under sys.prefix.
    for name in ("share", "etc"):
        (target / name).symlink_to(Path(sys.prefix) / name)
    for folder in (scratch, *target.rglob("*")):
        if folder.is_dir() and not folder.is_symlink():
            folder.chmod(0o755)
    return binary


def _link(src, dst) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _relative_runpath(binary: Path, old: str) -> None:
    """Point the interpreter's RUNPATH at ``$ORIGIN/../lib`` (in place, as patchelf does when
    the new path is not longer than the old one)."""
    data = binary.read_bytes()
    needle = old.encode() + b"\0"
    if data.count(needle) != 1:
        return  # a static build: no shared libpython to find
    new = b"$ORIGIN/../lib"
    assert len(new) < len(needle)
    binary.write_bytes(data.replace(needle, new.ljust(len(needle), b"\0")))


# -- JupyterHub ------------------------------------------------------------------------------


@dataclass
class Hub:
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    cohorts_file: Path
    services: dict[str, int] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, chars: int = 8000) -> str:
        return tail(self.log, chars)

    def service_pid(self, cohort_root: Path) -> int:
        """The pid of the formgrader service that serves ``cohort_root``."""
        marker = f"--ServerApp.root_dir={cohort_root}".encode()
        for pid in descendants(self.process.pid):
            with contextlib.suppress(OSError):
                if marker in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0"):
                    return pid
        raise AssertionError(f"no service process for {cohort_root}")

    def server_pid(self, user: str) -> int:
        """The pid of ``user``'s single-user server."""
        uid = pwd.getpwnam(user).pw_uid
        for pid in descendants(self.process.pid):
            with contextlib.suppress(OSError):
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
                if os.stat(f"/proc/{pid}").st_uid == uid and b"jupyterhub.singleuser" in cmdline:
                    return pid
        raise AssertionError(f"no single-user server of {user}")


def process_env(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    pairs = (item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
    return {k.decode(): v.decode() for k, v in pairs}


def _up(url: str) -> bool:
    """Does ``url`` answer 200 (the proxy answers 404 or 503 for a route not there yet)?"""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


@contextlib.contextmanager
def start_hub(
    python: Path, cohorts_file: Path, workdir: Path, services: list[str]
) -> Iterator[Hub]:
    """Run JupyterHub with the multi-cohort config until the block ends.

    ``cohorts_file`` must give each of ``services`` a ``port``; the hub's public, API and proxy
    ports are picked here.
    """
    if shutil.which("configurable-http-proxy") is None and not CHP_LOCAL.exists():
        raise AssertionError(
            "configurable-http-proxy is missing: `bash scripts/test.sh` installs it into .node/"
        )
    port, hub_port, proxy_api = free_port(), free_port(), free_port()
    log = workdir / "jupyterhub.log"
    env = {**os.environ, "CXLAB_HUB_COHORTS": str(cohorts_file)}
    args = [
        str(python),
        "-m",
        "jupyterhub",
        "-f",
        str(HUB_CONFIG),
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--JupyterHub.hub_port={hub_port}",
        f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{proxy_api}",
    ]
    with open(log, "wb") as out:
        process = subprocess.Popen(
            args, cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out
        )
    hub = Hub(process=process, port=port, log=log, cohorts_file=cohorts_file)
    try:
        deadline = time.monotonic() + HUB_START_TIMEOUT_S
        targets = [f"{hub.base}/hub/health"]
        targets += [f"{hub.base}/services/{name}/api" for name in services]
        while targets and process.poll() is None and time.monotonic() < deadline:
            if _up(targets[0]):
                targets.pop(0)
            else:
                time.sleep(0.25)
        if targets:
            state = f"exited with {process.returncode}" if process.poll() is not None else "hung"
            raise AssertionError(f"JupyterHub {state}, {targets[0]} not up; log:\n{hub.log_tail()}")
        yield hub
    finally:
        stop_process_tree(process, children_first=True, timeout=30)
