"""The grader's kernel channels wait in slices, so a reply whose wake-up was missed is read
within a slice instead of at the cell timeout (the capstone stall; grader/trust/channels.py)."""

from __future__ import annotations

import asyncio
import time
from queue import Empty

import pytest

from grader.trust import channels
from grader.trust.channels import SLICE, WatchfulChannel


class _MissedEdgeSocket:
    """A socket whose asynchronous poll never wakes early (the missed edge): each poll
    waits its whole timeout, then reports whether a message has arrived by then."""

    def __init__(self, arrives_after: float) -> None:
        self.arrives_at = time.monotonic() + arrives_after
        self.polls: list[int] = []

    async def poll(self, timeout_ms: int) -> int:
        self.polls.append(timeout_ms)
        await asyncio.sleep(timeout_ms / 1000)
        return int(time.monotonic() >= self.arrives_at)


def _channel(socket: _MissedEdgeSocket) -> WatchfulChannel:
    channel = WatchfulChannel.__new__(WatchfulChannel)
    channel.socket = socket  # type: ignore[assignment]

    async def recv():
        return {"msg_type": "execute_reply"}

    channel._recv = recv  # type: ignore[method-assign]
    return channel


def test_a_reply_whose_wake_up_was_missed_is_read_within_a_slice():
    """Is a reply that arrived 0.3 s in read by about 0.3 s + one slice, not at the timeout?"""
    socket = _MissedEdgeSocket(arrives_after=0.3)
    start = time.monotonic()
    msg = asyncio.run(_channel(socket).get_msg(timeout=20))
    assert msg["msg_type"] == "execute_reply"
    assert time.monotonic() - start < 0.3 + 2 * SLICE + 0.5
    assert all(timeout <= SLICE * 1000 for timeout in socket.polls)


def test_no_reply_still_times_out_at_the_timeout():
    """Does a wait with no reply still end in Empty once the timeout is spent, not before?"""
    socket = _MissedEdgeSocket(arrives_after=60)
    start = time.monotonic()
    with pytest.raises(Empty):
        asyncio.run(_channel(socket).get_msg(timeout=0.5))
    assert 0.5 <= time.monotonic() - start < 0.5 + SLICE + 0.5


def test_the_grader_kernels_use_the_watchful_client():
    """Do the sandboxed and the unsandboxed kernel managers hand out the watchful client?"""
    from grader.trust.sandbox import SandboxKernelManager

    for manager in (SandboxKernelManager(), channels.WatchfulKernelManager()):
        client = manager.client()
        assert isinstance(client, channels.WatchfulClient)
        assert client.shell_channel_class is WatchfulChannel
        assert client.iopub_channel_class is WatchfulChannel
