"""Known mistakes: small, named changes to ``manual/``'s layers that students really make.

Each ``Mistake`` is a list of exact text edits to one ``manual/`` module
(every ``old`` occurs exactly once in it; a test enforces it).  The edited
module is executed in a fresh namespace of the parent: it is our own,
trusted code, never the candidate's.  Reading ``manual``'s source text here
is the one place rnncheck touches ``manual`` (DESIGN.md: the verifier never
imports it); the modules a mistaken module imports are executed from their
unedited text the same way.

When a candidate function fails, ``recognise`` runs that function's
mistakes on the same case inputs (and upstream gradients) and names the one
whose results the candidate reproduces on every case it returned arrays
for.  A mistake only counts where it is visible (its results differ from the
reference), so a correct function can never be told it made one.
"""
import builtins
import functools
import itertools
import os
import threading
import types
import warnings
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from . import redefine
from .compare import matches, relative_error

MANUAL = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "manual")
VISIBLE = 1e-3  # a mistake's results differ from the reference by more than this where it shows


@dataclass(frozen=True)
class Mistake:
    """One known mistake.

    - id: stable identifier (JSON ``mistake.id``), ``<layer>_<what>``.
    - functions: catalogue functions whose results it changes (the one it is
      made in first; sequence functions that share the step's code follow).
    - title: what the student did, one phrase.
    - hint: what to change, one sentence a student can act on.
    - module: the ``manual/`` module it edits (``"lstm"`` is manual/lstm.py).
    - edits: ``((old, new), ...)`` exact text replacements.
    """
    id: str
    functions: tuple
    title: str
    hint: str
    module: str
    edits: tuple

    def as_json(self):
        return {"id": self.id, "title": self.title, "hint": self.hint}


class EditError(Exception):
    """A mistake's ``old`` text does not occur exactly once in its module."""


# ---------------------------------------------------------------- building mistaken modules

@functools.lru_cache(maxsize=None)
def manual_source(module):
    """The text of manual/<module>.py."""
    with open(os.path.join(MANUAL, f"{module}.py"), encoding="utf-8") as handle:
        return handle.read()


def edited_source(mistake):
    """manual/<module>.py with the mistake's edits applied; EditError if one does not fit."""
    text = manual_source(mistake.module)
    for old, new in mistake.edits:
        count = text.count(old)
        if count != 1:
            raise EditError(f"{mistake.id}: {old!r} occurs {count} times in manual/{mistake.module}.py")
        text = text.replace(old, new)
    return text


@functools.lru_cache(maxsize=None)
def _clean_module(module):
    return _execute(module, manual_source(module), "")


@functools.lru_cache(maxsize=None)
def namespace(mistake):
    """The functions of manual/<module>.py with the mistake made (cached per mistake).

    Only the definitions the mistake edits are compiled anew where ``redefine`` can
    vouch for the result; otherwise the whole edited module is executed.
    """
    text, what = edited_source(mistake), f" with mistake {mistake.id}"
    scope = redefine.edited_namespace(vars(_clean_module(mistake.module)), manual_source(mistake.module),
                                      mistake.edits, text, f"<manual/{mistake.module}.py{what}>")
    return vars(_execute(mistake.module, text, what)) if scope is None else scope


def as_submission(mistake):
    """A whole submission that makes ``mistake``: manual, with the mistaken module's definitions after it.

    Checking it needs ``--allow-import manual``; for demonstrations and end-to-end tests.
    """
    text = edited_source(mistake).replace("from .", "from manual.")
    return f"from manual import *  # noqa\n\n{text}"


def _relative_import(name, globals=None, locals=None, fromlist=(), level=0):
    """``from .temporal import x`` inside an executed manual module: its unedited sibling."""
    if level == 1 and name:
        return _clean_module(name)
    return builtins.__import__(name, globals, locals, fromlist, level)


def _execute(module, text, what):
    scope = types.ModuleType(f"manual_text.{module}")
    scope.__builtins__ = dict(vars(builtins), __import__=_relative_import)
    exec(compile(text, f"<manual/{module}.py{what}>", "exec"), vars(scope))
    return scope


# ---------------------------------------------------------------- the catalogue

def _m(id, functions, title, hint, module, *edits):
    return Mistake(id, tuple(functions.split()), title, hint, module, tuple(edits))


def _picks(order, gates):
    """Where a candidate's ``order`` keeps each of the assignment's ``gates``, as text: "1, 0, 2, 3"."""
    return ", ".join(str(order.index(gate)) for gate in gates)


def _blocks(order, gates):
    """Column indices that read the assignment's gate blocks from a candidate's ``order``."""
    return f"np.concatenate([np.arange(k * H, (k + 1) * H) for k in ({_picks(order, gates)},)])"


