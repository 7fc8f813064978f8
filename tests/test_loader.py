"""The loader reads what students really submit, without running any of it."""
import ast
import json
import os

import pytest
from conftest import ROOT

from rnncheck.load.loader import UnreadableSubmission, from_bytes, load


def kept_source(source):
    """The text of the statements the worker will run, in order."""
    body = ast.parse(source.text).body
    return [ast.get_source_segment(source.text, body[i]) for i in source.keep]


def test_imports_definitions_and_needed_assignments_are_kept_the_rest_skipped():
    source = from_bytes(b"import numpy as np\n"
                        b"SCALE = 2\n"
                        b"data = load_coco_data()\n"
                        b"def f(x):\n    return SCALE * x\n"
                        b"for i in range(10):\n    f(i)\n"
                        b"print(f(3))\n", "a.py")
    assert kept_source(source) == ["import numpy as np", "SCALE = 2", "def f(x):\n    return SCALE * x"]


def test_each_kept_statement_is_known_by_its_first_line_and_the_name_it_defines():
    source = from_bytes(b"import numpy as np\nprint(1)\n\n@decorate\ndef f(x):\n    return x\n"
                        b"SCALE = 2\nclass Cache:\n    pass\ndef g():\n    return SCALE\n", "a.py")
    assert source.statements == {0: (1, None), 2: (5, "f"), 3: (7, None), 4: (8, "Cache"), 5: (10, "g")}


def test_assignments_needed_only_through_other_assignments_are_kept():
    source = from_bytes(b"A = 3\nB = A + 1\nC = 7\ndef f():\n    return B\n", "a.py")
    assert kept_source(source) == ["A = 3", "B = A + 1", "def f():\n    return B"]


def test_try_import_fallbacks_and_python2_shims_are_kept():
    text = (b"try:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle\n"
            b"try:\n    xrange\nexcept NameError:\n    xrange = range\n"
            b"if __name__ == '__main__':\n    main()\n")
    source = from_bytes(text, "a.py")
    assert len(source.keep) == 2


def test_magics_and_shell_escapes_are_stripped():
    source = from_bytes(b"%matplotlib inline\n!pip install foo\n%load_ext autoreload\n"
                        b"np.dot?\nimport numpy as np\n", "a.py")
    assert source.text.splitlines()[:4] == ["pass"] * 4
    assert kept_source(source) == ["import numpy as np"]


def test_a_python2_print_breaks_only_its_own_function():
    text = (b"import numpy as np\n\n"
            b"def good(x):\n    return x\n\n"
            b"def bad(x):\n    print x\n    return x\n\n"
            b"@decorator\ndef also_good(x):\n    return 2 * x\n")
    source = from_bytes(text, "old.py")
    assert set(source.functions) == {"good", "also_good"}
    assert source.broken["bad"].startswith("line 7: Missing parentheses in call to 'print'")


def test_a_broken_redefinition_stays_broken_and_a_later_good_one_repairs_it():
    broken_last = from_bytes(b"def f(x):\n    return x\n\ndef f(x):\n    print x\n", "a.py")
    assert "f" in broken_last.broken
    repaired = from_bytes(b"def f(x):\n    print x\n\ndef f(x):\n    return x\n", "a.py")
    assert repaired.broken == {} and repaired.functions == {"f": 4}


def test_tabs_mixed_with_spaces_break_only_their_function():
    text = b"def a(x):\n    if x:\n\treturn 1\n        return 2\n\ndef b(x):\n    return x\n"
    source = from_bytes(text, "tabs.py")
    assert list(source.functions) == ["b"] and "a" in source.broken


@pytest.mark.parametrize("body", [
    "    pass",
    '    """Docstring only."""\n    pass',
    "    next_h, cache = None, None\n    pass\n    return next_h, cache",
    "    raise NotImplementedError('TODO')",
    "    dx = None\n    return dx",
])
def test_stubs_are_recognised(body):
    source = from_bytes(f"def rnn_step_forward(x):\n{body}\n".encode(), "stub.py")
    assert source.stubs == {"rnn_step_forward"}


def test_a_real_body_is_not_a_stub():
    source = from_bytes(b"def f(x):\n    out = None\n    out = x * 2\n    return out\n", "a.py")
    assert source.stubs == set()


def test_a_later_definition_replaces_an_earlier_stub():
    source = from_bytes(b"def f(x):\n    pass\n\ndef f(x):\n    return x\n", "a.py")
    assert source.stubs == set() and source.functions == {"f": 4}


def notebook(*cells, kind="code"):
    return json.dumps({"nbformat": 4, "nbformat_minor": 2, "metadata": {}, "cells": [
        {"cell_type": kind if not c.startswith("# md") else "markdown", "metadata": {},
         "source": c.splitlines(True), "outputs": [], "execution_count": None} for c in cells]}).encode()


def test_notebook_cells_are_read_and_places_named_by_cell():
    raw = notebook("%matplotlib inline\nimport numpy as np", "# md: prose",
                   "def f(x):\n    return x\n", "f(3)")
    source = from_bytes(raw, "homework.ipynb")
    assert source.functions == {"f": 3}
    assert source.where(3) == "code cell 2, line 1"  # the markdown cell is not counted


