"""A course for a layer of one's own: the peephole LSTM, step and sequence.

Check a hand-derived peephole LSTM with

    rnncheck examples/peephole_layers.py --course examples/peephole_course.py

This file is the whole declaration: the forward is written once, below, in
``autograd.numpy``; the reference gradients of every case are autograd's
VJP of it, so the oracle owes nothing to a hand derivation.  rnncheck reads
this file in its own process only (a submission never sees it).

The layer (Gers and Schmidhuber's LSTM with peephole connections, in
CS231n's layout).  Shapes: N batch, T time, D input, H hidden.  The 4H axis
of Wx, Wh and b holds the gate blocks in the order i, f, o, g; the 3H axis of
p holds the diagonal peephole weights p_i, p_f, p_o in the order i, f, o::

    a = x Wx + prev_h Wh + b                  (N, 4H) = [a_i | a_f | a_o | a_g]
    i = sigmoid(a_i + p_i * prev_c)           the input and forget gates see
    f = sigmoid(a_f + p_f * prev_c)           the previous cell state,
    g = tanh(a_g)
    next_c = f * prev_c + i * g
    o = sigmoid(a_o + p_o * next_c)           the output gate sees the new one
    next_h = o * tanh(next_c)

(``*`` is elementwise: a peephole is a diagonal matrix, one weight per cell.)

- ``peephole_step_forward(x, prev_h, prev_c, Wx, Wh, b, p)`` ->
  ``next_h, next_c, cache``; x (N, D), prev_h and prev_c (N, H), Wx (D, 4H),
  Wh (H, 4H), b (4H,), p (3H,).
- ``peephole_step_backward(dnext_h, dnext_c, cache)`` ->
  ``dx, dprev_h, dprev_c, dWx, dWh, db, dp``.
- ``peephole_forward(x, h0, Wx, Wh, b, p)`` -> ``h, cache``: the step over
  x (N, T, D) from h0 (N, H) and a zero cell state; h (N, T, H).
- ``peephole_backward(dh, cache)`` -> ``dx, dh0, dWx, dWh, db, dp``.
"""
import autograd.numpy as anp

from rnncheck.courses import Course, Input, Layer


def sigmoid(z):
    """The logistic function, written through tanh so that it cannot overflow."""
    return 0.5 * (anp.tanh(0.5 * z) + 1.0)


def peephole_step(x, prev_h, prev_c, Wx, Wh, b, p):
    """One peephole LSTM step (the equations above); returns (next_h, next_c)."""
    H = prev_h.shape[1]
    a = anp.dot(x, Wx) + anp.dot(prev_h, Wh) + b
    a_i, a_f, a_o, a_g = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
    p_i, p_f, p_o = p[:H], p[H:2 * H], p[2 * H:]
    i = sigmoid(a_i + p_i * prev_c)
    f = sigmoid(a_f + p_f * prev_c)
    g = anp.tanh(a_g)
    next_c = f * prev_c + i * g
    o = sigmoid(a_o + p_o * next_c)
    return o * anp.tanh(next_c), next_c


def peephole(x, h0, Wx, Wh, b, p):
    """The step over every time step of x (N, T, D), from h0 and a zero cell state; h (N, T, H)."""
    h, c, hs = h0, anp.zeros(h0.shape), []
    for t in range(x.shape[1]):
        h, c = peephole_step(x[:, t], h, c, Wx, Wh, b, p)
        hs.append(h)
    return anp.stack(hs, axis=1)


WEIGHTS = (Input("Wx", ("D", "4H"), scale=0.4), Input("Wh", ("H", "4H"), scale=0.4), Input("b", ("4H",), scale=0.3),
           Input("p", ("3H",), scale=0.5, gates="ifo"))

COURSE = Course(
    name="peephole",
    title="a peephole LSTM, step and sequence",
    layers=(
        Layer(name="peephole_step", forward="peephole_step_forward", backward="peephole_step_backward",
              oracle=peephole_step,
              inputs=(Input("x", ("N", "D")), Input("prev_h", ("N", "H")), Input("prev_c", ("N", "H"))) + WEIGHTS,
              outputs=("next_h", "next_c"), upstream=("dnext_h", "dnext_c"),
              differentiable=("x", "prev_h", "prev_c", "Wx", "Wh", "b", "p"), gates="ifog"),
        Layer(name="peephole", forward="peephole_forward", backward="peephole_backward", oracle=peephole,
              inputs=(Input("x", ("N", "T", "D")), Input("h0", ("N", "H"))) + WEIGHTS,
              outputs=("h",), upstream=("dh",), differentiable=("x", "h0", "Wx", "Wh", "b", "p"),
              gates="ifog", stress="long_memory"),
    ),
)