def _gate_orders():
    """One mistake per wrong order of the LSTM's and the GRU's gate blocks."""
    found = []
    for order in map("".join, itertools.permutations("ifog")):
        if order == "ifog":
            continue
        found.append(_m(
            f"lstm_gate_order_{order}", "lstm_step_forward lstm_step_backward lstm_forward lstm_backward",
            f"LSTM gate blocks taken in order {', '.join(order)}; the assignment's order is i, f, o, g",
            "slice a = x Wx + prev_h Wh + b as i = a[:, :H], f = a[:, H:2H], o = a[:, 2H:3H], g = a[:, 3H:] "
            "and concatenate the backward's gate gradients in that same order",
            "lstm",
            ("    a += gate_blocks(prev_h @ Wh, 4)\n",
             f"    a += gate_blocks(prev_h @ Wh, 4)\n    a[...] = a[[{_picks(order, 'ifog')}]]\n"),
            ("    dprev_h = da @ Wh.T\n",
             f"    gate_blocks(da, 4)[...] = gate_blocks(da, 4)[[{_picks('ifog', order)}]]\n"
             "    dprev_h = da @ Wh.T\n")))
    for order in map("".join, itertools.permutations("rzn")):
        if order == "rzn":
            continue
        take = _blocks(order, "rzn")
        found.append(_m(
            f"gru_gate_order_{order}", "gru_step_forward gru_step_backward gru_forward gru_backward",
            f"GRU gate blocks taken in order {', '.join(order)}; the assignment's order is r, z, n",
            "the 3H axis of Wx, Wh and b holds r = [:, :H], z = [:, H:2H], n = [:, 2H:]; use that order in the "
            "forward and in the backward's gradients",
            "gru",
            ("    a[:2] += gate_blocks(prev_h @ Wh[:, :2 * H], 2)\n",
             f"    a[...], Wh = a[[{_picks(order, 'rzn')}]], Wh[:, {take}]\n"
             "    a[:2] += gate_blocks(prev_h @ Wh[:, :2 * H], 2)\n"),
            ("    prev_h, r, z, n, reset_h = step\n    H = prev_h.shape[1]\n",
             f"    prev_h, r, z, n, reset_h = step\n    H = prev_h.shape[1]\n    Wh = Wh[:, {take}]\n"),
            ("    return dprev_h\n\n\ndef _weight",
             f"    da[...] = da[:, np.argsort({take})]\n    return dprev_h\n\n\ndef _weight"),
            ("    return np.concatenate([prev_h.T @ da[:, :2 * H], reset_h.T @ da[:, 2 * H:]], axis=1)\n",
             f"    da = da[:, {take}]\n"
             "    return np.concatenate([prev_h.T @ da[:, :2 * H], reset_h.T @ da[:, 2 * H:]], axis=1)"
             f"[:, np.argsort({take})]\n")))
    return found


# The sequence loops of rnn.py, lstm.py and gru.py, as each module writes them, and how each
# module would compute a weight gradient from step 0 alone (all three run time-major, da (T, N, H),
# (T, N, 4H) or (T, N, 3H)).
_STEP0_TIME_MAJOR = dict(
    dWx="    _, dWx, _ = temporal_affine_backward(da[:1], projection._replace(x=projection.x[:1]))\n",
    db="    db = da[0].sum(axis=0)\n")
_LOOPS = {
    "rnn": dict(call="_step_backward(dh[:, t] + dprev_h, steps[t], Wh, da[t])",
                weights="    dWh = h_prev.T @ da.reshape(T * N, H)\n",
                step0=dict(_STEP0_TIME_MAJOR, dWh="    dWh = steps[0].prev_h.T @ da[0]\n")),
    "lstm": dict(call="_step_backward(dh[:, t] + dprev_h, dprev_c, steps[t], Wh, da[t])",
                 weights="    dWh = h_prev.T @ da.reshape(T * N, 4 * H)\n",
                 step0=dict(_STEP0_TIME_MAJOR, dWh="    dWh = steps[0].prev_h.T @ da[0]\n")),
    "gru": dict(call="_step_backward(dh[:, t] + dprev_h, steps[t], Wh, da[t])",
                weights="    dWh = _weight_gradient_h(h_prev, reset_h, da.reshape(T * N, 3 * H))\n",
                step0=dict(_STEP0_TIME_MAJOR,
                           dWh="    dWh = _weight_gradient_h(steps[0].prev_h, steps[0].reset_h, da[0])\n")),
}


