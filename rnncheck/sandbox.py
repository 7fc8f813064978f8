"""Parent side of the isolation: worker processes, their limits and their deaths.

A ``Worker`` is one child process (``rnncheck.worker``) in its own session,
with an address-space cap, a time limit on every request and a bounded
capture of whatever it prints.  A ``Sandbox`` outlives workers: when one
dies or hangs it is killed, and the next request gets a fresh worker that
replays the statements that loaded before.
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass

from . import wire

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOOT = f"import sys; sys.path.insert(0, {ROOT!r}); from rnncheck.worker import main; main()"
BLOCKED = ("autograd", "torch", "jax", "jaxlib", "tensorflow", "rnncheck", "reference", "manual")


@dataclass
class Limits:
    """Resource limits for submitted code (all overridable on the CLI)."""
    call_seconds: float = 10.0
    load_seconds: float = 20.0
    memory_bytes: int = 2 << 30
    output_bytes: int = 64 << 10
    result_bytes: int = 64 << 20


class Crash(Exception):
    """The worker died, hung or broke the protocol during a request.

    ``status`` is the verdict status it means: ``timeout`` or ``error``.
    """

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


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

    def __init__(self, source, limits, blocked):
        self.limits = limits
        self.directory = tempfile.mkdtemp(prefix="rnncheck-")
        to_child, self.to_worker = os.pipe()
        self.from_worker, from_child = os.pipe()
        environment = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
                           MKL_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1")
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-c", BOOT, str(to_child), str(from_child)],
            pass_fds=(to_child, from_child), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            cwd=self.directory, env=environment, start_new_session=True)
        os.close(to_child)
        os.close(from_child)
        self.output = Output(self.process.stdout, limits.output_bytes)
        submission_directory = os.path.dirname(os.path.abspath(source.path)) if os.path.exists(source.path) else None
        self.request({"source": source.text, "memory": limits.memory_bytes,
                      "blocked": sorted(blocked), "directory": submission_directory},
                     seconds=limits.load_seconds)

    def request(self, header, arrays=(), seconds=None):
        """Send one request and wait for its answer; raises Crash."""
        deadline = time.monotonic() + (seconds or self.limits.call_seconds)
        try:
            wire.send(self.to_worker, header, arrays)
            return wire.receive(self.from_worker, deadline, self.limits.result_bytes)
        except wire.TimedOut:
            self.close()
            raise Crash("timeout", f"did not finish within {seconds or self.limits.call_seconds:g} s") from None
        except (wire.Closed, BrokenPipeError):
            raise Crash("error", self._death()) from None
        except wire.WireError as error:
            self.close()
            raise Crash("error", f"sent back an invalid result ({error})") from None

    def _death(self):
        try:
            code = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.close()
            return "closed its result channel"
        self.close()
        if code < 0:
            name = signal.Signals(-code).name if -code in signal.Signals._value2member_map_ else "?"
            killed = " (out of memory?)" if -code == signal.SIGKILL else ""
            return f"crashed with signal {-code} ({name}){killed}"
        return f"ended the process with exit status {code} (sys.exit or os._exit is never a pass)"

    def close(self):
        """Kill the worker's whole process group and free its resources."""
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


class Sandbox:
    """Runs a submission's requests, replacing workers that die or hang."""

    def __init__(self, source, limits=None, blocked=BLOCKED):
        self.source, self.limits, self.blocked = source, limits or Limits(), blocked
        self.loaded, self.worker = [], None
        self.output_total, self.output = 0, bytearray()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._retire()

    def execute(self, index):
        """Run top-level statement ``index``; its failure header, or None when it loaded."""
        header, _ = self.request({"op": "exec", "index": index}, seconds=self.limits.load_seconds)
        if header["ok"]:
            self.loaded.append(index)
            return None
        return header

    def request(self, header, arrays=(), seconds=None):
        """One request to a live worker (started and replayed if needed)."""
        if self.worker is None:
            self._start()
        try:
            return self.worker.request(header, arrays, seconds)
        except Crash:
            self._retire()
            raise

    def _start(self):
        for _ in range(len(self.loaded) + 1):
            self.worker = Worker(self.source, self.limits, self.blocked)
            try:
                for index in self.loaded:
                    self.worker.request({"op": "exec", "index": index}, seconds=self.limits.load_seconds)
                return
            except Crash:
                self.loaded.remove(index)  # it loaded once, but not again: leave it out
                self._retire()
        raise Crash("error", "the worker could not be restarted")

    def _retire(self):
        if self.worker is not None:
            self.worker.close()
            self.output_total += self.worker.output.total
            room = self.limits.output_bytes - len(self.output)
            self.output += self.worker.output.kept[:max(room, 0)]
            self.worker = None
