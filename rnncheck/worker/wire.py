"""Messages between the parent and the worker: JSON headers and raw arrays.

A message is a 4-byte big-endian length, a UTF-8 JSON header (an object),
then the raw bytes of each array the header lists (``{"dtype", "shape"}``).
Nothing is pickled: the parent rebuilds arrays with ``frombuffer`` from a
dtype it has checked is plain numeric, so no object the worker sends can run
code in the parent.  Whatever arrives malformed raises ``WireError``, never
anything else.

Submitted code runs in the same process as the worker's copy of this module
and may patch ``json``, ``numpy``, ``os`` or ``builtins``.  Everything used
here is therefore bound when the module is imported (before any submission
runs), builtins included, so such patches change only the submission's own
answers, never how they are carried.
"""
import builtins
import json
import os
import select
import struct
import time

import numpy as np

__builtins__ = dict(vars(builtins))  # functions below keep this snapshot

NUMERIC_KINDS = "biufc"
CALLS = ("call", "backward")  # requests that run the submission's functions
MAX_HEADER = 1 << 20
MAX_DIMENSIONS = 32

_dumps, _loads = json.dumps, json.loads
_pack, _unpack = struct.pack, struct.unpack
_write, _read_fd, _select = os.write, os.read, select.select
_monotonic = time.monotonic
_contiguous, _frombuffer, _dtype, _prod = np.ascontiguousarray, np.frombuffer, np.dtype, np.prod


class WireError(Exception):
    """The other side sent something that is not a valid message."""


class Closed(WireError):
    """The other side closed the channel (it exited or crashed)."""


class TimedOut(Exception):
    """No complete message arrived before the deadline."""


def spent(request, reply):
    """Whether the worker that gave ``reply`` to ``request`` must go: a call that failed or left a thread running.

    The worker runs nothing more of its batch after such a call; rnncheck retires it.
    """
    return request.get("op") in CALLS and (not reply["ok"] or bool(reply.get("threads_left")))


def parts(header, arrays=()):
    """The pieces of one message: length and header, then each array's own bytes (no copy)."""
    meta = [{"dtype": a.dtype.str, "shape": list(a.shape)} for a in arrays]
    body = _dumps(dict(header, arrays=meta)).encode()
    data = [memoryview(_contiguous(a)).cast("B") for a in arrays if a.size]
    return [_pack(">I", len(body)) + body] + data


def encode(header, arrays=()):
    """Bytes of one message."""
    return b"".join(parts(header, arrays))


def send(fd, header, arrays=()):
    """Write one message to a file descriptor."""
    for part in parts(header, arrays):
        view = memoryview(part)
        while view:
            view = view[_write(fd, view):]


def receive(fd, deadline=None, max_bytes=1 << 26, max_header=MAX_HEADER):
    """Read one message; returns ``(header, arrays)``.

    Raises TimedOut past ``deadline`` (a ``time.monotonic()`` value), Closed
    at end of file, WireError on anything malformed, with a header larger
    than ``max_header`` bytes, or larger than ``max_bytes`` in all.
    """
    (length,) = _unpack(">I", _read(fd, 4, deadline))
    if length > max_header:
        raise WireError(f"message header of {length} bytes")
    try:
        header = _loads(_read(fd, length, deadline))
        specs = [_array_spec(meta) for meta in header.pop("arrays")]
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError, RecursionError) as error:
        raise WireError(f"malformed message header: {type(error).__name__}: {error}"[:200]) from None
    budget = max_bytes
    arrays = []
    for dtype, shape in specs:
        size = int(_prod(shape, dtype=object)) * dtype.itemsize
        budget -= size
        if budget < 0:
            raise WireError(f"result larger than {max_bytes >> 20} MiB")
        data = _read(fd, size, deadline)
        try:
            arrays.append(_frombuffer(data, dtype=dtype).reshape(shape))
        except ValueError:  # no bytes, but dimensions NumPy cannot hold: (0, 10**30)
            raise WireError(f"impossible shape {shape}"[:200]) from None
    return header, arrays


def _array_spec(meta):
    """``(dtype, shape)`` of one listed array; ValueError unless plain numeric."""
    dtype = _dtype(str(meta["dtype"]))
    if dtype.kind not in NUMERIC_KINDS or dtype.hasobject or dtype.fields or dtype.shape:
        raise ValueError(f"non-numeric dtype {meta['dtype']!r}")
    shape = tuple(int(n) for n in meta["shape"])
    if len(shape) > MAX_DIMENSIONS or any(n < 0 for n in shape):
        raise ValueError(f"impossible shape {shape}")
    return dtype, shape


def _read(fd, size, deadline):
    """Exactly ``size`` bytes, read into one buffer (no second copy)."""
    data, filled = bytearray(size), 0
    while filled < size:
        if deadline is not None:
            wait = deadline - _monotonic()
            if wait <= 0 or not _select([fd], [], [], wait)[0]:
                raise TimedOut()
        chunk = _read_fd(fd, min(size - filled, 1 << 20))
        if not chunk:
            raise Closed("channel closed")
        data[filled:filled + len(chunk)] = chunk
        filled += len(chunk)
    return data
