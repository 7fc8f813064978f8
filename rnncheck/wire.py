"""Messages between the parent and the worker: JSON headers and raw arrays.

A message is a 4-byte big-endian length, a UTF-8 JSON header, then the raw
bytes of each array the header lists (``{"dtype", "shape"}``).  Nothing is
pickled: the parent rebuilds arrays with ``np.frombuffer`` from a dtype it
has checked is plain numeric, so no object the worker sends can run code in
the parent.
"""
import json
import os
import select
import struct
import time

import numpy as np

NUMERIC_KINDS = "biufc"
MAX_HEADER = 1 << 20


class WireError(Exception):
    """The other side sent something that is not a valid message."""


class Closed(WireError):
    """The other side closed the channel (it exited or crashed)."""


class TimedOut(Exception):
    """No complete message arrived before the deadline."""


def encode(header, arrays=()):
    """Bytes of one message."""
    arrays = [np.asarray(a, order="C") for a in arrays]  # 0-d stays 0-d
    meta = [{"dtype": a.dtype.str, "shape": list(a.shape)} for a in arrays]
    body = json.dumps(dict(header, arrays=meta)).encode()
    return b"".join([struct.pack(">I", len(body)), body] + [a.tobytes() for a in arrays])


def send(fd, header, arrays=()):
    """Write one message to a file descriptor."""
    view = memoryview(encode(header, arrays))
    while view:
        view = view[os.write(fd, view):]


def receive(fd, deadline=None, max_bytes=1 << 26):
    """Read one message; returns ``(header, arrays)``.

    Raises TimedOut past ``deadline`` (a ``time.monotonic()`` value), Closed
    at end of file, WireError on anything malformed or larger than
    ``max_bytes`` in all.
    """
    (length,) = struct.unpack(">I", _read(fd, 4, deadline))
    if length > MAX_HEADER:
        raise WireError(f"message header of {length} bytes")
    try:
        header = json.loads(_read(fd, length, deadline))
        metas = header.pop("arrays")
        specs = [(_numeric_dtype(m["dtype"]), tuple(int(n) for n in m["shape"])) for m in metas]
    except (ValueError, KeyError, TypeError) as error:
        raise WireError(f"malformed message header: {error}") from None
    budget = max_bytes
    arrays = []
    for dtype, shape in specs:
        if any(n < 0 for n in shape):
            raise WireError(f"negative dimension in {shape}")
        size = int(np.prod(shape, dtype=object)) * dtype.itemsize
        budget -= size
        if budget < 0:
            raise WireError(f"result larger than {max_bytes >> 20} MiB")
        arrays.append(np.frombuffer(_read(fd, size, deadline), dtype=dtype).reshape(shape))
    return header, arrays


def _numeric_dtype(text):
    dtype = np.dtype(str(text))
    if dtype.kind not in NUMERIC_KINDS or dtype.hasobject or dtype.fields:
        raise ValueError(f"non-numeric dtype {text!r}")
    return dtype


def _read(fd, size, deadline):
    chunks, remaining = [], size
    while remaining:
        if deadline is not None:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimedOut()
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            raise Closed("channel closed")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)
