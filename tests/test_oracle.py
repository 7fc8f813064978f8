"""The oracle process: reference answers computed beside the check, identical to those computed in rnncheck.

It only ever saves time: its answers are the ones rnncheck would compute
itself, a check that gets them all never imports autograd, and a check whose
oracle dies or never starts gets the same verdict from answers computed in
its own process.
"""
import json
import os
import subprocess
import sys
import threading

import numpy as np
import pytest
from conftest import BASE, ROOT

from rnncheck.oracle import expected, client as oracle
from rnncheck.sandbox import forkserver
from rnncheck.oracle.cases import cases_for
from rnncheck.courses.cs231n import CATALOGUE

pytestmark = pytest.mark.skipif(not forkserver.enabled(), reason="no fork server here (RNNCHECK_NO_FORK_SERVER)")


def answers_of_a_fresh_oracle(seed):
    """{(seed, layer, case): Expected} as a new oracle process delivers them for every layer."""
    delivered, done = {}, threading.Event()
    total = sum(len(cases_for(layer)) for layer in CATALOGUE)

    def deliver(key, result):
        delivered[key] = result
        if len(delivered) == total:
            done.set()
    server = forkserver.ForkServer(forkserver.environment(), oracle=True)
    try:
        process = oracle.Oracle(*server.oracle, deliver, done.set)
        assert process.ask(seed, CATALOGUE)
        assert done.wait(60)
    finally:
        server.close()
    return delivered


def same(a, b):
    return type(a) is type(b) and np.asarray(a).dtype == np.asarray(b).dtype and np.array_equal(a, b)


def test_every_answer_of_the_oracle_process_is_what_rnncheck_computes_itself():
    delivered = answers_of_a_fresh_oracle(7)
    for layer in CATALOGUE:
        for index in range(len(cases_for(layer))):
            theirs, ours = delivered[(7, layer.course, layer.name, index)], expected.compute(7, layer, index)
            for field in ("inputs", "outputs", "upstream", "grads"):
                assert len(getattr(theirs, field)) == len(getattr(ours, field))
                assert all(map(same, getattr(theirs, field), getattr(ours, field))), (layer.name, index, field)
            assert not any(value.flags.writeable for value in theirs.inputs + theirs.grads)


CHECK = """\
import json, sys
from rnncheck.oracle import expected
from rnncheck.sandbox import forkserver
from rnncheck.load import loader
from rnncheck.judge import verify
{setup}
verdict = verify.check_source(loader.load({path!r}), 3)
print(json.dumps({{"passed": verdict["passed"], "autograd": "autograd" in sys.modules,
                  "computed": expected.computed}}))
"""


def check_in_a_process(setup="", env=None):
    done = subprocess.run([sys.executable, "-c", CHECK.format(setup=setup, path=BASE)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def test_a_check_served_by_the_oracle_process_never_imports_autograd():
    found = check_in_a_process()
    assert found == {"passed": True, "autograd": False, "computed": sum(len(cases_for(layer)) for layer in CATALOGUE)}


def test_without_a_fork_server_the_reference_is_computed_in_rnncheck():
    found = check_in_a_process(env=dict(os.environ, RNNCHECK_NO_FORK_SERVER="1"))
    assert found["passed"] and found["autograd"]


KILL_THE_ORACLE = """
import os, signal, time
forkserver.prestart()
server = forkserver.server(forkserver.environment())
while server.oracle_pid is None:
    time.sleep(0.01)
os.kill(server.oracle_pid, signal.SIGKILL)
time.sleep(0.2)
"""


def test_an_oracle_that_dies_costs_nothing_but_time():
    found = check_in_a_process(KILL_THE_ORACLE)
    assert found["passed"] and found["autograd"]  # every answer computed here instead


def test_a_promise_the_oracle_never_keeps_is_computed_here(monkeypatch):
    monkeypatch.setattr(expected, "PATIENCE", 0.1)
    layer = CATALOGUE[0]
    expected.forget()
    with expected._lock:
        expected._promised.add((11, layer.name, 0))  # as if asked of an oracle that hangs
    result = expected.expected(11, layer, 0)
    assert expected.computed == 1 and same(result.outputs[0], expected.compute(11, layer, 0).outputs[0])
