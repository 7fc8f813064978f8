import numpy as np

# NOTE to self: caches are plain lists and the backward functions pop() what
# they need off the end, so every backward must run exactly once per forward
# (that's how the solver uses them anyway).


def sigmoid(x):
    """
    A numerically stable version of the logistic sigmoid function.
    """
    pos_mask = (x >= 0)
    neg_mask = (x < 0)
    z = np.zeros_like(x)
    z[pos_mask] = np.exp(-x[pos_mask])
    z[neg_mask] = np.exp(x[neg_mask])
    top = np.ones_like(x)
    top[neg_mask] = z[neg_mask]
    return top / (1 + z)


def rnn_step_forward(x, prev_h, Wx, Wh, b):
    z = np.dot(x, Wx) + np.dot(prev_h, Wh) + b
    next_h = np.tanh(z)
    cache = [x, prev_h, Wx, Wh, next_h]
    return [next_h, cache]


def rnn_step_backward(dnext_h, cache):
    next_h = cache.pop()
    Wh = cache.pop()
    Wx = cache.pop()
    prev_h = cache.pop()
    x = cache.pop()
    dz = (1 - np.square(next_h)) * dnext_h
    dx = np.dot(dz, Wx.T)
    dprev_h = np.dot(dz, Wh.T)
    dWx = np.dot(x.T, dz)
    dWh = np.dot(prev_h.T, dz)
    db = np.sum(dz, axis=0)
    return [dx, dprev_h, dWx, dWh, db]


def rnn_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    N, H = h0.shape
    h = np.zeros((N, T, H))
    cache = []
    prev_h = h0
    for t in range(T):
        prev_h, c = rnn_step_forward(x[:, t, :], prev_h, Wx, Wh, b)
        h[:, t, :] = prev_h
        cache.append(c)
    return [h, cache]


def rnn_backward(dh, cache):
    N, T, H = dh.shape
    D = cache[0][0].shape[1]
    dx = np.zeros((N, T, D))
    dWx = np.zeros((D, H))
    dWh = np.zeros((H, H))
    db = np.zeros((H,))
    dprev_h = np.zeros((N, H))
    t = T
    while cache:
        t -= 1
        step = rnn_step_backward(dh[:, t, :] + dprev_h, cache.pop())
        dx[:, t, :] = step[0]
        dprev_h = step[1]
        dWx = dWx + step[2]
        dWh = dWh + step[3]
        db = db + step[4]
    return [dx, dprev_h, dWx, dWh, db]


def word_embedding_forward(x, W):
    out = W[x]
    cache = [x, W.shape]
    return [out, cache]


def word_embedding_backward(dout, cache):
    shape = cache.pop()
    x = cache.pop()
    dW = np.zeros(shape)
    np.add.at(dW, x.flatten(), dout.reshape(-1, shape[1]))
    return dW


def lstm_step_forward(x, prev_h, prev_c, Wx, Wh, b):
    N, H = prev_h.shape
    # gates one at a time, same order as the weights: i, f, o, g
    i = sigmoid(np.dot(x, Wx[:, 0:H]) + np.dot(prev_h, Wh[:, 0:H]) + b[0:H])
    f = sigmoid(np.dot(x, Wx[:, H:2 * H]) + np.dot(prev_h, Wh[:, H:2 * H]) + b[H:2 * H])
    o = sigmoid(np.dot(x, Wx[:, 2 * H:3 * H]) + np.dot(prev_h, Wh[:, 2 * H:3 * H]) + b[2 * H:3 * H])
    g = np.tanh(np.dot(x, Wx[:, 3 * H:4 * H]) + np.dot(prev_h, Wh[:, 3 * H:4 * H]) + b[3 * H:4 * H])
    next_c = f * prev_c + i * g
    next_h = o * np.tanh(next_c)
    cache = [x, prev_h, prev_c, Wx, Wh, i, f, o, g, next_c]
    return [next_h, next_c, cache]


