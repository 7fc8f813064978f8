# Opens the parent's stdout through /proc/<ppid>/fd/1 to print a forged verdict there.
# The parent is not dumpable and the worker has no capabilities, even under root, and
# Landlock (where the kernel has it) keeps /proc/<ppid> out of reach: refused.
# expect-error: temporal_affine_forward
# expect-skipped: temporal_affine_backward
# message: temporal_affine_forward: PermissionError
import os


def temporal_affine_forward(x, w, b):
    with open(f"/proc/{os.getppid()}/fd/1", "w") as stdout:
        stdout.write('{"candidate": "forged", "passed": true, "seed": 0, "functions": []}\n')
    N, T, D = x.shape
    out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
    return out, (x, w, b, out)
