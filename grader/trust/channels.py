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

import zmq
import zmq.asyncio
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from traitlets import DottedObjectName, Type, default

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

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        """jupyter_client's wait (kernel_info until IOPub is seen connected), except the
        final drain of IOPub: it waited 0.2 s for stragglers after every start, where
        draining what has arrived is enough (nbclient ignores other requests' messages)."""
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                msg = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                pass
            else:
                if msg["msg_type"] == "kernel_info_reply":
                    try:  # IOPub connected? (its status message arrives)
                        await self.iopub_channel.get_msg(timeout=0.2)
                    except Empty:
                        pass
                    else:
                        self._handle_kernel_info_reply(msg)
                        break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
        while True:
            try:
                await self.iopub_channel.get_msg(timeout=0.01)
            except Empty:
                break

    wait_for_ready = _async_wait_for_ready  # type: ignore[assignment]


class WatchfulKernelManager(AsyncKernelManager):
    """The grader's kernel manager without the sandbox (``--SandboxedExecute.sandbox=False``).

    Two idle waits of every kernel start and stop are shortened: the client's sockets,
    connected before the kernel has bound its own, retry every 10 ms instead of ZeroMQ's
    100 ms; and a killed kernel is checked for every 5 ms instead of every 100 ms.
    """

    @default("context")
    def _context_default(self) -> zmq.asyncio.Context:
        self._created_context = True  # (so that cleanup closes it, as the base class does)
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.RECONNECT_IVL, 10)
        return context

    async def _async_wait(self, pollinterval: float = 0.1) -> None:
        await super()._async_wait(pollinterval=min(pollinterval, 0.005))

    client_class = DottedObjectName("grader.trust.channels.WatchfulClient")
    client_factory = Type(WatchfulClient, klass=AsyncKernelClient)  # type: ignore[arg-type]
