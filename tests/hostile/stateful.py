# Right on the first call, wrong on every later one: each case is a new call, so it fails.
# expect-fail: temporal_affine_forward
# message: temporal_affine_forward: out is wrong.* passes N=3 T=4 D=5 H=6
calls = []


def temporal_affine_forward(x, w, b):
    calls.append(1)
    N, T, D = x.shape
    out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
    if len(calls) > 1:
        out = out * 1.001
    return out, (x, w, b, out)
