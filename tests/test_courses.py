"""Courses declared as data: shapes, dictionary arguments and returns, support files, choosing the course."""
import json
import os

import pytest
from conftest import BASE, HERE, run_cli, verdicts

from rnncheck import courses
from rnncheck.courses.course import Course, Input, Layer, resolve
from rnncheck.load.loader import from_bytes
from rnncheck.load.which_course import choose

COURSES = os.path.join(HERE, "courses")
MINI = os.path.join(COURSES, "mini_dlai.py")
GOOD = os.path.join(COURSES, "mini_good.py")


def variant(tmp_path, old, new, name="variant.py"):
    text = open(GOOD).read()
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new))
    return path


def test_shapes_are_products_sums_and_numbers_of_dimensions():
    dims = dict(N=2, T=3, D=4, H=5)
    assert resolve(("4H", "H+D", 1, "N"), dims) == (20, 9, 1, 2)


def test_a_course_writes_its_dimension_names_as_the_canonical_ones():
    layer = Layer(name="l", forward="f", inputs=(Input("W", ("n_a", "n_a+n_x")), Input("b", ("n_a", 1))),
                  outputs=("out",))
    course = Course(name="c", title="t", layers=(layer,), dims={"n_a": "H", "n_x": "D"})
    assert [spec.shape for spec in course.layers[0].inputs] == [("H", "H+D"), ("H", "1")]
    assert course.layers[0].course == "c"


def test_leaves_of_a_group_become_one_dictionary_argument():
    layer = courses.load(MINI).layers[0]
    assert layer.arguments() == [("xt", None), ("a_prev", None), ("parameters", ("Wax", "Waa", "Wya", "ba", "by"))]
    xt, a_prev, parameters = layer.assemble(range(7))
    assert (xt, a_prev, parameters) == (0, 1, {"Wax": 2, "Waa": 3, "Wya": 4, "ba": 5, "by": 6})
    assert layer.path("Wax") == 'parameters["Wax"]' and layer.path("xt") == "xt"


@pytest.mark.parametrize("seed", [1, 7])
def test_a_correct_solution_of_a_course_file_passes_with_its_support_file(seed):
    code, [verdict] = verdicts(GOOD, "--course", MINI, "--seed", seed)
    assert code == 0 and verdict["passed"], verdict
    assert [f["status"] for f in verdict["functions"]] == ["pass", "pass"]
    assert verdict["course"] == {"name": "mini", "title": "an RNN cell in (features, batch) layout",
                                 "chosen": "requested", "why": "asked for"}


def test_a_wrong_gradient_in_a_returned_dict_is_named_by_its_key(tmp_path):
    path = variant(tmp_path, '"dba": dtanh.sum(axis=1, keepdims=True)', '"dba": dtanh.mean(axis=1, keepdims=True)')
    code, [verdict] = verdicts(path, "--course", MINI, "--seed", 2)
    backward = verdict["functions"][1]
    assert code == 1 and verdict["functions"][0]["status"] == "pass"
    assert backward["status"] == "fail" and "dba is wrong (dxt, da_prev, dWax, dWaa right)" in backward["message"]
    assert "divided by N=3" in backward["message"]


def test_a_dictionary_without_a_gradient_or_a_tuple_instead_of_one_fails_saying_so(tmp_path):
    missing = variant(tmp_path, ', "dba": dtanh.sum(axis=1, keepdims=True)}', "}", "missing.py")
    _, [verdict] = verdicts(missing, "--course", MINI, "--seed", 2)
    assert verdict["functions"][1]["status"] == "fail"
    assert verdict["functions"][1]["message"] == ("the returned dict has no dba (expected dxt, da_prev, dWax, dWaa, dba) "
                                                  "(case m=3 T=4 n_x=5 n_a=6)")
    as_tuple = variant(tmp_path, 'return {"dxt": parameters["Wax"].T @ dtanh, "da_prev"',
                       'return (parameters["Wax"].T @ dtanh, {"da_prev"', "tuple.py")
    as_tuple.write_text(as_tuple.read_text().replace("keepdims=True)}", "keepdims=True)})"))
    _, [verdict] = verdicts(as_tuple, "--course", MINI, "--seed", 2)
    assert "returned a tuple, expected a dict with dxt, da_prev, dWax, dWaa, dba" in verdict["functions"][1]["message"]


def test_a_wrong_forward_output_that_the_backward_ignores_fails_only_the_forward(tmp_path):
    path = variant(tmp_path, "softmax(Wya @ a_next + by)", "softmax(Wya @ a_next)")
    _, [verdict] = verdicts(path, "--course", MINI, "--seed", 3)
    forward, backward = verdict["functions"]
    assert forward["status"] == "fail" and forward["message"].startswith("yt_pred is wrong (a_next right)")
    assert backward["status"] == "pass"  # yt_pred gets no upstream gradient in this course


def test_without_the_support_file_the_names_it_provides_are_missing(tmp_path):
    course = tmp_path / "course.py"
    course.write_text(open(MINI).read().replace('support=("mini_utils.py",), preamble="from mini_utils import *",', ""))
    _, [verdict] = verdicts(GOOD, "--course", course, "--seed", 1)
    assert verdict["functions"][0]["status"] == "error"
    assert "NameError: name 'softmax' is not defined" in verdict["functions"][0]["message"]


def test_a_cs231n_file_is_recognised_and_says_so():
    source = from_bytes(open(BASE, "rb").read(), BASE)
    course, chosen = choose(source)
    assert course.name == "cs231n" and chosen["chosen"] == "recognised"
    assert chosen["why"].startswith("it defines sigmoid, rnn_step_forward")


def test_a_file_of_no_course_is_checked_as_the_default_naming_the_closest():
    source = from_bytes(b"def rnn_step_forwrd(x, prev_h, Wx, Wh, b):\n    return x\n", "typo.py")
    course, chosen = choose(source)
    assert course.name == "cs231n" and chosen["chosen"] == "default"
    assert chosen["why"] == ("it defines none of any course's functions; "
                             "the closest is cs231n (rnn_step_forward for rnn_step_forwrd)")


def test_the_course_line_is_in_the_text_report():
    done = run_cli(GOOD, "--course", MINI, "--seed", 1)
    assert "  course: mini (an RNN cell in (features, batch) layout), as asked\n" in done.stdout


def test_an_unknown_course_or_a_file_without_one_is_a_usage_error(tmp_path):
    done = run_cli(GOOD, "--course", "nope")
    assert done.returncode == 2 and "no course 'nope' (built in: cs231n" in done.stderr
    empty = tmp_path / "empty_course.py"
    empty.write_text("X = 1\n")
    done = run_cli(GOOD, "--course", empty)
    assert done.returncode == 2 and "defines no COURSE = Course(...)" in done.stderr


def test_a_course_file_named_in_the_configuration_is_found_beside_it(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    for name in ("mini_dlai.py", "mini_utils.py"):
        (folder / name).write_text(open(os.path.join(COURSES, name)).read())
    (folder / "pyproject.toml").write_text('[tool.rnncheck]\ncourse = "mini_dlai.py"\n')
    done = run_cli(GOOD, "--seed", 1, "--format", "json", cwd=folder)
    verdict = json.loads(done.stdout)
    assert done.returncode == 0 and verdict["course"]["name"] == "mini"
