"""Parent side of the isolation: worker processes, their limits and their deaths.

A ``Worker`` is one child process (``rnncheck.worker.serve``) in its own session,
with an address-space cap, a time limit on every request, a bounded capture
of whatever it prints and a minimal environment.  A ``Sandbox`` outlives
workers: when one dies, hangs or reports a failed call it is retired, and the
next request gets a fresh worker that replays the statements that loaded
before.

The worker runs submitted code, so nothing it says is trusted: every reply
is checked field by field before the rest of rnncheck reads it (``replies.checked``),
and every string in it is made printable and bounded.  While a sandbox is
open the parent process is not dumpable, which closes its ``/proc`` entries
(open files, memory, environment) to processes of the same user, the worker
included.
"""
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass

from . import forkserver
from . import replies
from ..worker import confine, wire

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # where the rnncheck package is
BOOT = f"import sys; sys.path.insert(0, {ROOT!r}); from rnncheck.worker.serve import main; main()"
BLOCKED = ("autograd", "torch", "jax", "jaxlib", "tensorflow", "rnncheck")
BROKEN = 3  # the worker's exit status when its own serving loop failed (worker.BROKEN)
STALE = 4  # ... when a call broke the channel and the worker left before the next request (worker.STALE)
READABLE = ("numpy",)  # packages a confined worker may read, besides the standard library
SWITCHES = {"landlock": "RNNCHECK_DISABLE_LANDLOCK", "seccomp": "RNNCHECK_DISABLE_SECCOMP",
            "namespaces": "RNNCHECK_DISABLE_NAMESPACES", "user": "RNNCHECK_DISABLE_USER"}
REPLY_HEADER = 64 << 10  # bytes of JSON in one reply: a real one takes under 4 KiB; parsed, 64 KiB can cost ~3 MiB
SCRATCH_ENTRIES = 100_000  # files and folders a scratch directory may hold before measuring it stops (no tmpfs)


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


class Output:
    """Reads a pipe to its end, keeping only the first ``limit`` bytes."""

    def __init__(self, pipe, limit):
        self.limit, self.kept, self.total = limit, bytearray(), 0
        self.thread = threading.Thread(target=self._drain, args=(pipe,), daemon=True)
        self.thread.start()

    def _drain(self, pipe):
        while chunk := pipe.read1(1 << 16):
            self.total += len(chunk)
            room = self.limit - len(self.kept)
            if room > 0:
                self.kept += chunk[:room]
        pipe.close()


