"""The parent's decoder of worker replies, fuzzed: whatever comes down the pipe ends in a verdict.

A worker runs submitted code, and submitted code can write any bytes on the
worker's reply pipe.  These property-based tests (hypothesis) feed
``Worker.exchange`` (``wire.receive``, then ``session._checked``) arbitrary
and adversarial replies: random bytes, truncated messages, lying length
prefixes, huge declared sizes, odd and non-numeric dtypes, wrong shapes and
counts, deep nesting, invalid UTF-8.  Each must end as a checked answer or a
``Crash`` (``error`` or ``timeout`` for that function) within the reply's
deadline and a memory bound; a checked answer is then judged
(``judge.answer.judge_case``) without raising.  No process is started: the
"worker" is a pipe the test writes into.
"""
import json
import os
import struct
import threading
import time
import tracemalloc

import numpy as np
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import BASE
from rnncheck.courses.cs231n import layer_of
from rnncheck.judge import compare
from rnncheck.judge.answer import judge_case
from rnncheck.load.loader import load
from rnncheck.oracle.answers import compute
from rnncheck.oracle.cases import cases_for
from rnncheck.sandbox import limits, process
from rnncheck.worker import wire

SECONDS = 0.05  # the reply deadline of every fuzzed exchange
LIMITS = limits.Limits(call_seconds=SECONDS, result_bytes=1 << 20)
MEMORY = LIMITS.result_bytes + (4 << 20)  # what one reply may cost the parent: its arrays, plus a header's objects
LAYER = layer_of("rnn_step_backward")
CASE = 0
SEED = 7
REFERENCE = compute(SEED, LAYER, CASE)
SOURCE = load(BASE)
REQUEST = {"op": "backward", "forward": LAYER.forward, "backward": LAYER.backward,
           "inputs": [i.name for i in LAYER.inputs], "upstream": list(LAYER.upstream),
           "outputs": list(LAYER.grads), "hygiene": True}
FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])


class Gone:
    """The stand-in for a worker process that has exited (status 0) the moment it is asked."""
    pid, returncode = None, 0

    def poll(self):
        return None  # alive when a request is sent

    def wait(self, timeout=None):
        return 0


class Replayed(process.Worker):
    """A ``Worker`` whose reply pipe carries ``data``; ``hang_up``: the write end is closed after it."""

    def __init__(self, data, hang_up=True):
        self.limits, self.sent, self.closed = LIMITS, 0, False
        self.to_worker = os.open(os.devnull, os.O_WRONLY)
        self.from_worker, self.write_end = os.pipe()
        self.process = Gone()
        self.writer = threading.Thread(target=self._feed, args=(data, hang_up), daemon=True)
        self.writer.start()

    def _feed(self, data, hang_up):
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self.write_end, view[:1 << 16]):]
        except OSError:  # the reader stopped reading and closed its end
            pass
        if hang_up:
            self._close_writer()

    def _close_writer(self):
        try:
            os.close(self.write_end)
        except OSError:
            pass

    def close(self):
        if not self.closed:
            self.closed = True
            for fd in (self.to_worker, self.from_worker):
                os.close(fd)
        self.writer.join(2)
        self._close_writer()


def exchanged(data, hang_up=True, request=REQUEST, arrays=()):
    """(answers or the Crash, seconds taken, peak bytes allocated) of one exchange whose reply is ``data``."""
    worker = Replayed(data, hang_up)
    started = time.monotonic()
    tracemalloc.start()
    try:
        try:
            outcome = list(worker.exchange([(request, list(arrays), SECONDS)]))
        except limits.Crash as crash:
            outcome = crash
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        worker.close()
    return outcome, time.monotonic() - started, peak


def message(header, payload=b"", length=None):
    body = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack(">I", len(body) if length is None else length) + body + payload


def valid_reply(grads=None, **changes):
    """A well-formed reply of the worker to REQUEST: the reference gradients, as ``Worker.backward`` sends them."""
    grads = REFERENCE.grads if grads is None else grads
    header = {"ok": True, "id": 1, "seconds": 0.001, "warnings": [], "threads_left": 0,
              "container": "tuple", "count": len(grads), "mutated": [],
              "outputs": [{"kind": "array", "type": "ndarray", "index": i} for i in range(len(grads))],
              "hygiene": {"modified": [], "shrunk": [], "again": None, "difference": 0.0}}
    header.update(changes)
    return header, list(grads)


