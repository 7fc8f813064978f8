"""Judging a returned value: structure first, then values, with dtype-aware tolerance."""
import numpy as np
import pytest

from rnncheck.judge.compare import TOLERANCE, judge, relative_error

EXPECTED = np.random.default_rng(0).standard_normal((3, 4))


def array(value):
    return {"kind": "array", "type": "ndarray"}, np.asarray(value)


def test_roundoff_passes_and_the_error_is_reported():
    meta, got = array(EXPECTED * (1 + 1e-14))
    verdict = judge("dx", meta, got, EXPECTED)
    assert verdict.ok and 0 < verdict.error < 1e-13


def test_a_real_difference_fails_with_its_relative_error():
    got = EXPECTED.copy()
    got[1, 2] += 0.5 * np.abs(EXPECTED).max()
    verdict = judge("dx", *array(got), EXPECTED)
    assert not verdict.ok and verdict.error == pytest.approx(0.5)


def test_float32_results_get_float32_tolerance_and_a_warning():
    accumulated = (EXPECTED * (1 + 2e-6)).astype(np.float32)  # float32 sums drift this much
    verdict = judge("dx", *array(accumulated), EXPECTED)
    assert verdict.ok and verdict.error > TOLERANCE["float64"]
    assert verdict.warnings == ["dx is float32; judged with float32 tolerance"]


def test_float32_tolerance_still_catches_float32_sized_bugs():
    got = (EXPECTED * 1.001).astype(np.float32)
    assert not judge("dx", *array(got), EXPECTED).ok


@pytest.mark.parametrize("meta, value, problem", [
    ({"kind": "none", "type": "None"}, None, "dx is None"),
    ({"kind": "junk", "type": "str"}, None, "dx is a str, not an array"),
    ({"kind": "array", "type": "ndarray"}, EXPECTED.T, "dx has shape (4, 3), expected (3, 4)"),
    ({"kind": "array", "type": "ndarray"}, EXPECTED + 0j, "dx has complex values"),
    ({"kind": "array", "type": "ndarray"}, EXPECTED > 0, "dx is a boolean array"),
    ({"kind": "array", "type": "ndarray"}, np.where(EXPECTED > 0, np.nan, 0), "dx is NaN (first at [0, 0])"),
])
def test_structural_problems_are_named_before_values(meta, value, problem):
    verdict = judge("dx", meta, None if value is None else np.asarray(value), EXPECTED)
    assert not verdict.ok and verdict.problem == problem


def test_a_scalar_in_a_one_element_array_is_accepted_with_a_warning():
    verdict = judge("loss", *array(np.array([2.5])), np.float64(2.5))
    assert verdict.ok and "a scalar was expected" in verdict.warnings[0]


def test_relative_error_is_normwise_and_absolute_against_zero():
    assert relative_error(np.array([1.0, 2.0]), np.array([1.0, 4.0])) == 0.5
    assert relative_error(np.array([0.0, 1e-3]), np.zeros(2)) == 1e-3


def test_matches_takes_a_one_element_array_for_a_scalar_and_float32_with_its_own_tolerance():
    from rnncheck.judge.compare import matches
    assert matches(np.array([2.0]), np.float64(2.0))
    assert matches(np.array([[1.0, 2.0]], dtype=np.float32) * (1 + 1e-5), np.array([[1.0, 2.0]]))
    assert not matches(np.array([[1.0, 2.0]]) * (1 + 1e-5), np.array([[1.0, 2.0]]))
    assert not matches(np.array([1.0, 2.0]), np.array([[1.0, 2.0]]))
    assert not matches(np.array([np.nan, 2.0]), np.array([1.0, 2.0]))
