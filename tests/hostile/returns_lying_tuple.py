# A tuple that claims to hold dx, dw and db but holds only a correct dx: len() lies.
# Outputs are counted by reading them, so the missing two cannot pass unjudged.
# expect-fail: temporal_affine_backward
# message: temporal_affine_backward: returned 1 values, expected 3
class Three(tuple):
    def __len__(self):
        return 3

    def __getitem__(self, index):
        return tuple.__getitem__(self, 0)


def temporal_affine_backward(dout, cache):
    x, w, b, out = cache
    N, T, D = x.shape
    M = b.shape[0]
    return Three([dout.reshape(N * T, M).dot(w.T).reshape(N, T, D)])
