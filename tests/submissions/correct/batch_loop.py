# rnn_layers.py -- assignment 3
# I found it easier to think about one example at a time, so the step
# functions loop over the minibatch and do the math on vectors.
import numpy as np


def sigmoid(x):
    """Numerically stable sigmoid (works on arrays of any shape)."""
    out = np.empty_like(x, dtype=float)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    e = np.exp(x[~pos])
    out[~pos] = e / (1.0 + e)
    return out


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    N, D = x.shape
    H = Wh.shape[0]
    next_h = np.zeros((N, H))
    for n in range(N):
        a_n = np.dot(x[n], Wx) + np.dot(prev_h[n], Wh) + b   # (H,)
        next_h[n] = np.tanh(a_n)
    cache = {'x': x, 'prev_h': prev_h, 'Wx': Wx, 'Wh': Wh, 'next_h': next_h}
    return next_h, cache


def rnn_step_backward(dnext_h, cache):
    x, prev_h, Wx, Wh, next_h = cache['x'], cache['prev_h'], cache['Wx'], cache['Wh'], cache['next_h']
    N, D = x.shape
    H = Wh.shape[0]
    dx = np.zeros((N, D))
    dprev_h = np.zeros((N, H))
    dWx = np.zeros((D, H))
    dWh = np.zeros((H, H))
    db = np.zeros(H)
    for n in range(N):
        da = dnext_h[n] * (1 - next_h[n] ** 2)      # (H,)
        dx[n] = np.dot(Wx, da)
        dprev_h[n] = np.dot(Wh, da)
        dWx += np.outer(x[n], da)
        dWh += np.outer(prev_h[n], da)
        db += da
    return dx, dprev_h, dWx, dWh, db


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    H = h0.shape[1]
    h = np.zeros((N, T, H))
    cache = {}
    h_t = h0
    for t in range(T):
        h_t, cache[t] = rnn_step_forward(x[:, t, :], h_t, Wx, Wh, b)
        h[:, t, :] = h_t
    cache['T'] = T
    return h, cache


def rnn_backward(dh, cache):
    T = cache['T']
    N, _, H = dh.shape
    D = cache[0]['x'].shape[1]
    dx = np.zeros((N, T, D))
    dWx = np.zeros((D, H))
    dWh = np.zeros((H, H))
    db = np.zeros(H)
    dh_next = np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        grads = rnn_step_backward(dh[:, t, :] + dh_next, cache[t])
        dx[:, t, :] = grads[0]
        dh_next = grads[1]
        dWx += grads[2]
        dWh += grads[3]
        db += grads[4]
    dh0 = dh_next
    return dx, dh0, dWx, dWh, db


def word_embedding_forward(x, W):
    N, T = x.shape
    V, D = W.shape
    out = np.zeros((N, T, D))
    for n in range(N):
        for t in range(T):
            out[n, t] = W[x[n, t]]
    cache = {'x': x, 'V': V}
    return out, cache


def word_embedding_backward(dout, cache):
    x, V = cache['x'], cache['V']
    N, T, D = dout.shape
    dW = np.zeros((V, D))
    for n in range(N):
        for t in range(T):
            dW[x[n, t]] += dout[n, t]
    return dW


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    N, H = prev_h.shape
    next_h = np.zeros((N, H))
    next_c = np.zeros((N, H))
    gates = np.zeros((N, 4, H))       # i, f, o, g for every example
    tanh_c = np.zeros((N, H))
    for n in range(N):
        a = np.dot(x[n], Wx) + np.dot(prev_h[n], Wh) + b     # (4H,)
        i = sigmoid(a[0:H])
        f = sigmoid(a[H:2*H])
        o = sigmoid(a[2*H:3*H])
        g = np.tanh(a[3*H:4*H])
        next_c[n] = f * prev_c[n] + i * g
        tanh_c[n] = np.tanh(next_c[n])
        next_h[n] = o * tanh_c[n]
        gates[n] = [i, f, o, g]
    cache = {'x': x, 'prev_h': prev_h, 'prev_c': prev_c, 'Wx': Wx, 'Wh': Wh,
             'gates': gates, 'tanh_c': tanh_c}
    return next_h, next_c, cache


