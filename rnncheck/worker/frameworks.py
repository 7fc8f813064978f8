"""A course's framework in the worker: NumPy as it is, or PyTorch (tensors in, arrays out).

The parent names the course's framework in the start message. For
``"torch"`` (EECS 498), ``load`` imports torch once, before the worker is
confined and before any submission runs (its files must be readable: the
parent lists torch among the readable packages for that course only), and
from then on:

- every input and upstream gradient reaches the submission as a tensor
  sharing memory with the worker's own copy of the array (float64 stays
  float64, integers become int64, booleans bool), so that a function that
  changes its input in place is still seen doing so;
- every returned tensor becomes an array before it is described
  (``.detach().cpu().numpy()``); one that requires grad or lives on a GPU is
  converted all the same and named in a warning.  The cache is never
  converted: only the submission's own backward reads it;
- while a backward runs (``refusing_autograd``), torch's autograd
  (``torch.autograd.backward``, which ``Tensor.backward`` calls, and
  ``torch.autograd.grad``) raises ``AutogradUsed``: the homework is the
  derivation.  The parent also refuses such a backward from its source
  (``load.autograd_use``) before anything runs; this catches the rest.

This module imports no framework itself (the worker imports neither autograd
nor torch at module level: ``setup.cfg``); what it uses is bound in ``load``,
before any submission runs.
"""
import builtins
import contextlib
import importlib
import warnings

import numpy as np

__builtins__ = dict(vars(builtins))  # functions below keep this snapshot

_warn, _nullcontext, _int64 = warnings.warn, contextlib.nullcontext, np.int64


class AutogradUsed(Exception):
    """A backward called torch's autograd."""


class NumPy:
    """Arrays in, arrays out: nothing to do."""
    name = "numpy"

    def inputs(self, arrays):
        return arrays

    def to_array(self, value):
        return value

    def refusing_autograd(self):
        return _nullcontext()


class Torch:
    """Tensors in, arrays out; autograd refused during a backward."""
    name = "torch"

    def __init__(self):
        torch = importlib.import_module("torch")
        torch.set_num_threads(1)  # as BLAS is in every worker (forkserver.environment)
        torch.ones(2, 2, dtype=torch.float64) @ torch.ones(2, 2, dtype=torch.float64)  # cpuinfo reads /proc now
        self.tensor, self.from_numpy = torch.Tensor, torch.from_numpy
        self.autograd = torch.autograd
        self.backward, self.grad = torch.autograd.backward, torch.autograd.grad
        self.refusing = False
        self.autograd.backward, self.autograd.grad = self._refused(self.backward), self._refused(self.grad)

    def _refused(self, function):
        name = f"torch.autograd.{function.__name__}" + (" (Tensor.backward)" if function.__name__ == "backward" else "")

        def guarded(*args, **kwargs):
            if self.refusing:
                raise AutogradUsed(f"this assignment asks for gradients derived by hand, not by torch's autograd; "
                                   f"the backward called {name}")
            return function(*args, **kwargs)
        guarded.__name__, guarded.__doc__ = function.__name__, function.__doc__
        return guarded

    def inputs(self, arrays):
        """Tensors over the arrays' own memory (integers as int64)."""
        return [self.from_numpy(a if a.dtype.kind not in "iu" else a.astype(_int64, copy=False)) for a in arrays]

    def to_array(self, value):
        """A returned tensor as an array (a warning when it requires grad or is not on the CPU); anything else as is."""
        try:
            if not isinstance(value, self.tensor):
                return value
            notes = []
            if value.requires_grad:
                notes.append("requires grad (compared after .detach())")
            if value.device.type != "cpu":
                notes.append(f"lives on {value.device} (copied to the CPU to compare)")
            if notes:
                _warn(f"returned a tensor of shape {tuple(value.shape)} that {' and '.join(notes)}", RuntimeWarning)
            return value.detach().cpu().resolve_conj().resolve_neg().numpy()
        except Exception:  # a hostile subclass, a dtype NumPy lacks: described as it is (junk, with why)
            return value

    def refusing_autograd(self):
        return _Refusing(self)


class _Refusing:
    def __init__(self, framework):
        self.framework = framework

    def __enter__(self):
        self.framework.refusing = True

    def __exit__(self, *exc):
        self.framework.refusing = False


ACTIVE = NumPy()


def load(name):
    """Make ``name`` (``"numpy"``, ``"torch"`` or None) the worker's framework; import it now, before confinement."""
    global ACTIVE
    ACTIVE = Torch() if name == "torch" else NumPy()
    return ACTIVE
