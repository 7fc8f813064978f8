"""Peak resident memory of one check: the parent process and its largest child.

    python benchmarks/peak_memory.py FILE [--seed 1]

Prints one JSON object {"parent_mb": ..., "child_mb": ...}: the parent's own
peak (getrusage RUSAGE_SELF) and the largest peak among its finished
descendants (RUSAGE_CHILDREN: the fork server, the workers and the oracle
process it forked), in MiB.
"""
import contextlib
import io
import json
import os
import resource
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from rnncheck.front import cli
from rnncheck.sandbox import forkserver  # noqa: E402


def main(argv):
    with contextlib.redirect_stdout(io.StringIO()):
        cli.main([*argv, "--format", "json"])
    forkserver.stop()  # its workers are its children: reaped, they count among this process's descendants
    mib = 1024  # ru_maxrss is in KiB on Linux
    print(json.dumps({"parent_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / mib,
                      "child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / mib}))


if __name__ == "__main__":
    main(sys.argv[1:])
