"""The worker: the only process that runs submitted code.

Started by ``sandbox.Worker`` with two pipe descriptors.  It executes the
submission's kept top-level statements one at a time and calls its
functions on fresh copies of the inputs it is sent.  Results go back as
plain numeric arrays and JSON (``wire``); values are never judged here.
Everything the submission could tamper with (NumPy, builtins, this module)
only affects the answers it gets credited with, which the parent checks
against its own reference.  What this module and ``wire`` use is bound at
import, before any submission runs, so that patching ``numpy``, ``json`` or
``builtins`` does not break the carrying of answers; a submission that goes
further (closes the channel, rewrites this module) only gets its function
reported as an error.
"""
import ast
import builtins
import linecache
import os
import resource
import sys
import time
import traceback
import warnings

import numpy as np

from . import calls, confine, frameworks, refusals, wire
from .fingerprint import changes, difference, fingerprint
from .guards import ImportBlocker, ModuleAttributes
from .readable import folder_entries, package_paths, support_folders

__builtins__ = dict(vars(builtins))  # functions below keep this snapshot

FILENAME = "<submission>"
BROKEN = 3  # exit status: the serving loop itself failed (channel closed or corrupted)
STALE = 4  # exit status: a call broke the channel, found before the next request of its batch ran
_array, _ndarray, _shape = np.array, np.ndarray, np.shape
_perf_counter, _extract_tb = time.perf_counter, traceback.extract_tb
_catch_warnings, _simplefilter = warnings.catch_warnings, warnings.simplefilter
_listdir, _explain, _forget = os.listdir, refusals.explain, refusals.forget
_fstat, _exit, _statvfs = os.fstat, os._exit, os.statvfs
_STREAMS = (sys.stdout, sys.stderr)  # flushed after every request: the worker ends with os._exit


class NoCache(Exception):
    """The forward returned no cache to hand to the backward."""


class Worker:
    """The submission's namespace and the requests the parent can make of it."""

    def __init__(self, start):
        self.namespace = {"__name__": "__submission__", "__builtins__": builtins}
        text = start["source"]
        self.tree = ast.parse(text)
        linecache.cache[FILENAME] = (len(text), None, text.splitlines(True), FILENAME)
        sys.path[:0] = support_folders(start)  # the course's helper files, before the student's own copies
        if start.get("directory") and not start.get("private"):
            sys.path.append(start["directory"])
        if start.get("preamble"):  # what the course's notebook environment defines (from rnn_utils import *)
            try:
                exec(compile(start["preamble"], "<course>", "exec"), self.namespace)
            except BaseException:
                pass  # a submission that needs it fails where it uses it, with its own error

    def exec(self, message, arrays):
        node = self.tree.body[message["index"]]
        code = compile(ast.Module(body=[node], type_ignores=[]), FILENAME, "exec")
        exec(code, self.namespace)
        return {}, []

    def names(self, message, arrays):
        return {"callable": [n for n in message["names"] if callable(self.namespace.get(n))]}, []

    def call(self, message, arrays):
        """Run one function on copies of ``arrays``; send back its outputs."""
        inputs = [a.copy() for a in arrays]
        result = self.namespace[message["function"]](*_arguments(message, frameworks.ACTIVE.inputs(inputs)),
                                                     **message.get("kwargs") or {})
        mutated = _mutated(message["inputs"], arrays, inputs)
        return _outputs(result, message["outputs"], message["cache"], mutated)

    def backward(self, message, arrays):
        """Re-run the forward on fresh inputs, hand its cache to the backward."""
        count = len(message["inputs"])
        inputs = [a.copy() for a in arrays[:count]]
        self.stage = "forward"
        result = self.namespace[message["forward"]](*_arguments(message, frameworks.ACTIVE.inputs(inputs)),
                                                    **message.get("kwargs") or {})
        if not isinstance(result, (tuple, list)) or len(result) < 2:
            raise NoCache(f"{message['forward']} returned {type(result).__name__}, "
                          "expected a tuple ending with the cache")
        cache = result[-1]
        before = fingerprint(cache) if message.get("hygiene") else None
        upstream = [a.copy() for a in arrays[count:]]
        self.stage = "backward"
        with calls.Counted(self.namespace, message.get("count_calls") or ()) as counted, \
                frameworks.ACTIVE.refusing_autograd():
            grads = self.namespace[message["backward"]](*frameworks.ACTIVE.inputs(upstream), cache)
        mutated = [n for n, a, b in zip(message["upstream"], arrays[count:], upstream) if _changed(a, b)]
        header, out = _outputs(grads, message["outputs"], False, mutated, message.get("keys"))
        header["forward_calls"] = counted.counts
        if before is not None:
            header["hygiene"] = self.hygiene(message, arrays[count:], cache, before, out)
        return header, out

    def hygiene(self, message, upstream, cache, before, first):
        """What the backward did to its cache, and what a second backward on the same cache gives.

        ``modified``/``shrunk``: paths in the cache (``cache[2]``) whose array
        changed, or whose list or dict lost items (``pop()``); ``again``: what
        a second backward raised, or None; ``difference``: largest normwise
        difference between the two backwards' outputs (the parent judges it).
        """
        modified, shrunk = changes(before, fingerprint(cache))
        report = {"modified": modified, "shrunk": shrunk, "again": None, "difference": None}
        try:
            with frameworks.ACTIVE.refusing_autograd():
                again = self.namespace[message["backward"]](
                    *frameworks.ACTIVE.inputs([a.copy() for a in upstream]), cache)
            second = _outputs(again, message["outputs"], False, [], message.get("keys"))[1]
        except BaseException as error:  # pop() from an emptied cache, an exit: only a warning
            report["again"] = f"{type(error).__name__}: {_text(error, 120)}"
            return report
        report["difference"] = difference(first, second)
        return report


