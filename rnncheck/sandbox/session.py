"""Parent side of the isolation: a submission's requests, served by workers that are replaced when they fail.

A ``Sandbox`` outlives workers (``process.Worker``): when one dies, hangs or
reports a failed call it is retired, and the next request gets a fresh
worker that replays the statements that loaded before.  While a sandbox is
open the parent process is not dumpable, which closes its ``/proc`` entries
(open files, memory, environment) to processes of the same user, the worker
included.
"""
import ctypes
import threading

from ..worker import wire
from .limits import BLOCKED, Crash, Limits
from .process import Worker


class Sandbox:
    """Runs a submission's requests, replacing workers that die, hang or fail."""

    def __init__(self, source, limits=None, blocked=BLOCKED, course=None):
        self.source, self.limits, self.blocked, self.course = source, limits or Limits(), blocked, course
        self.loaded, self.worker = [], None
        self.retired_total, self.retired_kept = 0, bytearray()
        self.isolation = None  # what confined the last worker started (rnncheck.worker.confine.confine)

    def __enter__(self):
        _UNDUMPABLE.enter()
        return self

    def __exit__(self, *exc):
        self._retire()
        _UNDUMPABLE.exit()

    @property
    def output_total(self):
        """Bytes the submission printed so far, in all its workers."""
        return self.retired_total + (self.worker.output.total if self.worker else 0)

    @property
    def output(self):
        """The first ``limits.output_bytes`` of what the submission printed."""
        kept = bytes(self.retired_kept)
        if self.worker:
            kept += bytes(self.worker.output.kept)
        return kept[:self.limits.output_bytes]

    def execute(self, indexes):
        """Run the top-level statements ``indexes`` in order, in one round trip.

        Yields for each: None when it loaded, its failure header, or the Crash it caused.
        """
        for index, answer in zip(indexes, self.stream(map(self._statement, indexes))):
            if isinstance(answer, Crash):
                yield answer
            elif answer[0]["ok"]:
                self.loaded.append(index)
                yield None
            else:
                yield answer[0]

    def _statement(self, index):
        """The request that runs top-level statement ``index``."""
        return {"op": "exec", "index": index}, (), self.limits.load_seconds

    def request(self, header, arrays=(), seconds=None):
        """One request to a live worker; its (reply, arrays), or raises Crash (``stream`` of one)."""
        (answer,) = self.stream([(header, arrays, seconds)])
        if isinstance(answer, Crash):
            raise answer
        return answer

    def stream(self, requests):
        """Answer ``requests`` ([(header, arrays, seconds)]) in order, sent in one message.

        Yields, for each, its (reply, arrays) or the Crash it met.  A worker
        found dead before it could read the requests is replaced and they are
        sent once more.  After a call that failed, or one that left a thread
        running, the worker is retired, and so after a crash: memory it
        holds, modules it patched or a thread it started must not cost the
        next function its verdict, and nothing a call starts outlives it.
        The requests left then go to a fresh worker (which replays the
        statements that loaded).  Stopped early, the stream reads the answers
        still on their way, or retires a worker that cannot give them.
        """
        pending, resent, answers = list(requests), False, None
        try:
            while pending:
                try:
                    if self.worker is None:
                        self._start()
                    answers = self.worker.exchange(pending)
                    for reply, values in answers:
                        header, resent = pending.pop(0)[0], False
                        retire = wire.spent(header, reply)
                        if retire:
                            self._retire()
                        yield reply, values
                        if retire:
                            break
                except Crash as crash:
                    self._retire()
                    if crash.unsent and not resent:
                        resent = True
                        continue
                    pending.pop(0)
                    resent = False
                    yield crash
        finally:
            if pending and self.worker is not None:
                self._drain(answers, pending)

    def _drain(self, answers, pending):
        """Read the answers a stream stopped early left on their way (a function's other cases)."""
        try:
            for (header, _, _), (reply, _) in zip(pending, answers):
                if wire.spent(header, reply):
                    self._retire()
                    return
        except Crash:
            self._retire()

    def _start(self):
        for _ in range(len(self.loaded) + 1):
            self.worker = Worker(self.source, self.limits, self.blocked, self.course)
            self.isolation = self.worker.isolation
            replayed = 0
            try:
                for _ in self.worker.exchange(map(self._statement, self.loaded)):
                    replayed += 1
                return
            except Crash:
                del self.loaded[replayed]  # it loaded once, but not again: leave it out
                self._retire()
        raise Crash("error", "the worker could not be restarted")

    def _retire(self):
        if self.worker is not None:
            self.worker.close()
            self.retired_total += self.worker.output.total
            room = self.limits.output_bytes - len(self.retired_kept)
            self.retired_kept += self.worker.output.kept[:max(room, 0)]
            self.worker = None


def forward_call(layer):
    """The header of a ``call`` request running ``layer``'s forward (a course's entry) on its inputs, in order."""
    header = {"op": "call", "function": layer.forward, "inputs": [i.name for i in layer.inputs],
              "args": arguments(layer), "outputs": list(layer.outputs), "cache": bool(layer.backward)}
    return dict(header, kwargs=dict(layer.given)) if layer.given else header


def arguments(layer):
    """How the worker builds the call's arguments from the leaves: ``[[name, None | [keys]]]``, or None."""
    layout = layer.arguments()
    return None if all(keys is None for _, keys in layout) else [[name, keys and list(keys)] for name, keys in layout]


class _Undumpable:
    """The parent is not dumpable while any sandbox is open, in any thread (see ``_set_dumpable``).

    Counted, so that with sandboxes open side by side (a batch) the first to
    close does not make the process dumpable while the others still run.
    """

    def __init__(self):
        self.lock, self.open, self.previous = threading.Lock(), 0, None

    def enter(self):
        with self.lock:
            if self.open == 0:
                self.previous = _set_dumpable(False)
            self.open += 1

    def exit(self):
        with self.lock:
            self.open -= 1
            if self.open == 0 and self.previous:
                _set_dumpable(True)


def _set_dumpable(flag):
    """``prctl(PR_SET_DUMPABLE)`` on Linux; returns the previous setting (None elsewhere).

    A process that is not dumpable keeps ``/proc/<pid>/fd``, ``mem`` and
    ``environ`` closed to other processes of its user: the worker cannot
    write into the parent's stdout or read its memory (root, holding
    CAP_SYS_PTRACE, still can: run rnncheck as an unprivileged user).
    """
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    previous = prctl(3, 0, 0, 0, 0)  # PR_GET_DUMPABLE
    if previous < 0:
        return None
    prctl(4, int(flag), 0, 0, 0)  # PR_SET_DUMPABLE
    return bool(previous)


_UNDUMPABLE = _Undumpable()
