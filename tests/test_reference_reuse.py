"""The verifier traces the reference once per distinct case and hands out copies.

A forward case and the backward case after it draw the same inputs, so the
reference forward (and its VJP) is computed once for both; every caller gets
its own arrays, so nothing one check does can change what the next one sees.
"""
import numpy as np
import pytest

from rnncheck import verify
from rnncheck.cases import BASIC, case_rng, make_inputs
from rnncheck.catalogue import layer_of


@pytest.fixture
def reference_calls(monkeypatch):
    """Names of the reference functions the verifier calls, with a cold memo."""
    calls = []
    original = verify.reference_function

    def counting(name):
        calls.append(name)
        return original(name)
    monkeypatch.setattr(verify, "reference_function", counting)
    monkeypatch.setattr(verify, "REFERENCE_FORWARDS", {})
    return calls


def test_a_forward_case_and_its_backward_case_share_one_reference_forward(reference_calls):
    verdict = verify.check_manual(seed=3, patterns=["rnn_step_*"])
    assert [f["status"] for f in verdict["functions"]] == ["pass", "pass"]
    assert reference_calls.count("rnn_step_forward") == len(BASIC)  # not 2 * len(BASIC)
    assert reference_calls.count("rnn_step_backward") == len(BASIC)


def test_a_wrong_backward_is_still_caught_with_the_shared_forward(reference_calls, write):
    path = write("db_mean.py", "from manual import *\nimport manual\n\n"
                               "def rnn_step_backward(dnext_h, cache):\n"
                               "    dx, dprev_h, dWx, dWh, db = manual.rnn_step_backward(dnext_h, cache)\n"
                               "    return dx, dprev_h, dWx, dWh, db / dnext_h.shape[0]\n")
    from rnncheck.loader import load
    verdict = verify.check_source(load(path), seed=3, patterns=["rnn_step_*"],
                                  blocked=tuple(b for b in verify.BLOCKED if b != "manual"))
    by_name = {f["name"]: f for f in verdict["functions"]}
    assert by_name["rnn_step_forward"]["status"] == "pass"
    assert by_name["rnn_step_backward"]["status"] == "fail" and "db is wrong" in by_name["rnn_step_backward"]["message"]
    assert reference_calls.count("rnn_step_forward") == len(BASIC)


def test_every_caller_gets_its_own_copy_of_the_reference_outputs(reference_calls):
    layer = layer_of("lstm_step_forward")
    inputs = make_inputs(layer, BASIC[0], case_rng(0, layer, 0))
    first = verify._reference_forward("lstm_step_forward", inputs)
    kept = first[0].copy()
    first[0][...] = 0.0
    second = verify._reference_forward("lstm_step_forward", inputs)
    assert reference_calls == ["lstm_step_forward"]
    np.testing.assert_array_equal(second[0], kept)
    assert second[-1] is first[-1]  # the cache (the traced VJP) is shared: pulling back through it changes nothing
