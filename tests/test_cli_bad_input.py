"""Input the CLI cannot check: exit status 2 and one clear line on stderr, never a traceback."""
import json
import os

import pytest
from conftest import run_cli

NOT_NOTEBOOKS = {
    "numeric_source.ipynb": json.dumps({"cells": [{"cell_type": "code", "source": [1, 2]}]}),
    "deeply_nested.ipynb": "[" * 100_000 + "]" * 100_000,
}


def assert_usage_error(done, *words):
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("rnncheck: error: ") and "Traceback" not in done.stderr
    for word in words:
        assert word in lines[0]


def test_a_missing_path(tmp_path):
    missing = tmp_path / "nowhere.py"
    assert_usage_error(run_cli(missing, "--format", "json"), str(missing), "no such file")


def test_a_folder_with_no_candidates(tmp_path):
    (tmp_path / "notes.md").write_text("# not a submission\n")
    (tmp_path / "sub").mkdir()
    assert_usage_error(run_cli(tmp_path), str(tmp_path), "no .py, .ipynb or .txt")


def test_a_binary_file(tmp_path):
    path = tmp_path / "solution.py"
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)))
    assert_usage_error(run_cli(path), "binary")


def test_a_notebook_that_is_not_json(tmp_path):
    path = tmp_path / "solution.ipynb"
    path.write_text('{"cells": [{"cell_type": "code", "source": ["def f(:\n"\n')
    assert_usage_error(run_cli(path, "--format", "json"), "not a valid notebook", "line")


@pytest.mark.parametrize("content", [b"", b"\n  \n", b"\xef\xbb\xbf"], ids=["empty", "blank", "bom"])
def test_an_empty_file(tmp_path, content):
    path = tmp_path / "solution.py"
    path.write_bytes(content)
    assert_usage_error(run_cli(path), "empty")


def test_a_notebook_that_is_not_utf8(tmp_path):
    path = tmp_path / "solution.ipynb"
    path.write_bytes(b'{"cells": [], "metadata": {"author": "Andr\xe9"}}')
    assert_usage_error(run_cli(path), "not UTF-8", "which a notebook must be")


def test_a_folder_holding_a_directory_named_like_a_submission(tmp_path):
    (tmp_path / "solution.py").mkdir()
    assert_usage_error(run_cli(tmp_path), "solution.py")


@pytest.mark.parametrize("name", sorted(NOT_NOTEBOOKS))
def test_a_notebook_that_is_json_but_malformed(tmp_path, name):
    path = tmp_path / name
    path.write_text(NOT_NOTEBOOKS[name])
    assert_usage_error(run_cli(path), os.path.basename(name))
