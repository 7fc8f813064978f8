# how: central differences of a private copy of the forward's arithmetic, written inside the backward (no catalogue function is called), h = 1e-6: only the accuracy gives it away
# numeric: rnn_step_backward rnn_backward lstm_step_backward lstm_backward temporal_affine_backward
# (the base's rnn_backward and lstm_backward call the step backwards, so their gradients are numerical too)
import numpy as np


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(x.dot(Wx) + prev_h.dot(Wh) + b)
    return next_h, (x, prev_h, Wx, Wh, b)


def rnn_step_backward(dnext_h, cache):
    params = [p.copy() for p in cache]
    h = 1e-6
    grads = [np.zeros_like(p) for p in params]
    for p, g in zip(params, grads):
        for i in range(p.size):
            old = p.flat[i]
            p.flat[i] = old + h
            up = np.sum(np.tanh(params[0] @ params[2] + params[1] @ params[3] + params[4]) * dnext_h)
            p.flat[i] = old - h
            down = np.sum(np.tanh(params[0] @ params[2] + params[1] @ params[3] + params[4]) * dnext_h)
            p.flat[i] = old
            g.flat[i] = (up - down) / (2 * h)
    return tuple(grads)


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    a = x.dot(Wx) + prev_h.dot(Wh) + b
    i, f, o, g = (1 / (1 + np.exp(-a[:, :H])), 1 / (1 + np.exp(-a[:, H:2 * H])),
                  1 / (1 + np.exp(-a[:, 2 * H:3 * H])), np.tanh(a[:, 3 * H:]))
    next_c = f * prev_c + i * g
    return o * np.tanh(next_c), next_c, (x, prev_h, prev_c, Wx, Wh, b)


def lstm_step_backward(dnext_h, dnext_c, cache):
    x, prev_h, prev_c, Wx, Wh, b = [p.copy() for p in cache]
    H = prev_h.shape[1]

    def L():
        a = x.dot(Wx) + prev_h.dot(Wh) + b
        s = 1 / (1 + np.exp(-a[:, :3 * H]))
        c = s[:, H:2 * H] * prev_c + s[:, :H] * np.tanh(a[:, 3 * H:])
        return np.sum(s[:, 2 * H:] * np.tanh(c) * dnext_h) + np.sum(c * dnext_c)

    h = 1e-6
    grads = []
    for p in (x, prev_h, prev_c, Wx, Wh, b):
        g = np.zeros_like(p)
        for i in range(p.size):
            old = p.flat[i]
            p.flat[i] = old + h
            up = L()
            p.flat[i] = old - h
            down = L()
            p.flat[i] = old
            g.flat[i] = (up - down) / (2 * h)
        grads.append(g)
    return tuple(grads)


def temporal_affine_backward(dout, cache):
    x, w, b, out = [a.copy() for a in cache]
    h = 1e-6
    grads = []
    for p in (x, w, b):
        g = np.zeros_like(p)
        for i in range(p.size):
            old = p.flat[i]
            p.flat[i] = old + h
            up = np.sum((x @ w + b) * dout)
            p.flat[i] = old - h
            down = np.sum((x @ w + b) * dout)
            p.flat[i] = old
            g.flat[i] = (up - down) / (2 * h)
        grads.append(g)
    return tuple(grads)
