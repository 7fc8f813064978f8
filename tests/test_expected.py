"""Reference results are computed once per (seed, layer, case) and shared, read-only, by every check."""
import threading

import numpy as np
import pytest
from conftest import BASE, SUBMISSIONS, patched

from rnncheck.front import batch
from rnncheck.oracle import expected
from rnncheck.oracle.cases import cases_for
from rnncheck.courses.cs231n import CATALOGUE
from rnncheck.load.loader import load
from rnncheck.judge.verify import check_source

CASES = sum(len(cases_for(layer)) for layer in CATALOGUE)


@pytest.fixture
def sources(tmp_path):
    wrong = patched(f"{SUBMISSIONS}/wrong/rnn_step_backward_db_mean.py", str(tmp_path))
    return [load(BASE), load(wrong), load(BASE)]


def test_a_batch_computes_each_case_once(sources):
    expected.forget()
    first = [check_source(s, 41) for s in sources]
    assert expected.computed == CASES  # the base defines every layer, GRU included
    again = list(batch.run(sources, lambda s: check_source(s, 41), jobs=3))
    assert expected.computed == CASES
    assert again == first  # remembered results judge exactly as fresh ones
    assert first[0]["passed"] and not first[1]["passed"]


def test_another_seed_is_computed_anew():
    expected.forget()
    layer = CATALOGUE[0]
    a, b = expected.expected(1, layer, 0), expected.expected(2, layer, 0)
    assert expected.computed == 2 and not np.array_equal(a.inputs[0], b.inputs[0])
    assert expected.expected(1, layer, 0) is a and expected.computed == 2


@pytest.mark.parametrize("layer", CATALOGUE, ids=lambda layer: layer.name)
def test_inputs_drawn_before_the_oracle_runs_are_the_inputs_it_runs_on(layer):
    expected.forget()
    for index in range(len(cases_for(layer))):
        drawn = expected.drawn_inputs(5, layer, index)
        assert expected.computed == 0  # drawing inputs never runs the oracle
        reference = expected.expected(5, layer, index)
        assert all(np.array_equal(a, b) and a.dtype == b.dtype for a, b in zip(drawn, reference.inputs))
        assert len(drawn) == len(reference.inputs) == len(layer.inputs)
        expected.forget()


def test_remembered_arrays_are_read_only():
    layer = next(layer for layer in CATALOGUE if layer.name == "lstm")
    reference = expected.expected(3, layer, 0)
    for array in reference.inputs + reference.outputs + reference.upstream + reference.grads:
        with pytest.raises(ValueError):
            array[...] = 0


def test_concurrent_requests_compute_once_and_agree():
    expected.forget()
    layer = next(layer for layer in CATALOGUE if layer.name == "gru")
    found, start = [], threading.Barrier(8)

    def ask():
        start.wait()
        found.append(expected.expected(5, layer, 1))
    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert expected.computed == 1 and all(r is found[0] for r in found)


def test_memory_is_bounded():
    expected.forget()
    layer = CATALOGUE[0]
    for seed in range(expected.KEPT + 10):
        expected.expected(seed, layer, 0)
    assert len(expected._memo) == expected.KEPT
    expected.forget()


def test_tolerances_of_one_check_never_reach_another_running_beside_it(tmp_path):
    float32 = load(patched(f"{SUBMISSIONS}/wrong/lstm_backward_float32.py", str(tmp_path)))
    settings = [None, {"float32": 1e-9}, None, {"float32": 1e-9}]
    verdicts = list(batch.run(list(enumerate(settings)), lambda item: check_source(
        float32, 3, ["lstm_*"], tolerances=item[1]), jobs=4))
    assert [v["passed"] for v in verdicts] == [True, False, True, False]
