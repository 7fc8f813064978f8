"""Requests go to the worker in batches (every case of a function in one message), answered one by one.

A batch must give each request the answer it would get alone: a call that
raises costs only its own answer (the rest go to a fresh worker), a
stopped stream leaves the worker in step with the parent, and module
attributes a call patches are put back before any other function runs.
"""
import numpy as np
import pytest
from conftest import SUBMISSIONS

from rnncheck.judge import verify
from rnncheck.worker import wire
from rnncheck.load.loader import from_bytes, load
from rnncheck.sandbox.limits import Crash, Limits
from rnncheck.sandbox.session import Sandbox

SOURCE = b'''\
import os
import sys
import numpy as np


def leave(x):
    os._exit(0)


def double(x):
    if x[0] < 0:
        raise ValueError("negative")
    return 2 * x


def patch_numpy_by_name(x):
    np.max = lambda *args, **kwargs: -1.0
    return np.max(x)


def patch_numpy_unnamed(x):
    sys.modules["numpy"].min = lambda *args, **kwargs: -1.0
    return sys.modules["numpy"].min(x)


def numpy_max_and_min(x):
    return np.array([np.max(x), np.min(x)])
'''


def call(function, value):
    return ({"op": "call", "function": function, "inputs": ["x"], "outputs": ["out"], "cache": False},
            [np.array([value, 1.0, 2.0])], None)


@pytest.fixture
def sandbox():
    source = from_bytes(SOURCE, "stream.py")
    with Sandbox(source, Limits(call_seconds=5)) as box:
        assert all(failure is None for failure in box.execute(source.keep))
        yield box


def outputs(answer):
    reply, values = answer
    return values[0].tolist() if reply["ok"] else reply["type"]


def test_each_request_of_a_batch_gets_its_own_answer(sandbox):
    answers = list(sandbox.stream([call("double", 1.0), call("double", 3.0), call("double", 5.0)]))
    assert [outputs(a) for a in answers] == [[2.0, 2.0, 4.0], [6.0, 2.0, 4.0], [10.0, 2.0, 4.0]]


def test_a_call_that_raises_costs_only_its_own_answer_and_its_worker(sandbox):
    first = sandbox.worker
    answers = list(sandbox.stream([call("double", 1.0), call("double", -1.0), call("double", 5.0)]))
    assert [outputs(a) for a in answers] == [[2.0, 2.0, 4.0], "ValueError", [10.0, 2.0, 4.0]]
    assert first.closed and sandbox.worker is not first  # the last case ran in a fresh worker


def test_a_stream_stopped_early_leaves_the_worker_in_step(sandbox):
    worker = sandbox.worker
    answers = sandbox.stream([call("double", 1.0), call("double", 3.0), call("double", 5.0)])
    assert outputs(next(answers)) == [2.0, 2.0, 4.0]
    answers.close()  # two answers were still on their way: read, not left for the next request
    assert outputs(sandbox.request(*call("double", 7.0)[:2])) == [14.0, 2.0, 4.0]
    assert sandbox.worker is worker


def test_a_crash_in_a_batch_is_that_requests_answer(sandbox):
    answers = list(sandbox.stream([call("double", 1.0), call("leave", 1.0), call("double", 5.0)]))
    assert outputs(answers[0]) == [2.0, 2.0, 4.0]
    assert isinstance(answers[1], Crash) and "exit status 0" in answers[1].message
    assert outputs(answers[2]) == [10.0, 2.0, 4.0]


@pytest.mark.parametrize("patcher", ["patch_numpy_by_name", "patch_numpy_unnamed"])
def test_module_patches_are_undone_before_another_function_runs(sandbox, patcher):
    patched = list(sandbox.stream([call(patcher, 1.0), call(patcher, 3.0)]))
    assert [outputs(a) for a in patched] == [-1.0, -1.0]
    [after] = sandbox.stream([call("numpy_max_and_min", 3.0)])
    assert outputs(after) == [3.0, 1.0]


def test_np_patched_by_name_is_undone_between_the_cases_of_one_function(sandbox):
    answers = list(sandbox.stream([call("patch_numpy_by_name", 1.0), call("numpy_max_and_min", 3.0)]))
    assert outputs(answers[1]) == [3.0, 1.0]


def test_a_whole_check_sends_one_message_per_function(monkeypatch):
    sent, send = [], wire.send

    def counted(fd, header, arrays=()):
        if "op" in header:  # a request to the worker (not to the oracle process)
            sent.append(header["op"])
        send(fd, header, arrays)

    monkeypatch.setattr(wire, "send", counted)
    verdict = verify.check_source(load(f"{SUBMISSIONS}/correct/cs231n_loops.py"), seed=1)
    assert verdict["passed"]
    assert sent[:2] == ["start", "batch"]  # every top-level statement at once
    assert sent.count("batch") == 1 + len(verdict["functions"])
    assert len(sent) == 3 + len(verdict["functions"])  # and the one question: which names are callable
