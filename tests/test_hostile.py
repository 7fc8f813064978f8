"""Hostile submissions: whatever one does, every other function keeps its honest verdict.

Each file in ``hostile/`` is a patch over the base solution
(``submissions/correct/cs231n_loops.py``): its top-level functions replace
the base's, so a definition that fails really leaves the function undefined.
Header lines say what must happen:

- ``# expect-<status>: name ...``: these functions get that status; every
  other function checked must pass.
- ``# message: name: regex``: searched in that function's message.
- ``# warning: regex``: searched in the file-level warnings.
- ``# args: ...``: more CLI arguments; ``# env: NAME=value``: set for the run.
- ``# printed-at-least: bytes``: the submission's output was counted, not kept.
- ``# needs: protection``: skipped, with the reason, where the kernel cannot
  give that protection (``filesystem``, ``network``, ``signals``, ``processes``).

The CLI runs as users run it, in a subprocess, with short limits so that
the whole suite stays well under a minute and a half on two cores.  The
parent's peak memory is read from its own ``/proc/self/status`` at exit.
"""
import glob
import json
import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT, assert_messages, expectations, header, hostile_source, skip_unless_confined, statuses

from rnncheck.courses.cs231n import FUNCTIONS

HOSTILE = sorted(glob.glob(os.path.join(os.path.dirname(__file__), "hostile", "*.py")))
LIMITS = ("--timeout", "2", "--load-timeout", "3")
PARENT_PEAK_MB = 300
WRAPPER = """\
import os, runpy, sys
sys.argv[0] = "rnncheck"
leave = os._exit


def report_peak(*code):
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM"))
    print(f"parent-peak-kb: {peak}", file=sys.stderr, flush=True)
    if code:
        leave(*code)


os._exit = report_peak  # rnncheck's way out once its verdicts are written
try:
    runpy.run_module("rnncheck", run_name="__main__", alter_sys=True)
finally:
    report_peak()
"""


def run(path, *args, env=None):
    """The CLI on ``path``: (exit code, stdout, stderr, parent peak in MB)."""
    command = [sys.executable, "-c", WRAPPER, path, "--seed", "0", *LIMITS, *args]
    environment = dict(os.environ, **(env or {}))
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=environment,
                          timeout=240)
    peak = re.search(r"parent-peak-kb: (\d+)", done.stderr)
    return done.returncode, done.stdout, done.stderr, int(peak.group(1)) / 1024 if peak else None


@pytest.mark.parametrize("patch", HOSTILE, ids=[os.path.basename(p)[:-3] for p in HOSTILE])
def test_a_hostile_function_costs_only_its_own_verdict(patch, tmp_path):
    skip_unless_confined(*header(patch, "needs"))
    expected = expectations(patch)
    args = [a for line in header(patch, "args") for a in line.split()]
    env = dict(line.split("=", 1) for line in header(patch, "env"))
    code, stdout, stderr, peak = run(hostile_source(patch, str(tmp_path)), "--format", "json",
                                     *args, env=env)

    assert "Traceback" not in stderr, stderr
    lines = stdout.splitlines()
    assert len(lines) == 1, stdout[:2000]  # exactly one object: nothing forged around it
    verdict = json.loads(lines[0])
    found = statuses(verdict)
    if "--functions" not in args:  # the rest of the file was checked, and passed
        assert set(found) == set(FUNCTIONS)
    assert {n: s for n, s in found.items() if s != "pass"} == expected
    assert verdict["passed"] is (not expected)
    assert code == (1 if expected else 0)

    assert_messages(verdict, patch)
    for pattern in header(patch, "warning"):
        assert any(re.search(pattern, w) for w in verdict["warnings"]), verdict["warnings"]
    for size in header(patch, "printed-at-least"):
        assert verdict["output"]["bytes"] >= int(size)
    assert len(verdict["output"]["kept"].encode()) <= 64 << 10
    assert peak is not None and peak < PARENT_PEAK_MB, f"parent peak {peak:.0f} MB"


def test_allow_import_lifts_the_block(tmp_path):
    path = hostile_source(os.path.join(ROOT, "tests", "hostile", "import_autograd.py"), str(tmp_path))
    code, stdout, stderr, _ = run(path, "--format", "json", "--functions", "temporal_affine_*",
                                  "--allow-import", "autograd")
    verdict = json.loads(stdout)
    assert code == 0 and set(statuses(verdict).values()) == {"pass"}, stdout


def test_a_hostile_message_prints_as_one_plain_line_in_the_text_report(tmp_path):
    path = hostile_source(os.path.join(ROOT, "tests", "hostile", "fake_verdict_message.py"),
                          str(tmp_path))
    code, stdout, stderr, _ = run(path, "--functions", "temporal_affine_*")
    assert code == 1 and "Traceback" not in stderr, stderr
    row = next(line for line in stdout.splitlines() if "temporal_affine_forward" in line)
    assert "ERROR" in row and row.isprintable()
    assert "\x1b" not in stdout and "PASSED" not in stdout.replace("FAILED", "")