def _changed(before, after):
    return before.shape != _shape(after) or before.tobytes() != _ndarray.tobytes(after)


def _arguments(message, leaves):
    """The call's arguments from its leaves: a dictionary for each group the message names (``args``)."""
    layout = message.get("args")
    if not layout:
        return leaves
    args, position = [], 0
    for _, keys in layout:
        if keys is None:
            args.append(leaves[position])
            position += 1
        else:
            args.append(dict(zip(keys, leaves[position:position + len(keys)])))
            position += len(keys)
    return args


def _mutated(names, originals, passed):
    """Names of the leaves a call changed in place (``passed`` are the copies it was given)."""
    return [n for n, a, b in zip(names, originals, passed) if _changed(a, b)]


def _outputs(result, names, cached, mutated, keys=None):
    """Describe a function's return value: one entry per expected output.

    A returned tuple or list is read once, by iterating it, and its count is
    the number of items read: a container whose ``len`` or indexing lies
    cannot hide missing outputs.  With ``keys``, the outputs are a returned
    dict's entries, None for a key it lacks.
    """
    container = type(result).__name__
    if keys is not None:
        found = dict.get if type(result) is dict else None
        values = [found(result, key) for key in keys] if found else None
        count = None if found is None else len(keys)  # a key it lacks is an output of kind "none"
        return _described(container, count, mutated, values)
    items = list(iter(result)) if isinstance(result, (tuple, list)) else None
    if cached or len(names) > 1:
        values = None if items is None else items[:-1] if cached else items
        count = None if items is None else len(items)
    else:  # one output: the value itself (a 1-tuple is unwrapped)
        single = isinstance(result, tuple) and len(items) == 1
        values, count = [items[0] if single else result], 1
    return _described(container, count, mutated, values)


def _described(container, count, mutated, values):
    header = {"container": container, "count": count, "mutated": mutated, "outputs": []}
    arrays = []
    for value in values or []:
        meta = _describe(value)
        if meta["kind"] == "array":
            meta["index"] = len(arrays)
            arrays.append(meta.pop("array"))
        header["outputs"].append(meta)
    return header, arrays