def test_non_python_cell_magics_are_dropped_and_timing_magics_unwrapped():
    raw = notebook("%%bash\nls -l\n", "%%time\ndef f(x):\n    return x\n")
    source = from_bytes(raw, "homework.ipynb")
    assert list(source.functions) == ["f"]
    assert kept_source(source) == ["def f(x):\n    return x"]


def test_exported_notebook_text_is_split_on_in_markers_and_outputs_dropped():
    text = (b"In [1]:\nimport numpy as np\n\nIn [2]:\nx = 1\nx\nOut[2]:\n1\n\n"
            b"In [ ]:\ndef f(x):\n    return x\n")
    source = from_bytes(text, "export.txt")
    assert source.functions == {"f": 5}
    assert source.where(5) == "line 11 (cell 3, line 1)"


def test_the_seed_notebook_defines_its_nine_functions():
    source = load(os.path.join(ROOT, "examples", "seed_notebook.txt"))
    assert set(source.functions) == {
        "rnn_step_forward", "rnn_step_backward", "rnn_forward", "rnn_backward", "sigmoid",
        "lstm_step_forward", "lstm_step_backward", "lstm_forward", "lstm_backward"}
    assert "rnn_step_forward" in source.calls["rnn_forward"]


@pytest.mark.parametrize("raw, name, problem", [
    (b"", "empty.py", "is empty"),
    (b"   \n\n", "blank.py", "is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "image.py", "binary"),
    (b"\x7fELF\x02\x01\x01\x00", "program.py", "binary"),
    (b"def f():\n    pass\n\xff" + bytes(range(1, 32)) * 4, "mostly_binary.txt", "binary"),
    (b'{"cells": [], "note": "caf\xe9"}', "latin1.ipynb", "not UTF-8 .line 1., which a notebook must be"),
    (b'{"cells": [', "broken.ipynb", "not a valid notebook"),
    (b'{"a": 1}', "other.ipynb", "not a Jupyter notebook"),
])
def test_unreadable_files_raise_one_clear_reason(raw, name, problem):
    with pytest.raises(UnreadableSubmission, match=problem):
        from_bytes(raw, name)


CHINESE = "def f(x):\n    # 前向传播\n    return '中文'\n"


def constant_of(source):
    """The string constant that ``f`` returns."""
    return ast.parse(source.text).body[-1].body[-1].value.value


def test_a_pep263_declaration_is_followed_without_a_warning():
    raw = ("# -*- coding: gbk -*-\n" + CHINESE).encode("gbk")
    source = from_bytes(raw, "declared.py")
    assert constant_of(source) == "中文" and source.warnings == []


def test_a_byte_order_mark_is_accepted():
    source = from_bytes("\ufeffdef f(x):\n    return x\n".encode("utf-8"), "bom.py")
    assert list(source.functions) == ["f"] and source.warnings == []


def test_a_notebook_with_a_byte_order_mark_is_read():
    source = from_bytes(b"\xef\xbb\xbf" + notebook("def f(x):\n    return x\n"), "bom.ipynb")
    assert list(source.functions) == ["f"]


@pytest.mark.parametrize("raw, encoding", [
    (CHINESE.encode("gb18030"), "GB18030"),
    ("def f(x):\n    # caf\xe9\n    return 'na\xefve'\n".encode("latin-1"), "LATIN-1"),
], ids=["gb18030", "latin-1"])
def test_undeclared_source_that_is_not_utf8_is_guessed_and_the_guess_named(raw, encoding):
    source = from_bytes(raw, "guessed.py")
    assert constant_of(source) == raw.decode(encoding.lower()).split("'")[1]
    assert source.warnings == [f"guessed.py is not UTF-8 (line 2); read as {encoding} "
                               "(save it as UTF-8 to be sure of its text)"]


def test_a_declaration_the_bytes_contradict_falls_back_with_a_warning():
    raw = ("# coding: utf-8\n" + CHINESE).encode("gbk")
    source = from_bytes(raw, "lying.py")
    assert constant_of(source) == "中文"
    assert source.warnings[0].startswith("lying.py is not UTF-8 (line 3); read as GB18030")


def test_an_unknown_declared_encoding_is_read_as_utf8_with_a_warning():
    source = from_bytes(b"# coding: klingon\n" + CHINESE.encode("utf-8"), "unknown.py")
    assert constant_of(source) == "中文"
    assert source.warnings == ["unknown.py declares an encoding Python cannot use "
                               "(unknown encoding: klingon); read as UTF-8"]


def test_utf16_with_a_byte_order_mark_is_read_with_a_warning():
    source = from_bytes(CHINESE.encode("utf-16"), "notepad.py")
    assert constant_of(source) == "中文"
    assert source.warnings == ["notepad.py is UTF-16 (Python itself would refuse it; save it as UTF-8)"]


def test_exported_output_with_backspaces_and_colours_is_text():
    progress = "".join(f"{i}/100 [{'=' * (i // 10)}]" + "\b" * 20 for i in range(100))
    text = f"In [1]:\ndef f(x):\n    return x\nf(1)\n{progress}\n\x1b[0;31mValueError\x1b[0m\n"
    for raw in (text.encode("utf-8"), text.encode("utf-8") + b"# caf\xe9\n"):
        assert list(from_bytes(raw, "export.txt").functions) == ["f"]