def test_the_hostile_suite_covers_the_issue():
    names = {os.path.basename(p)[:-3] for p in HOSTILE}
    assert {"infinite_loop", "sys_exit_zero", "os_exit_zero", "keyboard_interrupt", "base_exception",
            "segfault", "recursion", "memory_hog", "print_flood", "background_thread",
            "decorator_hangs", "default_argument_raises", "toplevel_sleep", "monkeypatch",
            "fake_verdict_output", "returns_none", "returns_strings", "returns_ragged",
            "returns_object_array", "returns_complex", "returns_lying_subclass", "nan_gradient",
            "stateful", "closes_channel", "writes_garbage_to_channel", "import_autograd",
            "import_reference_inside", "import_rnncheck", "import_torch", "kills_parent", "stops_parent",
            "thread_outlives_call", "fills_scratch", "writes_within_scratch", "many_threads",
            "few_threads"} <= names


# ------------------------------------------------ what the parent reads from a worker

def frame(header_bytes, payload=b""):
    import struct
    return struct.pack(">I", len(header_bytes)) + header_bytes + payload


@pytest.mark.parametrize("message", [
    frame(b"[" * 100_000 + b"]" * 100_000),
    frame(b'"just a string"'),
    frame(b'{"arrays": 3}'),
    frame(b'{"arrays": [{"dtype": "O", "shape": [1]}]}'),
    frame(b'{"arrays": [{"dtype": "V8", "shape": [1]}]}'),
    frame(b'{"arrays": [{"dtype": "(2,)f8", "shape": [1]}]}'),
    frame(b'{"arrays": [{"dtype": "<f8", "shape": [-1]}]}'),
    frame(b'{"arrays": [{"dtype": "<f8", "shape": [1e400]}]}'),
    frame(b'{"arrays": [{"dtype": "<f8", "shape": [' + b"1," * 40 + b'1]}]}'),
    frame(b'{"arrays": [{"dtype": "<f8", "shape": [100000, 100000]}]}'),
    frame(b'\xff\xfe'),
    b"\x7f\xff\xff\xff",
], ids=["nested", "string", "arrays-int", "object", "void", "subarray", "negative", "inf",
        "41-dims", "huge", "not-utf8", "huge-header"])
def test_a_malformed_message_is_a_wire_error_and_nothing_else(message, tmp_path):
    from rnncheck.worker import wire
    path = tmp_path / "message"
    path.write_bytes(message)
    with open(path, "rb") as handle, pytest.raises(wire.WireError):
        wire.receive(handle.fileno(), deadline=None, max_bytes=1 << 26)


REQUEST = {"op": "backward", "id": 7, "inputs": ["x", "w", "b"], "upstream": ["dout"],
           "outputs": ["dx", "dw", "db"]}
ARRAY = {"kind": "array", "type": "ndarray"}


def reply(**changes):
    good = {"ok": True, "id": 7, "seconds": 0.1, "warnings": [], "container": "tuple",
            "count": 3, "mutated": [], "outputs": [dict(ARRAY, index=i) for i in range(3)]}
    return dict(good, **changes)


@pytest.mark.parametrize("bad, arrays", [
    (reply(id=6), 3),                                     # answers another request
    (reply(count=3, outputs=[dict(ARRAY, index=0)]), 1),  # says three, describes one
    (reply(outputs=[dict(ARRAY, index=0)] * 3), 3),       # one array judged three times
    (reply(outputs=[dict(ARRAY, index=i) for i in range(3)]), 2),  # an array that never came
    (reply(outputs=[{"kind": "pass", "type": "x"}] * 3), 0),       # an unknown kind
    (reply(mutated=["cache"]), 3),                        # not one of the inputs
    (reply(count="3"), 3),
    (reply(ok=1), 3),
    (reply(hygiene={"modified": [], "shrunk": [], "again": None, "difference": 0.0}), 3),  # not asked for
    (reply(hygiene={"modified": [3], "shrunk": [], "again": None, "difference": 0.0}), 3),  # a path not text
    (dict(reply(ok=False), type="E", message=None), 0),
    ([1, 2, 3], 0),
])
def test_a_reply_that_does_not_add_up_is_refused(bad, arrays):
    import numpy as np

    from rnncheck.sandbox import replies
    from rnncheck.worker import wire
    with pytest.raises(wire.WireError):
        replies.checked(REQUEST, bad, [np.zeros(2)] * arrays)


def test_strings_in_a_reply_become_one_bounded_printable_line():
    from rnncheck.sandbox import replies
    failure = {"ok": False, "id": 7, "type": "E\x1b[2J", "message": "a\nb\ud800" + "x" * 10_000,
               "line": 3, "in": None, "stage": None, "base": False}
    checked = replies.checked(REQUEST, failure, [])
    assert checked["type"] == "E\\x1b[2J" and checked["message"].startswith("a\\nb\\ud800x")
    assert checked["message"].isprintable() and len(checked["message"]) < 600
    assert replies.checked(REQUEST, reply(), [0, 1, 2])["count"] == 3


def test_a_cache_report_is_read_only_when_asked_for_and_well_formed():
    from rnncheck.sandbox import replies
    from rnncheck.worker import wire
    report = {"modified": ["cache[4]"], "shrunk": [], "again": "IndexError: pop\n", "difference": None}
    checked = replies.checked(dict(REQUEST, hygiene=True), reply(hygiene=report), [0, 1, 2])
    assert checked["hygiene"] == dict(report, again="IndexError: pop\\n")
    with pytest.raises(wire.WireError):
        replies.checked(dict(REQUEST, hygiene=True), reply(hygiene=dict(report, difference="0")), [0, 1, 2])
