"""manual/gates.py: the gate blocks the LSTM and GRU keep gate-major are the assignment's column blocks."""
import numpy as np
import pytest

from rnncheck.manual.gates import gate_blocks, gate_projection


@pytest.mark.parametrize("G", [3, 4])
def test_gate_blocks_are_views_of_the_column_blocks(G):
    H = 5
    w = np.arange(2 * G * H, dtype=np.float64).reshape(2, G * H)
    blocks = gate_blocks(w, G)
    assert blocks.shape == (G, 2, H)
    for k in range(G):
        np.testing.assert_array_equal(blocks[k], w[:, k * H:(k + 1) * H])
    blocks[1, 0, 0] = -1.0  # a view: writing a block writes w
    assert w[0, H] == -1.0


@pytest.mark.parametrize("dtypes", [(np.float64, np.float64, np.float64), (np.float32, np.float32, np.float64),
                                    (np.float32, np.float32, np.float32)])
def test_gate_projection_is_the_affine_layer_split_into_gates(dtypes):
    rng = np.random.default_rng(0)
    G, M, D, H = 4, 6, 3, 5
    x, w, b = (rng.standard_normal(shape).astype(dtype) for shape, dtype in zip([(M, D), (D, G * H), (G * H,)], dtypes))
    before = [x.copy(), w.copy(), b.copy()]
    a = gate_projection(x, w, b, G)
    assert a.shape == (G, M, H) and a.dtype == np.result_type(*dtypes)
    assert all(k.flags.c_contiguous for k in a)
    expected = x.astype(np.float64) @ w.astype(np.float64) + b.astype(np.float64)
    tolerance = 1e-12 if np.result_type(x, w) == np.float64 else 1e-5  # the product is taken in x's and w's type
    np.testing.assert_allclose(a, gate_blocks(expected, G), rtol=tolerance, atol=tolerance)
    for original, now in zip(before, [x, w, b]):
        np.testing.assert_array_equal(original, now)
