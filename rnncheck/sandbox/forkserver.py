"""Warm workers: a fork server that has imported NumPy once hands out fresh worker processes.

Starting a worker as a new interpreter costs an interpreter start and a
NumPy import (about 0.15 s), paid again for every worker a check retires.
The fork server is that interpreter, started once per rnncheck process
(``python -I -B``, NumPy and ``rnncheck.worker.serve`` imported, nothing else):
each ``spawn`` forks it, and the child becomes a worker exactly as a fresh
interpreter would (own session, its own pipes, the environment it is given)
and then confines itself and runs submitted code (``worker.main``).  The
parent's own modules, the oracle among them, are never in a worker's memory:
the server is not a fork of rnncheck.

The server stays unconfined and runs no submitted code.  It is not dumpable
(a worker whose confinement is incomplete cannot open its memory), and when
rnncheck ends, however it ends, its end of the control socket closes: the
server then kills every worker it forked and exits.  Workers, in turn, die
with the server (``PR_SET_PDEATHSIG``).

Control messages travel over a Unix ``SOCK_SEQPACKET`` pair: ``spawn``
carries the worker's three pipe ends as ``SCM_RIGHTS``; the server answers
with the pid and later reports each child's exit status, which rnncheck
reads as it would ``Popen.returncode`` (negative: killed by that signal).
Where the server cannot start, ``spawn`` returns None and the caller starts
an interpreter instead.

The server started by ``prestart`` also forks the oracle process
(``rnncheck.oracle.serve``), first of all, as soon as it has imported NumPy (a
third process importing NumPy beside rnncheck and the server only slowed
all three down on two cores); the oracle then imports autograd.  Its two
pipes are passed at the server's start; rnncheck takes its ends with
``oracle_pipes``.
"""
import atexit
import ctypes
import importlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time

ORACLE = "rnncheck.oracle.serve"  # the oracle's entry, named, not imported: the server only forks what it is told
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # where the rnncheck package is
BOOT = f"import sys; sys.path.insert(0, {ROOT!r}); from rnncheck.sandbox.forkserver import serve; serve()"
BROKEN = 3  # a forked child whose worker could not start (worker.BROKEN)
KEPT_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "LD_LIBRARY_PATH", "SYSTEMROOT")
PR_SET_PDEATHSIG, PR_SET_DUMPABLE = 1, 4


class Forked:
    """A worker forked by the server: the part of ``subprocess.Popen`` the sandbox uses."""

    def __init__(self, server, pid, output):
        self.server, self.pid, self.stdout = server, pid, output
        self.returncode = None

    def poll(self):
        if self.returncode is None:
            self.returncode = self.server.status(self.pid)
        return self.returncode

    def wait(self, timeout=None):
        if self.returncode is None:
            self.returncode = self.server.wait(self.pid, timeout)
        return self.returncode


