"""What the confinement refused, in words a student can act on.

The kernel refuses a confined operation with a bare ``PermissionError``
("Operation not permitted", "Permission denied") that does not say what was
tried.  An audit hook (``sys.addaudithook``: it cannot be removed once
added) remembers the last operation of a kind the confinement covers (a
file opened, a process started, a signal sent, a socket created), with its
arguments, and ``explain(error)`` turns the error into
"opening /tmp/x for writing" or "sending SIGKILL to process 41,
outside the sandbox"; a write past the scratch cap (ENOSPC, EFBIG) or a
thread past the task cap gets words too.  The words only ever describe an error that happened:
the hook judges nothing, and a submission that fools it changes only the
wording of its own error.
"""
import errno
import os
import signal
import sys

REFUSED_ERRNOS = (errno.EPERM, errno.EACCES, errno.ENOSYS)
FULL_ERRNOS = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)  # the scratch tmpfs is full; a file passed RLIMIT_FSIZE
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
CHANGES = {"os.remove": "removing", "os.rmdir": "removing the folder", "os.mkdir": "creating the folder",
           "os.rename": "renaming", "os.truncate": "truncating", "os.link": "linking to",
           "os.symlink": "linking to", "os.chmod": "changing the mode of", "os.chown": "changing the owner of",
           "os.utime": "changing the times of"}
LISTS = ("os.listdir", "os.scandir")
PROCESSES = ("os.fork", "os.forkpty", "os.exec", "os.posix_spawn", "os.spawn", "os.system", "subprocess.Popen",
             "pty.spawn")
SIGNALS = ("os.kill", "os.killpg", "signal.pthread_kill")
NETWORK = ("socket.__new__", "socket.connect", "socket.bind", "socket.sendto")
KINDS = {**{event: "filesystem" for event in ("open", *CHANGES, *LISTS)},
         **{event: "processes" for event in PROCESSES}, **{event: "signals" for event in SIGNALS},
         **{event: "network" for event in NETWORK}}

_last = {}  # {"event": (kind, event, args)}: the last watched operation of the current request
_state = {"in_force": frozenset(), "scratch": None, "scratch_bytes": None, "tasks": None, "private": False}


def watch(isolation, scratch, scratch_bytes=None, tasks=None, private=False):
    """Start remembering operations, for the protections ``isolation`` says are in force.

    ``scratch_bytes`` and ``tasks`` are the caps (for their words);
    ``private``: the submission may not read its folder (a batch).
    """
    _state["in_force"] = frozenset(k for k in ("filesystem", "network", "signals", "processes", "tasks")
                                   if isolation.get(k))
    _state.update(scratch=os.path.realpath(scratch), scratch_bytes=scratch_bytes, tasks=tasks, private=private)
    sys.addaudithook(_remember)


def forget():
    """Forget the operations remembered so far (at the start of every request)."""
    _last.clear()


def _remember(event, args):
    kind = KINDS.get(event)
    if kind is not None:
        _last["event"] = (kind, event, args)


def explain(error):
    """What the confinement refused, if ``error`` (or an exception behind it) is such a refusal; else None.

    Never raises: the error and its arguments come from submitted code.
    """
    try:
        for _ in range(5):
            if error is None:
                return None
            if isinstance(error, OSError) and error.errno in FULL_ERRNOS and _state["scratch_bytes"]:
                return scratch_full()
            if isinstance(error, RuntimeError) and "tasks" in _state["in_force"] and _no_thread(error):
                return f"starting more than {_state['tasks']} tasks (threads) at once (the task cap, --tasks)"
            if isinstance(error, OSError) and error.errno in REFUSED_ERRNOS:
                text = _describe(error)
                if text:
                    return text
            error = error.__cause__ or error.__context__
    except Exception:
        return None
    return None


def scratch_full():
    """Words for writing past the scratch cap."""
    return f"writing more than its scratch space holds ({_size(_state['scratch_bytes'])}, --scratch)"


def _size(count):
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if count >= 1 << shift:
            return f"{count / (1 << shift):g} {unit}"
    return f"{count} bytes"


def _no_thread(error):
    try:
        return "can't start new thread" in str(error)
    except Exception:  # a hostile __str__
        return False


def _describe(error):
    """Words for a refused operation: the last one watched, when it is what failed."""
    kind, event, args = _last.get("event", (None, None, ()))
    if kind == "filesystem" or kind not in _state["in_force"]:
        if error.filename is None or "filesystem" not in _state["in_force"]:
            return None
        return _file(_text(error.filename), event if kind == "filesystem" else None, args)
    return {"processes": _process, "signals": _signal, "network": _network}[kind](event, args)


def _file(path, event, args):
    if _inside_scratch(path):
        return None  # the scratch directory is the submission's own: a plain permission problem
    if event is None or not args or _text(args[0]) != path:
        return f"using {path} (outside the files a submission may use)"
    if event in LISTS:
        return f"listing {path} ({_reads()})"
    if event == "open":
        mode, flags = args[1], args[2] if len(args) > 2 else 0
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (flags or 0) & WRITE_FLAGS
        if writing:
            return f"opening {path} for writing (the worker writes only in its scratch directory)"
        return f"reading {path} ({_reads()})"
    return f"{CHANGES[event]} {path} (the worker changes files only in its scratch directory)"


def _reads():
    if _state["private"]:
        return "in a batch, a submission reads only Python, NumPy and its own file, not its neighbours"
    return "a submission reads only Python, NumPy and its own folder"


def _process(event, args):
    shown = {"subprocess.Popen": lambda: args[1], "os.system": lambda: args[0]}.get(event, lambda: "")()
    if isinstance(shown, (list, tuple)):
        shown = " ".join(_text(a) for a in shown)
    return f"starting a process ({event}{' ' + _text(shown)[:80] if shown else ''})"


def _signal(event, args):
    target, number = args[0], args[1]
    try:
        name = signal.Signals(number).name
    except (ValueError, TypeError):
        name = f"signal {number}"
    where = "thread" if event == "signal.pthread_kill" else "process group" if event == "os.killpg" else "process"
    if event == "os.kill" and target == -1:
        return f"sending {name} to every process it may signal (kill -1), outside the sandbox"
    return f"sending {name} to {where} {target}, outside the sandbox"


def _network(event, args):
    if event == "socket.__new__":
        import socket
        try:
            family = socket.AddressFamily(args[1]).name
        except (ValueError, TypeError, IndexError):
            family = "network"
        return f"a network connection (creating an {family} socket)"
    return f"a network connection ({event.split('.')[1]} to {_text(args[1])[:80]})"


def _inside_scratch(path):
    scratch = _state["scratch"]
    real = os.path.abspath(path)  # not realpath: reading links may itself be refused
    return scratch is not None and (real == scratch or real.startswith(scratch + os.sep))


def _text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    try:
        return os.fspath(value) if not isinstance(value, (int, str)) else str(value)
    except TypeError:
        return repr(value)[:80]
