"""Known mistakes: every one is a real change to manual/, every one is named, and a correct result never is.

Most of it runs in-process (the recogniser on what the mistaken manual
returns); a few mistakes go through the CLI end to end as whole submissions.
"""
import concurrent.futures
import functools

import numpy as np
import pytest
from conftest import statuses, verdicts

from rnncheck import manual
from rnncheck.judge import mistakes
from rnncheck.judge import recognise as recogniser
from rnncheck.oracle.cases import case_rng, cases_for, make_inputs, make_upstream
from rnncheck import reference
from rnncheck.courses.cs231n import FUNCTIONS, layer_of
from rnncheck.judge.compare import TOLERANCE, relative_error
from rnncheck.judge.mistakes import MISTAKES
from rnncheck.judge.recognise import Trial, recognise

GATE_ORDERS = [m for m in MISTAKES if "_gate_order_" in m.id]
# Mistakes that change the forward and take the true gradient of the changed forward in the backward.
VARIANTS = [m for m in MISTAKES if "_gate_order_" in m.id or m.id in (
    "gru_reset_after_product", "gru_update_gate_swapped", "lstm_next_h_without_tanh", "rnn_forward_weights_swapped")]


def ids(items):
    return [m.id for m in items]


@functools.lru_cache(maxsize=None)
def reference_cases(function, seed):
    """(inputs, upstream, expected) of every case of ``function``, as verify draws them."""
    layer = layer_of(function)
    backward = function == layer.backward
    found = []
    for index, case in enumerate(cases_for(layer)):
        rng = case_rng(seed, layer, index)
        inputs = make_inputs(layer, case, rng)
        expected = getattr(reference, layer.forward)(*inputs)
        if layer.backward:
            *expected, cache = expected
        elif len(layer.outputs) == 1:
            expected = [expected]
        upstream = []
        if backward:
            upstream = make_upstream(expected, rng)
            expected = list(getattr(reference, layer.backward)(*upstream, cache))
        found.append((inputs, upstream, expected))
    return found


def trials(function, produce, seed):
    """A Trial per case of ``function``: what ``produce(layer, backward, inputs, upstream)`` returns."""
    layer = layer_of(function)
    backward = function == layer.backward
    found = []
    for inputs, upstream, expected in reference_cases(function, seed):
        try:
            got = produce(layer, backward, inputs, upstream)
        except Exception:  # the candidate raised on this case: nothing to compare
            got = [None] * len(expected)
        failed = not all(g is not None and g.shape == np.shape(e) and np.isfinite(g).all()
                         and relative_error(g, e) <= TOLERANCE["float64"] for g, e in zip(got, expected))
        found.append(Trial(inputs, upstream, got, expected, failed))
    return layer, backward, found


def produced_by(functions):
    """``produce`` for ``trials`` from a namespace of layer functions: forward outputs or backward gradients."""
    def produce(layer, backward, inputs, upstream):
        returned = functions[layer.forward](*[np.copy(a) for a in inputs])
        if backward:
            returned = functions[layer.backward](*[np.copy(a) for a in upstream], returned[-1])
        elif layer.backward:
            returned = returned[:-1]
        return [np.asarray(r, dtype=np.float64) for r in (returned if isinstance(returned, (tuple, list))
                                                          else (returned,))]
    return produce


manual_results = produced_by({name: getattr(manual, name) for name in FUNCTIONS})


def test_the_catalogue_holds_at_least_thirty_mistakes_besides_gate_orders():
    assert len(MISTAKES) - len(GATE_ORDERS) >= 30
    assert len(GATE_ORDERS) == 23 + 5  # every other order of i, f, o, g and of r, z, n
    assert len({m.id for m in MISTAKES}) == len(MISTAKES)


@pytest.mark.parametrize("mistake", MISTAKES, ids=ids(MISTAKES))
def test_a_mistake_is_an_edit_that_applies_once_and_says_what_to_do(mistake):
    text = recogniser.edited_source(mistake)  # raises EditError unless every old text occurs exactly once
    assert text != recogniser.manual_source(mistake.module)
    assert set(mistake.functions) <= set(FUNCTIONS)
    assert mistake.title and mistake.hint and "\n" not in mistake.title + mistake.hint


def test_an_edit_that_does_not_fit_is_refused():
    stale = mistakes.Mistake("stale", ("sigmoid",), "t", "h", "activations", (("no such text", "x"),))
    with pytest.raises(recogniser.EditError, match="occurs 0 times in manual/activations.py"):
        recogniser.edited_source(stale)


