"""Caps on the worker's disk and tasks, that hold as root: a scratch tmpfs and an unprivileged user (Linux).

One call, ``contain(scratch, scratch_bytes, tasks, disabled)``, made by
``confine.confine`` before Landlock and seccomp, while the process still has
a single thread and (as root) its capabilities:

- **Scratch.** A tmpfs of ``scratch_bytes`` is mounted on the scratch
  directory in a mount namespace of the worker's own: writes past it fail
  with ENOSPC, and the mount (with what was written) disappears with the
  worker, however the worker or rnncheck ends.  Root makes the mount
  namespace directly; anyone else makes it inside a user namespace that maps
  only the caller's own uid (unprivileged user namespaces, on by default on
  most distributions).  The tmpfs lives in memory, besides the worker's
  ``--memory``.  ``RLIMIT_FSIZE`` caps any one file the worker writes, so
  that where no namespace can be made the parent's check after each call
  (``process.Worker``) has at most one file per call to overshoot by.
- **Tasks.** ``RLIMIT_NPROC`` caps the threads and processes of a user, but
  Linux counts them per user and user namespace, system-wide, and never
  applies the limit to root.  Root therefore switches to a uid of the
  worker's own (``UNPRIVILEGED_BASE`` + its pid: no two live workers share
  one, and no account uses that range), keeping only CAP_DAC_READ_SEARCH so
  that a Python installed where only root can read (``/root/.pyenv``) stays
  importable (Landlock still decides what is read; the capability is dropped
  where seccomp, which refuses ``open_by_handle_at``, is missing).  Anyone
  else counts its tasks in the user namespace made for the scratch, which
  holds only the worker (Linux 5.14 and later count tasks per user
  namespace; before, the cap is reported missing for non-root users).

What each cap achieved is returned, never assumed: the caller reports it.
"""
import ctypes
import errno
import os
import resource


UNPRIVILEGED_BASE = 0x70000000  # uids 1879048192 and up: unused by accounts and container ranges
CLONE_NEWNS, CLONE_NEWUSER = 0x00020000, 0x10000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 1 << 14, 1 << 18
PR_SET_KEEPCAPS, PR_CAPBSET_DROP = 8, 24
CAP_DAC_READ_SEARCH = 2
NPROC_PER_NAMESPACE = (5, 14)  # the first Linux counting RLIMIT_NPROC per user namespace (ucounts)
INODES_PER_MIB = 64  # files the tmpfs may hold per MiB of its size (at least 256)


class Unavailable(Exception):
    """A cap cannot be set up here; the message says why (``contain`` reports it, never raises it)."""


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def contain(scratch, scratch_bytes, tasks, disabled):
    """Cap this process's scratch space and tasks; returns (in force, why missing, capabilities kept).

    ``in force``: ``{"scratch": bool, "tasks": bool, "user": who the worker runs as}``; ``why``:
    ``{"scratch": str or None, "tasks": ...}``; the capabilities kept are a
    bit mask for ``confine.drop_privileges``.  ``disabled`` may name
    ``"namespaces"`` (no mount) and ``"user"`` (root keeps uid 0), with why.
    """
    root = os.geteuid() == 0
    switch = root and "user" not in disabled
    uid = UNPRIVILEGED_BASE + os.getpid() if switch else os.geteuid()
    gid = uid if switch else os.getegid()
    in_force, why, namespace = {"scratch": False, "tasks": False}, {"scratch": None, "tasks": None}, None
    if "namespaces" in disabled:
        why["scratch"] = f"namespaces turned off: {disabled['namespaces']}"
    else:
        try:
            namespace = _private_mounts(root)
            _mount_scratch(scratch, scratch_bytes, uid, gid)
            in_force["scratch"] = True
        except Unavailable as reason:
            why["scratch"] = str(reason)
    if why["scratch"]:
        why["scratch"] += "; one file is capped, the whole is checked after each call"
    resource.setrlimit(resource.RLIMIT_FSIZE, (scratch_bytes, scratch_bytes))
    os.chdir(scratch)  # the tmpfs, not the folder beneath it; while root may still reach it
    keep = 0
    if switch:
        try:
            _become(uid, gid, scratch)
            keep, in_force["tasks"] = 1 << CAP_DAC_READ_SEARCH, True
        except OSError as error:
            why["tasks"] = f"root could not become uid {uid} ({error.strerror}), and Linux exempts root"
    elif root:
        why["tasks"] = f"uid 0 kept: {disabled['user']}, and Linux exempts root"
    elif namespace == "user" and _kernel() >= NPROC_PER_NAMESPACE:
        in_force["tasks"] = True
    elif namespace == "user":
        why["tasks"] = (f"Linux {'.'.join(map(str, _kernel()))} counts tasks per user, not per user namespace "
                        f"(5.14 does)")
    else:
        why["tasks"] = "no user namespace of its own: its tasks would count with all of its user's"
    if in_force["tasks"]:
        resource.setrlimit(resource.RLIMIT_NPROC, (tasks, tasks))
    return dict(in_force, user=user(root, switch and in_force["tasks"])), why, keep