class Worker:
    """One worker process, started and ready to serve requests."""

    isolation = None  # what confined it (``confine.confine``, from its start reply); None until then

    def __init__(self, source, limits, blocked, course=None):
        self.limits, self.sent, self.closed = limits, 0, False
        self.directory = tempfile.mkdtemp(prefix="rnncheck-")  # the worker's scratch, HOME and TMPDIR
        self.support = _copy_support(course)  # outside the scratch, which the worker's tmpfs hides
        support = [folder for folder in [self.support] if folder] + [os.path.abspath(p) for p in limits.support]
        to_child, self.to_worker = os.pipe()
        self.from_worker, from_child = os.pipe()
        environment = dict(forkserver.environment(), HOME=self.directory, TMPDIR=self.directory)
        self.process = forkserver.spawn(to_child, from_child, self.directory, environment) or subprocess.Popen(
            [sys.executable, "-I", "-B", "-c", BOOT, str(to_child), str(from_child)],
            pass_fds=(to_child, from_child), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            cwd=self.directory, env=environment, start_new_session=True)
        os.close(to_child)
        os.close(from_child)
        self.output = Output(self.process.stdout, limits.output_bytes)
        submission = os.path.abspath(source.path) if os.path.exists(source.path) else None
        readable = sorted(set(READABLE) | set(BLOCKED) - set(blocked))
        try:
            reply, _ = self.request({"op": "start", "source": source.text, "memory": limits.memory_bytes,
                                     "blocked": sorted(blocked), "submission": submission,
                                     "directory": submission and os.path.dirname(submission),
                                     "private": limits.private, "support": support,
                                     "preamble": course.preamble if course else "",
                                     "scratch": self.directory, "scratch_bytes": limits.scratch_bytes,
                                     "tasks": limits.tasks, "readable": readable,
                                     "disabled": disabled_layers(), "require_isolation": limits.require_isolation},
                                    seconds=limits.load_seconds)
        except Crash as crash:
            raise Crash("error", f"the worker could not start: {crash.message}") from None
        self.isolation = reply["isolation"]
        if limits.require_isolation and confine.unconfined(self.isolation):
            self.close()
            raise IsolationMissing("; ".join(confine.unconfined(self.isolation)))

    def request(self, header, arrays=(), seconds=None):
        """Send one request and wait for its checked answer; raises Crash."""
        (answer,) = self.exchange([(header, arrays, seconds)])
        return answer

    def exchange(self, requests):
        """Send ``requests`` ([(header, arrays, seconds)]) in one message; yield each checked answer in order.

        Each answer has its own time limit (``seconds``, default the call
        limit), counted from when the previous one arrived; raises Crash.
        """
        requests = list(requests)
        if not requests:
            return
        if self.process.poll() is not None:
            raise Crash("error", self._death(), unsent=True)
        headers = []
        for header, _, _ in requests:
            self.sent += 1
            headers.append(dict(header, id=self.sent))
        message = headers[0] if len(headers) == 1 else {
            "op": "batch", "requests": headers, "counts": [len(arrays) for _, arrays, _ in requests]}
        try:
            wire.send(self.to_worker, message, [a for _, arrays, _ in requests for a in arrays])
        except OSError:  # the worker closed its end before reading this request
            raise Crash("error", self._death(), unsent=True) from None
        for header, (_, _, seconds) in zip(headers, requests):
            seconds = seconds or self.limits.call_seconds
            try:
                reply, values = wire.receive(self.from_worker, time.monotonic() + seconds, self.limits.result_bytes,
                                             REPLY_HEADER)
                checked = self._within_scratch(header, replies.checked(header, reply, values))
            except wire.TimedOut:
                self.close()
                raise Crash("timeout", f"did not finish within {seconds:g} s") from None
            except wire.Closed:
                death = self._death()
                raise Crash("error", death, unsent=self.process.returncode == STALE) from None
            except (wire.WireError, OSError) as error:
                self.close()
                raise Crash("error", f"sent back an invalid result ({error})") from None
            yield checked, values

    def _within_scratch(self, request, reply):
        """``reply``, or a failure when the scratch directory now holds more than its cap.

        Where the worker has no scratch tmpfs of its own (``isolation``
        scratch false), the parent measures the directory after every
        request that ran submitted code: a call can overshoot by what it
        writes before it returns, never more than one file of the cap
        (``RLIMIT_FSIZE``) at a time, and its worker is retired (its files
        removed) as after any failed call.
        """
        if self.isolation is None or self.isolation["scratch"] or request.get("op") not in wire.CALLS + ("exec",):
            return reply
        used = scratch_used(self.directory, self.limits.scratch_bytes)
        if used < self.limits.scratch_bytes:  # full is as much an error as past: the write past it failed
            return reply
        return {"ok": False, "id": reply["id"], "type": "OSError", "message": "the scratch space is full",
                "line": None, "in": None, "stage": reply.get("stage"), "base": False, "warnings": reply["warnings"],
                "blocked": f"writing more than its scratch space holds ({self.limits.scratch_bytes >> 20} MiB, "
                           f"--scratch): {used >> 20} MiB or more found there after the call",
                "seconds": reply.get("seconds")}

    def _death(self):
        """Why the worker ended, once it has (killing it if it lingers)."""
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.close()
            return "closed its channel to rnncheck"
        self.close()
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else "?"
            killed = " (out of memory?)" if -code == signal.SIGKILL else ""
            return f"crashed with signal {-code} ({name}){killed}"
        if code in (BROKEN, STALE):
            return "broke the worker's channel to rnncheck (closed or wrote into its pipes)"
        return f"ended the process with exit status {code} (sys.exit or os._exit is never a pass)"

    def close(self):
        """Kill the worker's whole process group and free its resources (once)."""
        if self.closed:
            return
        self.closed = True
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # threads and children too
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        for fd in (self.to_worker, self.from_worker):
            try:
                os.close(fd)
            except OSError:
                pass
        self.output.thread.join(timeout=2)
        shutil.rmtree(self.directory, ignore_errors=True)
        if self.support:
            shutil.rmtree(self.support, ignore_errors=True)


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
    return {"op": "call", "function": layer.forward, "inputs": [i.name for i in layer.inputs],
            "args": arguments(layer), "outputs": list(layer.outputs), "cache": bool(layer.backward)}


def arguments(layer):
    """How the worker builds the call's arguments from the leaves: ``[[name, None | [keys]]]``, or None."""
    layout = layer.arguments()
    return None if all(keys is None for _, keys in layout) else [[name, keys and list(keys)] for name, keys in layout]


def _copy_support(course):
    """Copy the course's support files into a folder of the worker's own (never a path into rnncheck); it, or None.

    Not into the scratch directory: the worker mounts its tmpfs there.  The
    folder is readable by every user, so that a worker that runs as a uid
    of its own reads it with file permissions alone; its files are the
    course's, never a secret.
    """
    files = course.support_files() if course else []
    if not files:
        return None
    folder = tempfile.mkdtemp(prefix="rnncheck-support-")
    os.chmod(folder, 0o755)
    for path in files:
        shutil.copy(path, folder)
    return folder


def scratch_used(directory, limit):
    """Bytes on disk beneath ``directory``; at ``limit`` (or past ``SCRATCH_ENTRIES`` entries) it stops counting.

    Blocks, not sizes, so that a sparse file counts what it really takes.
    Symbolic links are not followed.
    """
    used, entries, folders = 0, 0, [directory]
    while folders:
        try:
            with os.scandir(folders.pop()) as found:
                for entry in found:
                    entries += 1
                    if entries > SCRATCH_ENTRIES:
                        return limit
                    status = entry.stat(follow_symlinks=False)
                    used += status.st_blocks * 512
                    if used >= limit:
                        return used
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(entry.path)
        except OSError:
            continue
    return used


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