@pytest.fixture(scope="module")
def remembered_results():
    """recogniser.results, remembered across tests: every test below tries the same mistakes on the same cases."""
    compute, seen = recogniser.results, {}

    def results(mistake, layer, backward, inputs, upstream):
        key = (mistake.id, layer.name, backward, b"".join(np.asarray(a).tobytes() for a in inputs + upstream))
        if key not in seen:
            seen[key] = compute(mistake, layer, backward, inputs, upstream)
        return seen[key]
    recogniser.results = results
    yield compute
    recogniser.results = compute


@pytest.mark.parametrize("mistake", MISTAKES, ids=ids(MISTAKES))
def test_every_mistake_made_in_manual_is_named_in_every_function_it_changes(mistake, remembered_results):
    recognised = set()
    for function in sorted(mistake.functions, key=FUNCTIONS.index):  # steps before sequences, as checked
        layer, backward, found = trials(function, lambda *a: remembered_results(mistake, *a), seed=5)
        assert any(t.failed for t in found), f"{mistake.id} does not change {function}"
        named = recognise(function, layer, backward, found, recognised)
        assert named is mistake, f"{function}: {named and named.id}"
        recognised.add(named.id)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("function", FUNCTIONS)
def test_a_correct_result_never_matches_a_mistake_even_when_told_it_failed(function, seed):
    layer, backward, found = trials(function, manual_results, seed)
    for trial in found:
        trial.failed = True
    assert recognise(function, layer, backward, found) is None


def test_a_mistake_is_only_named_where_it_shows():
    """db averaged over N=1 is right: on that case alone nothing can be named."""
    mistake = next(m for m in MISTAKES if m.id == "rnn_step_db_mean")
    layer, backward, found = trials("rnn_step_backward", lambda *a: recogniser.results(mistake, *a), seed=0)
    only_n1 = [t for t, case in zip(found, cases_for(layer)) if case.label == "N=1"]
    assert not only_n1[0].failed
    assert recognise("rnn_step_backward", layer, backward, only_n1) is None


def test_a_result_that_matches_a_mistake_on_some_cases_only_is_not_named():
    """An averaged db on one case and the right db on another (N=2, where averaging shows) is no known mistake."""
    mistake = next(m for m in MISTAKES if m.id == "rnn_step_db_mean")
    layer, backward, wrong = trials("rnn_step_backward", lambda *a: recogniser.results(mistake, *a), seed=0)
    _, _, right = trials("rnn_step_backward", manual_results, seed=0)
    assert [c.label for c in cases_for(layer)][3] == "D=H" and wrong[3].failed
    assert recognise("rnn_step_backward", layer, backward, [wrong[0], right[3]]) is None


def directional_derivative_error(functions, layer, seed):
    """|<grad, v> - central difference| / (|grad| |v|), worst over the inputs, on the D=H case."""
    rng = np.random.default_rng(seed)
    inputs = make_inputs(layer, cases_for(layer)[3], rng)  # D=H: swapped weights still multiply
    *outputs, cache = functions[layer.forward](*inputs)
    upstream = make_upstream(outputs, rng)
    grads = functions[layer.backward](*upstream, cache)
    worst = 0.0
    for index, (name, grad) in enumerate(zip(layer.differentiable, grads)):
        v = rng.standard_normal(inputs[index].shape)
        values = []
        for sign in (1, -1):
            moved = list(inputs)
            moved[index] = inputs[index] + sign * 1e-6 * v
            values.append(sum(np.sum(u * o) for u, o in zip(upstream, functions[layer.forward](*moved)[:-1])))
        quotient = (values[0] - values[1]) / 2e-6
        worst = max(worst, abs(quotient - np.vdot(grad, v)) / (np.linalg.norm(grad) * np.linalg.norm(v)))
    return worst


@pytest.mark.parametrize("mistake", VARIANTS, ids=ids(VARIANTS))
def test_a_variant_layer_comes_with_the_true_gradient_of_its_own_forward(mistake):
    """A student who consistently uses another gate order (or PyTorch's GRU) is matched in the backward too."""
    functions = recogniser.namespace(mistake)
    for layer in {layer_of(f) for f in mistake.functions}:
        assert directional_derivative_error(functions, layer, seed=1) < 1e-6


END_TO_END = ["rnn_step_tanh_of_tanh", "lstm_gate_order_iofg", "gru_reset_after_product",
              "softmax_divided_by_mask_count", "rnn_forward_h0_every_step"]


