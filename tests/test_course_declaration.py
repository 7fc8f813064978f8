"""A course declaration with a typo is refused where it is written, naming the layer, the input and what is wrong."""
import pytest

from rnncheck.courses import Course, Input, Layer
from rnncheck.courses.cs231n import COURSE as CS231N


def step(**changes):
    """An RNN step as a course file would declare it, with ``changes``."""
    fields = dict(name="step", forward="step_forward", backward="step_backward", oracle=None,
                  inputs=(Input("x", ("m", "n_x")), Input("h", ("m", "n_a")), Input("W", ("n_x+n_a", "n_a"))),
                  outputs=("next_h",), upstream=("dnext_h",), differentiable=("x", "h", "W"))
    return Layer(**{**fields, **changes})


def course(*layers, dims=None):
    return Course("mine", "a course of one's own", layers, dims={"m": "N", "n_x": "D", "n_a": "H"} if dims is None
                  else dims)


def test_a_correct_declaration_is_accepted_and_written_in_the_canonical_dimensions():
    [layer] = course(step()).layers
    assert [spec.shape for spec in layer.inputs] == [("N", "D"), ("N", "H"), ("D+H", "H")]
    assert len(CS231N.layers) == 10  # the built-in course passes the same checks


@pytest.mark.parametrize("changes, dims, message", [
    (dict(inputs=(Input("x", ("m", "n_xx")),)), None,
     "course 'mine', layer 'step': input x has the dimension 'n_xx' in its shape ('m', 'n_xx'); a dimension is a "
     "number or a name (N, T, D, H, V, M or the course's dims m, n_x, n_a)"),
    (dict(inputs=(Input("x", ("N", "4h")),)), {}, "input x has the dimension '4h' in its shape ('N', '4h')"),
    (dict(inputs=(Input("x", ("N", "H+")),)), {}, "input x has the dimension 'H+'"),
    (dict(inputs=(Input("x", ("N", "H-1")),)), {}, "input x has the dimension 'H-1'"),
    (dict(), {"m": "batch"}, "dims maps m to 'batch', not one of N, T, D, H, V, M"),
    (dict(inputs=(Input("x", ("N",), kind="int"),)), {}, "input x has the kind 'int', not one of float, index"),
    (dict(differentiable=("x", "Wh")), None, "differentiable names Wh, not among its inputs (x, h, W)"),
    (dict(upstream_of=("h",)), None, "upstream_of names h, not among its outputs (next_h)"),
    (dict(upstream=("dnext_h", "dnext_c")), None,
     "2 upstream gradients (dnext_h, dnext_c) for 1 outputs (next_h); set upstream_of"),
    (dict(returns="list"), None, "returns is 'list', not 'tuple' or 'dict'"),
])
def test_a_mistake_in_a_declaration_is_named(changes, dims, message):
    with pytest.raises(ValueError) as raised:
        course(step(**changes), dims=dims)
    assert message in str(raised.value)
    assert str(raised.value).startswith("course 'mine', layer 'step': ")