def _sequence_mistakes(layer):
    """The mistakes of a recurrent sequence backward, the same for RNN, LSTM and GRU."""
    loop, backward = _LOOPS[layer], f"{layer}_backward"
    call = loop["call"]
    found = [
        _m(f"{layer}_backward_no_dprev_h", backward,
           "the gradient from the next time step is not carried back: step t gets only dh[:, t]",
           "h[:, t] also feeds step t + 1: give step t the sum dh[:, t] + dprev_h, where dprev_h comes back "
           "from step t + 1", layer,
           (call, call.replace("dh[:, t] + dprev_h", "dh[:, t]"))),
        _m(f"{layer}_backward_upstream_last_step_only", backward,
           "the upstream gradient dh is used at the last time step only",
           "every hidden state h[:, t] feeds the loss: add dh[:, t] at every step t, not only at t = T - 1",
           layer, (call, call.replace("dh[:, t] + dprev_h", "(dh[:, t] if t == T - 1 else 0) + dprev_h"))),
        _m(f"{layer}_backward_forward_in_time", backward,
           "the backward walks forward in time (t = 0, 1, ...) instead of from T - 1 down to 0",
           "loop over reversed(range(T)): step t needs the gradient coming back from step t + 1 first",
           layer, ("    for t in reversed(range(T)):\n", "    for t in range(T):\n")),
    ]
    step0 = loop["step0"]
    for grads in (("dWx",), ("dWh",), ("db",), ("dWx", "dWh", "db")):
        listed = ", ".join(grads)
        suffix = "weights" if len(grads) == 3 else grads[0]
        found.append(_m(
            f"{layer}_backward_{suffix}_overwritten", backward,
            f"{listed} {'is' if len(grads) == 1 else 'are'} overwritten at every step instead of accumulated "
            "(only step 0 remains)",
            f"the weights are shared by all steps: initialise {listed} to zeros before the loop and add each "
            f"step's gradient ({grads[0]} += ...)", layer,
            (loop["weights"], loop["weights"] + "".join(step0[g] for g in grads))))
    return found


