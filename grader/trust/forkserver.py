"""Kernels forked from a pre-imported interpreter, each into its own fresh bwrap sandbox.

Starting a sandboxed kernel the plain way costs two interpreter start-ups and the imports of
ipykernel, pandas and ipywidgets (about 0.6 s of CPU) for every submission. With the fork
server, one clean interpreter per grading process (the *zygote*) imports them once; each
kernel is then a fork of it, placed in a sandbox of its own:

1. The kernel manager starts bwrap exactly as before (same mounts, namespaces, private
   ``/tmp`` and working folder, ``--die-with-parent``), but the sandboxed command is a
   placeholder (``sleep``) that only holds the namespaces open.
2. The zygote forks a spare, which reads the request (the zygote itself never reads one,
   so its memory stays as it was after the imports), joins the placeholder's namespaces
   (``setns``: IPC, UTS, network, cgroup, PID, mount — after the mount namespace its root
   *is* the sandbox's root) and forks again, so the kernel is born inside the sandbox's
   PID namespace.
3. The kernel process closes every inherited descriptor, forbids new privileges, sets the
   resource limits, drops to the sandbox's own uid, copies its answers files into the
   private working folder, replaces its environment with the sandbox's, and only then runs
   ipykernel in-process.

Each submission still gets its own process, its own namespaces, mounts, uid and ``/tmp``,
and no state from any other: the zygote never runs learner code and holds nothing secret
(it imports libraries and nothing else), and every kernel starts from the zygote's pristine
memory. Killing the sandbox (bwrap) kills its PID namespace and so the kernel with it.

Joining namespaces needs root (``CAP_SYS_ADMIN``); otherwise, or if the zygote cannot be
started, kernels are launched the plain way (``grader.trust.sandbox``). Operators can turn
the fork server off with ``--SandboxKernelManager.fork=False``.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import threading

from grader.trust.bwrap import ENTER_SANDBOX

__all__ = ["ForkServer", "ForkServerError", "available"]

log = logging.getLogger(__name__)

# What every kernel imports anyway: the libraries, and what ipykernel imports while it starts
# (its shell, and the debugger's modules: a third of its start-up). None starts a thread.
PRELOAD = (
    "numpy",
    "pandas",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "sqlite3",
    "ipywidgets",
    "cxlab",
    "cxlab.widgets",
)

# The zygote (after ENTER_SANDBOX's text): runs as its own clean interpreter (``python -P -c``)
# and never imports grader.
_ZYGOTE = r"""
import ctypes, json, os, socket, sys
os.environ.clear()
os.environ.update(json.loads(sys.argv[2]))
os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # the debugger's import-time warning
for name in json.loads(sys.argv[3]):
    try:
        __import__(name)
    except Exception as exc:
        print(f"cxlab zygote: cannot preload {name}: {exc!r}", file=sys.stderr)
libc = ctypes.CDLL(None, use_errno=True)
PR_SET_NO_NEW_PRIVS = 38
ORDER = ("ipc", "uts", "net", "cgroup", "pid", "mnt")  # mnt last: it changes the root


def join(holder):
    fds = []
    for ns in ORDER:
        path = f"/proc/{holder}/ns/{ns}"
        try:
            if os.readlink(path) == os.readlink(f"/proc/self/ns/{ns}"):
                continue  # not unshared by this sandbox (e.g. cgroup on an old kernel)
            fds.append((ns, os.open(path, os.O_RDONLY)))
        except FileNotFoundError:
            continue
    if not any(ns == "mnt" for ns, _ in fds) or not any(ns == "pid" for ns, _ in fds):
        raise RuntimeError("the placeholder has no namespaces of its own")
    for ns, fd in fds:
        if libc.setns(fd, 0) != 0:
            raise OSError(ctypes.get_errno(), f"setns {ns}")
        os.close(fd)


def kernel(req):
    null = os.open("/dev/null", os.O_RDWR)
    os.dup2(null, 0)
    os.dup2(null, 1)
    os.closerange(3, 1 << 16)
    os.setsid()
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "no_new_privs")
    os.chdir(req["cwd"])
    enter_sandbox(req["limits"], req["uid"])
    os.environ.clear()
    os.environ.update(req["env"])
    sys.argv = ["ipykernel_launcher", *req["argv"]]
    # ipywidgets registers its comm targets at import only inside a running kernel; it was
    # imported here before the kernel existed, so it registers once the kernel is up.
    sys.argv.append(
        "--IPKernelApp.exec_lines=__import__('ipywidgets')._handle_ipython()"
    )
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def serve_one(stream):
    # A spare, forked from the pristine zygote before the request was read: the zygote
    # itself never reads a request, so no kernel inherits anything of another's.
    line = stream.readline()
    if not line:
        os._exit(3)
    req = json.loads(line)
    try:
        join(req["holder"])
        pid = os.fork()
        if pid == 0:
            try:
                kernel(req)
            finally:
                os._exit(0)
        reply = {"pid": pid}
    except BaseException as exc:
        reply = {"error": repr(exc)}
    stream.write(json.dumps(reply).encode() + b"\n")
    os._exit(0)


link = socket.socket(fileno=int(sys.argv[1]))
stream = link.makefile("rwb", buffering=0)
while True:
    spare = os.fork()
    if spare == 0:
        try:
            serve_one(stream)
        finally:
            os._exit(1)
    _, status = os.waitpid(spare, 0)
    if os.waitstatus_to_exitcode(status) == 3:
        os._exit(0)  # the grader closed its end
"""


class ForkServerError(RuntimeError):
    """The zygote could not start a kernel (the caller falls back to a plain start)."""


def available() -> bool:
    """Can this process join namespaces (root, on Linux)?"""
    return sys.platform.startswith("linux") and os.geteuid() == 0


class ForkServer:
    """One zygote per grading process, started on first use and asked over a socket pair."""

    _lock = threading.Lock()
    _instance: ForkServer | None = None
    _pid: int | None = None

    def __init__(self, env: dict[str, str], preload: tuple[str, ...] = PRELOAD) -> None:
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-P",
                "-c",
                ENTER_SANDBOX + _ZYGOTE,
                str(theirs.fileno()),
                json.dumps(env),
                json.dumps(list(preload)),
            ],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        theirs.close()
        self.link = ours
        self.stream = ours.makefile("rwb", buffering=0)

    @classmethod
    def shared(cls, env: dict[str, str]) -> ForkServer:
        """This process's zygote (a new one after a fork of the grading process)."""
        with cls._lock:
            if cls._instance is None or cls._pid != os.getpid() or not cls._instance.alive():
                cls._instance = cls(env)
                cls._pid = os.getpid()
            return cls._instance

    def alive(self) -> bool:
        return self.process.poll() is None

    def spawn(self, request: dict) -> int:
        """Fork a kernel into the sandbox whose placeholder is ``request["holder"]``;
        return the kernel's pid (as the grader sees it)."""
        with self._lock:
            try:
                self.stream.write(json.dumps(request).encode() + b"\n")
                line = self.stream.readline()
            except OSError as exc:
                raise ForkServerError(f"fork server unreachable: {exc}") from exc
        if not line:
            raise ForkServerError("fork server exited")
        reply = json.loads(line)
        if "pid" not in reply:
            raise ForkServerError(f"fork server: {reply.get('error', reply)}")
        return int(reply["pid"])

    def close(self) -> None:
        try:
            self.link.close()
            self.process.wait(timeout=5)
        except Exception:
            self.process.kill()
