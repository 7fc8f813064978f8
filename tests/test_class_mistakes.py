"""What a class got wrong: the known mistakes named across a batch, in the text summary, the HTML index and the CSV."""
import csv
import io
import os
import re
import shutil

import pytest
from conftest import BASE, SUBMISSIONS, patched, run_cli

from rnncheck.views import gradebook, html, summary


def verdict(candidate, *functions):
    """A verdict with ``functions`` given as (name, status, mistake id or None)."""
    listed = []
    for name, status, mistake in functions:
        entry = {"name": name, "status": status, "message": "m", "warnings": []}
        if mistake:
            entry["mistake"] = {"id": mistake, "title": f"title of {mistake}", "hint": f"hint of {mistake}"}
        listed.append(entry)
    return {"candidate": candidate, "passed": all(s == "pass" for _, s, _ in functions), "seed": 0,
            "functions": listed, "warnings": []}


CLASS = [
    verdict("a.py", ("rnn_step_backward", "fail", "rnn_step_db_mean"), ("rnn_backward", "fail", "rnn_step_db_mean")),
    verdict("b.py", ("rnn_step_backward", "pass", None), ("rnn_backward", "fail", "rnn_backward_no_dprev_h")),
    verdict("c.py", ("rnn_step_backward", "fail", "rnn_step_db_mean"), ("rnn_backward", "fail", None)),
    verdict("d.py", ("rnn_step_backward", "pass", None), ("rnn_backward", "pass", None)),
]


def test_mistakes_are_counted_per_submission_most_common_first_with_the_functions_they_affect():
    found = summary.mistakes(CLASS)
    assert [(m["id"], m["submissions"], m["functions"]) for m in found] == [
        ("rnn_step_db_mean", 2, {"rnn_step_backward": 2, "rnn_backward": 1}),
        ("rnn_backward_no_dprev_h", 1, {"rnn_backward": 1})]
    assert found[0]["title"] == "title of rnn_step_db_mean" and found[0]["hint"] == "hint of rnn_step_db_mean"


def test_the_text_summary_ends_with_the_class_table():
    lines = summary.as_table(CLASS).splitlines()
    start = lines.index("Known mistakes, most common first (named in 3 of 4 submissions):")
    assert lines[start + 1:] == [
        "    2 submissions  rnn_step_db_mean: title of rnn_step_db_mean  (rnn_step_backward 2, rnn_backward 1)",
        "    1 submission   rnn_backward_no_dprev_h: title of rnn_backward_no_dprev_h  (rnn_backward 1)"]


def test_a_class_without_named_mistakes_gets_no_table_and_a_long_one_is_cut():
    assert "Known mistakes" not in summary.as_table([CLASS[3]])
    many = [verdict(f"{k}.py", ("rnn_step_backward", "fail", f"mistake_{k}")) for k in range(13)]
    lines = summary.mistakes_table(many)
    assert len(lines) == 1 + summary.SHOWN + 1
    assert lines[-1] == "  and 3 more, each in 1 or fewer submissions"


def test_the_csv_gets_a_mistakes_column_last_and_keeps_the_others():
    functions = ["rnn_step_backward", "rnn_backward"]
    assert gradebook.header(functions) == ["submission", *functions, "passed", "score", "max_score", "mistakes"]
    rows = [gradebook.row(v, functions) for v in CLASS]
    assert [r[-1] for r in rows] == ["rnn_step_backward=rnn_step_db_mean; rnn_backward=rnn_step_db_mean",
                                     "rnn_backward=rnn_backward_no_dprev_h", "rnn_step_backward=rnn_step_db_mean", ""]
    assert rows[3][:4] == ["d.py", "pass", "pass", "true"]