def _catalogue():
    rnn_both = "rnn_step_backward rnn_backward"
    lstm_both = "lstm_step_backward lstm_backward"
    gru_both = "gru_step_backward gru_backward"
    return [
        # ---- sigmoid
        _m("sigmoid_negative_branch", "sigmoid",
           "the x < 0 branch of the stable sigmoid returns 1 / (1 + exp(x))",
           "for x < 0 return exp(x) / (1 + exp(x)); 1 / (1 + exp(x)) is sigmoid(-x)", "activations",
           ("np.where(x >= 0, 1 / (1 + z), z / (1 + z))", "np.where(x >= 0, 1 / (1 + z), 1 / (1 + z))")),
        _m("sigmoid_of_minus_x", "sigmoid", "computes sigmoid(-x) = 1 / (1 + exp(x))",
           "sigmoid(x) = 1 / (1 + exp(-x)): the exponent has a minus sign", "activations",
           ("np.where(x >= 0, 1 / (1 + z), z / (1 + z))", "np.where(x >= 0, z / (1 + z), 1 / (1 + z))")),
        # ---- RNN
        _m("rnn_step_no_tanh_derivative", rnn_both, "forgot the derivative of tanh",
           "next_h = tanh(a): multiply dnext_h by (1 - next_h ** 2) before the products with Wx, Wh and x",
           "rnn", ("    np.multiply(dnext_h, 1 - step.next_h ** 2, out=da)\n", "    da[...] = dnext_h\n")),
        _m("rnn_step_tanh_of_tanh", rnn_both,
           "took the tanh derivative at the already-tanh'd value: 1 - tanh(next_h) ** 2",
           "next_h is already tanh(a), so tanh'(a) = 1 - next_h ** 2; do not apply tanh again", "rnn",
           ("    np.multiply(dnext_h, 1 - step.next_h ** 2, out=da)\n",
            "    np.multiply(dnext_h, 1 - np.tanh(step.next_h) ** 2, out=da)\n")),
        _m("rnn_step_db_mean", rnn_both, "averaged db over the batch instead of summing it",
           "db = da.sum(axis=0): every example adds its gradient to the shared bias; do not divide by N", "rnn",
           ("    db = da.sum(axis=0)\n", "    db = da.mean(axis=0)\n"),
           ("    return dx.transpose(1, 0, 2).copy(), dprev_h, dWx, dWh, db\n",
            "    return dx.transpose(1, 0, 2).copy(), dprev_h, dWx, dWh, db / N\n")),
        _m("rnn_step_dWh_from_next_h", rnn_both, "dWh computed from next_h instead of prev_h",
           "a = x Wx + prev_h Wh + b, so dWh = prev_h.T @ da: use the hidden state that was multiplied by Wh",
           "rnn", ("    dWh = step.prev_h.T @ da\n", "    dWh = step.next_h.T @ da\n"),
           ("    h_prev = h[:T].reshape(T * N, H)\n", "    h_prev = h[1:].reshape(T * N, H)\n")),
        _m("rnn_step_cache_weights_swapped", "rnn_step_backward",
           "Wx and Wh swapped between the cache and the backward",
           "unpack the cache in the order the forward packed it: dx = da @ Wx.T and dprev_h = da @ Wh.T", "rnn",
           ("    x, Wx, Wh, step = cache\n", "    x, Wh, Wx, step = cache\n")),
        # Only D = H lets the swapped forward run, so its backward is skipped ("its forward failed") elsewhere;
        # the backward edits keep the mistaken module a coherent layer (the true gradient of its forward).
        _m("rnn_forward_weights_swapped", "rnn_step_forward rnn_forward",
           "Wx and Wh swapped in the forward: x Wh + prev_h Wx",
           "a = x Wx + prev_h Wh + b: Wx (D, H) multiplies the input, Wh (H, H) the previous hidden state", "rnn",
           ("    step = _step(x @ Wx + b, prev_h, Wh, next_h)\n    return next_h, RNNStepCache(x, Wx, Wh, step)",
            "    step = _step(x @ Wh + b, prev_h, Wx, next_h)\n    return next_h, RNNStepCache(x, Wh, Wx, step)"),
           ("(x.transpose(1, 0, 2)), Wx, b)\n", "(x.transpose(1, 0, 2)), Wh, b)\n"),
           ("        steps.append(_step(a[t], h[t], Wh, h[t + 1]))\n"
            "    return h[1:].transpose(1, 0, 2).copy(), RNNCache(projection, Wh, h, steps)",
            "        steps.append(_step(a[t], h[t], Wx, h[t + 1]))\n"
            "    return h[1:].transpose(1, 0, 2).copy(), RNNCache(projection, Wx, h, steps)"),
           ("    db = da.sum(axis=0)\n    return dx, dprev_h, dWx, dWh, db",
            "    db = da.sum(axis=0)\n    return dx, dprev_h, dWh, dWx, db"),
           ("    return dx.transpose(1, 0, 2).copy(), dprev_h, dWx, dWh, db",
            "    return dx.transpose(1, 0, 2).copy(), dprev_h, dWh, dWx, db")),
        _m("rnn_forward_h0_every_step", "rnn_forward rnn_backward", "used h0 at every time step",
           "step t starts from the hidden state of step t - 1 (h0 only for t = 0): prev_h = next_h after each step",
           "rnn", ("_step(a[t], h[t], Wh, h[t + 1])", "_step(a[t], h0, Wh, h[t + 1])")),
        _m("rnn_forward_squeeze", "rnn_forward", "h.squeeze() also removes the batch axis when N = 1",
           "return h with shape (N, T, H); do not squeeze() (or squeeze only the axis you mean: axis=1)", "rnn",
           ("    return h[1:].transpose(1, 0, 2).copy(), RNNCache",
            "    return h[1:].transpose(1, 0, 2).copy().squeeze(), RNNCache")),
        *_sequence_mistakes("rnn"),
        # ---- word embedding
        _m("word_embedding_fancy_index_add", "word_embedding_backward",
           "dW[x] += dout drops the gradients of repeated words",
           "a word that occurs several times must collect every gradient: np.add.at(dW, x, dout)", "embedding",
           ("    np.add.at(dW, x, dout)\n", "    dW[x] += dout\n")),
        # ---- LSTM
        _m("lstm_step_no_dnext_c", lstm_both, "forgot the upstream dnext_c in the cell gradient",
           "next_c reaches the loss directly too: dc = dnext_c + dnext_h * o * (1 - tanh(next_c) ** 2)", "lstm",
           ("    dnext_c = dnext_c + dnext_h * o * (1 - tanh_next_c ** 2)\n",
            "    dnext_c = dnext_h * o * (1 - tanh_next_c ** 2)\n")),
        _m("lstm_step_no_cell_path_from_h", lstm_both,
           "forgot the path from next_h into the cell through tanh(next_c)",
           "next_h = o * tanh(next_c) depends on next_c: add dnext_h * o * (1 - tanh(next_c) ** 2) to dnext_c",
           "lstm", ("    dnext_c = dnext_c + dnext_h * o * (1 - tanh_next_c ** 2)\n", "")),
        _m("lstm_step_no_tanh_derivative_on_cell", lstm_both,
           "forgot the tanh derivative on the path from next_h to next_c",
           "next_h = o * tanh(next_c): the cell gets dnext_h * o * (1 - tanh(next_c) ** 2), not dnext_h * o",
           "lstm", ("dnext_c + dnext_h * o * (1 - tanh_next_c ** 2)", "dnext_c + dnext_h * o")),
        _m("lstm_step_tanh_of_tanh_cell", lstm_both,
           "took the tanh derivative at the already-tanh'd cell: 1 - tanh(tanh(next_c)) ** 2",
           "with t = tanh(next_c) cached, the derivative is 1 - t ** 2; do not apply tanh to it again", "lstm",
           ("dnext_c + dnext_h * o * (1 - tanh_next_c ** 2)",
            "dnext_c + dnext_h * o * (1 - np.tanh(tanh_next_c) ** 2)")),
        _m("lstm_step_tanh_of_prev_c", lstm_both, "took the tanh derivative at prev_c instead of next_c",
           "next_h = o * tanh(next_c): the derivative is 1 - tanh(next_c) ** 2, at the new cell state", "lstm",
           ("dnext_c + dnext_h * o * (1 - tanh_next_c ** 2)", "dnext_c + dnext_h * o * (1 - np.tanh(prev_c) ** 2)")),
        _m("lstm_step_dprev_c_without_forget_gate", lstm_both, "dprev_c without the forget gate",
           "next_c = f * prev_c + i * g, so dprev_c = dnext_c * f", "lstm",
           ("    dprev_c = dnext_c * f\n", "    dprev_c = dnext_c\n")),
        _m("lstm_step_do_without_tanh", lstm_both, "do = dnext_h * next_c, without the tanh",
           "next_h = o * tanh(next_c), so do = dnext_h * tanh(next_c)", "lstm",
           ("    do = dnext_h * tanh_next_c\n", "    do = dnext_h * (f * prev_c + i * g)\n")),
        _m("lstm_step_tanh_derivative_for_sigmoid_gates", lstm_both,
           "used the tanh derivative 1 - s ** 2 for the sigmoid gates i, f, o",
           "for s = sigmoid(a) the derivative is s * (1 - s); 1 - s ** 2 is only for tanh (the g gate)", "lstm",
           ("    np.multiply(di * i, 1 - i, out=da_i)\n", "    np.multiply(di, 1 - i ** 2, out=da_i)\n"),
           ("    np.multiply(df * f, 1 - f, out=da_f)\n", "    np.multiply(df, 1 - f ** 2, out=da_f)\n"),
           ("    np.multiply(do * o, 1 - o, out=da_o)\n", "    np.multiply(do, 1 - o ** 2, out=da_o)\n")),
        _m("lstm_step_sigmoid_derivative_for_g", lstm_both,
           "used the sigmoid derivative g * (1 - g) for the tanh gate g",
           "g = tanh(a_g), so da_g = dg * (1 - g ** 2)", "lstm",
           ("    np.multiply(dg, 1 - g ** 2, out=da_g)\n", "    np.multiply(dg * g, 1 - g, out=da_g)\n")),
        _m("lstm_step_di_dg_swapped", lstm_both, "di and dg use their own gate instead of the other one",
           "next_c = f * prev_c + i * g: di = dnext_c * g and dg = dnext_c * i", "lstm",
           ("\n    di = dnext_c * g\n", "\n    di = dnext_c * i\n"),
           ("\n    dg = dnext_c * i\n", "\n    dg = dnext_c * g\n")),
        _m("lstm_step_db_mean", lstm_both, "averaged db over the batch instead of summing it",
           "db = da.sum(axis=0): every example adds its gradient to the shared bias; do not divide by N", "lstm",
           ("    db = da.sum(axis=0)\n", "    db = da.mean(axis=0)\n"),
           ("    return dx.transpose(1, 0, 2).copy(), dprev_h, dWx, dWh, db\n",
            "    return dx.transpose(1, 0, 2).copy(), dprev_h, dWx, dWh, db / N\n")),
        _m("lstm_step_cache_weights_swapped", "lstm_step_backward",
           "Wx and Wh swapped between the cache and the backward",
           "unpack the cache in the order the forward packed it: dx = da @ Wx.T and dprev_h = da @ Wh.T", "lstm",
           ("    x, Wx, Wh, step = cache\n", "    x, Wh, Wx, step = cache\n")),
        _m("lstm_next_h_without_tanh", "lstm_step_forward lstm_step_backward lstm_forward lstm_backward",
           "next_h = o * next_c, without the tanh",
           "next_h = o * tanh(next_c); the backward then needs the tanh derivative on the cell path", "lstm",
           ("    np.multiply(o, tanh_next_c, out=next_h)\n", "    np.multiply(o, next_c, out=next_h)\n"),
           ("    do = dnext_h * tanh_next_c\n", "    do = dnext_h * (f * prev_c + i * g)\n"),
           ("dnext_c + dnext_h * o * (1 - tanh_next_c ** 2)", "dnext_c + dnext_h * o")),
        _m("lstm_backward_cell_gradient_reset", "lstm_backward", "reset the cell gradient at every step",
           "carry dprev_c from step t + 1 into step t as its dnext_c (start from zeros only after the last step)",
           "lstm", ("_step_backward(dh[:, t] + dprev_h, dprev_c, steps[t], Wh, da[t])",
                    "_step_backward(dh[:, t] + dprev_h, np.zeros_like(dprev_c), steps[t], Wh, da[t])")),
        _m("lstm_forward_cell_starts_at_h0", "lstm_forward lstm_backward",
           "the cell state starts at h0 instead of zero",
           "the initial cell state is zero: prev_c = np.zeros_like(h0); h0 is only the initial hidden state",
           "lstm", ("    h[0], c[0] = h0, 0\n", "    h[0], c[0] = h0, h0\n")),
        _m("lstm_forward_h0_every_step", "lstm_forward lstm_backward", "used h0 at every time step",
           "step t starts from the hidden state of step t - 1 (h0 only for t = 0): prev_h = next_h after each step",
           "lstm", ("_step(a[:, t], h[t], c[t], Wh", "_step(a[:, t], h0, c[t], Wh")),
        _m("lstm_forward_returns_cell_states", "lstm_forward", "returned the cell states instead of the hidden states",
           "h[:, t] is next_h = o * tanh(next_c); the cell state c is internal", "lstm",
           ("    return h[1:].transpose(1, 0, 2).copy(), LSTMCache",
            "    return c[1:].transpose(1, 0, 2).copy(), LSTMCache")),
        *_sequence_mistakes("lstm"),
        # ---- GRU
        _m("gru_step_dz_sign", gru_both, "dz = dnext_h * (n - prev_h): the sign of the update gate gradient",
           "next_h = (1 - z) * n + z * prev_h, so dz = dnext_h * (prev_h - n)", "gru",
           ("    dz = dnext_h * (prev_h - n)\n", "    dz = dnext_h * (n - prev_h)\n")),
        _m("gru_step_no_tanh_derivative", gru_both, "forgot the tanh derivative of the candidate n",
           "n = tanh(a_n): da_n = dn * (1 - n ** 2)", "gru",
           ("    np.multiply(dn, 1 - n ** 2, out=da_n)\n", "    da_n[...] = dn\n")),
        _m("gru_step_dprev_h_without_gate_paths", gru_both,
           "dprev_h misses the paths through the gates r and z",
           "prev_h also enters a_r and a_z: add [da_r | da_z] @ Wh[:, :2H].T to dprev_h", "gru",
           ("    dprev_h += da[:, :2 * H] @ Wh[:, :2 * H].T\n", "")),
        _m("gru_step_dprev_h_without_reset_path", gru_both,
           "dprev_h misses the path through r * prev_h",
           "reset_h = r * prev_h feeds the candidate: add dreset_h * r to dprev_h", "gru",
           ("    dprev_h += dreset_h * r\n", "")),
        _m("gru_step_dWh_n_from_prev_h", gru_both, "dWh_n computed from prev_h instead of r * prev_h",
           "Wh_n multiplies reset_h = r * prev_h, so dWh_n = (r * prev_h).T @ da_n", "gru",
           ("reset_h.T @ da[:, 2 * H:]", "prev_h.T @ da[:, 2 * H:]")),
        _m("gru_update_gate_swapped", "gru_step_forward gru_step_backward gru_forward gru_backward",
           "next_h = z * n + (1 - z) * prev_h: the update gate weighs the other side",
           "the assignment's GRU keeps the old state with z: next_h = (1 - z) * n + z * prev_h", "gru",
           ("    np.add((1 - z) * n, z * prev_h, out=next_h)\n", "    np.add(z * n, (1 - z) * prev_h, out=next_h)\n"),
           ("    dn = dnext_h * (1 - z)\n    dz = dnext_h * (prev_h - n)\n    dprev_h = dnext_h * z\n",
            "    dn = dnext_h * z\n    dz = dnext_h * (n - prev_h)\n    dprev_h = dnext_h * (1 - z)\n")),
        _m("gru_reset_after_product", "gru_step_forward gru_step_backward gru_forward gru_backward",
           "the reset gate applied after the product, r * (prev_h Wh_n) (the cuDNN/PyTorch variant)",
           "this assignment's GRU resets before the product: n = tanh(x Wx_n + (r * prev_h) Wh_n + b_n)", "gru",
           ("    np.multiply(r, prev_h, out=reset_h)\n    n += reset_h @ Wh[:, 2 * H:]\n",
            "    reset_h[...] = r  # r * (prev_h Wh_n): dWh_n needs r itself\n"
            "    n += r * (prev_h @ Wh[:, 2 * H:])\n"),
           ("    dreset_h = da_n @ Wh[:, 2 * H:].T\n    # reverse of: reset_h = r * prev_h\n"
            "    dr = dreset_h * prev_h\n    dprev_h += dreset_h * r\n",
            "    dr = da_n * (prev_h @ Wh[:, 2 * H:])\n    dprev_h += (da_n * r) @ Wh[:, 2 * H:].T\n"),
           ("reset_h.T @ da[:, 2 * H:]", "prev_h.T @ (reset_h * da[:, 2 * H:])")),
        _m("gru_forward_h0_every_step", "gru_forward gru_backward", "used h0 at every time step",
           "step t starts from the hidden state of step t - 1 (h0 only for t = 0): prev_h = next_h after each step",
           "gru", ("_step(a[:, t], h[t], Wh, h[t + 1]", "_step(a[:, t], h0, Wh, h[t + 1]")),
        *_sequence_mistakes("gru"),
        *_gate_orders(),
        # ---- temporal affine
        _m("temporal_affine_forward_no_bias", "temporal_affine_forward", "forgot the bias b in the forward",
           "out[n, t] = x[n, t] w + b: add b after the product", "temporal",
           ("    out += b\n", "")),
        _m("temporal_affine_db_over_batch_only", "temporal_affine_backward",
           "db summed over the batch axis only, shape (T, M)",
           "b is shared by every example and every time step: db = dout.sum(axis=(0, 1)), shape (M,)", "temporal",
           ("    db = dout_flat.sum(axis=0)\n", "    db = dout.sum(axis=0)\n")),
        _m("temporal_affine_dw_transposed", "temporal_affine_backward", "dw computed as dout^T x, transposed",
           "out = x w + b with w (D, M): dw = x_flat.T @ dout_flat, shape (D, M)", "temporal",
           ("    dw = x.reshape(N * T, D).T @ dout_flat\n", "    dw = dout_flat.T @ x.reshape(N * T, D)\n")),
        _m("temporal_affine_db_mean", "temporal_affine_backward", "averaged db over the N * T rows",
           "db sums dout over every example and time step: dout.sum(axis=(0, 1))", "temporal",
           ("    db = dout_flat.sum(axis=0)\n", "    db = dout_flat.mean(axis=0)\n")),
        # ---- temporal softmax loss
        _m("softmax_without_max_shift", "temporal_softmax_loss",
           "exponentiated the scores without subtracting their maximum (overflows on large scores)",
           "subtract each row's max before np.exp: softmax is unchanged and exp cannot overflow", "temporal",
           ("    shifted = x_flat - x_flat.max(axis=1, keepdims=True)\n"
            "    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))\n",
            "    probs = np.exp(x_flat)\n    log_probs = np.log(probs / probs.sum(axis=1, keepdims=True))\n")),
        _m("softmax_without_mask", "temporal_softmax_loss", "ignored the mask (padded steps count)",
           "multiply both the per-step losses and the rows of dx by mask", "temporal",
           ("    mask_flat = mask.reshape(N * T)\n", "    mask_flat = np.ones(N * T)\n")),
        _m("softmax_dx_without_mask", "temporal_softmax_loss", "masked the loss but not the gradient dx",
           "masked steps do not contribute to the loss, so their rows of dx are zero: multiply dx by mask too",
           "temporal", ("    dx_flat = (probs - one_hot) * mask_flat[:, None] / N\n",
                        "    dx_flat = (probs - one_hot) / N\n")),
        _m("softmax_divided_by_mask_count", "temporal_softmax_loss",
           "divided by the number of unmasked steps instead of N",
           "the loss is summed over unmasked steps and divided by the batch size N (loss and dx)", "temporal",
           ("np.sum(mask_flat * log_probs[rows, y_flat]) / N",
            "np.sum(mask_flat * log_probs[rows, y_flat]) / mask_flat.sum()"),
           ("mask_flat[:, None] / N", "mask_flat[:, None] / mask_flat.sum()")),
        _m("softmax_divided_by_N_times_T", "temporal_softmax_loss", "divided by N * T instead of N",
           "the loss is summed over time steps and divided by the batch size N only (loss and dx)", "temporal",
           ("np.sum(mask_flat * log_probs[rows, y_flat]) / N", "np.sum(mask_flat * log_probs[rows, y_flat]) / (N * T)"),
           ("mask_flat[:, None] / N", "mask_flat[:, None] / (N * T)")),
        _m("softmax_not_divided_by_N", "temporal_softmax_loss", "never divided by N",
           "divide the summed loss and dx by the batch size N", "temporal",
           ("np.sum(mask_flat * log_probs[rows, y_flat]) / N", "np.sum(mask_flat * log_probs[rows, y_flat])"),
           ("mask_flat[:, None] / N", "mask_flat[:, None]")),
        _m("softmax_dx_not_divided_by_N", "temporal_softmax_loss", "divided the loss by N but not dx",
           "the loss is divided by N, so its gradient is too: dx /= N", "temporal",
           ("mask_flat[:, None] / N", "mask_flat[:, None]")),
        _m("softmax_dx_without_one_hot", "temporal_softmax_loss",
           "dx = softmax probabilities, without subtracting 1 at the correct class",
           "d(-log p_y)/dx = p - onehot(y): subtract 1 at column y[n, t]", "temporal",
           ("    dx_flat = (probs - one_hot) * mask_flat", "    dx_flat = probs * mask_flat")),
    ]