def lstm_step_backward(dnext_h, dnext_c, cache):
    x, prev_h, prev_c = cache['x'], cache['prev_h'], cache['prev_c']
    Wx, Wh, gates, tanh_c = cache['Wx'], cache['Wh'], cache['gates'], cache['tanh_c']
    N, D = x.shape
    H = prev_h.shape[1]
    dx = np.zeros((N, D))
    dprev_h = np.zeros((N, H))
    dprev_c = np.zeros((N, H))
    dWx = np.zeros((D, 4 * H))
    dWh = np.zeros((H, 4 * H))
    db = np.zeros(4 * H)
    for n in range(N):
        i, f, o, g = gates[n]
        dc = dnext_c[n] + dnext_h[n] * o * (1 - tanh_c[n] ** 2)
        da = np.concatenate([
            dc * g * i * (1 - i),                  # input gate
            dc * prev_c[n] * f * (1 - f),          # forget gate
            dnext_h[n] * tanh_c[n] * o * (1 - o),  # output gate
            dc * i * (1 - g ** 2),                 # block input g
        ])
        dprev_c[n] = dc * f
        dx[n] = np.dot(Wx, da)
        dprev_h[n] = np.dot(Wh, da)
        dWx += np.outer(x[n], da)
        dWh += np.outer(prev_h[n], da)
        db += da
    return dx, dprev_h, dprev_c, dWx, dWh, db


def lstm_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    H = h0.shape[1]
    h = np.zeros((N, T, H))
    cache = {}
    h_t, c_t = h0, np.zeros((N, H))
    for t in range(T):
        h_t, c_t, cache[t] = lstm_step_forward(x[:, t, :], h_t, c_t, Wx, Wh, b)
        h[:, t, :] = h_t
    cache['T'] = T
    return h, cache


def lstm_backward(dh, cache):
    T = cache['T']
    N, _, H = dh.shape
    D = cache[0]['x'].shape[1]
    dx = np.zeros((N, T, D))
    dWx = np.zeros((D, 4 * H))
    dWh = np.zeros((H, 4 * H))
    db = np.zeros(4 * H)
    dh_next = np.zeros((N, H))
    dc_next = np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        dx_t, dh_next, dc_next, dWx_t, dWh_t, db_t = lstm_step_backward(
            dh[:, t, :] + dh_next, dc_next, cache[t])
        dx[:, t, :] = dx_t
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    dh0 = dh_next
    return dx, dh0, dWx, dWh, db


def temporal_affine_forward(x, w, b):
    N, T, D = x.shape
    M = w.shape[1]
    out = np.zeros((N, T, M))
    for n in range(N):
        out[n] = np.dot(x[n], w) + b      # (T, M)
    cache = {'x': x, 'w': w}
    return out, cache


def temporal_affine_backward(dout, cache):
    x, w = cache['x'], cache['w']
    N, T, D = x.shape
    dx = np.zeros_like(x)
    dw = np.zeros_like(w)
    db = np.zeros(w.shape[1])
    for n in range(N):
        dx[n] = np.dot(dout[n], w.T)
        dw += np.dot(x[n].T, dout[n])
        db += dout[n].sum(axis=0)
    return dx, dw, db


def temporal_softmax_loss(x, y, mask, verbose=False):
    N, T, V = x.shape
    loss = 0.0
    dx = np.zeros_like(x)
    for n in range(N):
        for t in range(T):
            if not mask[n, t]:
                continue
            scores = x[n, t] - np.max(x[n, t])
            probs = np.exp(scores) / np.sum(np.exp(scores))
            loss -= np.log(probs[y[n, t]])
            probs[y[n, t]] -= 1
            dx[n, t] = probs
    loss /= N
    dx /= N
    if verbose:
        print('loss', loss)
    return loss, dx
