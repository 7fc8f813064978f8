"""Known mistakes of the vanilla RNN (step and sequence): edits of manual/rnn.py."""
from .derivation import Derivation, lines
from .entry import mistake
from .sequences import sequence_mistakes

RNN_BOTH = "rnn_step_backward rnn_backward"
RNN_ALL = "rnn_step_forward rnn_step_backward rnn_forward rnn_backward"
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
    # Forward mistakes: the step's activation, its bias, the initial state, the order of time, the cache.
    # Each lists the backwards too where the unchanged backward reads what the mistaken forward cached
    # (next_h), as a student's backward that was not changed with it does.
    mistake("rnn_sigmoid_activation", RNN_ALL, "the activation is sigmoid instead of tanh",
       "the vanilla RNN uses tanh: next_h = np.tanh(x Wx + prev_h Wh + b), and the backward's 1 - next_h ** 2 "
       "is tanh's derivative", "rnn",
       ("    np.tanh(a, out=next_h)\n", "    next_h[...] = 1 / (1 + np.exp(-a))\n")),
    mistake("rnn_relu_activation", RNN_ALL, "the activation is ReLU instead of tanh",
       "the vanilla RNN uses tanh: next_h = np.tanh(x Wx + prev_h Wh + b)", "rnn",
       ("    np.tanh(a, out=next_h)\n", "    np.maximum(a, 0, out=next_h)\n")),
    mistake("rnn_no_activation", RNN_ALL, "no activation: next_h = x Wx + prev_h Wh + b, without the tanh",
       "apply the nonlinearity: next_h = np.tanh(x Wx + prev_h Wh + b)", "rnn",
       ("    np.tanh(a, out=next_h)\n", "    next_h[...] = a\n")),
    mistake("rnn_bias_after_tanh", RNN_ALL, "the bias is added after the tanh: tanh(x Wx + prev_h Wh) + b",
       "b belongs inside the nonlinearity: next_h = np.tanh(x Wx + prev_h Wh + b)", "rnn",
       ("    step = _step(x @ Wx + b, prev_h, Wh, next_h)\n",
        "    step = _step(x @ Wx, prev_h, Wh, next_h)\n    next_h += b\n"),
       ("(x.transpose(1, 0, 2)), Wx, b)\n", "(x.transpose(1, 0, 2)), Wx, 0 * b)\n"),
       ("        steps.append(_step(a[t], h[t], Wh, h[t + 1]))\n",
        "        steps.append(_step(a[t], h[t], Wh, h[t + 1]))\n        h[t + 1] += b\n")),
    mistake("rnn_no_bias", RNN_ALL, "forgot the bias b in the forward",
       "next_h = np.tanh(x Wx + prev_h Wh + b): add b before the tanh", "rnn",
       ("    step = _step(x @ Wx + b, prev_h, Wh, next_h)\n", "    step = _step(x @ Wx, prev_h, Wh, next_h)\n"),
       ("(x.transpose(1, 0, 2)), Wx, b)\n", "(x.transpose(1, 0, 2)), Wx, 0 * b)\n")),
    mistake("rnn_forward_h0_ignored", "rnn_forward rnn_backward", "h0 is ignored: the hidden state starts at zero",
       "the first step starts from the given initial state: prev_h = h0 before the loop", "rnn",
       ("    h[0] = h0\n", "    h[0] = 0\n")),
    mistake("rnn_forward_reversed_time", "rnn_forward", "the forward walks time backwards (t = T - 1 down to 0)",
       "the recurrence runs forward in time: for t in range(T), step t starts from h[:, t - 1] (h0 for t = 0)",
       "rnn", ("np.ascontiguousarray(x.transpose(1, 0, 2)), Wx, b)",
               "np.ascontiguousarray(x[:, ::-1].transpose(1, 0, 2)), Wx, b)"),
       ("    return h[1:].transpose(1, 0, 2).copy(), RNNCache", "    return h[:0:-1].transpose(1, 0, 2).copy(), RNNCache")),
    mistake("rnn_cache_preactivation", RNN_BOTH,
       "the tanh derivative taken at the pre-activation a = x Wx + prev_h Wh + b instead of at next_h",
       "cache next_h = tanh(a) (not a) for the backward: da = dnext_h * (1 - next_h ** 2)", "rnn",
       ("    return RNNStep(prev_h, next_h)\n", "    return RNNStep(prev_h, a)\n")),
    *sequence_mistakes("rnn"),
)

# The step written out for structural substitutions (judge.substitutions): dx through Wh, tanh' at a, ...
DERIVATION = Derivation(
    "rnn_step", "RNN step", ("rnn_step_backward", "rnn_backward"),
    inputs=("x", "prev_h", "Wx", "Wh", "b"), upstream=("dnext_h",),
    forward="a = x @ Wx + prev_h @ Wh + b\nnext_h = np.tanh(a)\n",
    backward=lines(
        ("da", "dnext_h * tanh_derivative(next_h)", "next_h = tanh(a)"),
        ("dx", "da @ Wx.T", "a = x Wx + prev_h Wh + b"),
        ("dprev_h", "da @ Wh.T", "a = x Wx + prev_h Wh + b"),
        ("dWx", "x.T @ da", "a = x Wx + prev_h Wh + b"),
        ("dWh", "prev_h.T @ da", "a = x Wx + prev_h Wh + b"),
        ("db", "da.sum(axis=0)", "a = x Wx + prev_h Wh + b, b shared by the batch")),
    grads=("dx", "dprev_h", "dWx", "dWh", "db"), states=("h",),
    siblings=(("Wx", "Wh"), ("x", "prev_h"), ("prev_h", "next_h"), ("tanh_derivative", "sigmoid_derivative")),
    quantities=(("next_h", "da", (("a", "tanh's derivative taken at the pre-activation a instead of at next_h = tanh(a)"),
                            ("prev_h", "tanh's derivative taken at prev_h instead of at next_h"))),))
