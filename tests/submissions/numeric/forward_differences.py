# how: one-sided differences (L(w + h) - L(w)) / h of the submission's own forward, one flat index at a time (h = 1e-8)
# numeric: rnn_step_backward rnn_backward lstm_step_backward lstm_backward
import numpy as np

STEP = 1e-8


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(np.dot(x, Wx) + np.dot(prev_h, Wh) + b)
    cache = {"x": x, "prev_h": prev_h, "Wx": Wx, "Wh": Wh, "b": b}
    return next_h, cache


def rnn_step_backward(dnext_h, cache):
    names = ["x", "prev_h", "Wx", "Wh", "b"]
    args = {k: cache[k].copy() for k in names}
    base = np.sum(rnn_step_forward(**args)[0] * dnext_h)
    grads = []
    for k in names:
        flat = args[k].reshape(-1)
        grad = np.zeros(flat.shape)
        for j in range(flat.size):
            flat[j] += STEP
            grad[j] = (np.sum(rnn_step_forward(**args)[0] * dnext_h) - base) / STEP
            flat[j] -= STEP
        grads.append(grad.reshape(args[k].shape))
    return tuple(grads)


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    hs, h = [], h0
    for t in range(T):
        h, _ = rnn_step_forward(x[:, t, :], h, Wx, Wh, b)
        hs.append(h)
    return np.stack(hs, axis=1), {"x": x, "h0": h0, "Wx": Wx, "Wh": Wh, "b": b}


def rnn_backward(dh, cache):
    names = ["x", "h0", "Wx", "Wh", "b"]
    args = {k: cache[k].copy() for k in names}
    base = np.sum(rnn_forward(**args)[0] * dh)
    grads = []
    for k in names:
        flat = args[k].reshape(-1)
        grad = np.zeros(flat.shape)
        for j in range(flat.size):
            flat[j] += STEP
            grad[j] = (np.sum(rnn_forward(**args)[0] * dh) - base) / STEP
            flat[j] -= STEP
        grads.append(grad.reshape(args[k].shape))
    return tuple(grads)


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    a = np.dot(x, Wx) + np.dot(prev_h, Wh) + b
    i = 1 / (1 + np.exp(-a[:, :H]))
    f = 1 / (1 + np.exp(-a[:, H:2 * H]))
    o = 1 / (1 + np.exp(-a[:, 2 * H:3 * H]))
    g = np.tanh(a[:, 3 * H:])
    next_c = f * prev_c + i * g
    next_h = o * np.tanh(next_c)
    return next_h, next_c, [x, prev_h, prev_c, Wx, Wh, b]


def lstm_step_backward(dnext_h, dnext_c, cache):
    args = [a.copy() for a in cache]

    def loss():
        next_h, next_c, _ = lstm_step_forward(*args)
        return np.sum(next_h * dnext_h) + np.sum(next_c * dnext_c)

    base = loss()
    grads = []
    for a in args:
        grad = np.zeros(a.shape)
        for index in np.ndindex(*a.shape):
            a[index] += STEP
            grad[index] = (loss() - base) / STEP
            a[index] -= STEP
        grads.append(grad)
    return tuple(grads)


def lstm_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    prev_h, prev_c = h0, np.zeros_like(h0)
    for t in range(T):
        prev_h, prev_c, _ = lstm_step_forward(x[:, t, :], prev_h, prev_c, Wx, Wh, b)
        h[:, t, :] = prev_h
    return h, [x, h0, Wx, Wh, b]


def lstm_backward(dh, cache):
    args = [a.copy() for a in cache]
    base = np.sum(lstm_forward(*args)[0] * dh)
    grads = []
    for a in args:
        grad = np.zeros(a.shape)
        for index in np.ndindex(*a.shape):
            a[index] += STEP
            grad[index] = (np.sum(lstm_forward(*args)[0] * dh) - base) / STEP
            a[index] -= STEP
        grads.append(grad)
    return tuple(grads)
