"""RNN layers, assignment 3.

Every contraction is written with np.einsum so the index bookkeeping is
explicit; caches are namedtuples so I stop unpacking them in the wrong order.
Index letters: n batch, t time, d input dim, h hidden dim, k gate dim (4H),
v vocab, m output dim.
"""
from collections import namedtuple

import numpy as np

RNNStepCache = namedtuple('RNNStepCache', ['x', 'prev_h', 'Wx', 'Wh', 'next_h'])
RNNCache = namedtuple('RNNCache', ['x', 'h0', 'Wx', 'Wh', 'h'])
EmbedCache = namedtuple('EmbedCache', ['idx', 'vocab_size'])
LSTMStepCache = namedtuple('LSTMStepCache',
                           ['x', 'prev_h', 'prev_c', 'Wx', 'Wh', 'i', 'f', 'o', 'g', 'tanh_c'])
LSTMCache = namedtuple('LSTMCache', ['x', 'hs', 'cs', 'Wx', 'Wh', 'gates', 'tanh_cs'])
AffineCache = namedtuple('AffineCache', ['x', 'w'])


def sigmoid(x):
    # exp of a non-positive number never overflows
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    next_h = np.tanh(np.einsum('nd,dh->nh', x, Wx) + np.einsum('ng,gh->nh', prev_h, Wh) + b)
    return next_h, RNNStepCache(x, prev_h, Wx, Wh, next_h)


def rnn_step_backward(dnext_h, cache):
    da = dnext_h * (1.0 - cache.next_h ** 2)
    dx = np.einsum('nh,dh->nd', da, cache.Wx)
    dprev_h = np.einsum('nh,gh->ng', da, cache.Wh)
    dWx = np.einsum('nd,nh->dh', cache.x, da)
    dWh = np.einsum('ng,nh->gh', cache.prev_h, da)
    db = np.einsum('nh->h', da)
    return dx, dprev_h, dWx, dWh, db


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    H = h0.shape[1]
    # input projection for all timesteps at once
    xw = np.einsum('ntd,dh->nth', x, Wx) + b
    h = np.empty((N, T, H))
    prev = h0
    for t in range(T):
        prev = np.tanh(xw[:, t] + np.einsum('ng,gh->nh', prev, Wh))
        h[:, t] = prev
    return h, RNNCache(x, h0, Wx, Wh, h)


def rnn_backward(dh, cache):
    x, h0, Wx, Wh, h = cache
    N, T, H = dh.shape
    # h_prev[:, t] is the state that went into step t
    h_prev = np.concatenate([h0[:, None, :], h[:, :-1, :]], axis=1)
    da = np.empty_like(h)
    carry = np.zeros((N, H))
    for t in reversed(range(T)):
        da[:, t] = (dh[:, t] + carry) * (1.0 - h[:, t] ** 2)
        carry = np.einsum('nh,gh->ng', da[:, t], Wh)
    dx = np.einsum('nth,dh->ntd', da, Wx)
    dWx = np.einsum('ntd,nth->dh', x, da)
    dWh = np.einsum('ntg,nth->gh', h_prev, da)
    db = np.einsum('nth->h', da)
    return dx, carry, dWx, dWh, db


def word_embedding_forward(x, W):
    V = W.shape[0]
    onehot = np.eye(V)[x]                        # (N, T, V)
    out = np.einsum('ntv,vd->ntd', onehot, W)
    return out, EmbedCache(x, V)


def word_embedding_backward(dout, cache):
    onehot = np.eye(cache.vocab_size)[cache.idx]
    return np.einsum('ntv,ntd->vd', onehot, dout)


def _lstm_gates(a, H):
    i = sigmoid(a[..., :H])
    f = sigmoid(a[..., H:2 * H])
    o = sigmoid(a[..., 2 * H:3 * H])
    g = np.tanh(a[..., 3 * H:])
    return i, f, o, g


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    H = prev_h.shape[1]
    a = np.einsum('nd,dk->nk', x, Wx) + np.einsum('nh,hk->nk', prev_h, Wh) + b
    i, f, o, g = _lstm_gates(a, H)
    next_c = f * prev_c + i * g
    tanh_c = np.tanh(next_c)
    next_h = o * tanh_c
    return next_h, next_c, LSTMStepCache(x, prev_h, prev_c, Wx, Wh, i, f, o, g, tanh_c)


