"""Length-prefixed messages between the server and its workers."""

from __future__ import annotations

import socket
import threading

import pytest

from publisher.sparql import framing


def test_reader_rebuilds_messages_from_any_split():
    messages = [("ok", b"x" * 70_000, 3, False, "solutions"), None, ("graphs", ["g"])]
    stream = b"".join(framing.encode(m) for m in messages)
    for step in (1, 7, 4096, len(stream)):
        reader = framing.FrameReader()
        got = []
        for i in range(0, len(stream), step):
            got += reader.feed(stream[i : i + step])
        assert got == messages


def test_blocking_send_and_recv_over_a_socket_pair():
    left, right = socket.socketpair()
    big = ("ok", bytes(range(256)) * 20_000)  # larger than the socket buffer
    sender = threading.Thread(target=framing.send, args=(left, big))
    sender.start()
    assert framing.recv(right) == big
    sender.join(5)
    left.close()
    with pytest.raises(EOFError):
        framing.recv(right)
    right.close()