def _describe(value):
    kind = type(value).__name__
    value = frameworks.ACTIVE.to_array(value)  # a course in torch returns tensors
    if value is None:
        return {"kind": "none", "type": "None"}
    if isinstance(value, (str, bytes, dict, set)):
        return {"kind": "junk", "type": kind}
    try:
        array = _array(value, copy=True, subok=False)
    except Exception as error:  # ragged lists, objects that refuse conversion
        return {"kind": "junk", "type": kind, "why": _text(error)}
    if array.dtype.kind not in wire.NUMERIC_KINDS or array.dtype.hasobject:
        return {"kind": "junk", "type": kind, "why": f"dtype {array.dtype}"}
    return {"kind": "array", "type": kind, "array": _ndarray.view(array, _ndarray)}


def _text(error, limit=300):
    try:
        text = str(error)
    except BaseException:  # a hostile __str__
        text = "<unprintable>"
    return text if len(text) <= limit else text[:limit] + "..."


def _failure(error, stage):
    blocked = _explain(error)  # first: reading the traceback's source lines opens files too
    frames = [f for f in _extract_tb(error.__traceback__) if f.filename == FILENAME]
    return {"ok": False, "type": type(error).__name__, "message": _text(error),
            "line": frames[-1].lineno if frames else None,
            "in": frames[-1].name if frames else None,
            "base": not isinstance(error, Exception), "stage": stage, "blocked": blocked}


def _serve(worker, read_fd, write_fd):
    """Answer requests until the parent closes the channel.

    A message is one request, or a ``batch`` of them (every case of one
    function, every top-level statement) answered one reply each, in order:
    one round trip instead of one per case.  A batch stops after a call that
    failed or left a thread running (``threads_left`` counts those): the
    parent retires such a worker, so that nothing a call starts outlives it.
    A call that breaks the channel is found out before the next request
    runs: the worker leaves with ``STALE`` and the parent sends the rest to
    a fresh worker, as it would had the requests come one by one.
    """
    modules = ModuleAttributes()
    channel = _identity(read_fd, write_fd)
    while True:
        message, arrays = wire.receive(read_fd)
        batch = message["requests"] if message["op"] == "batch" else [message]
        counts = message["counts"] if message["op"] == "batch" else [len(arrays)]
        calls = any(request["op"] in wire.CALLS for request in batch)
        if calls:
            modules.snapshot()
        start = 0
        for position, (request, count) in enumerate(zip(batch, counts)):
            if position and _identity(read_fd, write_fd) != channel:
                _exit(STALE)  # as if the next request had found the worker gone: the parent sends it again
            header, out = _answer(worker, modules, request, arrays[start:start + count])
            start += count
            wire.send(write_fd, header, out)
            if wire.spent(request, header):
                break
        if calls:
            modules.restore()


def _identity(*fds):
    """What each descriptor is open on (None if closed): a call that closes or replaces a pipe changes it."""
    found = []
    for fd in fds:
        try:
            status = _fstat(fd)
            found.append((status.st_dev, status.st_ino))
        except OSError:
            found.append(None)
    return found


def _answer(worker, modules, message, arrays):
    """(reply header, arrays) for one request; whatever the submission raised becomes a failure header.

    Attributes a call changed in the modules its namespace names are put back after it (``modules``).
    """
    started = _perf_counter()
    call = message["op"] in wire.CALLS
    threads = _threads() if call else None
    _forget()
    with _catch_warnings(record=True) as caught:
        _simplefilter("always")
        worker.stage = None
        try:
            header, out = getattr(worker, message["op"])(message, arrays)
            header["ok"] = True
        except BaseException as error:  # SystemExit, KeyboardInterrupt included
            header, out = _failure(error, worker.stage), []
        if call:
            modules.restore(worker.namespace)  # the rest after the batch (``_serve``)
        else:
            modules.forget()
    if header["ok"] and _scratch_full():
        header, out = _failure(OSError(28, "the scratch space is full"), worker.stage), []
    if threads is not None:
        header["threads_left"] = max((_threads() or 0) - threads, 0)
    _flush()
    header["id"] = message.get("id")
    header["seconds"] = _perf_counter() - started
    header["warnings"] = sorted({f"{w.category.__name__}: {_text(w.message, 120)}"
                                 + (f" (line {w.lineno})" if w.filename == FILENAME else "")
                                 for w in caught})[:5]
    return header, out


