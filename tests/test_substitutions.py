"""Structural substitutions: the declared derivations are right, each change is named when made, never on a correct result."""
import numpy as np
import pytest
from test_mistakes import manual_results, reference_cases, trials

from rnncheck.courses.cs231n import layer_of
from rnncheck.judge import substitutions
from rnncheck.judge.compare import relative_error
from rnncheck.judge.mistakes import DERIVATIONS, MISTAKES
from rnncheck.judge.recognise import _agree, _differs, recognise

FUNCTIONS = [f for d in DERIVATIONS for f in d.functions]
STEPS = [d.functions[0] for d in DERIVATIONS]


def made(substitution, function):
    """``produce`` for ``trials``: the substitution's own results, as a candidate that made it would give."""
    return lambda layer, backward, inputs, upstream: substitutions.results(substitution, function, inputs, upstream)


@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize("function", FUNCTIONS)
def test_a_derivation_as_declared_gives_the_reference_gradients(function, seed):
    derivation = next(d for d in DERIVATIONS if function in d.functions)
    for inputs, upstream, expected in reference_cases(function, seed):
        got = substitutions.run(derivation, substitutions.unchanged(derivation), function, inputs, upstream)
        assert [g.shape for g in got] == [np.shape(e) for e in expected]
        assert max(relative_error(g, e) for g, e in zip(got, expected)) < 1e-12


def test_every_kind_of_substitution_is_made_with_its_own_id_and_a_one_line_title_and_hint():
    made_here = [s for f in STEPS for s in substitutions.substitutions_of(f)]
    assert len(made_here) > 100
    assert len({s.id for s in made_here}) == len(made_here)
    assert not {s.id for s in made_here} & {m.id for m in MISTAKES}
    for kind in ("computed with", "taken at", "misses the term", "misses the factor"):
        assert any(kind in s.title for s in made_here), kind
    assert all(s.title and s.hint and "\n" not in s.title + s.hint for s in made_here)
    dx = next(s for s in made_here if s.id == "rnn_step_dx_Wh_for_Wx")
    assert dx.title == "dx computed with Wh where Wx belongs"
    assert dx.hint == "a = x Wx + prev_h Wh + b, so dx = da @ Wx.T"
    assert dx.functions == ("rnn_step_backward", "rnn_backward")


@pytest.mark.parametrize("function", STEPS)
def test_every_visible_substitution_of_a_step_is_named_as_itself_or_as_one_with_the_same_results(function):
    named_as_itself = 0
    for substitution in substitutions.substitutions_of(function):
        layer, backward, found = trials(function, made(substitution, function), seed=2)
        if not any(t.failed and all(g is not None for g in t.got) for t in found):
            continue  # raises on every case, or never differs from the reference: nothing to name
        named = recognise(function, layer, backward, found)
        assert named is not None, substitution.id
        named_as_itself += named is substitution
    assert named_as_itself >= 0.5 * len(substitutions.substitutions_of(function))


@pytest.mark.parametrize("identifier", ["rnn_step_dx_Wh_for_Wx", "lstm_step_dc_tanh_c_at_next_c",
                                        "gru_step_dprev_h_without_da_z_Wh_z_T"])
def test_a_substitution_is_named_in_the_sequence_too(identifier):
    substitution = next(s for f in STEPS for s in substitutions.substitutions_of(f) if s.id == identifier)
    sequence = substitution.functions[1]
    layer, backward, found = trials(sequence, made(substitution, sequence), seed=4)
    assert any(t.failed for t in found)
    named = recognise(sequence, layer, backward, [t for t in found if all(g is not None for g in t.got)])
    assert named is substitution


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("function", FUNCTIONS)
def test_a_correct_result_never_matches_a_substitution_even_when_told_it_failed(function, seed):
    layer, backward, found = trials(function, manual_results, seed)
    for trial in found:
        trial.failed = True
    assert substitutions.recognise(function, found, _agree, _differs) is None


def test_a_substitution_is_only_named_where_it_shows():
    """dWh through x instead of prev_h only fits where D = H; the other cases give another shape."""
    substitution = next(s for s in substitutions.substitutions_of("rnn_step_backward")
                        if s.id == "rnn_step_dWh_x_for_prev_h")
    layer, backward, found = trials("rnn_step_backward", manual_results, seed=1)
    assert substitutions.recognise("rnn_step_backward", found, _agree, _differs) is None  # nothing failed
    mixed = trials("rnn_step_backward", made(substitution, "rnn_step_backward"), seed=1)[2]
    mixed[0] = found[0]  # one case right: the substitution no longer explains every case
    mixed[0].failed = False
    assert substitutions.recognise("rnn_step_backward", mixed, _agree, _differs) is None


def test_a_function_without_a_derivation_has_no_substitutions():
    assert substitutions.substitutions_of("temporal_affine_backward") == ()
    assert substitutions.substitutions_of("rnn_step_forward") == ()
    assert layer_of("rnn_backward").backward == "rnn_backward"
