"""Known mistakes of the GRU (step and sequence): edits of manual/gru.py."""
from .derivation import Derivation, lines
from .entry import mistake
from .sequences import sequence_mistakes

GRU_BOTH = "gru_step_backward gru_backward"
MISTAKES = (
    # GRU
    mistake("gru_step_dz_sign", GRU_BOTH, "dz = dnext_h * (n - prev_h): the sign of the update gate gradient",
       "next_h = (1 - z) * n + z * prev_h, so dz = dnext_h * (prev_h - n)", "gru",
       ("    dz = dnext_h * (prev_h - n)\n", "    dz = dnext_h * (n - prev_h)\n")),
    mistake("gru_step_no_tanh_derivative", GRU_BOTH, "forgot the tanh derivative of the candidate n",
       "n = tanh(a_n): da_n = dn * (1 - n ** 2)", "gru",
       ("    np.multiply(dn, 1 - n ** 2, out=da_n)\n", "    da_n[...] = dn\n")),
    mistake("gru_step_dprev_h_without_gate_paths", GRU_BOTH,
       "dprev_h misses the paths through the gates r and z",
       "prev_h also enters a_r and a_z: add [da_r | da_z] @ Wh[:, :2H].T to dprev_h", "gru",
       ("    dprev_h += da[:, :2 * H] @ Wh[:, :2 * H].T\n", "")),
    mistake("gru_step_dprev_h_without_reset_path", GRU_BOTH,
       "dprev_h misses the path through r * prev_h",
       "reset_h = r * prev_h feeds the candidate: add dreset_h * r to dprev_h", "gru",
       ("    dprev_h += dreset_h * r\n", "")),
    mistake("gru_step_dWh_n_from_prev_h", GRU_BOTH, "dWh_n computed from prev_h instead of r * prev_h",
       "Wh_n multiplies reset_h = r * prev_h, so dWh_n = (r * prev_h).T @ da_n", "gru",
       ("reset_h.T @ da[:, 2 * H:]", "prev_h.T @ da[:, 2 * H:]")),
    mistake("gru_update_gate_swapped", "gru_step_forward gru_step_backward gru_forward gru_backward",
       "next_h = z * n + (1 - z) * prev_h: the update gate weighs the other side",
       "the assignment's GRU keeps the old state with z: next_h = (1 - z) * n + z * prev_h", "gru",
       ("    np.add((1 - z) * n, z * prev_h, out=next_h)\n", "    np.add(z * n, (1 - z) * prev_h, out=next_h)\n"),
       ("    dn = dnext_h * (1 - z)\n    dz = dnext_h * (prev_h - n)\n    dprev_h = dnext_h * z\n",
        "    dn = dnext_h * z\n    dz = dnext_h * (n - prev_h)\n    dprev_h = dnext_h * (1 - z)\n")),
    mistake("gru_reset_after_product", "gru_step_forward gru_step_backward gru_forward gru_backward",
       "the reset gate applied after the product, r * (prev_h Wh_n) (the cuDNN/PyTorch variant)",
       "this assignment's GRU resets before the product: n = tanh(x Wx_n + (r * prev_h) Wh_n + b_n)", "gru",
       ("    np.multiply(r, prev_h, out=reset_h)\n    n += reset_h @ Wh[:, 2 * H:]\n",
        "    reset_h[...] = r  # r * (prev_h Wh_n): dWh_n needs r itself\n"
        "    n += r * (prev_h @ Wh[:, 2 * H:])\n"),
       ("    dreset_h = da_n @ Wh[:, 2 * H:].T\n    # reverse of: reset_h = r * prev_h\n"
        "    dr = dreset_h * prev_h\n    dprev_h += dreset_h * r\n",
        "    dr = da_n * (prev_h @ Wh[:, 2 * H:])\n    dprev_h += (da_n * r) @ Wh[:, 2 * H:].T\n"),
       ("reset_h.T @ da[:, 2 * H:]", "prev_h.T @ (reset_h * da[:, 2 * H:])")),
    mistake("gru_forward_h0_every_step", "gru_forward gru_backward", "used h0 at every time step",
       "step t starts from the hidden state of step t - 1 (h0 only for t = 0): prev_h = next_h after each step",
       "gru", ("_step(a[:, t], h[t], Wh, h[t + 1]", "_step(a[:, t], h0, Wh, h[t + 1]")),
    # Forward mistakes (with the unchanged backwards, which read what the mistaken forward cached).
    mistake("gru_candidate_sigmoid", "gru_step_forward gru_step_backward gru_forward gru_backward",
       "the candidate n is a sigmoid instead of a tanh",
       "r and z are sigmoids but n = np.tanh(x Wx_n + (r * prev_h) Wh_n + b_n)", "gru",
       ("    np.tanh(n, out=n)\n", "    sigmoid_in_place(n)\n")),
    mistake("gru_forward_h0_ignored", "gru_forward gru_backward", "h0 is ignored: the hidden state starts at zero",
       "the first step starts from the given initial state: prev_h = h0 before the loop", "gru",
       ("    h[0] = h0\n", "    h[0] = 0\n")),
    mistake("gru_forward_reversed_time", "gru_forward", "the forward walks time backwards (t = T - 1 down to 0)",
       "the recurrence runs forward in time: for t in range(T), step t starts from h[:, t - 1] (h0 for t = 0)",
       "gru", ("    x_time_major = np.ascontiguousarray(x.transpose(1, 0, 2))\n",
               "    x_time_major = np.ascontiguousarray(x[:, ::-1].transpose(1, 0, 2))\n"),
       ("    return h[1:].transpose(1, 0, 2).copy(), GRUCache", "    return h[:0:-1].transpose(1, 0, 2).copy(), GRUCache")),
    *sequence_mistakes("gru"),
)

