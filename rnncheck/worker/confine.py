"""Confine the calling process for good: files, network, signals, processes (Linux).

One call, ``confine(scratch, readable, unreadable)``, made by the worker after
NumPy is imported and before any submitted code runs (a fork server's child
can make the same call).  Two kernel layers, both unprivileged and both
inherited by every thread the process starts later:

- **Landlock** (kernel 5.13+, ABI 3 from 6.2 for truncation) limits the file
  system: reads only beneath the Python standard library, the shared
  libraries, ``readable`` (NumPy, the submission's folder) and a few
  devices; every access beneath ``scratch``; nothing else.  Site-packages as
  a whole is never readable, so the oracle (autograd, ``reference/``) cannot
  be loaded from disk.  ABI 4 adds "no TCP bind or connect", ABI 6 "no
  signal and no abstract Unix socket outside this process".
- **seccomp** (any Linux with no_new_privs, 3.5+) refuses the system calls
  that start a process (fork, vfork, execve, clone without CLONE_THREAD;
  clone3 answers ENOSYS so that the C library falls back to clone, whose
  flags the filter can read), that create a socket (socketpair, which can
  only reach itself, stays allowed), that signal another process (kill,
  tgkill, sigqueue, pidfd, F_SETOWN/FIOSETOWN for SIGIO) and a few that
  reach into other processes or the kernel (ptrace, process_vm_*,
  io_uring, namespaces, mounts, bpf, keyrings).

Refused calls fail with EPERM (EACCES for sockets, ENOSYS for clone3), which
Python raises as ``PermissionError``; ``rnncheck.worker.refusals`` puts them in words.
What each layer achieved is returned, never assumed: the caller reports it.
"""
import ctypes
import errno
import functools
import os
import re
import stat
import sys

from . import caps

PROTECTIONS = ("filesystem", "network", "signals", "processes", "scratch", "tasks")
CONFINEMENT = PROTECTIONS[:4]  # what --require-isolation requires; the caps have a fallback or are reported
LANDLOCK_FOR_FILES = 3  # the first ABI that also refuses truncating a file it may not write
LANDLOCK_FOR_SIGNALS = 6

# Landlock (include/uapi/linux/landlock.h)
CREATE_RULESET, ADD_RULE, RESTRICT_SELF = 444, 445, 446  # the same number on every architecture
RULESET_VERSION, RULE_PATH_BENEATH = 1, 1
EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
FS_ABI1 = (1 << 13) - 1
FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV
READ = READ_FILE | READ_DIR
BIND_TCP, CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1

# Paths every confined Python process may read besides its own: shared libraries and devices.
LIBRARY_DIRECTORIES = ("/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib")
READABLE_FILES = ("/etc/ld.so.cache", "/etc/localtime", "/dev/zero", "/dev/urandom", "/dev/random",
                  "/proc/self")
PACKAGE_FOLDERS = re.compile(r"^(site-packages|dist-packages|python\d.*)$")

# seccomp (include/uapi/linux/seccomp.h, filter.h, audit.h)
SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC = 1, 1
PR_SET_SECCOMP, SECCOMP_MODE_FILTER, PR_SET_NO_NEW_PRIVS, PR_CAPBSET_DROP = 22, 2, 38, 24
ALLOW, RET_ERRNO = 0x7FFF0000, 0x00050000
LD_W_ABS, JEQ, JGE, JSET, RET = 0x20, 0x15, 0x35, 0x45, 0x06
CLONE_THREAD, F_SETOWN, F_SETOWN_EX, FIOSETOWN, SIOCSPGRP = 0x10000, 8, 15, 0x8901, 0x8902
X32_BIT = 0x40000000

