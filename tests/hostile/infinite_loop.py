# A forward that never returns: killed at the per-call limit, its backward skipped.
# expect-timeout: temporal_affine_forward
# expect-skipped: temporal_affine_backward
# message: temporal_affine_forward: did not finish within 2 s
def temporal_affine_forward(x, w, b):
    while True:
        pass
