"""manual/ keeps float32 as float32, stays within float32 rounding of the
float64 reference, and never writes into the arrays it is given."""
import numpy as np
import pytest

from rnncheck import manual
from rnncheck import reference
from rnncheck.oracle.cases import BASIC, case_rng, make_inputs, make_upstream
from rnncheck.courses.cs231n import CATALOGUE
from conftest import as_tuple, relative_error

TOLERANCE = 1e-4
CASES = pytest.mark.parametrize("case_index", range(len(BASIC)), ids=[case.label for case in BASIC])
LAYERS = pytest.mark.parametrize("layer", CATALOGUE, ids=lambda layer: layer.name)


def as_float32(value):
    value = np.asarray(value)
    return value.astype(np.float32) if value.dtype == np.float64 else value


def as_float64(value):
    value = np.asarray(value)
    return value.astype(np.float64) if value.dtype == np.float32 else value


def run(module, layer, inputs, upstream_rng):
    """(outputs, gradients) of the layer; gradients empty without a backward."""
    result = getattr(module, layer.forward)(*inputs)
    if layer.backward is None:
        return as_tuple(result), ()
    *outputs, cache = result
    upstream = [np.asarray(u, dtype=np.asarray(out).dtype) for u, out in
                zip(make_upstream(outputs, upstream_rng), outputs)]
    return tuple(outputs), as_tuple(getattr(module, layer.backward)(*upstream, cache))


def float32_inputs(layer, case_index):
    rng = case_rng(0, layer, case_index)
    return [as_float32(value) for value in make_inputs(layer, BASIC[case_index], rng)]


@LAYERS
@CASES
def test_float32_in_gives_float32_out(layer, case_index):
    outputs, gradients = run(manual, layer, float32_inputs(layer, case_index),
                             np.random.default_rng(1))
    dtypes = {name: np.asarray(value).dtype for name, value in
              zip(layer.outputs + layer.grads, outputs + gradients)}
    assert dtypes == {name: np.float32 for name in dtypes}


@LAYERS
@CASES
def test_float32_values_are_within_float32_rounding_of_the_reference(layer, case_index):
    inputs = float32_inputs(layer, case_index)
    got = run(manual, layer, inputs, np.random.default_rng(1))
    inputs64 = [as_float64(value) for value in inputs]
    expected = run(reference, layer, inputs64, np.random.default_rng(1))
    errors = {name: relative_error(g, e) for name, g, e in
              zip(layer.outputs + layer.grads, got[0] + got[1], expected[0] + expected[1])}
    assert max(errors.values()) < TOLERANCE, errors


DTYPES = pytest.mark.parametrize("dtype", [np.float64, np.float32])


def inputs_of_dtype(layer, dtype):
    return [value.astype(dtype) if value.dtype.kind == "f" else value
            for value in make_inputs(layer, BASIC[0], case_rng(0, layer, 0))]


@LAYERS
@DTYPES
def test_forward_never_modifies_its_inputs(layer, dtype):
    inputs = inputs_of_dtype(layer, dtype)
    originals = [value.copy() for value in inputs]
    getattr(manual, layer.forward)(*inputs)
    for value, original in zip(inputs, originals):
        np.testing.assert_array_equal(value, original)


@pytest.mark.parametrize("layer", [layer for layer in CATALOGUE if layer.backward],
                         ids=lambda layer: layer.name)
@DTYPES
def test_backward_never_modifies_the_forward_inputs_upstream_or_cache(layer, dtype):
    inputs = inputs_of_dtype(layer, dtype)
    originals = [value.copy() for value in inputs]
    *outputs, cache = getattr(manual, layer.forward)(*inputs)
    upstream = [u.astype(dtype) for u in make_upstream(outputs, np.random.default_rng(1))]
    upstream_originals = [u.copy() for u in upstream]
    first = as_tuple(getattr(manual, layer.backward)(*upstream, cache))
    second = as_tuple(getattr(manual, layer.backward)(*upstream, cache))
    for value, original in zip(inputs + upstream, originals + upstream_originals):
        np.testing.assert_array_equal(value, original)
    for a, b in zip(first, second):  # an unchanged cache gives the same gradients again
        np.testing.assert_array_equal(a, b)
