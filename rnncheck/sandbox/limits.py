"""What bounds a worker, and what its failures look like to the parent.

``Limits`` are the caps a check runs under (time, memory, output, scratch,
tasks); ``Crash`` is a request that ended without an answer (an error or a
timeout); ``BLOCKED`` the packages a submission may not import; the
environment switches turn confinement layers off for tests and benchmarks.
"""
import os
from dataclasses import dataclass


BLOCKED = ("autograd", "torch", "jax", "jaxlib", "tensorflow", "rnncheck")
READABLE = ("numpy",)  # packages a confined worker may read, besides the standard library
SWITCHES = {"landlock": "RNNCHECK_DISABLE_LANDLOCK", "seccomp": "RNNCHECK_DISABLE_SECCOMP",
            "namespaces": "RNNCHECK_DISABLE_NAMESPACES", "user": "RNNCHECK_DISABLE_USER"}


@dataclass
class Limits:
    """Resource limits for submitted code (all overridable on the CLI)."""
    call_seconds: float = 10.0
    load_seconds: float = 20.0
    memory_bytes: int = 2 << 30
    output_bytes: int = 64 << 10
    result_bytes: int = 64 << 20
    scratch_bytes: int = 256 << 20  # what the worker may write into its scratch directory
    tasks: int = 64  # threads (and processes) of one worker at once, its main thread included
    require_isolation: bool = False  # refuse to run submitted code without full confinement
    private: bool = False  # a batch: the worker reads its own file, not the other files of its folder
    support: tuple = ()  # files or folders every worker may read and import from (a course's provided modules)
    strict: bool = False  # a numerical gradient fails instead of passing with a warning (judge.numeric)


class IsolationMissing(Exception):
    """``require_isolation`` is set and the worker could not be fully confined; the message says how."""


class Crash(Exception):
    """The worker died, hung or broke the protocol during a request.

    ``status`` is the verdict status it means: ``timeout`` or ``error``.
    ``unsent`` is true when the worker was already gone before it could read
    the request: the death belongs to an earlier request (a thread it left).
    """

    def __init__(self, status, message, unsent=False):
        super().__init__(message)
        self.status = status
        self.message = message
        self.unsent = unsent


def disabled_layers(environ=None):
    """Confinement layers turned off by the environment: {"landlock" | "seccomp" | "namespaces" | "user": why}.

    ``RNNCHECK_DISABLE_LANDLOCK=1`` and ``RNNCHECK_DISABLE_SECCOMP=1`` let tests
    and benchmarks simulate a kernel without them; ``RNNCHECK_DISABLE_NAMESPACES=1``
    a machine where the worker cannot have a scratch tmpfs of its own, and
    ``RNNCHECK_DISABLE_USER=1`` root keeping uid 0 (no task cap).  The
    verdict reports them as missing like any other absent protection.
    """
    environ = os.environ if environ is None else environ
    return {layer: f"{name} is set" for layer, name in SWITCHES.items() if environ.get(name, "") not in ("", "0")}