MISTAKES = tuple(_catalogue())
BY_FUNCTION = {}
for _mistake in MISTAKES:
    for _function in _mistake.functions:
        BY_FUNCTION.setdefault(_function, []).append(_mistake)


def mistakes_of(function):
    """The known mistakes that change ``function``'s results, in catalogue order."""
    return BY_FUNCTION.get(function, [])


# ---------------------------------------------------------------- recognising one

@dataclass
class Trial:
    """One case as the candidate saw it: inputs, upstream (backward only), what came back.

    - got: one entry per output or gradient: an array, or None when it was not one
      (or the call failed); ``expected``: the reference's values.
    - failed: the candidate failed this case.
    - outputs: the reference forward's outputs on ``inputs``.
    """
    inputs: list
    upstream: list
    got: list
    expected: list
    failed: bool
    outputs: list = ()


def results(mistake, layer, backward, inputs, upstream):
    """What the mistaken ``manual`` gives on these inputs: forward outputs, or backward gradients."""
    functions = namespace(mistake)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        returned = functions[layer.forward](*[np.copy(a) for a in inputs])
        if backward:
            returned = functions[layer.backward](*[np.copy(a) for a in upstream], returned[-1])
        elif layer.backward:
            returned = returned[:-1]
    returned = list(returned) if isinstance(returned, tuple) else [returned]
    return [np.asarray(value, dtype=np.float64) for value in returned]