SYSCALLS = {  # from asm/unistd_64.h and asm-generic/unistd.h
    "x86_64": dict(arch=0xC000003E, seccomp=317, ioctl=16, fcntl=72, socket=41, clone=56, clone3=435,
                   fork=57, vfork=58, execve=59, execveat=322, kill=62, tkill=200, tgkill=234,
                   rt_sigqueueinfo=129, rt_tgsigqueueinfo=297, pidfd_open=434, pidfd_send_signal=424,
                   pidfd_getfd=438, ptrace=101, process_vm_readv=310, process_vm_writev=311,
                   process_madvise=440, kcmp=312, io_uring_setup=425, io_uring_enter=426,
                   io_uring_register=427, unshare=272, setns=308, mount=165, umount2=166, pivot_root=155,
                   open_tree=428, move_mount=429, fsopen=430, fsconfig=431, fsmount=432, fspick=433,
                   bpf=321, perf_event_open=298, userfaultfd=323, keyctl=250, add_key=248, request_key=249,
                   name_to_handle_at=303, open_by_handle_at=304),
    "aarch64": dict(arch=0xC00000B7, seccomp=277, ioctl=29, fcntl=25, socket=198, clone=220, clone3=435,
                    execve=221, execveat=281, kill=129, tkill=130, tgkill=131,
                    rt_sigqueueinfo=138, rt_tgsigqueueinfo=240, pidfd_open=434, pidfd_send_signal=424,
                    pidfd_getfd=438, ptrace=117, process_vm_readv=270, process_vm_writev=271,
                    process_madvise=440, kcmp=272, io_uring_setup=425, io_uring_enter=426,
                    io_uring_register=427, unshare=97, setns=268, mount=40, umount2=39, pivot_root=41,
                    open_tree=428, move_mount=429, fsopen=430, fsconfig=431, fsmount=432, fspick=433,
                    bpf=280, perf_event_open=241, userfaultfd=282, keyctl=219, add_key=217, request_key=218,
                    name_to_handle_at=264, open_by_handle_at=265),
}
STARTS_A_PROCESS = ("fork", "vfork", "execve", "execveat")
REACHES_OUTSIDE = ("tkill", "pidfd_open", "pidfd_send_signal", "pidfd_getfd", "ptrace", "process_vm_readv",
                   "process_vm_writev", "process_madvise", "kcmp", "io_uring_setup", "io_uring_enter",
                   "io_uring_register", "unshare", "setns", "mount", "umount2", "pivot_root", "open_tree",
                   "move_mount", "fsopen", "fsconfig", "fsmount", "fspick", "bpf", "perf_event_open",
                   "userfaultfd", "keyctl", "add_key", "request_key", "name_to_handle_at", "open_by_handle_at")


class RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


class SockFilter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8),
                ("k", ctypes.c_uint32)]


class SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(SockFilter))]


class Unavailable(Exception):
    """A layer of the confinement cannot be applied here; the message says why."""


