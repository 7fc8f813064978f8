# Writes a well-formed reply of its own (claiming an output in an array that does not
# exist) into the result pipe: checked field by field in the parent and refused.
# expect-error: temporal_affine_forward
# expect-skipped: temporal_affine_backward
# message: temporal_affine_forward: sent back an invalid result \(invalid reply
import json
import os
import struct


def temporal_affine_forward(x, w, b):
    reply = json.dumps({"ok": True, "id": 0, "container": "tuple", "count": 2, "mutated": [],
                        "outputs": [{"kind": "array", "type": "ndarray", "index": 7}],
                        "arrays": []}).encode()
    for name in os.listdir("/proc/self/fd"):
        try:
            if int(name) > 2 and os.readlink(f"/proc/self/fd/{name}").startswith("pipe:"):
                os.write(int(name), struct.pack(">I", len(reply)) + reply)
        except OSError:
            pass
    N, T, D = x.shape
    out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
    return out, (x, w, b, out)