def _lstm_local_grads(dh, dc, prev_c, i, f, o, g, tanh_c):
    """Gradient w.r.t. the pre-activations a (last axis 4H) and w.r.t. prev_c."""
    dc = dc + dh * o * (1.0 - tanh_c ** 2)
    da = np.concatenate([dc * g * i * (1.0 - i),
                         dc * prev_c * f * (1.0 - f),
                         dh * tanh_c * o * (1.0 - o),
                         dc * i * (1.0 - g ** 2)], axis=-1)
    return da, dc * f


def lstm_step_backward(dnext_h, dnext_c, cache):
    c = cache
    da, dprev_c = _lstm_local_grads(dnext_h, dnext_c, c.prev_c, c.i, c.f, c.o, c.g, c.tanh_c)
    dx = np.einsum('nk,dk->nd', da, c.Wx)
    dprev_h = np.einsum('nk,hk->nh', da, c.Wh)
    dWx = np.einsum('nd,nk->dk', c.x, da)
    dWh = np.einsum('nh,nk->hk', c.prev_h, da)
    db = np.einsum('nk->k', da)
    return dx, dprev_h, dprev_c, dWx, dWh, db


def lstm_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    H = h0.shape[1]
    xw = np.einsum('ntd,dk->ntk', x, Wx) + b
    hs = np.zeros((N, T + 1, H))          # hs[:, 0] = h0
    cs = np.zeros((N, T + 1, H))          # cs[:, 0] = 0
    gates = np.zeros((N, T, 4, H))
    tanh_cs = np.zeros((N, T, H))
    hs[:, 0] = h0
    for t in range(T):
        a = xw[:, t] + np.einsum('nh,hk->nk', hs[:, t], Wh)
        i, f, o, g = _lstm_gates(a, H)
        cs[:, t + 1] = f * cs[:, t] + i * g
        tanh_cs[:, t] = np.tanh(cs[:, t + 1])
        hs[:, t + 1] = o * tanh_cs[:, t]
        gates[:, t] = np.stack([i, f, o, g], axis=1)
    return hs[:, 1:].copy(), LSTMCache(x, hs, cs, Wx, Wh, gates, tanh_cs)


def lstm_backward(dh, cache):
    x, hs, cs, Wx, Wh, gates, tanh_cs = cache
    N, T, H = dh.shape
    da = np.zeros((N, T, 4 * H))
    dh_carry = np.zeros((N, H))
    dc_carry = np.zeros((N, H))
    for t in reversed(range(T)):
        i, f, o, g = (gates[:, t, k] for k in range(4))
        da[:, t], dc_carry = _lstm_local_grads(dh[:, t] + dh_carry, dc_carry,
                                               cs[:, t], i, f, o, g, tanh_cs[:, t])
        dh_carry = np.einsum('nk,hk->nh', da[:, t], Wh)
    dx = np.einsum('ntk,dk->ntd', da, Wx)
    dWx = np.einsum('ntd,ntk->dk', x, da)
    dWh = np.einsum('nth,ntk->hk', hs[:, :-1], da)
    db = np.einsum('ntk->k', da)
    return dx, dh_carry, dWx, dWh, db


def temporal_affine_forward(x, w, b):
    out = np.einsum('ntd,dm->ntm', x, w) + b
    return out, AffineCache(x, w)


def temporal_affine_backward(dout, cache):
    dx = np.einsum('ntm,dm->ntd', dout, cache.w)
    dw = np.einsum('ntd,ntm->dm', cache.x, dout)
    db = np.einsum('ntm->m', dout)
    return dx, dw, db


def temporal_softmax_loss(x, y, mask, verbose=False):
    N, T, V = x.shape
    shifted = x - x.max(axis=2, keepdims=True)
    probs = np.exp(shifted)
    probs /= probs.sum(axis=2, keepdims=True)
    onehot = np.eye(V)[y]                                     # (N, T, V)
    p_true = np.einsum('ntv,ntv->nt', probs, onehot)
    loss = -np.sum(mask * np.log(p_true)) / N
    dx = (probs - onehot) / N * mask[:, :, None]
    if verbose:
        print('dx: ', dx.shape)
    return loss, dx
