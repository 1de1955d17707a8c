"""Kernel channels that cannot miss a reply: the fix for the capstone's 60-second stalls.

Autograding 09 used to stop for exactly the cell timeout inside one submission in ten or so,
in stock nbgrader too. The cause, found by instrumenting pyzmq (see docs/ARCHITECTURE.md,
"The capstone stall"): nbclient waits for a cell's ``execute_reply`` with one
``await socket.poll(timeout)`` on the shell socket. pyzmq's asyncio integration wakes that
poll from ZeroMQ's *edge-triggered* file descriptor; during a burst of widget messages on
the IOPub socket the reply arrived in the shell socket's queue but the edge that should
have woken the reader never fired. Nothing else touched the socket, so the reply sat in the
queue until the poll's timeout, when pyzmq's final non-blocking poll found it. Hence a
stall of the cell timeout's length, with no timeout reported, and an idle kernel.

The channels here wait in slices: each slice ends in a non-blocking check of the socket's
state (``ZMQ_EVENTS``), which reads a message that is already queued whether or not its
edge fired. A missed wake-up now costs at most one slice (0.2 s) instead of the timeout;
the cell timeout itself is unchanged and still enforced by nbclient.
"""

from __future__ import annotations

import time
import typing as t
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from traitlets import DottedObjectName, Type

__all__ = ["SLICE", "WatchfulClient", "WatchfulKernelManager"]

SLICE = 0.2  # seconds between two checks of a socket's queue while waiting


class WatchfulChannel(AsyncZMQSocketChannel):
    """A socket channel whose ``get_msg`` waits in slices (see the module docstring)."""

    async def get_msg(self, timeout: float | None = None) -> dict[str, t.Any]:  # type: ignore[override]
        assert self.socket is not None
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = SLICE if deadline is None else min(SLICE, deadline - time.monotonic())
            if await self.socket.poll(max(1, int(left * 1000))):
                return await self._recv()
            if deadline is not None and time.monotonic() >= deadline:
                raise Empty


class WatchfulClient(AsyncKernelClient):
    """An asyncio kernel client whose shell and IOPub waits cannot miss a message."""

    shell_channel_class = Type(WatchfulChannel)  # type: ignore[arg-type]
    iopub_channel_class = Type(WatchfulChannel)  # type: ignore[arg-type]
    stdin_channel_class = Type(WatchfulChannel)  # type: ignore[arg-type]
    control_channel_class = Type(WatchfulChannel)  # type: ignore[arg-type]


class WatchfulKernelManager(AsyncKernelManager):
    """The grader's kernel manager without the sandbox (``--SandboxedExecute.sandbox=False``)."""

    client_class = DottedObjectName("grader.trust.channels.WatchfulClient")
    client_factory = Type(WatchfulClient, klass=AsyncKernelClient)  # type: ignore[arg-type]