def ends_in_a_verdict(outcome, seconds, peak):
    """The property every reply must have; a checked answer is judged too (its case outcome is returned)."""
    assert seconds < SECONDS + 1.0
    assert peak < MEMORY, f"{peak / 2 ** 20:.1f} MiB for one reply"
    if isinstance(outcome, limits.Crash):
        assert outcome.status in ("error", "timeout") and outcome.message.isprintable()
        return {"status": outcome.status}
    [reply] = outcome
    judged = judge_case(reply, SOURCE, LAYER, LAYER.backward, cases_for(LAYER)[CASE], REFERENCE,
                        dict(compare.TOLERANCE), LIMITS)
    assert judged["status"] in ("pass", "fail", "error", "missing", "skipped")
    return judged


# ------------------------------------------------------------------ strategies

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=-2 ** 70, max_value=2 ** 70)
    | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=16)
DTYPES = st.sampled_from(["<f8", ">f8", "<f4", "<f2", "<f16", "<c16", "<i8", "<u1", "|b1", "<i2", "O", "|V8",
                          "<M8[s]", "<U3", "|S4", "i4,i4", "(2,)f8", "", "f8 ", "float", "?"]) | st.text(max_size=6)
DIMENSION = st.integers(min_value=0, max_value=6) | st.sampled_from([-1, 2 ** 31, 2 ** 62, 2 ** 64, 10 ** 30])
SHAPES = st.lists(DIMENSION, max_size=5) | st.sampled_from([[0] * 40, [0, 10 ** 30], [1] * 33, "12", 3, None])
ARRAY_META = st.fixed_dictionaries({"dtype": DTYPES, "shape": SHAPES}) | JSON
ODD = (st.sampled_from([None, True, 0, -1, 2 ** 63, 10 ** 400, 1e308, float("inf"), float("nan"), "", "\x00\n",
                         [], {}, [[]], [{}], [None], ["x", ["y"]], {"a": {}}])
       | st.text(max_size=30) | st.lists(JSON, max_size=3))
KEYS = st.sampled_from(["ok", "id", "seconds", "warnings", "threads_left", "container", "count", "mutated",
                        "outputs", "hygiene", "type", "message", "line", "in", "stage", "base", "blocked",
                        "callable", "isolation", "forward_calls", "arrays"])


@st.composite
def mutated_replies(draw):
    """A well-formed reply with a few fields replaced, removed or made odd, its arrays' metadata included."""
    header, arrays = valid_reply()
    header = dict(header)
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 4]))):
        key = draw(KEYS)
        if draw(st.booleans()):
            header.pop(key, None)
        elif key == "outputs" and draw(st.booleans()):
            header[key] = draw(st.lists(st.dictionaries(st.sampled_from(["kind", "type", "why", "index"]), ODD),
                                        max_size=6))
        elif key == "hygiene" and draw(st.booleans()):
            header[key] = draw(st.fixed_dictionaries({"modified": ODD, "shrunk": ODD, "again": ODD,
                                                      "difference": ODD}))
        else:
            header[key] = draw(ODD | JSON)
    meta = [{"dtype": a.dtype.str, "shape": list(a.shape)} for a in arrays]
    if draw(st.booleans()):
        meta = draw(st.lists(ARRAY_META, max_size=6))
    elif draw(st.booleans()):  # one array's description changed
        meta[draw(st.integers(0, len(meta) - 1))] = draw(st.fixed_dictionaries({"dtype": DTYPES, "shape": SHAPES}))
    payload = b"".join(np.ascontiguousarray(a).tobytes() for a in arrays)
    body = json.dumps(dict(header, arrays=meta)).encode()
    cut = draw(st.integers(min_value=0, max_value=len(payload)))
    payload = draw(st.sampled_from([payload, payload[:cut], payload + b"\x00" * 8, b""]))
    length = draw(st.none() | st.integers(min_value=0, max_value=2 ** 32 - 1))
    return message(body, payload, length)