def recognise(function, layer, backward, trials, recognised=()):
    """The known mistake of ``function`` the candidate's results reproduce, or None.

    A mistake is recognised when, on every trial where the candidate
    returned arrays, the mistake gives the same shapes and values (within
    the comparison's tolerance, non-finite where the candidate's are), and
    it is visible (differs from the reference) on a trial the candidate
    failed.  When several do (a step's mistake and a sequence loop's can give
    the same sequence gradients), one already ``recognised`` in another
    function wins, then one made in this function itself, then catalogue order.

    Mistakes are tried in that order and the first that fits is the answer;
    each is tried on the candidate's failed trials first, smallest first, and
    dropped at the first trial it does not reproduce.  What a mistake gives on
    a trial's inputs is remembered (``remembered``): the submissions of a batch
    share their cases.
    """
    comparable = sorted((t for t in trials if all(g is not None for g in t.got)),
                        key=lambda t: (not t.failed, sum(np.size(a) for a in t.inputs)))
    if not any(t.failed for t in comparable):
        return None
    keys = [_inputs_key(t) for t in comparable]
    ranked = sorted(mistakes_of(function), key=lambda m: (m.id not in recognised, m.functions[0] != function))
    return next((m for m in ranked if _reproduces(m, layer, backward, comparable, keys)), None)


