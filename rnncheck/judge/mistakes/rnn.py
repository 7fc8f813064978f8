"""Known mistakes of the vanilla RNN (step and sequence): edits of manual/rnn.py."""
from .entry import mistake
from .sequences import sequence_mistakes

RNN_BOTH = "rnn_step_backward rnn_backward"
MISTAKES = (
    # RNN
    mistake("rnn_step_no_tanh_derivative", RNN_BOTH, "forgot the derivative of tanh",
       "next_h = tanh(a): multiply dnext_h by (1 - next_h ** 2) before the products with Wx, Wh and x",
       "rnn", ("    np.multiply(dnext_h, 1 - step.next_h ** 2, out=da)\n", "    da[...] = dnext_h\n")),
    mistake("rnn_step_tanh_of_tanh", RNN_BOTH,
       "took the tanh derivative at the already-tanh'd value: 1 - tanh(next_h) ** 2",
       "next_h is already tanh(a), so tanh'(a) = 1 - next_h ** 2; do not apply tanh again", "rnn",
       ("    np.multiply(dnext_h, 1 - step.next_h ** 2, out=da)\n",
        "    np.multiply(dnext_h, 1 - np.tanh(step.next_h) ** 2, out=da)\n")),
    mistake("rnn_step_db_mean", RNN_BOTH, "averaged db over the batch instead of summing it",
       "db = da.sum(axis=0): every example adds its gradient to the shared bias; do not divide by N", "rnn",
       ("    db = da.sum(axis=0)\n", "    db = da.mean(axis=0)\n"),
       ("    return dx.transpose(1, 0, 2).copy(), dprev_h, dWx, dWh, db\n",
        "    return dx.transpose(1, 0, 2).copy(), dprev_h, dWx, dWh, db / N\n")),
    mistake("rnn_step_dWh_from_next_h", RNN_BOTH, "dWh computed from next_h instead of prev_h",
       "a = x Wx + prev_h Wh + b, so dWh = prev_h.T @ da: use the hidden state that was multiplied by Wh",
       "rnn", ("    dWh = step.prev_h.T @ da\n", "    dWh = step.next_h.T @ da\n"),
       ("    h_prev = h[:T].reshape(T * N, H)\n", "    h_prev = h[1:].reshape(T * N, H)\n")),
    mistake("rnn_step_cache_weights_swapped", "rnn_step_backward",
       "Wx and Wh swapped between the cache and the backward",
       "unpack the cache in the order the forward packed it: dx = da @ Wx.T and dprev_h = da @ Wh.T", "rnn",
       ("    x, Wx, Wh, step = cache\n", "    x, Wh, Wx, step = cache\n")),
    # Only D = H lets the swapped forward run, so its backward is skipped ("its forward failed") elsewhere;
    # the backward edits keep the mistaken module a coherent layer (the true gradient of its forward).
    mistake("rnn_forward_weights_swapped", "rnn_step_forward rnn_forward",
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
    mistake("rnn_forward_h0_every_step", "rnn_forward rnn_backward", "used h0 at every time step",
       "step t starts from the hidden state of step t - 1 (h0 only for t = 0): prev_h = next_h after each step",
       "rnn", ("_step(a[t], h[t], Wh, h[t + 1])", "_step(a[t], h0, Wh, h[t + 1])")),
    mistake("rnn_forward_squeeze", "rnn_forward", "h.squeeze() also removes the batch axis when N = 1",
       "return h with shape (N, T, H); do not squeeze() (or squeeze only the axis you mean: axis=1)", "rnn",
       ("    return h[1:].transpose(1, 0, 2).copy(), RNNCache",
        "    return h[1:].transpose(1, 0, 2).copy().squeeze(), RNNCache")),
    *sequence_mistakes("rnn"),
)
