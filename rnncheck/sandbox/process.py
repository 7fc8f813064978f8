"""One worker process: started (forked from the fork server, or a fresh interpreter), confined, spoken to.

A ``Worker`` is one child process (``rnncheck.worker.serve``) in its own session,
with an address-space cap, a time limit on every request, a bounded capture
of whatever it prints and a minimal environment.  Every reply is checked
field by field before the rest of rnncheck reads it (``replies.checked``).
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from . import forkserver, frameworks
from . import replies
from ..worker import confine, wire
from .limits import BLOCKED, READABLE, Crash, IsolationMissing, disabled_layers

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # where the rnncheck package is
BOOT = f"import sys; sys.path.insert(0, {ROOT!r}); from rnncheck.worker.serve import main; main()"
BROKEN = 3  # the worker's exit status when its own serving loop failed (worker.BROKEN)
STALE = 4  # ... when a call broke the channel and the worker left before the next request (worker.STALE)
REPLY_HEADER = 64 << 10  # bytes of JSON in one reply: a real one takes under 4 KiB; parsed, 64 KiB can cost ~3 MiB
SCRATCH_ENTRIES = 100_000  # files and folders a scratch directory may hold before measuring it stops (no tmpfs)


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
        preload = frameworks.preload(course)
        self.process = forkserver.spawn(to_child, from_child, self.directory, environment, preload) or subprocess.Popen(
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
                                     "framework": course.framework if course else "numpy",
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