def _reproduces(mistake, layer, backward, trials, keys):
    visible = False
    for trial, key in zip(trials, keys):
        theirs = remembered(mistake, layer, backward, trial, key)
        if theirs is None or len(theirs) != len(trial.got) or not all(map(_agree, trial.got, theirs)):
            return False
        visible = visible or trial.failed and any(map(_differs, theirs, trial.expected))
    return visible


KEPT = 4096  # remembered results: about a kilobyte each at the cases' sizes
_remembered = OrderedDict()
_lock = threading.Lock()  # the memory, and catch_warnings in results(), which changes process-wide filters


def remembered(mistake, layer, backward, trial, key=None):
    """``results`` of ``mistake`` on the trial's inputs (read-only arrays), or None where the mistaken code raises.

    Computed once per (mistake, function, inputs and upstream values) and
    kept (at most ``KEPT``, the oldest dropped first); ``key`` is
    ``_inputs_key(trial)`` when the caller has it already.
    """
    key = (mistake, layer.name, backward, _inputs_key(trial) if key is None else key)
    with _lock:
        if key in _remembered:
            _remembered.move_to_end(key)
            return _remembered[key]
        try:
            found = [_read_only(a) for a in results(mistake, layer, backward, trial.inputs, trial.upstream)]
        except Exception:  # the mistaken code fails here
            found = None
        _remembered[key] = found
        while len(_remembered) > KEPT:
            _remembered.popitem(last=False)
        return found