class ForkServer:
    """Parent side: the server process, its control socket and the exits it reports."""

    def __init__(self, environment, oracle=False):
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        passed, self.oracle = [theirs.fileno()], None
        if oracle:  # (requests, answers): the oracle reads the first pipe and answers on the second
            (to_oracle, requests), (answers, from_oracle) = os.pipe(), os.pipe()
            passed += [to_oracle, from_oracle]
            self.oracle = (requests, answers)
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-B", "-c", BOOT, *map(str, passed)], pass_fds=passed,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment,
            start_new_session=True)
        theirs.close()
        for fd in passed[1:]:
            os.close(fd)
        self.socket, self.lock, self.changed = ours, threading.Lock(), threading.Condition()
        self.exits, self.answers, self.alive, self.oracle_pid = {}, [], True, None
        self.preloaded = set()  # modules the server imported for some course (``spawn(preload=...)``)
        threading.Thread(target=self._listen, daemon=True).start()

    def spawn(self, to_child, from_child, output, cwd, environment, preload=()):
        """Fork a worker that reads ``to_child``, writes ``from_child`` and prints into ``output``.

        ``preload``: modules the server imports (once) before it forks, so
        that the worker finds them imported (a torch course's ``torch``).
        """
        with self.lock:
            if not self.serves(preload):
                raise OSError("the fork server has imported what this worker must not find")  # start an interpreter
            with self.changed:
                if not self.alive:
                    raise OSError("the fork server has ended")
                waiting = len(self.answers)
            message = json.dumps({"cwd": cwd, "environment": environment, "preload": list(preload)}).encode()
            socket.send_fds(self.socket, [message], [to_child, from_child, output])
            with self.changed:
                patience = 30 + 60 * bool(preload)  # importing torch first can take a while on a busy machine
                self.changed.wait_for(lambda: len(self.answers) > waiting or not self.alive, timeout=patience)
                answer = self.answers[waiting] if len(self.answers) > waiting else None
            if answer is None:
                self.close()  # no answer, or no fork: later answers could not be matched to requests
                raise OSError("the fork server could not fork a worker")
            self.preloaded |= set(preload)
            return answer

    def serves(self, preload):
        """Whether a worker that needs ``preload`` imported may be forked here: nothing else was preloaded.

        Once the server has imported a course's framework (torch), every child
        has it in memory, where a worker of another course could reach it
        without an import (``gc``); such workers start as fresh interpreters.
        """
        return self.preloaded <= set(preload)

    def close(self):
        """End the server: it kills and reaps every worker it forked, then exits (killed if it lingers)."""
        try:
            self.socket.shutdown(socket.SHUT_RDWR)
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()

    def status(self, pid):
        with self.changed:
            return self.exits.get(pid)

    def wait(self, pid, timeout=None):
        """The worker's exit status, as the server reports it; raises TimeoutExpired after ``timeout``.

        A worker that has ended but goes unreported (a server stopped by a
        signal, where confinement is missing) counts as killed, so that
        rnncheck never waits on the server forever.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        with self.changed:
            while pid not in self.exits:
                left = 0.5 if deadline is None else min(0.5, deadline - time.monotonic())
                if left <= 0:
                    raise subprocess.TimeoutExpired("worker", timeout)
                if not self.changed.wait_for(lambda: pid in self.exits, left) and _ended(pid):
                    self.exits[pid] = -signal.SIGKILL
            return self.exits[pid]

    def _listen(self):
        """Read the server's answers until it ends; then every worker it forked counts as killed."""
        while True:
            try:
                data = self.socket.recv(4096)
            except OSError:
                data = b""
            with self.changed:
                if not data:
                    self.alive = False
                    for pid in filter(None, self.answers):
                        self.exits.setdefault(pid, -signal.SIGKILL)
                    self.changed.notify_all()
                    return
                event = json.loads(data)
                if "oracle" in event:
                    self.oracle_pid = event["oracle"]
                elif "spawned" in event:
                    self.answers.append(event["spawned"])  # a pid, or None when fork failed
                    self.exits.pop(event["spawned"], None)  # a pid used again, its earlier end reported
                else:
                    self.exits[event["exited"]] = event["code"]
                self.changed.notify_all()


def _ended(pid):
    """True when process ``pid`` is gone or a zombie (ended, not yet reaped)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return os.path.isdir("/proc/self")  # gone; without /proc only the server can tell


_server, _server_lock = None, threading.Lock()


def server(environment, oracle=False):
    """The process's fork server, started on first use (``oracle``: with the oracle process); None if it cannot run."""
    global _server
    with _server_lock:
        if _server is None or not _server.alive:
            try:
                _server = ForkServer(environment, oracle)
            except OSError:
                _server = None
            else:
                atexit.register(_server.close)  # so its time counts as rnncheck's, and it ends first
        return _server


def stop():
    """End the process's fork server, if one runs (it kills and reaps its workers); the next spawn starts another."""
    with _server_lock:
        if _server is not None:
            _server.close()


def enabled():
    """False when ``RNNCHECK_NO_FORK_SERVER`` is set (every worker a fresh interpreter) or fds cannot be passed."""
    return os.environ.get("RNNCHECK_NO_FORK_SERVER", "") in ("", "0") and hasattr(socket, "send_fds")