def confine(scratch, readable=(), unreadable=(), disabled=None, listable=(), scratch_bytes=None, tasks=None):
    """Confine the calling process now and for good; returns what is in force.

    - ``scratch``: the one directory the process may write (and read).
    - ``readable``: more files or directories it may read (NumPy, the
      submission's folder).
    - ``unreadable``: paths that must stay unreadable (the oracle's
      packages); a file of each is opened once confined, and one that opens
      turns the file-system protection off in the report.
    - ``disabled``: ``{"landlock" | "seccomp" | "namespaces" | "user": why}``, layers not to apply
      (tests and benchmarks simulate a kernel without them).
    - ``listable``: folders whose whole tree may be listed (names only),
      though not read (the submission's folder, so that its own modules,
      granted in ``readable``, can be imported).
    - ``scratch_bytes``, ``tasks``: the caps on the scratch space and on
      the process's threads (``rnncheck.worker.caps``); None leaves both
      out (and reports them missing).

    Returns ``{"filesystem", "network", "signals", "processes", "scratch",
    "tasks": bool, "missing": ["filesystem (why)", ...], "landlock_abi": int,
    "seccomp": bool, "user": str}``.  Call it while the process has a single
    thread.
    """
    disabled = disabled or {}
    probes = [probe for path in unreadable for probe in [_file_in(path)] if probe]
    if scratch_bytes and tasks and sys.platform.startswith("linux"):
        capped, capped_why, keep = caps.contain(scratch, scratch_bytes, tasks, disabled)
    else:
        capped, keep = {"scratch": False, "tasks": False, "user": caps.user(os.geteuid() == 0, False)}, 0
        capped_why = dict.fromkeys(("scratch", "tasks"), "no cap asked for")
    drop_privileges(keep)
    abi, landlock_why = _layer(disabled, "landlock", _landlock, scratch, readable, listable)
    seccomp, seccomp_why = _layer(disabled, "seccomp", _seccomp)
    seccomp = bool(seccomp)
    if keep and not seccomp:
        drop_privileges()  # without seccomp, CAP_DAC_READ_SEARCH would open open_by_handle_at
    leaked = [path for path in probes if abi and _opens(path)]
    if abi and abi < LANDLOCK_FOR_FILES:
        landlock_why = f"Landlock ABI {abi} cannot refuse truncating files (ABI 3, Linux 6.2, can)"
    if leaked:
        landlock_why = f"{leaked[0]} is still readable"
    in_force = {"filesystem": abi >= LANDLOCK_FOR_FILES and not leaked, "network": seccomp,
                "signals": seccomp or abi >= LANDLOCK_FOR_SIGNALS, "processes": seccomp,
                "scratch": capped["scratch"], "tasks": capped["tasks"]}
    why = {"filesystem": landlock_why, "network": seccomp_why, "processes": seccomp_why,
           "signals": f"{seccomp_why}; {landlock_why or f'Landlock ABI {abi} has no signal scoping'}",
           **capped_why}
    missing = [f"{name} ({why[name]})" for name in PROTECTIONS if not in_force[name]]
    return dict(in_force, missing=missing, landlock_abi=abi, seccomp=seccomp, user=capped["user"])


def unconfined(isolation):
    """The entries of ``isolation["missing"]`` that ``--require-isolation`` refuses to run without.

    The four confinement layers.  A missing scratch tmpfs leaves the cap the
    parent measures, and a missing task cap leaves the container's: both are
    reported, neither stops a grading container that lacks namespaces.
    """
    return [entry for entry in isolation["missing"] if entry.split(" ", 1)[0] in CONFINEMENT]


def _layer(disabled, name, apply, *args):
    """(what ``apply`` achieved, or 0; why it is missing, or None)."""
    if name in disabled:
        return 0, f"{name} turned off: {disabled[name]}"
    if not sys.platform.startswith("linux"):
        return 0, f"{name} needs Linux"
    if _threads() > 1:
        return 0, f"{name} was not applied: the process already runs several threads"
    try:
        return apply(*args), None
    except Unavailable as why:
        return 0, str(why)


def _threads():
    """Threads of this process (1 when /proc cannot tell)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def _file_in(path):
    """``path`` if it is a file, else the first file directly in it (a folder may be listable, not readable)."""
    if not os.path.isdir(path):
        return path if os.path.exists(path) else None
    try:
        with os.scandir(path) as entries:
            return next((entry.path for entry in entries if entry.is_file()), None)
    except OSError:
        return None


def _opens(path):
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_CLOEXEC))
        return True
    except OSError:
        return False


# ------------------------------------------------------------------ privileges

@functools.lru_cache(maxsize=1)
def _libc():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc


def drop_privileges(keep=0):
    """No new privileges, and no capabilities but those of the mask ``keep`` (Linux; elsewhere a no-op).

    no_new_privs is what lets an unprivileged process install Landlock and
    seccomp.  Run as root, the worker would otherwise keep CAP_SYS_PTRACE and
    CAP_DAC_OVERRIDE: it could open the parent's ``/proc`` entries (its
    stdout, its memory) or any file; in a user namespace of its own it holds
    every capability there.  The bounding set is emptied first (where the
    process may), so that executing a program cannot bring them back.  Root
    that became an unprivileged user keeps CAP_DAC_READ_SEARCH (``caps``).
    """
    try:
        libc = _libc()
        prctl, capset = libc.prctl, libc.capset
    except (OSError, AttributeError):
        return
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    for capability in range(64):
        if not keep >> capability & 1:
            prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)  # EINVAL past the last one, EPERM without CAP_SETPCAP
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    capset(header, (ctypes.c_uint32 * 6)(keep, keep, 0, 0, 0, 0))  # effective, permitted, inheritable


def _syscall(number, *args):
    """``syscall(number, *args)``; raises OSError on failure."""
    result = _libc().syscall(ctypes.c_long(number), *args)
    if result < 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))
    return result


# ------------------------------------------------------------------ Landlock

def landlock_abi():
    """The kernel's Landlock ABI version; raises Unavailable with the reason."""
    try:
        return _syscall(CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(RULESET_VERSION))
    except OSError as error:
        reasons = {errno.ENOSYS: "the kernel has no Landlock (Linux 5.13+ with CONFIG_SECURITY_LANDLOCK)",
                   errno.EOPNOTSUPP: "Landlock is disabled at boot (add landlock to the lsm= list)",
                   errno.EPERM: "Landlock is refused here (a seccomp filter of the container?)"}
        raise Unavailable(reasons.get(error.errno, f"Landlock is unavailable ({error.strerror})")) from None


