# Writes 1 MiB files into its working directory (its scratch space) until it has written
# 16 MiB, under a scratch cap of 8 MiB: the write past the cap fails, the function is an
# error that says so, every other function is still checked, and nothing is left on disk.
# args: --scratch 8M
# expect-error: temporal_affine_forward
# expect-skipped: temporal_affine_backward
# message: temporal_affine_forward: scratch space


def temporal_affine_forward(x, w, b):
    for index in range(16):
        with open(f"part{index}.bin", "wb") as part:
            part.write(b"\0" * (1 << 20))
    N, T, D = x.shape
    out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
    return out, (x, w, b, out)