def _inputs_key(trial):
    """The trial's inputs and upstream gradients, by value: a 128-bit digest of their dtypes, shapes and bytes."""
    import hashlib  # only once a function fails: importing it (OpenSSL) costs a check that passes ~3 ms
    digest = hashlib.blake2b(digest_size=16)
    for array in map(np.asarray, [*trial.inputs, *trial.upstream]):
        digest.update(f"{array.dtype.str}{array.shape};".encode())
        digest.update(np.ascontiguousarray(array).data)
    return digest.digest()


def _read_only(array):
    array.flags.writeable = False
    return array


def _agree(got, theirs):
    """The candidate's array equals the mistake's: values within tolerance, or non-finite where the mistake's are.

    An overflow gives inf or NaN in different places in different code, so any non-finite
    value in both counts as the same.
    """
    if got.size != theirs.size or got.dtype.kind not in "fiu":
        return False
    finite_got, finite_theirs = np.isfinite(got).all(), np.isfinite(theirs).all()
    if not (finite_got and finite_theirs):
        return not finite_got and not finite_theirs and (got.shape == theirs.shape or got.size == 1)
    return matches(got, theirs)


def _differs(theirs, expected):
    expected = np.asarray(expected, dtype=np.float64)
    if theirs.shape != expected.shape or not np.isfinite(theirs).all():
        return True
    return relative_error(theirs, expected) > VISIBLE