def _landlock(scratch, readable, listable):
    """Restrict this process with Landlock; returns the ABI in force."""
    abi = landlock_abi()
    handled = FS_ABI1 | (REFER if abi >= 2 else 0) | (TRUNCATE if abi >= 3 else 0) | (IOCTL_DEV if abi >= 5 else 0)
    attr = RulesetAttr(handled_access_fs=handled,
                       handled_access_net=BIND_TCP | CONNECT_TCP if abi >= 4 else 0,
                       scoped=SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0)
    size = 8 if abi < 4 else 16 if abi < 6 else 24
    try:
        ruleset = _syscall(CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), ctypes.c_uint32(0))
    except OSError as error:
        raise Unavailable(f"Landlock refused the ruleset ({error.strerror})") from None
    try:
        for path, access in _rules(scratch, readable, listable):
            _allow(ruleset, path, access & handled)
        _syscall(RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0))
    except OSError as error:
        raise Unavailable(f"Landlock could not restrict the process ({error.strerror})") from None
    finally:
        os.close(ruleset)
    return abi


def _rules(scratch, readable, listable=()):
    """(path, access) pairs: what the confined process may touch."""
    everything = (1 << 64) - 1
    trees = [os.path.dirname(os.__file__)] + [p for p in sys.path if os.path.basename(p) == "lib-dynload"]
    trees += list(LIBRARY_DIRECTORIES) + sorted(_mapped_library_directories())
    unique = dict.fromkeys(os.path.realpath(tree) for tree in trees)  # /lib is often /usr/lib
    rules = [(path, READ) for tree in unique for path in _without_packages(tree)]
    rules += [(path, READ) for path in list(READABLE_FILES) + list(readable)]
    rules += [(path, READ_DIR) for path in listable]
    rules += [("/dev/null", READ_FILE | WRITE_FILE | TRUNCATE | IOCTL_DEV), (scratch, everything)]
    return rules


def _without_packages(tree):
    """``tree`` itself, or its entries when some of them hold Python packages.

    A library folder such as ``/usr/lib`` may hold ``python3/dist-packages``;
    the standard library holds ``site-packages``.  Those stay unreadable: the
    packages a submission may read are granted one by one.
    """
    try:
        names = os.listdir(tree)
    except OSError:
        return []
    if not any(PACKAGE_FOLDERS.match(name) for name in names):
        return [tree]
    return [os.path.join(tree, name) for name in sorted(names) if not PACKAGE_FOLDERS.match(name)]


