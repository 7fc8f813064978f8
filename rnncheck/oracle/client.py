"""The oracle in a process of its own: reference answers computed beside the check, not in its way.

Importing autograd and running the reference on every case of a seed costs
rnncheck about 0.1 s of CPU before and during a check, all of it on the
path from start to verdict.  The fork server (``forkserver.prestart``) forks
this oracle process as soon as it has imported NumPy, before any worker; the
oracle imports ``reference`` (autograd) at once, while rnncheck still
imports its own modules, then waits for a seed.  When rnncheck knows the
seed it asks for the cases of the layers it will check (``ask``), and the
answers stream back, in catalogue order, into the memo of ``expected``,
which serves them as if computed here.  rnncheck then never imports
autograd for a check that gets every answer this way.

Trust: the oracle runs only rnncheck's code, and it is forked before any
worker exists, from a server that never runs submitted code; like the
server it is not dumpable, so no worker can open its memory or descriptors.
Its answers still travel as ``wire`` messages (JSON and raw numeric arrays,
never pickle), checked field by field.  Wherever it cannot run, or dies, or
says something malformed, ``expected`` computes what is missing in this
process, exactly as before: the oracle only ever saves time.
"""
import os
import threading

from ..sandbox import forkserver
from ..worker import wire
from .answers import Expected


class Oracle:
    """Parent side: the oracle process's two pipes and the thread reading its answers."""

    def __init__(self, requests, answers, deliver, abandon):
        self.requests, self.answers = requests, answers
        self.deliver, self.abandon, self.lock = deliver, abandon, threading.Lock()
        threading.Thread(target=self._read, name="rnncheck-oracle", daemon=True).start()

    def ask(self, seed, layers):
        """Ask for every case of ``layers`` (one course's entries) under ``seed``; False if the oracle is gone."""
        with self.lock:
            try:
                wire.send(self.requests, {"seed": seed, "course": layers[0].course,
                                          "layers": [layer.name for layer in layers]})
            except OSError:
                return False
        return True

    def _read(self):
        """Deliver each answer as it arrives; at the end, whatever was asked and not answered is abandoned."""
        try:
            while True:
                header, arrays = wire.receive(self.answers)
                key = (int(header["seed"]), str(header["course"]), str(header["layer"]), int(header["case"]))
                sizes, scalars = [int(n) for n in header["sizes"]], list(header["scalars"])
                if len(sizes) != 4 or sum(sizes) != len(arrays) or len(scalars) != len(arrays):
                    raise wire.WireError("answer does not add up")
                values = [_frozen(array, scalar) for array, scalar in zip(arrays, scalars)]
                groups, start = [], 0
                for size in sizes:
                    groups.append(tuple(values[start:start + size]))
                    start += size
                self.deliver(key, Expected(*groups))
        except (wire.WireError, OSError, KeyError, TypeError, ValueError):
            pass  # ended (rnncheck exits) or broken: ``expected`` computes the rest here
        finally:
            self.abandon()
            for fd in (self.requests, self.answers):
                try:
                    os.close(fd)
                except OSError:
                    pass


def _frozen(array, scalar):
    """A received array made read-only, or the scalar it carries."""
    if scalar:
        return array.reshape(())[()]
    array.flags.writeable = False
    return array


_oracle, _attaching = None, threading.Lock()


def attach(deliver, abandon):
    """Read the answers of the oracle process the fork server started (``forkserver.prestart``); once per process."""
    global _oracle
    with _attaching:
        if _oracle is None:
            pipes = forkserver.oracle_pipes()
            if pipes is not None:
                _oracle = Oracle(*pipes, deliver, abandon)


def ask(seed, layers):
    """Ask the oracle for ``layers`` under ``seed``; False when there is none (compute them here)."""
    return _oracle is not None and _oracle.ask(seed, layers)