def test_the_html_index_lists_the_class_mistakes_escaped():
    page = html.index(CLASS + [verdict("e.py", ("rnn_step_backward", "fail", "x<y"))], [f"{k}.html" for k in "abcde"])
    rows = re.findall(r'<tr><td class="rc-num">(\d+)</td><td><code>([^<]+)</code><br>([^<]+)<br>'
                      r'<small>Hint: ([^<]+)</small></td><td>([^<]+)</td></tr>', page)
    assert rows == [("2", "rnn_step_db_mean", "title of rnn_step_db_mean", "hint of rnn_step_db_mean",
                     "rnn_step_backward (2), rnn_backward (1)"),
                    ("1", "rnn_backward_no_dprev_h", "title of rnn_backward_no_dprev_h",
                     "hint of rnn_backward_no_dprev_h", "rnn_backward (1)"),
                    ("1", "x&lt;y", "title of x&lt;y", "hint of x&lt;y", "rnn_step_backward (1)")]
    assert "No known mistake was named" in html.index([CLASS[3]], ["d.html"])


@pytest.fixture(scope="module")
def class_folder(tmp_path_factory):
    """A class of six: one correct, the same forward mistake twice, two backward mistakes, one bug outside both."""
    folder = tmp_path_factory.mktemp("class")
    shutil.copy(BASE, folder / "correct.py")
    wrong = os.path.join(SUBMISSIONS, "wrong")
    for name, patch in [("ann.py", "rnn_step_forward_sigmoid.py"), ("bob.py", "rnn_step_forward_sigmoid.py"),
                        ("cat.py", "rnn_step_backward_dx_through_Wh.py"), ("dan.py", "rnn_step_backward_db_mean.py"),
                        ("eve.py", "rnn_backward_truncated_bptt.py")]:
        os.rename(patched(os.path.join(wrong, patch), str(folder)), folder / name)
    return folder


def test_a_batch_of_wrong_submissions_shows_the_class_table_in_text(class_folder):
    done = run_cli(class_folder, "--seed", 3, "--functions", "rnn_*", "--jobs", "2")
    assert done.returncode == 1
    table = done.stdout[done.stdout.index("Known mistakes"):].splitlines()
    assert table[0] == "Known mistakes, most common first (named in 4 of 6 submissions):"
    assert table[1] == ("    2 submissions  rnn_sigmoid_activation: the activation is sigmoid instead of tanh  "
                        "(rnn_step_forward 2, rnn_step_backward 2, rnn_forward 2, rnn_backward 2)")
    rest = sorted(line.split(":")[0].split()[-1] for line in table[2:])
    assert rest == ["rnn_step_db_mean", "rnn_step_dx_Wh_for_Wx"]


def test_a_batch_of_wrong_submissions_shows_the_class_table_in_html(class_folder, tmp_path):
    done = run_cli(class_folder, "--seed", 3, "--functions", "rnn_*", "--jobs", "2", "--format", "html",
                   "--output", tmp_path / "site")
    assert done.returncode == 1
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    section = index[index.index("Known mistakes across the submissions"):]
    rows = re.findall(r'<td class="rc-num">(\d+)</td><td><code>(\w+)</code>', section)
    assert rows[0] == ("2", "rnn_sigmoid_activation")
    assert sorted(rows[1:]) == [("1", "rnn_step_db_mean"), ("1", "rnn_step_dx_Wh_for_Wx")]
    assert "rnn_step_forward (2), rnn_step_backward (2), rnn_forward (2), rnn_backward (2)" in section


def test_the_csv_of_a_batch_names_each_functions_mistake(class_folder):
    done = run_cli(class_folder, "--seed", 3, "--functions", "rnn_*", "--jobs", "2", "--format", "csv")
    rows = {os.path.basename(r["submission"]): r["mistakes"] for r in csv.DictReader(io.StringIO(done.stdout))}
    assert rows["correct.py"] == "" and rows["eve.py"] == ""
    assert rows["ann.py"] == ("rnn_step_forward=rnn_sigmoid_activation; rnn_step_backward=rnn_sigmoid_activation; "
                              "rnn_forward=rnn_sigmoid_activation; rnn_backward=rnn_sigmoid_activation")
    assert rows["dan.py"] == "rnn_step_backward=rnn_step_db_mean; rnn_backward=rnn_step_db_mean"
