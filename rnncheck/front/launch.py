"""The command's entry point: the fork server starts first, then rnncheck imports the rest.

The fork server (``forkserver``) imports NumPy for the workers in a process
of its own, and forks the oracle process (``oracle``), which imports
autograd; started before this process imports NumPy and the verifier, all
three import at once, and the first worker and the first reference answers
are ready about when the first submission needs them.

Once the verdicts are out, the process ends at once (``os._exit``, after
flushing its output and stopping the fork server): tearing down NumPy and
the verifier module by module took longer than some checks.

Checking multiplies only small matrices here: BLAS runs on one thread (as
in the workers) unless the environment says otherwise, so that its idle
threads do not compete with the workers for the cores.  ``rnncheck
compare``, which multiplies large ones, keeps BLAS's own choice.
"""
import os
import sys

BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def entry():
    if sys.argv[1:2] != ["compare"]:
        for variable in BLAS_THREADS:
            os.environ.setdefault(variable, "1")
    from ..sandbox import forkserver
    forkserver.prestart()
    from .cli import main
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:  # a reader that went away (rnncheck | head): what is left has nowhere to go
            pass
    forkserver.stop()
    os._exit(code or 0)
