"""One known mistake per wrong order of the LSTM's and the GRU's gate blocks (generated)."""
import itertools

from .entry import mistake


def _picks(order, gates):
    """Where a candidate's ``order`` keeps each of the assignment's ``gates``, as text: "1, 0, 2, 3"."""
    return ", ".join(str(order.index(gate)) for gate in gates)


def _blocks(order, gates):
    """Column indices that read the assignment's gate blocks from a candidate's ``order``."""
    return f"np.concatenate([np.arange(k * H, (k + 1) * H) for k in ({_picks(order, gates)},)])"


def gate_orders():
    """One mistake per wrong order of the LSTM's and the GRU's gate blocks."""
    found = []
    for order in map("".join, itertools.permutations("ifog")):
        if order == "ifog":
            continue
        found.append(mistake(
            f"lstm_gate_order_{order}", "lstm_step_forward lstm_step_backward lstm_forward lstm_backward",
            f"LSTM gate blocks taken in order {', '.join(order)}; the assignment's order is i, f, o, g",
            "slice a = x Wx + prev_h Wh + b as i = a[:, :H], f = a[:, H:2H], o = a[:, 2H:3H], g = a[:, 3H:] "
            "and concatenate the backward's gate gradients in that same order",
            "lstm",
            ("    a += gate_blocks(prev_h @ Wh, 4)\n",
             f"    a += gate_blocks(prev_h @ Wh, 4)\n    a[...] = a[[{_picks(order, 'ifog')}]]\n"),
            ("    dprev_h = da @ Wh.T\n",
             f"    gate_blocks(da, 4)[...] = gate_blocks(da, 4)[[{_picks('ifog', order)}]]\n"
             "    dprev_h = da @ Wh.T\n")))
    for order in map("".join, itertools.permutations("rzn")):
        if order == "rzn":
            continue
        take = _blocks(order, "rzn")
        found.append(mistake(
            f"gru_gate_order_{order}", "gru_step_forward gru_step_backward gru_forward gru_backward",
            f"GRU gate blocks taken in order {', '.join(order)}; the assignment's order is r, z, n",
            "the 3H axis of Wx, Wh and b holds r = [:, :H], z = [:, H:2H], n = [:, 2H:]; use that order in the "
            "forward and in the backward's gradients",
            "gru",
            ("    a[:2] += gate_blocks(prev_h @ Wh[:, :2 * H], 2)\n",
             f"    a[...], Wh = a[[{_picks(order, 'rzn')}]], Wh[:, {take}]\n"
             "    a[:2] += gate_blocks(prev_h @ Wh[:, :2 * H], 2)\n"),
            ("    prev_h, r, z, n, reset_h = step\n    H = prev_h.shape[1]\n",
             f"    prev_h, r, z, n, reset_h = step\n    H = prev_h.shape[1]\n    Wh = Wh[:, {take}]\n"),
            ("    return dprev_h\n\n\ndef _weight",
             f"    da[...] = da[:, np.argsort({take})]\n    return dprev_h\n\n\ndef _weight"),
            ("    return np.concatenate([prev_h.T @ da[:, :2 * H], reset_h.T @ da[:, 2 * H:]], axis=1)\n",
             f"    da = da[:, {take}]\n"
             "    return np.concatenate([prev_h.T @ da[:, :2 * H], reset_h.T @ da[:, 2 * H:]], axis=1)"
             f"[:, np.argsort({take})]\n")))
    return found


MISTAKES = tuple(gate_orders())
