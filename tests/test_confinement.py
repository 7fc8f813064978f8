"""Confinement of the worker: what submitted code cannot reach, and how the verdict says so.

Each test runs the CLI as users run it, on the base solution with a few functions replaced
by misbehaving ones.  The replacements are written here rather than under ``hostile/``
because they need what only the test knows: a port, a marker, a path outside the scratch
directory.  Every test checks that each misbehaving function is an ``error`` whose message
names what was blocked, that every other function still passes, and that the outside world
saw nothing: no file written, no connection made, no process left running.  A protection
this kernel cannot give is skipped with the reason, never passed silently.
"""
import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import uuid

from conftest import (BASE, ROOT, hostile_source, isolation_here, run_cli, skip_unless_confined, statuses,
                      verdicts)

from rnncheck.courses.cs231n import FUNCTIONS

LIMITS = ("--seed", "0", "--timeout", "2", "--load-timeout", "3")
PROTECTIONS = ("filesystem", "network", "signals", "processes", "scratch", "tasks")
AUTOGRAD = importlib.util.find_spec("autograd").submodule_search_locations[0]


def submission(tmp_path, patch):
    """The base with ``patch`` (source text) over it, as a file in a folder of its own."""
    folder = tmp_path / "submission"
    folder.mkdir()
    patch_file = tmp_path / "patch.py"
    patch_file.write_text(textwrap.dedent(patch), encoding="utf-8")
    return hostile_source(str(patch_file), str(folder))


def check(tmp_path, patch, *args, env=None):
    """(exit code, verdict) of the CLI on ``submission(tmp_path, patch)``."""
    code, found = verdicts(submission(tmp_path, patch), *LIMITS, *args, env=env)
    assert len(found) == 1
    return code, found[0]


def assert_only_these_fail(verdict, expected, messages):
    """Exactly ``expected`` ({name: status}) do not pass, and each message matches its pattern."""
    found = statuses(verdict)
    assert set(found) == set(FUNCTIONS)
    assert {name: status for name, status in found.items() if status != "pass"} == expected
    for function in verdict["functions"]:
        if function["name"] in messages:
            assert re.search(messages[function["name"]], function["message"]), function["message"]


