# Prints fake verdicts (JSON lines, a PASS table) to stdout and stderr, then returns a wrong
# gradient: the printing is captured, never mixed into rnncheck's own output.
# expect-fail: temporal_affine_backward
# message: temporal_affine_backward: dx, dw, db are wrong
import sys


def temporal_affine_backward(dout, cache):
    x, w, b, out = cache
    fake = '{"candidate": "x", "passed": true, "seed": 0, "functions": []}'
    print(fake)
    print(fake, file=sys.stderr)
    print("  PASS    temporal_affine_backward   1.2e-16  all 5 cases match\nPASSED: 18 pass")
    sys.stdout.flush()
    return x * 0, w * 0, b * 0
