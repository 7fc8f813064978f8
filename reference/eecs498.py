"""EECS 498/598's layers that CS231n's do not have, as autograd graphs: attention and its LSTM, the loss.

The recurrent layers themselves are CS231n's (``rnn``, ``lstm``: gate
blocks of the 4H axis in order i, f, o, g).  New here:

- the LSTM step with an attention input (``attn Wattn`` added to the gates'
  pre-activation);
- scaled dot-product attention over the 4x4 positions of a projected CNN
  activation, and the attention LSTM over a sequence;
- the temporal softmax loss with an ignored word index (the course's
  ``<NULL>``), where CS231n has a mask.

N batch, T time, D input, H hidden, V vocabulary.
"""
import autograd.numpy as np

from .lstm import lstm_cell
from .temporal import _masked_cross_entropy


def lstm_step_attention(x, prev_h, prev_c, Wx, Wh, b, attn, Wattn):
    """One LSTM step whose gates also see an attention vector.

        a = x Wx + prev_h Wh + b + attn Wattn        (N, 4H), blocks i, f, o, g

    x (N, D), prev_h, prev_c, attn (N, H), Wx (D, 4H), Wh, Wattn (H, 4H), b (4H,)
    -> next_h (N, H), next_c (N, H).
    """
    return lstm_cell(x @ Wx + b + attn @ Wattn, prev_h, prev_c, Wh)


def dot_product_attention(prev_h, A):
    """Scaled dot-product attention of ``prev_h`` over the P = 4 x 4 positions of ``A``.

        scores[n, k] = prev_h[n] . A[n, :, k] / sqrt(H)      (N, P)
        weights = softmax over k of scores
        attn[n] = sum over k of weights[n, k] A[n, :, k]     (N, H)

    prev_h (N, H), A (N, H, 4, 4) -> attn (N, H), attn_weights (N, 4, 4).
    """
    N, H, rows, columns = A.shape
    flat = np.reshape(A, (N, H, rows * columns))
    scores = np.einsum("nh,nhk->nk", prev_h, flat) / np.sqrt(H)
    shifted = np.exp(scores - np.max(scores, axis=1, keepdims=True))
    weights = shifted / np.sum(shifted, axis=1, keepdims=True)
    return np.einsum("nhk,nk->nh", flat, weights), np.reshape(weights, (N, rows, columns))


def attention_lstm(x, A, Wx, Wh, Wattn, b):
    """The attention LSTM over a sequence: h0 = c0 = the mean of A over its positions.

    At every step attn = dot_product_attention(prev_h, A), then ``lstm_step_attention``.
    x (N, T, D), A (N, H, 4, 4) -> h (N, T, H).
    """
    h = c = np.mean(A, axis=(2, 3))
    hs = []
    for t in range(x.shape[1]):
        attn, _ = dot_product_attention(h, A)
        h, c = lstm_step_attention(x[:, t, :], h, c, Wx, Wh, b, attn, Wattn)
        hs.append(h)
    return np.stack(hs, axis=1)


def temporal_softmax_loss(x, y, ignore_index=None):
    """Softmax loss summed over every (n, t) whose word is not ``ignore_index``, divided by N.

    x (N, T, V) scores, y int (N, T) -> loss (scalar).
    """
    mask = np.ones(y.shape) if ignore_index is None else (y != ignore_index)
    return _masked_cross_entropy(x, y, mask)