@st.composite
def corrupted(draw):
    """A valid message with bytes flipped, inserted (invalid UTF-8 among them) or cut off."""
    header, arrays = valid_reply()
    data = bytearray(wire.encode(header, arrays))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        action = draw(st.sampled_from(["flip", "insert", "cut"]))
        if action == "flip" and at < len(data):
            data[at] ^= draw(st.integers(min_value=1, max_value=255))
        elif action == "insert":
            data[at:at] = draw(st.sampled_from([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\x00", b"\\u"]))
        else:
            del data[at:]
    return bytes(data)


# ------------------------------------------------------------------ properties

@FUZZ
@given(data=st.binary(max_size=512), hang_up=st.booleans())
def test_arbitrary_bytes_end_as_an_error_or_a_timeout(data, hang_up):
    outcome, seconds, peak = exchanged(data, hang_up)
    ends_in_a_verdict(outcome, seconds, peak)


@FUZZ
@given(data=mutated_replies(), hang_up=st.booleans())
# regressions found by fuzzing, one per bug fixed:
# dimensions NumPy cannot hold in an array of no bytes (a ValueError out of wire.receive)
@example(data=message({"arrays": [{"dtype": "<f8", "shape": [0, 10 ** 30]}]}), hang_up=True)
@example(data=message({"arrays": [{"dtype": "<f8", "shape": [0, 2 ** 62, 2 ** 62]}]}), hang_up=True)
# a list or an object among the names of mutated inputs (TypeError: unhashable, out of replies.checked)
@example(data=message(dict(valid_reply(grads=())[0], count=0, outputs=[], mutated=[{}], arrays=[])), hang_up=True)
# a field that may be null left out ("count", a cache report's "again"): KeyError where the parent reads it
@example(data=message({key: value for key, value in valid_reply(grads=(), outputs=[])[0].items() if key != "count"}
                      | {"arrays": []}), hang_up=True)
@example(data=message(valid_reply(grads=(), count=0, outputs=[], hygiene={"modified": [], "shrunk": []})[0]
                      | {"arrays": []}), hang_up=True)
# an integer no float can hold as a cache report's difference (OverflowError while wording the warning)
@example(data=message(valid_reply(grads=(), count=0, outputs=[], hygiene={
    "modified": [], "shrunk": [], "again": None, "difference": 10 ** 400})[0] | {"arrays": []}), hang_up=True)
def test_a_reply_with_odd_fields_sizes_dtypes_or_shapes_ends_in_a_verdict(data, hang_up):
    outcome, seconds, peak = exchanged(data, hang_up)
    ends_in_a_verdict(outcome, seconds, peak)


@FUZZ
@given(data=corrupted())
def test_a_corrupted_or_truncated_message_ends_in_a_verdict(data):
    outcome, seconds, peak = exchanged(data)
    ends_in_a_verdict(outcome, seconds, peak)


def empty_objects(size):
    """A reply header of about ``size`` bytes of empty JSON objects: some 50 bytes of Python objects per 3 bytes."""
    return message(b'{"arrays": [], "x": [' + b",".join([b"{}"] * (size // 3)) + b"]}")


def test_a_reply_header_is_parsed_only_when_small_so_its_objects_stay_within_the_memory_bound():
    """Regression, found by fuzzing: a 1 MiB header of empty objects cost the parent 48 MiB and 1.6 s (traced)."""
    outcome, seconds, peak = exchanged(empty_objects((1 << 20) - 100))  # within wire.MAX_HEADER
    assert outcome.status == "error" and "message header of 1048" in outcome.message and peak < 1 << 20
    outcome, seconds, peak = exchanged(empty_objects(process.REPLY_HEADER - 100))
    assert outcome.status == "error" and "invalid reply" in outcome.message
    ends_in_a_verdict(outcome, seconds, peak)


def test_a_list_among_the_callable_names_is_an_invalid_reply():
    reply = message({"ok": True, "id": 1, "callable": ["sigmoid", ["rnn_step_forward"]], "arrays": []})
    outcome, _, _ = exchanged(reply, request={"op": "names", "names": ["sigmoid", "rnn_step_forward"]})
    assert outcome.status == "error" and "invalid reply: callable names" in outcome.message


def test_the_untouched_reply_passes():
    header, arrays = valid_reply()
    judged = ends_in_a_verdict(*exchanged(wire.encode(header, arrays)))
    assert judged["status"] == "pass"


def test_a_message_cut_short_by_a_worker_that_stays_silent_is_a_timeout():
    header, arrays = valid_reply()
    outcome, seconds, _ = exchanged(wire.encode(header, arrays)[:-5], hang_up=False)
    assert outcome.status == "timeout" and SECONDS <= seconds < SECONDS + 1.0