def lstm_step_backward(dnext_h, dnext_c, cache):
    next_c = cache.pop()
    g = cache.pop()
    o = cache.pop()
    f = cache.pop()
    i = cache.pop()
    Wh = cache.pop()
    Wx = cache.pop()
    prev_c = cache.pop()
    prev_h = cache.pop()
    x = cache.pop()
    N, H = prev_h.shape

    dc = dnext_c + dnext_h * o * (1 - np.tanh(next_c) ** 2)
    dprev_c = dc * f

    di = dc * g * i * (1 - i)
    df = dc * prev_c * f * (1 - f)
    do = dnext_h * np.tanh(next_c) * o * (1 - o)
    dg = dc * i * (1 - g * g)

    dx = (np.dot(di, Wx[:, 0:H].T) + np.dot(df, Wx[:, H:2 * H].T)
          + np.dot(do, Wx[:, 2 * H:3 * H].T) + np.dot(dg, Wx[:, 3 * H:4 * H].T))
    dprev_h = (np.dot(di, Wh[:, 0:H].T) + np.dot(df, Wh[:, H:2 * H].T)
               + np.dot(do, Wh[:, 2 * H:3 * H].T) + np.dot(dg, Wh[:, 3 * H:4 * H].T))

    dWx = np.zeros_like(Wx)
    dWh = np.zeros_like(Wh)
    db = np.zeros(4 * H)
    dWx[:, 0:H] = np.dot(x.T, di)
    dWx[:, H:2 * H] = np.dot(x.T, df)
    dWx[:, 2 * H:3 * H] = np.dot(x.T, do)
    dWx[:, 3 * H:4 * H] = np.dot(x.T, dg)
    dWh[:, 0:H] = np.dot(prev_h.T, di)
    dWh[:, H:2 * H] = np.dot(prev_h.T, df)
    dWh[:, 2 * H:3 * H] = np.dot(prev_h.T, do)
    dWh[:, 3 * H:4 * H] = np.dot(prev_h.T, dg)
    db[0:H] = np.sum(di, axis=0)
    db[H:2 * H] = np.sum(df, axis=0)
    db[2 * H:3 * H] = np.sum(do, axis=0)
    db[3 * H:4 * H] = np.sum(dg, axis=0)
    return [dx, dprev_h, dprev_c, dWx, dWh, db]


def lstm_forward(x, h0, Wx, Wh, b):
    N, T, D = x.shape
    N, H = h0.shape
    h = np.zeros((N, T, H))
    prev_h = h0
    prev_c = np.zeros_like(h0)
    cache = []
    for t in range(T):
        prev_h, prev_c, c = lstm_step_forward(x[:, t, :], prev_h, prev_c, Wx, Wh, b)
        h[:, t, :] = prev_h
        cache.append(c)
    return [h, cache]


def lstm_backward(dh, cache):
    N, T, H = dh.shape
    D = cache[0][0].shape[1]
    dx = np.zeros((N, T, D))
    dWx = np.zeros((D, 4 * H))
    dWh = np.zeros((H, 4 * H))
    db = np.zeros(4 * H)
    dprev_h = np.zeros((N, H))
    dprev_c = np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        step = lstm_step_backward(dh[:, t, :] + dprev_h, dprev_c, cache.pop())
        dx[:, t, :], dprev_h, dprev_c = step[0], step[1], step[2]
        dWx = dWx + step[3]
        dWh = dWh + step[4]
        db = db + step[5]
    return [dx, dprev_h, dWx, dWh, db]


def temporal_affine_forward(x, w, b):
    N, T, D = x.shape
    M = b.shape[0]
    out = x.reshape(N * T, D).dot(w).reshape(N, T, M) + b
    cache = [x, w, b, out]
    return [out, cache]


def temporal_affine_backward(dout, cache):
    out = cache.pop()
    b = cache.pop()
    w = cache.pop()
    x = cache.pop()
    N, T, D = x.shape
    M = b.shape[0]
    dx = dout.reshape(N * T, M).dot(w.T).reshape(N, T, D)
    dw = x.reshape(N * T, D).T.dot(dout.reshape(N * T, M))
    db = dout.sum(axis=(0, 1))
    return [dx, dw, db]


def temporal_softmax_loss(x, y, mask, verbose=False):
    N, T, V = x.shape
    x_flat = x.reshape(N * T, V)
    y_flat = y.reshape(N * T)
    mask_flat = mask.reshape(N * T)
    probs = np.exp(x_flat - np.max(x_flat, axis=1, keepdims=True))
    probs /= np.sum(probs, axis=1, keepdims=True)
    loss = -np.sum(mask_flat * np.log(probs[np.arange(N * T), y_flat])) / N
    dx_flat = probs.copy()
    dx_flat[np.arange(N * T), y_flat] -= 1
    dx_flat /= N
    dx_flat *= mask_flat[:, None]
    if verbose:
        print('dx_flat: ', dx_flat.shape)
    dx = dx_flat.reshape(N, T, V)
    return [loss, dx]