# The step written out for structural substitutions (judge.substitutions): Wh_z for Wh_r, a missing path, ...
DERIVATION = Derivation(
    "gru_step", "GRU step", ("gru_step_backward", "gru_backward"),
    inputs=("x", "prev_h", "Wx", "Wh", "b"), upstream=("dnext_h",),
    forward="H = prev_h.shape[1]\n"
            "Wx_r, Wx_z, Wx_n = Wx[:, :H], Wx[:, H:2 * H], Wx[:, 2 * H:]\n"
            "Wh_r, Wh_z, Wh_n = Wh[:, :H], Wh[:, H:2 * H], Wh[:, 2 * H:]\n"
            "r = sigmoid(x @ Wx_r + prev_h @ Wh_r + b[:H])\nz = sigmoid(x @ Wx_z + prev_h @ Wh_z + b[H:2 * H])\n"
            "reset_h = r * prev_h\nn = np.tanh(x @ Wx_n + reset_h @ Wh_n + b[2 * H:])\n"
            "next_h = (1 - z) * n + z * prev_h\n",
    backward=lines(
        ("dn", "dnext_h * (1 - z)", "next_h = (1 - z) * n + z * prev_h"),
        ("dz", "dnext_h * (prev_h - n)", "next_h = (1 - z) * n + z * prev_h"),
        ("da_n", "dn * tanh_derivative(n)", "n = tanh(a_n)"),
        ("dreset_h", "da_n @ Wh_n.T", "a_n = x Wx_n + reset_h Wh_n + b_n"),
        ("dr", "dreset_h * prev_h", "reset_h = r * prev_h"),
        ("da_r", "dr * sigmoid_derivative(r)", "r = sigmoid(a_r)"),
        ("da_z", "dz * sigmoid_derivative(z)", "z = sigmoid(a_z)"),
        ("da", "np.hstack((da_r, da_z, da_n))", "a = [a_r | a_z | a_n]"),
        ("dx", "da @ Wx.T", "a = x Wx + [prev_h Wh_r | prev_h Wh_z | reset_h Wh_n] + b"),
        ("dprev_h", "dnext_h * z + dreset_h * r + da_r @ Wh_r.T + da_z @ Wh_z.T",
         "prev_h feeds next_h, reset_h = r * prev_h, a_r and a_z"),
        ("dWx", "x.T @ da", "a = x Wx + ... + b"),
        ("dWh", "np.hstack((prev_h.T @ da_r, prev_h.T @ da_z, reset_h.T @ da_n))",
         "a_r, a_z take prev_h Wh_r, prev_h Wh_z and a_n takes reset_h Wh_n"),
        ("db", "da.sum(axis=0)", "a = x Wx + ... + b, b shared by the batch")),
    grads=("dx", "dprev_h", "dWx", "dWh", "db"), states=("h",),
    siblings=(("Wx", "Wh"), ("x", "prev_h"), ("r", "z"), ("prev_h", "reset_h"), ("Wh_r", "Wh_z", "Wh_n"),
              ("n", "next_h"), ("r", "prev_h"), ("tanh_derivative", "sigmoid_derivative")),
    quantities=(
        ("n", "da_n", (("np.tanh(n)", "tanh's derivative of n taken at tanh(n), but n is already a tanh"),)),
        ("r", "da_r", (("sigmoid(r)", "the sigmoid derivative of r taken at sigmoid(r), but r is already a sigmoid"),)),
        ("z", "da_z", (("sigmoid(z)", "the sigmoid derivative of z taken at sigmoid(z), but z is already a sigmoid"),))))