def processes_with(marker):
    """Ids of running processes whose command line holds ``marker`` (killed, so none outlives the test)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                if marker.encode() in cmdline.read():
                    found.append(int(pid))
                    os.kill(int(pid), signal.SIGKILL)
        except OSError:
            pass
    return found


# ---------------------------------------------------------------- the report

def test_the_verdict_names_the_protections_in_force_and_the_missing_ones():
    isolation = isolation_here()
    assert set(isolation) == set(PROTECTIONS) | {"missing", "landlock_abi", "seccomp", "user"}
    assert [m.split()[0] for m in isolation["missing"]] == [p for p in PROTECTIONS if not isolation[p]]
    if isolation["seccomp"] and isolation["landlock_abi"] >= 3:
        assert all(isolation[p] for p in PROTECTIONS) and isolation["missing"] == []


def test_without_landlock_the_check_still_runs_and_says_the_filesystem_is_open():
    code, [verdict] = verdicts(BASE, *LIMITS, "--functions", "temporal_affine_*",
                               env={"RNNCHECK_DISABLE_LANDLOCK": "1"})
    isolation = verdict["isolation"]
    assert code == 0 and verdict["passed"]
    assert isolation["filesystem"] is False and isolation["landlock_abi"] == 0
    assert isolation["missing"][0] == "filesystem (landlock turned off: RNNCHECK_DISABLE_LANDLOCK is set)"
    assert isolation["processes"] is isolation["network"] is isolation["seccomp"]

    text = run_cli(BASE, *LIMITS, "--functions", "temporal_affine_*", env={"RNNCHECK_DISABLE_LANDLOCK": "1"})
    warning = [line for line in text.stdout.splitlines() if "without full isolation" in line]
    assert text.returncode == 0 and len(warning) == 1
    assert "warning: submitted code ran without full isolation: filesystem (landlock turned off" in warning[0]


def test_without_seccomp_processes_and_network_are_reported_missing():
    code, [verdict] = verdicts(BASE, *LIMITS, "--functions", "temporal_affine_*",
                               env={"RNNCHECK_DISABLE_SECCOMP": "1"})
    isolation = verdict["isolation"]
    assert code == 0 and verdict["passed"] and isolation["seccomp"] is False
    assert isolation["processes"] is False and isolation["network"] is False
    assert "processes (seccomp turned off: RNNCHECK_DISABLE_SECCOMP is set)" in isolation["missing"]
    assert isolation["signals"] is (isolation["landlock_abi"] >= 6)  # Landlock scopes signals from ABI 6


def test_require_isolation_refuses_to_run_any_submitted_code_without_full_confinement(tmp_path):
    marker = tmp_path / "ran.txt"
    path = submission(tmp_path, f"""
        def sigmoid(x, ran=open({str(marker)!r}, "w")):  # a default argument runs when the file loads
            return 1 / (1 + np.exp(-x))
        """)
    done = run_cli(path, *LIMITS, "--require-isolation", env={"RNNCHECK_DISABLE_LANDLOCK": "1"})
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("rnncheck: error: --require-isolation: submitted code would run without: "
                                  "filesystem (landlock turned off")
    assert not marker.exists()


def test_require_isolation_refuses_the_bundled_check_too():
    done = run_cli("--require-isolation", "--functions", "sigmoid", env={"RNNCHECK_DISABLE_SECCOMP": "1"})
    assert done.returncode == 2 and done.stdout == "" and done.stderr.count("\n") == 1
    assert "submitted code would run without: network (seccomp turned off" in done.stderr


def test_require_isolation_checks_as_usual_when_fully_confined():
    skip_unless_confined(*PROTECTIONS)
    code, [verdict] = verdicts(BASE, *LIMITS, "--functions", "rnn_step_*", "--require-isolation")
    assert code == 0 and verdict["passed"] and verdict["isolation"]["missing"] == []


# ---------------------------------------------------------------- processes

def test_a_detached_double_forked_or_spawned_process_is_refused_and_nothing_outlives_the_check(tmp_path):
    skip_unless_confined("processes")
    marker = f"rnncheck-confinement-{uuid.uuid4().hex}"
    sleeper = ["import time; time.sleep(60)", marker]
    code, verdict = check(tmp_path, f"""
        import os
        import subprocess
        import sys


        def temporal_affine_forward(x, w, b):
            subprocess.Popen([sys.executable, "-c", *{sleeper!r}], start_new_session=True)
            N, T, D = x.shape
            out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
            return out, (x, w, b, out)


        def word_embedding_forward(x, W):
            child = os.fork()
            if child == 0:
                os.setsid()
                if os.fork() == 0:
                    os.execv(sys.executable, [sys.executable, "-c", *{sleeper!r}])
                os._exit(0)
            os.waitpid(child, 0)
            return W[x, :], (x, W)


        def temporal_softmax_loss(x, y, mask, verbose=False):
            os.posix_spawn(sys.executable, [sys.executable, "-c", *{sleeper!r}], dict(os.environ))
        """)
    assert processes_with(marker) == []
    assert code == 1
    assert_only_these_fail(verdict, {"temporal_affine_forward": "error", "temporal_affine_backward": "skipped",
                                     "word_embedding_forward": "error", "word_embedding_backward": "skipped",
                                     "temporal_softmax_loss": "error"},
                           {"temporal_affine_forward": r"^blocked by the sandbox: starting a process "
                                                       r"\(subprocess\.Popen .*python",
                            "word_embedding_forward": r"^blocked by the sandbox: starting a process \(os\.fork\)",
                            "temporal_softmax_loss": r"^blocked by the sandbox: starting a process "
                                                     r"\(os\.posix_spawn\)"})


# ---------------------------------------------------------------- files

def test_writes_outside_the_scratch_directory_are_refused_and_change_nothing(tmp_path):
    skip_unless_confined("filesystem")
    outside = tmp_path / "outside"
    outside.mkdir()
    kept = outside / "keep.txt"
    kept.write_text("the grader's file", encoding="utf-8")
    in_tmp = f"/tmp/rnncheck-confinement-{uuid.uuid4().hex}.txt"
    code, verdict = check(tmp_path, f"""
        import os


        def word_embedding_forward(x, W):
            with open({in_tmp!r}, "w") as handle:
                handle.write("escaped")
            return W[x, :], (x, W)


        def temporal_softmax_loss(x, y, mask, verbose=False):
            open({str(outside / "written.txt")!r}, "a").close()


        def temporal_affine_backward(dout, cache):
            os.remove({str(kept)!r})


        def temporal_affine_forward(x, w, b):
            with open("note.txt", "w") as note:  # the scratch directory is the working directory
                note.write("mine")
            with open(os.path.join(os.environ["TMPDIR"], "note.txt")) as note:
                assert note.read() == "mine"
            print("scratch:", os.getcwd(), flush=True)
            N, T, D = x.shape
            out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
            return out, (x, w, b, out)
        """)
    assert code == 1
    assert_only_these_fail(verdict, {"word_embedding_forward": "error", "word_embedding_backward": "skipped",
                                     "temporal_softmax_loss": "error", "temporal_affine_backward": "error"},
                           {"word_embedding_forward": rf"^blocked by the sandbox: opening {in_tmp} for writing",
                            "temporal_softmax_loss": r"^blocked by the sandbox: opening \S+/outside/written\.txt "
                                                     r"for writing \(the worker writes only in its scratch",
                            "temporal_affine_backward": r"^blocked by the sandbox: removing \S+/outside/keep\.txt"})
    assert not os.path.exists(in_tmp) and not (outside / "written.txt").exists()
    assert kept.read_text(encoding="utf-8") == "the grader's file"
    scratches = set(re.findall(r"scratch: (\S+)", verdict["output"]["kept"]))
    assert scratches and not any(os.path.exists(s) for s in scratches)  # removed with its worker


def test_the_oracle_sources_stay_unreadable_once_the_import_hook_is_gone(tmp_path):
    skip_unless_confined("filesystem")
    code, verdict = check(tmp_path, f"""
        import importlib
        import importlib.util
        import sys


        def temporal_affine_forward(x, w, b):
            sys.meta_path[:] = [f for f in sys.meta_path if type(f).__name__ != "ImportBlocker"]
            return importlib.import_module("auto" + "grad")


        def word_embedding_forward(x, W):
            sys.meta_path.clear()
            return open({os.path.join(ROOT, "reference", "rnn.py")!r}).read()


        def temporal_softmax_loss(x, y, mask, verbose=False):
            spec = importlib.util.spec_from_file_location("oracle", {os.path.join(AUTOGRAD, "core.py")!r})
            spec.loader.exec_module(importlib.util.module_from_spec(spec))
        """)
    assert code == 1
    assert_only_these_fail(verdict, {"temporal_affine_forward": "error", "temporal_affine_backward": "skipped",
                                     "word_embedding_forward": "error", "word_embedding_backward": "skipped",
                                     "temporal_softmax_loss": "error"},
                           {"temporal_affine_forward": r"^blocked by the sandbox: reading \S+/autograd/__init__\.py",
                            "word_embedding_forward": r"^blocked by the sandbox: reading \S+/reference/rnn\.py",
                            "temporal_softmax_loss": r"^blocked by the sandbox: reading \S+/autograd/core\.py"})


# ---------------------------------------------------------------- network

def test_no_connection_reaches_a_server_on_this_machine(tmp_path):
    skip_unless_confined("network")
    outside = tmp_path / "outside"
    outside.mkdir()
    with socket.create_server(("127.0.0.1", 0)) as tcp, \
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, \
            socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as unix:
        udp.bind(("127.0.0.1", 0))
        unix.bind(str(outside / "server.sock"))
        unix.listen()
        code, verdict = check(tmp_path, f"""
            import socket


            def temporal_affine_backward(dout, cache):
                socket.create_connection(("127.0.0.1", {tcp.getsockname()[1]}), timeout=1).sendall(b"hello")


            def word_embedding_backward(dout, cache):
                socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"hello", {udp.getsockname()!r})


            def temporal_softmax_loss(x, y, mask, verbose=False):
                socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).connect({str(outside / "server.sock")!r})
            """)
        for server in (tcp, udp, unix):
            server.setblocking(False)
        nothing_arrived = [_nothing_waiting(tcp.accept), _nothing_waiting(lambda: udp.recvfrom(64)),
                           _nothing_waiting(unix.accept)]
    assert code == 1 and nothing_arrived == [True, True, True]
    blocked = r"^blocked by the sandbox: a network connection"
    assert_only_these_fail(verdict, {"temporal_affine_backward": "error", "word_embedding_backward": "error",
                                     "temporal_softmax_loss": "error"},
                           {"temporal_affine_backward": blocked, "word_embedding_backward": blocked,
                            "temporal_softmax_loss": blocked})


def _nothing_waiting(receive):
    try:
        receive()
    except BlockingIOError:
        return True
    return False


# ---------------------------------------------------------------- what stays open

def test_numpy_submodules_the_standard_library_and_local_helpers_still_load_when_confined(tmp_path):
    skip_unless_confined("filesystem")
    folder = tmp_path / "submission"
    path = submission(tmp_path, """
        import numpy.testing
        from helpers import affine


        def temporal_affine_forward(x, w, b):
            import collections, decimal, fractions, json, tempfile  # noqa: E401
            np.testing.assert_allclose(np.fft.ifft(np.fft.fft(x.ravel())).real, x.ravel(), atol=1e-12)
            np.random.default_rng(0).normal(size=3)
            assert np.linalg.matrix_rank(np.eye(3)) == 3
            with tempfile.TemporaryFile() as scratch:
                scratch.write(json.dumps({"ok": True}).encode())
            out = affine(x, w, b)
            return out, (x, w, b, out)
        """)
    (folder / "helpers.py").write_text(textwrap.dedent("""
        def affine(x, w, b):
            N, T, D = x.shape
            return x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
        """), encoding="utf-8")
    code, [verdict] = verdicts(path, *LIMITS, "--functions", "temporal_affine_*")
    assert code == 0 and set(statuses(verdict).values()) == {"pass"}, verdict["functions"]


def test_the_switches_name_the_layers_they_turn_off():
    from rnncheck.sandbox.limits import disabled_layers
    assert disabled_layers({"RNNCHECK_DISABLE_LANDLOCK": "1"}) == {"landlock": "RNNCHECK_DISABLE_LANDLOCK is set"}
    assert disabled_layers({"RNNCHECK_DISABLE_SECCOMP": "yes", "RNNCHECK_DISABLE_LANDLOCK": "0"}) == {
        "seccomp": "RNNCHECK_DISABLE_SECCOMP is set"}
    assert disabled_layers({"RNNCHECK_DISABLE_LANDLOCK": ""}) == {}


def test_python_package_folders_are_left_out_of_a_readable_library_folder(tmp_path):
    from rnncheck.worker.confine import _without_packages
    for name in ("libz.so.1", "pkgconfig", "python3.11", "python3", "site-packages", "dist-packages"):
        (tmp_path / "lib" / name).mkdir(parents=True)
    (tmp_path / "plain" / "libz.so.1").mkdir(parents=True)
    assert _without_packages(str(tmp_path / "lib")) == [str(tmp_path / "lib" / n) for n in ("libz.so.1", "pkgconfig")]
    assert _without_packages(str(tmp_path / "plain")) == [str(tmp_path / "plain")]


def test_every_jump_of_the_seccomp_program_lands_inside_it():
    from rnncheck.worker.confine import ALLOW, JEQ, JGE, JSET, RET, SYSCALLS, seccomp_program
    for table in SYSCALLS.values():
        program = seccomp_program(table, 4242)
        assert program[-1] == (RET, 0, 0, ALLOW) and len(program) < 256
        for index, (code, jt, jf, _) in enumerate(program):
            if code in (JEQ, JGE, JSET):
                assert index + 1 + max(jt, jf) < len(program)


def test_hidden_entries_of_the_submission_folder_stay_unreadable(tmp_path):
    skip_unless_confined("filesystem")
    folder = tmp_path / "submission"
    path = submission(tmp_path, f"""
        import os


        def word_embedding_forward(x, W):
            return open(os.path.join({str(folder)!r}, ".secrets", "token.txt")).read()


        def temporal_affine_forward(x, w, b):
            assert "helpers.py" in os.listdir({str(folder)!r})  # names may be listed
            N, T, D = x.shape
            out = x.reshape(N * T, D).dot(w).reshape(N, T, -1) + b
            return out, (x, w, b, out)
        """)
    (folder / ".secrets").mkdir()
    (folder / ".secrets" / "token.txt").write_text("hunter2", encoding="utf-8")
    (folder / "helpers.py").write_text("", encoding="utf-8")
    code, [verdict] = verdicts(path, *LIMITS, "--functions", "word_embedding_*,temporal_affine_*")
    assert code == 1
    assert statuses(verdict) == {"word_embedding_forward": "error", "word_embedding_backward": "skipped",
                                 "temporal_affine_forward": "pass", "temporal_affine_backward": "pass"}
    message = verdict["functions"][0]["message"]
    assert re.search(r"^blocked by the sandbox: reading \S+/\.secrets/token\.txt", message), message
    assert "hunter2" not in json.dumps(verdict)


def test_a_blocked_package_left_readable_turns_the_filesystem_protection_off_in_the_report(tmp_path):
    skip_unless_confined("filesystem")
    package = tmp_path / "oracle"
    package.mkdir()
    (package / "__init__.py").write_text("SECRET = 1\n", encoding="utf-8")
    (tmp_path / "scratch").mkdir()
    script = (f"import json, sys; sys.path.insert(0, {ROOT!r}); from rnncheck.worker.confine import confine; "
              f"print(json.dumps(confine({str(tmp_path / 'scratch')!r}, [{str(package)!r}], [{str(package)!r}])))")
    done = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, text=True, timeout=60)
    isolation = json.loads(done.stdout)
    assert isolation["filesystem"] is False
    assert isolation["missing"][0] == f"filesystem ({package / '__init__.py'} is still readable)"
