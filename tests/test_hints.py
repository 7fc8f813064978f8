"""Runtime hints: an error with a known cause gets its fix; an error without one gets nothing made up."""
import pytest

from rnncheck.courses.cs231n import layer_of
from rnncheck.judge.hints import WRONG_SHAPE, Context, for_error
from rnncheck.load.loader import from_bytes

DIMS = dict(N=3, T=4, D=5, H=6, V=7, M=8)
ONE = dict(N=1, T=3, D=4, H=5, V=6, M=7)


def context(function="rnn_step_forward", dims=DIMS, code="def rnn_step_forward(x):\n    return x\n", **extra):
    return Context(function, layer_of(function), dims, from_bytes(code.encode(), "a.py"), **extra)


@pytest.mark.parametrize("kind, message, rule, text", [
    ("NameError", "name 'xrange' is not defined", "python2-name", "xrange is Python 2: use range"),
    ("NameError", "name 'unicode' is not defined", "python2-name", "unicode is Python 2: use str"),
    ("AttributeError", "'dict' object has no attribute 'iteritems'", "python2-method",
     "iteritems is Python 2: use items()"),
    ("TypeError", "'zip' object is not subscriptable", "python2-lazy",
     "zip(...) is lazy in Python 3: wrap it in list(...) to index it"),
    ("SyntaxError", "line 7: Missing parentheses in call to 'print'. Did you mean print(...)?", "python2-print",
     "print is a function in Python 3: write print(...)"),
    ("AttributeError", "`np.asfarray` was removed in the NumPy 2.0 release. Use `np.asarray` with a proper dtype",
     "numpy2-removed", "np.asfarray was removed from NumPy: use np.asarray(x, dtype=float)"),
    ("AttributeError", "module 'numpy' has no attribute 'float'.\\n`np.float` was a deprecated alias", "numpy2-removed",
     "np.float was removed from NumPy: use float (or np.float64)"),
    ("AttributeError", "module 'numpy' has no attribute 'product'", "numpy2-removed",
     "np.product was removed from NumPy: use np.prod"),
    ("TypeError", "'float' object cannot be interpreted as an integer", "float-size",
     "a size or an index is a float: / always gives a float in Python 3; use // (H = b.shape[0] // 4)"),
    ("TypeError", "slice indices must be integers or None or have an __index__ method", "float-size", None),
    ("IndexError", "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean "
                   "arrays are valid indices", "float-size", None),
    ("TypeError", "rnn_step_forward() takes 3 positional arguments but 5 were given", "signature",
     "rnn_step_forward's parameters differ from the assignment's (x, prev_h, Wx, Wh, b)"),
    ("ValueError", "shapes (3,5) and (6,6) not aligned: 5 (dim 1) != 6 (dim 0)", "swapped-weights",
     "a product met sizes D=5 and H=6: are Wx and Wh swapped (x·Wx, prev_h·Wh)?"),
    ("ValueError", "shapes (3,6) and (5,6) not aligned: 6 (dim 1) != 5 (dim 0)", "swapped-weights", None),
])
def test_an_error_with_a_known_cause_gets_its_fix(kind, message, rule, text):
    hint = for_error(kind, message, context())
    assert hint.id == rule
    assert text is None or hint.text == text


@pytest.mark.parametrize("kind, message", [
    ("NameError", "name 'prev_hidden' is not defined"),                  # a typo, not Python 2
    ("AttributeError", "module 'numpy' has no attribute 'tanhh'"),       # a typo, not a removal
    ("TypeError", "foo() takes 3 positional arguments but 5 were given"),  # not a catalogue function
    ("ValueError", "operands could not be broadcast together with shapes (3,6) (3,5)"),
    ("KeyError", "'Wx'"),
])
def test_an_error_without_a_known_cause_gets_no_hint(kind, message):
    assert for_error(kind, message, context()) is None


def test_swapped_weights_are_suspected_only_in_a_forward_and_only_when_d_differs_from_h():
    message = "shapes (3,5) and (6,6) not aligned: 5 (dim 1) != 6 (dim 0)"
    assert for_error("ValueError", message, context("rnn_step_backward", stage="backward")) is None
    square = dict(DIMS, D=6)
    assert for_error("ValueError", "shapes (3,6) and (6,6) not aligned", context(dims=square)) is None


SQUEEZED = "def rnn_forward(x, h0, Wx, Wh, b):\n    x = x.squeeze()\n    return x\n"


def test_a_shape_error_at_n_1_in_code_that_squeezes_blames_the_squeeze():
    hint = for_error("IndexError", "tuple index out of range", context("rnn_forward", ONE, SQUEEZED))
    assert hint.id == "batch-of-one" and hint.text.startswith("a squeeze() removed the batch axis")


def test_a_shape_error_at_n_1_without_a_squeeze_is_blamed_on_n_1_only_when_other_cases_passed():
    plain = "def rnn_forward(x, h0, Wx, Wh, b):\n    return x[0]\n"
    assert for_error("IndexError", "tuple index out of range", context("rnn_forward", ONE, plain)) is None
    hint = for_error("IndexError", "tuple index out of range", context("rnn_forward", ONE, plain, passed_before=True))
    assert hint.text.startswith("it fails only with a batch of one (N=1)")


def test_a_squeeze_with_an_axis_or_a_case_with_n_above_1_is_not_blamed():
    with_axis = SQUEEZED.replace("squeeze()", "squeeze(axis=1)")
    assert for_error("IndexError", "tuple index out of range", context("rnn_forward", ONE, with_axis)) is None
    assert for_error("IndexError", "tuple index out of range", context("rnn_forward", DIMS, SQUEEZED)) is None


def test_a_gradient_shaped_like_the_other_weight_suggests_swapped_weights():
    backward = context("rnn_step_backward", stage="backward")
    hint = for_error(WRONG_SHAPE, "dWx has shape (6, 6), expected (5, 6)", backward)
    assert hint.text == "dWx has the shape of Wh (6, 6), not of Wx (5, 6): are Wx and Wh swapped?"


def test_an_output_that_lost_an_axis_of_size_1_suggests_a_squeeze():
    hint = for_error(WRONG_SHAPE, "out has shape (3, 7), expected (1, 3, 7)", context("temporal_affine_forward", ONE))
    assert hint.id == "batch-of-one" and hint.text.startswith("out lost an axis of size 1")


def test_a_wrong_shape_without_a_known_cause_gets_no_hint():
    backward = context("rnn_step_backward", stage="backward")
    assert for_error(WRONG_SHAPE, "dWx has shape (6, 5), expected (5, 6)", backward) is None
    forward = context("temporal_affine_forward")
    assert for_error(WRONG_SHAPE, "out has shape (3, 4, 7, 1), expected (3, 4, 7)", forward) is None
    assert for_error(WRONG_SHAPE, "db has shape (), expected (6,)", backward) is None
