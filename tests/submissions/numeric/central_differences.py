# how: every backward is the central difference (f(x + h) - f(x - h)) / 2h of the submission's own forward, element by element (h = 1e-5, CS231n's eval_numerical_gradient_array)
# numeric: rnn_step_backward rnn_backward word_embedding_backward lstm_step_backward lstm_backward temporal_affine_backward gru_step_backward gru_backward
import numpy as np


def numeric_gradients(forward, inputs, upstream, h=1e-5):
    """Central differences of sum(outputs * upstream) with respect to every array of ``inputs``."""
    inputs = [np.array(a, dtype=float) for a in inputs]
    grads = []
    for a in inputs:
        grad = np.zeros_like(a)
        it = np.nditer(a, flags=["multi_index"], op_flags=["readwrite"])
        while not it.finished:
            ix = it.multi_index
            old = a[ix]
            a[ix] = old + h
            plus = forward(*inputs)
            a[ix] = old - h
            minus = forward(*inputs)
            a[ix] = old
            grad[ix] = sum(np.sum((p - m) * d) for p, m, d in zip(plus, minus, upstream)) / (2 * h)
            it.iternext()
        grads.append(grad)
    return grads


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(x.dot(Wx) + prev_h.dot(Wh) + b)
    return next_h, (x, prev_h, Wx, Wh, b)


def rnn_step_backward(dnext_h, cache):
    return tuple(numeric_gradients(lambda *a: rnn_step_forward(*a)[:1], cache, [dnext_h]))


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    prev_h = h0
    for t in range(T):
        prev_h, _ = rnn_step_forward(x[:, t, :], prev_h, Wx, Wh, b)
        h[:, t, :] = prev_h
    return h, (x, h0, Wx, Wh, b)


def rnn_backward(dh, cache):
    return tuple(numeric_gradients(lambda *a: rnn_forward(*a)[:1], cache, [dh]))


def word_embedding_backward(dout, cache):
    x, W = cache
    (dW,) = numeric_gradients(lambda W: word_embedding_forward(x, W)[:1], [W], [dout])
    return dW


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    a = x.dot(Wx) + prev_h.dot(Wh) + b
    i, f, o = sigmoid(a[:, :H]), sigmoid(a[:, H:2 * H]), sigmoid(a[:, 2 * H:3 * H])
    g = np.tanh(a[:, 3 * H:])
    next_c = f * prev_c + i * g
    next_h = o * np.tanh(next_c)
    return next_h, next_c, (x, prev_h, prev_c, Wx, Wh, b)


def lstm_step_backward(dnext_h, dnext_c, cache):
    return tuple(numeric_gradients(lambda *a: lstm_step_forward(*a)[:2], cache, [dnext_h, dnext_c]))


def lstm_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    prev_h, prev_c = h0, np.zeros_like(h0)
    for t in range(T):
        prev_h, prev_c, _ = lstm_step_forward(x[:, t, :], prev_h, prev_c, Wx, Wh, b)
        h[:, t, :] = prev_h
    return h, (x, h0, Wx, Wh, b)


def lstm_backward(dh, cache):
    return tuple(numeric_gradients(lambda *a: lstm_forward(*a)[:1], cache, [dh]))


def temporal_affine_backward(dout, cache):
    x, w, b, out = cache
    return tuple(numeric_gradients(lambda *a: temporal_affine_forward(*a)[:1], [x, w, b], [dout]))


def gru_step_forward(x, prev_h, Wx, Wh, b):
    H = prev_h.shape[1]
    ax, ah = x.dot(Wx) + b, prev_h.dot(Wh)
    r = sigmoid(ax[:, :H] + ah[:, :H])
    z = sigmoid(ax[:, H:2 * H] + ah[:, H:2 * H])
    n = np.tanh(ax[:, 2 * H:] + (r * prev_h).dot(Wh[:, 2 * H:]))
    next_h = (1 - z) * n + z * prev_h
    return next_h, (x, prev_h, Wx, Wh, b)


def gru_step_backward(dnext_h, cache):
    return tuple(numeric_gradients(lambda *a: gru_step_forward(*a)[:1], cache, [dnext_h]))


def gru_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    prev_h = h0
    for t in range(T):
        prev_h, _ = gru_step_forward(x[:, t, :], prev_h, Wx, Wh, b)
        h[:, t, :] = prev_h
    return h, (x, h0, Wx, Wh, b)


def gru_backward(dh, cache):
    return tuple(numeric_gradients(lambda *a: gru_forward(*a)[:1], cache, [dh]))