def _mapped_library_directories():
    """Folders of the shared libraries this process has loaded (a conda or pyenv prefix)."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            paths = {line.split(None, 5)[-1].strip() for line in maps if ".so" in line}
    except OSError:
        return set()
    return {os.path.dirname(p) for p in paths if p.startswith("/") and "site-packages" not in p
            and "dist-packages" not in p}


def _allow(ruleset, path, access):
    """Add one path-beneath rule; a path that does not exist is skipped."""
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            access &= FILE_RIGHTS
        rule = PathBeneathAttr(allowed_access=access, parent_fd=fd)
        _syscall(ADD_RULE, ctypes.c_int(ruleset), ctypes.c_int(RULE_PATH_BENEATH), ctypes.byref(rule),
                 ctypes.c_uint32(0))
    finally:
        os.close(fd)


# ------------------------------------------------------------------ seccomp

def _seccomp():
    """Install the filter for this process and every thread; returns True."""
    machine = os.uname().machine.lower()
    table = SYSCALLS.get({"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine))
    if table is None or sys.maxsize < 2 ** 32:
        raise Unavailable(f"no seccomp filter for this architecture ({machine}, {sys.maxsize.bit_length() + 1}-bit)")
    program = seccomp_program(table, os.getpid())
    instructions = (SockFilter * len(program))(*[SockFilter(*i) for i in program])
    fprog = SockFprog(len(program), instructions)
    try:
        _syscall(table["seccomp"], ctypes.c_uint(SECCOMP_SET_MODE_FILTER),
                 ctypes.c_uint(SECCOMP_FILTER_FLAG_TSYNC), ctypes.byref(fprog))
    except OSError as error:
        if _libc().prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
            raise Unavailable(f"seccomp filters are refused here ({error.strerror})") from None
    return True


def seccomp_program(table, pid):
    """The BPF program, as (code, jt, jf, k) tuples, for one architecture and process id.

    Each block starts by comparing the system call number; a block that
    reads an argument ends in a return on every path, so the accumulator
    holds the number again at the start of the next block.
    """
    deny = RET_ERRNO | errno.EPERM
    program = [(LD_W_ABS, 0, 0, 4), (JEQ, 1, 0, table["arch"]), (RET, 0, 0, RET_ERRNO | errno.ENOSYS),
               (LD_W_ABS, 0, 0, 0)]
    if table is SYSCALLS["x86_64"]:
        program += [(JGE, 0, 1, X32_BIT), (RET, 0, 0, RET_ERRNO | errno.ENOSYS)]

    def refuse(name, code=deny):
        if name in table:
            program.extend([(JEQ, 0, 1, table[name]), (RET, 0, 0, code)])

    def on_argument(name, index, values, when_equal, otherwise):
        body = [(LD_W_ABS, 0, 0, 16 + 8 * index)]  # low 32 bits of the argument (little-endian)
        body += [(JEQ, len(values) - i, 0, value) for i, value in enumerate(values)]
        body += [(RET, 0, 0, otherwise), (RET, 0, 0, when_equal)]
        program.extend([(JEQ, 0, len(body), table[name])] + body)

    for name in STARTS_A_PROCESS + REACHES_OUTSIDE:
        refuse(name)
    refuse("clone3", RET_ERRNO | errno.ENOSYS)
    refuse("socket", RET_ERRNO | errno.EACCES)
    program.extend([(JEQ, 0, 4, table["clone"]), (LD_W_ABS, 0, 0, 16), (JSET, 1, 0, CLONE_THREAD),
                    (RET, 0, 0, deny), (RET, 0, 0, ALLOW)])
    ourselves = [pid, 0, (-pid) & 0xFFFFFFFF]
    for name in ("kill", "rt_sigqueueinfo"):
        on_argument(name, 0, ourselves, ALLOW, deny)
    for name in ("tgkill", "rt_tgsigqueueinfo"):
        on_argument(name, 0, [pid], ALLOW, deny)
    on_argument("fcntl", 1, [F_SETOWN, F_SETOWN_EX], deny, ALLOW)
    on_argument("ioctl", 1, [FIOSETOWN, SIOCSPGRP], deny, ALLOW)
    return program + [(RET, 0, 0, ALLOW)]
