"""Messages between the server and its query workers: length-prefixed pickles on a socket.

Only our own processes are at either end of a private socket pair, so pickle is safe here.
The server side never blocks: `FrameReader` rebuilds messages from whatever bytes the
event loop hands it, so a large result does not stall the other requests while it arrives.
"""

from __future__ import annotations

import pickle
import socket
import struct

_HEADER = struct.Struct("!Q")


def encode(message: object) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(payload)) + payload


def send(sock: socket.socket, message: object) -> None:
    """Blocking send (the worker side)."""
    sock.sendall(encode(message))


def recv(sock: socket.socket) -> object:
    """Blocking receive of one message; EOFError when the other end has closed."""
    (size,) = _HEADER.unpack(_read_exactly(sock, _HEADER.size))
    return pickle.loads(_read_exactly(sock, size))


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        n = sock.recv_into(view[got:])
        if n == 0:
            raise EOFError("the other end closed the socket")
        got += n
    return bytes(buffer)


class FrameReader:
    """Incremental decoder: `feed(bytes)` returns the messages completed so far."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._size: int | None = None

    def feed(self, data: bytes) -> list[object]:
        self._buffer += data
        messages: list[object] = []
        while True:
            if self._size is None:
                if len(self._buffer) < _HEADER.size:
                    return messages
                (self._size,) = _HEADER.unpack_from(self._buffer)
                del self._buffer[: _HEADER.size]
            if len(self._buffer) < self._size:
                return messages
            messages.append(pickle.loads(self._buffer[: self._size]))
            del self._buffer[: self._size]
            self._size = None