def test_mistakes_made_in_whole_submissions_are_named_by_the_cli(tmp_path):
    chosen = [m for m in MISTAKES if m.id in END_TO_END]
    for mistake in chosen:
        (tmp_path / f"{mistake.id}.py").write_text(recogniser.as_submission(mistake), encoding="utf-8")
    changed = {f for m in chosen for f in m.functions}
    functions = sorted(changed | {layer_of(f).forward for f in changed})
    code, found = verdicts(str(tmp_path), "--seed", 4, "--allow-import", "rnncheck", "--functions", ",".join(functions))
    assert code == 1 and len(found) == len(chosen)
    for verdict in found:
        mistake = next(m for m in chosen if verdict["candidate"].endswith(f"{m.id}.py"))
        named = {f["name"]: f["mistake"]["id"] for f in verdict["functions"] if "mistake" in f}
        assert named == {f: mistake.id for f in mistake.functions}
        assert {n for n, s in statuses(verdict).items() if s != "pass"} == set(mistake.functions)
        first = next(f for f in verdict["functions"] if f["name"] == mistake.functions[0])
        assert first["message"].startswith(f"this matches a known mistake: {mistake.title}. Hint: {mistake.hint}")
        assert first["mistake"] == {"id": mistake.id, "title": mistake.title, "hint": mistake.hint}


def test_a_loss_returned_as_a_one_element_array_is_still_named():
    mistake = next(m for m in MISTAKES if m.id == "softmax_divided_by_mask_count")

    def produce(*args):
        loss, dx = recogniser.results(mistake, *args)
        return [loss.reshape(1), dx]
    layer, backward, found = trials("temporal_softmax_loss", produce, seed=0)
    assert recognise("temporal_softmax_loss", layer, backward, found) is mistake


def test_what_a_mistake_gives_on_a_case_is_computed_once_for_every_submission_that_fails_it(monkeypatch):
    mistake = next(m for m in MISTAKES if m.id == "lstm_step_di_dg_swapped")
    computed = []

    def counted(*args):
        computed.append(args[0].id)
        return compute(*args)
    compute = recogniser.results
    monkeypatch.setattr(recogniser, "results", counted)
    monkeypatch.setattr(recogniser, "_remembered", recogniser.OrderedDict())
    for submission in range(2):  # two submissions with the same bug, checked on the same cases
        layer, backward, found = trials("lstm_step_backward", lambda *a: compute(mistake, *a), seed=7)
        assert recognise("lstm_step_backward", layer, backward, found) is mistake
        if submission == 0:
            first = len(computed)
    assert first > 0 and len(computed) == first
    kept = next(v for k, v in recogniser._remembered.items() if k[0] is mistake)
    with pytest.raises(ValueError, match="read-only"):
        kept[0][...] = 0


def test_the_remembered_results_are_bounded(monkeypatch):
    monkeypatch.setattr(recogniser, "_remembered", recogniser.OrderedDict())
    monkeypatch.setattr(recogniser, "KEPT", 5)
    layer, backward, found = trials("rnn_step_backward", manual_results, seed=0)
    for trial in found:
        trial.failed = True
    assert recognise("rnn_step_backward", layer, backward, found) is None
    assert len(recogniser._remembered) == 5


def test_a_mistake_whose_code_raises_on_a_case_is_not_named_and_stays_so(monkeypatch):
    """The RNN forward with Wx and Wh swapped only runs where D = H: elsewhere it is no match."""
    mistake = next(m for m in MISTAKES if m.id == "rnn_forward_weights_swapped")
    layer, backward, found = trials("rnn_forward", manual_results, seed=1)
    for trial in found:
        trial.failed = True
    assert recogniser.remembered(mistake, layer, backward, found[0]) is None  # N=3 T=4 D=5 H=6
    assert recogniser.remembered(mistake, layer, backward, found[0]) is None
    assert recognise("rnn_forward", layer, backward, found) is None


def test_threads_recognising_at_once_name_what_one_thread_names(monkeypatch):
    wanted = ("lstm_step_di_dg_swapped", "gru_step_dz_sign", "rnn_step_db_mean", "softmax_without_mask")
    chosen = [m for m in MISTAKES if m.id in wanted]
    work = [(m, m.functions[0]) for m in chosen] * 3
    made = [trials(function, lambda *a, m=m: recogniser.results(m, *a), seed=11) for m, function in work]
    monkeypatch.setattr(recogniser, "_remembered", recogniser.OrderedDict())
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        named = list(pool.map(lambda item: recognise(item[0][1], *item[1]), zip(work, made)))
    assert named == [m for m, _ in work]
