"""The command's entry point: the fork server starts first, then rnncheck imports the rest.

The fork server (``forkserver``) imports NumPy for the workers in a process
of its own; started before this process imports NumPy, autograd and the
verifier, both import at once, and the first worker is ready when the first
submission needs it.
"""
import sys


def entry():
    from . import forkserver
    forkserver.prestart()
    from .expected import start_oracle
    start_oracle()
    from .cli import main
    sys.exit(main())