def _flush():
    """Hand what the submission printed to the pipe now, not never (``os._exit`` skips Python's buffers)."""
    for stream in _STREAMS:
        try:
            stream.flush()
        except BaseException:  # a closed or hostile stream: its output is the submission's loss
            pass


def confine_worker(start):
    """Confine this process as ``start`` asks (``rnncheck.worker.confine``); returns the isolation report.

    Readable besides the runtime: NumPy, the packages the parent allows
    (``manual`` for the bundled check, ``--allow-import``), the support files
    the parent names (a course's provided modules) and the submission's own
    modules (``readable.folder_entries``), or in a batch (``private``) only its own
    file, so that no submission can read or run its neighbours'.  The
    blocked packages are located here, before the import blocker hides them,
    and confirmed unreadable once confined.
    """
    scratch, private, support = start["scratch"], start.get("private"), list(start.get("support") or [])
    forbidden = [p for name in start["blocked"] for p in package_paths(name)]
    readable = [p for name in start["readable"] for p in package_paths(name)] + support
    folder = start.get("directory")
    entries = folder_entries(folder, forbidden + [scratch]) if folder and not private else []
    if private and start.get("submission"):
        entries = [start["submission"]]
    listable = ([folder] if entries and not private else []) + [f for f in support_folders(start) if f != folder]
    isolation = confine.confine(scratch, readable + entries, forbidden, start.get("disabled"), listable=listable,
                                scratch_bytes=start.get("scratch_bytes"), tasks=start.get("tasks"))
    _caps.update(scratch=scratch, bytes=start.get("scratch_bytes"), mounted=isolation["scratch"])
    refusals.watch(isolation, scratch, start.get("scratch_bytes"), start.get("tasks"), bool(private))
    return isolation


_caps = {"scratch": None, "bytes": None, "mounted": False}


def _scratch_full():
    """Whether the scratch tmpfs is full (a write past the cap failed, even if the submission caught it).

    Without the tmpfs the parent measures the scratch directory itself after each reply.
    """
    if not _caps["mounted"]:
        return False
    try:
        status = _statvfs(_caps["scratch"])
    except OSError:
        return False
    return status.f_bavail == 0 or status.f_favail == 0


def _threads():
    try:
        return len(_listdir("/proc/self/task"))
    except OSError:
        return None


def main():
    """Serve the parent on the two pipe descriptors named on the command line."""
    read_fd, write_fd = int(sys.argv[1]), int(sys.argv[2])
    start, _ = wire.receive(read_fd)
    memory = start["memory"]
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    frameworks.load(start.get("framework"))  # torch for a torch course: imported before confinement
    isolation = confine_worker(start)
    blocker = ImportBlocker(start["blocked"])
    sys.meta_path.insert(0, blocker)
    for name in [m for m in sys.modules if m.partition(".")[0] in blocker.blocked]:
        del sys.modules[name]  # rnncheck itself: found again only through the blocker
    worker = Worker(start)
    status = BROKEN
    try:
        wire.send(write_fd, {"ok": True, "pid": os.getpid(), "id": start.get("id"), "isolation": isolation})
        if start.get("require_isolation") and confine.unconfined(isolation):
            status = 0  # the parent refuses this worker: no submitted code runs here
            return
        _serve(worker, read_fd, write_fd)
    except wire.Closed:
        status = 0  # the parent hung up: the normal end
    finally:
        os._exit(status)  # never wait for threads the submission left running


if __name__ == "__main__":
    main()