def environment():
    """A worker's environment besides its HOME and TMPDIR: a few of rnncheck's variables, BLAS single-threaded."""
    kept = {name: os.environ[name] for name in KEPT_ENVIRONMENT if name in os.environ}
    return dict(kept, MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")


def prestart():
    """Start the server ahead of its first ``spawn``: it (and the oracle process) import while rnncheck does too."""
    if enabled():
        server(environment(), oracle=True)


def oracle_pipes():
    """rnncheck's ends of the oracle process's pipes, (requests, answers), to the first caller; else None."""
    with _server_lock:
        if _server is None or _server.oracle is None:
            return None
        pipes, _server.oracle = _server.oracle, None
        return pipes


def spawn(to_child, from_child, cwd, variables, preload=()):
    """A ``Forked`` worker, or None when no fork server can serve (start an interpreter instead).

    The worker reads requests from ``to_child`` and answers on
    ``from_child``, in ``cwd`` with the environment ``variables``; what it
    prints (stdout and stderr) comes out of the returned process's
    ``stdout``, as with ``subprocess.PIPE``.
    """
    found = server(environment()) if enabled() else None
    if found is None:
        return None
    output, printed = os.pipe()
    try:
        pid = found.spawn(to_child, from_child, printed, cwd, variables, preload)
    except OSError:
        os.close(output)
        return None
    finally:
        os.close(printed)
    return Forked(found, pid, os.fdopen(output, "rb"))


# ---------------------------------------------------------------- server side

def serve():
    """The server's loop: fork a worker per request, report exits, end with rnncheck."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)  # inherited by every child
    control = socket.socket(fileno=int(sys.argv[1]))
    children = set()
    import numpy  # noqa: F401  (what makes a forked worker warm, and the oracle: it imports autograd on top)
    if len(sys.argv) > 3:  # the oracle's pipes
        children.add(_fork_oracle(control, int(sys.argv[2]), int(sys.argv[3])))
    from ..worker import serve as worker
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    while True:
        ready, _, _ = select.select([control, wake_read], [], [])
        if wake_read in ready:
            os.read(wake_read, 512)
            _reap(control, children)
        if control in ready:
            try:
                message, fds, _, _ = socket.recv_fds(control, 65536, 3)
            except OSError:
                message, fds = b"", []
            if not message:
                break
            _preload(json.loads(message).get("preload") or ())
            try:
                pid = os.fork()
            except OSError:
                pid = None
            if pid == 0:
                _become(worker, json.loads(message), fds, control, (wake_read, wake_write))
            for fd in fds:
                os.close(fd)
            if pid:
                children.add(pid)
            control.send(json.dumps({"spawned": pid}).encode())
    for pid in children:  # rnncheck hung up: nothing it started outlives it
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
    for pid in children:
        os.waitpid(pid, 0)
    os._exit(0)


def _preload(names):
    """Import ``names`` here, once, so that every worker forked later finds them imported.

    Only a course's framework is ever named (``sandbox.frameworks.preload``);
    one that fails to import is left to the worker, which reports it.
    """
    for name in names:
        if name not in sys.modules:
            try:
                importlib.import_module(name)
            except Exception:
                pass


def _reap(control, children):
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        children.discard(pid)
        control.send(json.dumps({"exited": pid, "code": os.waitstatus_to_exitcode(status)}).encode())


def _fork_oracle(control, requests, answers):
    """Fork the oracle process (its own session, dying with the server); its pid, reported to rnncheck."""
    pid = os.fork()
    if pid == 0:
        try:
            control.close()
            os.setsid()
            ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            importlib.import_module(ORACLE).serve(requests, answers)
        finally:
            os._exit(0)
    os.close(requests)
    os.close(answers)
    control.send(json.dumps({"oracle": pid}).encode())
    return pid


def _become(worker, request, fds, control, wake):
    """In the forked child: the state a fresh worker interpreter would start in, then the worker."""
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        control.close()
        for fd in wake:
            os.close(fd)
        to_child, from_child, output = fds
        os.setsid()
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(output, 1)
        os.dup2(output, 2)
        os.close(null)
        os.close(output)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["environment"])
        sys.argv[1:] = [str(to_child), str(from_child)]  # as a fresh worker's command line has them
        worker.main()
    finally:
        os._exit(BROKEN)
