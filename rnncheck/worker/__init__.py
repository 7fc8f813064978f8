"""What runs inside the worker process, beside the submission: the standard library, NumPy and this package only.

``serve`` answers the parent's requests, ``confine`` locks the process down
before any submitted code runs (``caps`` first caps its scratch space and
tasks, as root too; ``readable`` says what it may still read), ``guards``
and ``fingerprint`` watch what a
call changes, ``refusals`` puts the kernel's refusals in words, and ``wire``
is the protocol both sides speak (JSON headers and raw arrays, never pickle).
Nothing here judges: an import contract keeps the rest of rnncheck out.
"""