def user(root, switched):
    """Who the worker runs as, in words that do not change from run to run."""
    if switched:
        return f"a uid of its own ({UNPRIVILEGED_BASE} + its pid)"
    if root:
        return "root, without capabilities"
    return f"rnncheck's user (uid {os.getuid()}), without capabilities"


def _kernel():
    """(major, minor) of the running Linux kernel; (0, 0) when it cannot be read."""
    try:
        return tuple(int(part) for part in os.uname().release.split("-")[0].split(".")[:2])
    except ValueError:
        return (0, 0)


def _private_mounts(root):
    """A mount namespace of this process's own, its mounts private; "user" when a user namespace came with it."""
    libc = _libc()
    if root and libc.unshare(CLONE_NEWNS) == 0:
        made = "mount"
    elif not root and libc.unshare(CLONE_NEWUSER | CLONE_NEWNS) == 0:
        made = "user"
        try:
            _map_own_ids(os.geteuid(), os.getegid())
        except OSError as error:
            raise Unavailable(f"the user namespace refused its id maps ({error.strerror})") from None
    else:
        code = ctypes.get_errno()
        reason = {errno.EPERM: "namespaces are refused here (a container without CAP_SYS_ADMIN, "
                               "or unprivileged user namespaces turned off)",
                  errno.ENOSPC: "the user namespace limit is reached", errno.EINVAL: "a thread is running",
                  errno.ENOSYS: "no namespaces in this kernel"}.get(code, os.strerror(code))
        raise Unavailable(f"no mount namespace for the scratch: {reason}")
    if libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) != 0:  # nothing mounted here shows outside
        raise Unavailable(f"mounts could not be made private ({os.strerror(ctypes.get_errno())})")
    return made


def _map_own_ids(uid, gid):
    """In a fresh user namespace: the caller's own uid and gid, and nothing else (no setgroups)."""
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{name}", "w") as handle:
            handle.write(text)


def _mount_scratch(scratch, size, uid, gid):
    """A tmpfs of ``size`` bytes on ``scratch``, owned by ``uid``, with no devices, no set-uid, nothing executable."""
    inodes = max(256, INODES_PER_MIB * (size >> 20))
    options = f"size={size},nr_inodes={inodes},mode=0700,uid={uid},gid={gid}".encode()
    if _libc().mount(b"tmpfs", os.fsencode(scratch), b"tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options) != 0:
        raise Unavailable(f"the scratch tmpfs could not be mounted ({os.strerror(ctypes.get_errno())})")


def _become(uid, gid, scratch):
    """As root: become ``uid``/``gid`` for good, keeping CAP_DAC_READ_SEARCH only; raises OSError.

    The scratch directory is handed to ``uid`` first (the tmpfs already is).
    Every other capability leaves the bounding set while root still may
    drop them; ``confine.drop_privileges`` then empties the rest but the one
    kept.
    """
    libc = _libc()
    os.chown(scratch, uid, gid)
    for capability in range(64):
        if capability != CAP_DAC_READ_SEARCH:
            libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)  # EINVAL past the last one
    libc.prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0)
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    libc.prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0)
