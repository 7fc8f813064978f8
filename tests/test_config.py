"""Course configuration: [tool.rnncheck] found upwards or given with --config; flags win; mistakes name the key."""
import os
import shutil

import pytest
from conftest import BASE, ROOT, SUBMISSIONS, patched, run_cli, statuses, verdicts

from rnncheck.front.config import ConfigError, find, resolve, validate

FLOAT32 = os.path.join(SUBMISSIONS, "wrong", "lstm_backward_float32.py")


def write_config(directory, text):
    path = directory / "pyproject.toml"
    path.write_text("[project]\nname = \"course\"\n\n" + text)
    return str(path)


def test_the_nearest_pyproject_is_found_from_a_subfolder(tmp_path):
    write_config(tmp_path, "[tool.rnncheck]\nseed = 7\n")
    (tmp_path / "week3" / "alice").mkdir(parents=True)
    assert find(str(tmp_path / "week3" / "alice")) == str(tmp_path / "pyproject.toml")
    assert resolve({}, start=str(tmp_path / "week3" / "alice")).seed == 7


def test_the_cli_reads_the_configuration_of_its_working_folder(tmp_path):
    write_config(tmp_path, '[tool.rnncheck]\nseed = 7\nfunctions = ["rnn_step_*"]\n')
    done = run_cli(BASE, "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert '"seed": 7' in done.stdout and '"rnn_forward"' not in done.stdout


def test_flags_override_the_configuration(tmp_path):
    path = write_config(tmp_path, '[tool.rnncheck]\nseed = 7\nfunctions = ["rnn_step_*"]\n'
                                  '[tool.rnncheck.limits]\ntimeout = 4\nmemory = "1G"\n')
    settings = resolve({"seed": 9, "functions": ["sigmoid"], "timeout": 2.5}, path)
    assert (settings.seed, settings.patterns) == (9, ["sigmoid"])
    assert settings.limits.call_seconds == 2.5 and settings.limits.memory_bytes == 1 << 30
    code, [verdict] = verdicts(BASE, "--config", path, "--seed", "9", "--functions", "sigmoid")
    assert code == 0 and verdict["seed"] == 9 and list(statuses(verdict)) == ["sigmoid"]


def test_allowed_imports_add_to_the_flags():
    settings = resolve({"allow_import": ["torch"]}, None, start="/")
    assert "torch" not in settings.blocked and "autograd" in settings.blocked


@pytest.mark.parametrize("text, key", [
    ("[tool.rnncheck]\nseeds = 1\n", "seeds"),
    ("[tool.rnncheck]\nseed = \"one\"\n", "seed"),
    ("[tool.rnncheck]\nseed = true\n", "seed"),
    ("[tool.rnncheck]\nfunctions = \"rnn_*\"\n", "functions"),
    ("[tool.rnncheck]\nfunctions = [\"lstm_step_forwrd\"]\n", "functions"),
    ("[tool.rnncheck]\nallow-imports = [1]\n", "allow-imports"),
    ("[tool.rnncheck.weights]\nlstm_bakward = 2\n", "weights.lstm_bakward"),
    ("[tool.rnncheck.weights]\nlstm_backward = -1\n", "weights.lstm_backward"),
    ("[tool.rnncheck.weights]\ngru_backward = 2\n", "weights.gru_backward"),
    ("[tool.rnncheck.tolerances]\nfloat16 = 1e-2\n", "tolerances.float16"),
    ("[tool.rnncheck.tolerances]\nfloat64 = 0\n", "tolerances.float64"),
    ("[tool.rnncheck.limits]\ntimeout = \"10s\"\n", "limits.timeout"),
    ("[tool.rnncheck.limits]\nmemory = \"lots\"\n", "limits.memory"),
    ("[tool.rnncheck.limits]\ncpu = 1\n", "limits.cpu"),
    ("[tool.rnncheck]\nlimits = 3\n", "limits"),
], ids=lambda value: value if "\n" not in value else None)
def test_unknown_keys_and_wrong_types_are_usage_errors_naming_the_key(tmp_path, text, key):
    path = write_config(tmp_path, text)
    with pytest.raises(ConfigError, match=f"\\] {key}:"):
        resolve({}, path)
    done = run_cli(BASE, "--config", path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("rnncheck: error: ") and f"] {key}:" in done.stderr
    assert "Traceback" not in done.stderr


def test_invalid_toml_and_missing_table_are_usage_errors(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[tool.rnncheck\n")
    done = run_cli(BASE, "--config", broken)
    assert done.returncode == 2 and "not valid TOML" in done.stderr
    empty = write_config(tmp_path, "")
    done = run_cli(BASE, "--config", empty)
    assert done.returncode == 2 and "has no [tool.rnncheck] table" in done.stderr
    done = run_cli(BASE, "--config", tmp_path / "nowhere.toml")
    assert done.returncode == 2 and "cannot read the configuration" in done.stderr


def test_a_pyproject_without_the_table_means_the_defaults(tmp_path):
    write_config(tmp_path, "")
    settings = resolve({}, start=str(tmp_path))
    assert settings.seed is None and settings.patterns == [] and settings.weights == {}


def test_a_full_example_validates():
    table = {"functions": ["rnn_*", "lstm_*"], "seed": 2026, "allow-imports": ["scipy"],
             "weights": {"lstm_backward": 3, "rnn_backward": 2.5},
             "tolerances": {"float64": 1e-7, "float32": 2e-4},
             "limits": {"timeout": 10, "load-timeout": 20, "memory": "2G", "max-output": 65536}}
    assert validate(table) is table


def test_tolerances_reach_the_comparison(tmp_path):
    """A float32 lstm_backward passes at the float32 tolerance, fails at 1e-9, and float64 code never notices."""
    path = patched(FLOAT32, str(tmp_path))
    strict = write_config(tmp_path, "[tool.rnncheck.tolerances]\nfloat32 = 1e-9\n")
    code, [verdict] = verdicts(path, "--seed", "3")
    assert code == 0
    code, [verdict] = verdicts(path, "--seed", "3", "--config", strict)
    assert code == 1 and {n: s for n, s in statuses(verdict).items() if s != "pass"} == {"lstm_backward": "fail"}
    assert verdict["tolerances"] == {"float64": 1e-7, "float32": 1e-9}


def test_a_float64_tolerance_below_rounding_fails_inexact_results_only(tmp_path):
    strict = write_config(tmp_path, "[tool.rnncheck.tolerances]\nfloat64 = 1e-20\n")
    code, [verdict] = verdicts(BASE, "--seed", "3", "--functions", "rnn_step_*", "--config", strict)
    errors = {f["name"]: f["error"] for f in verdict["functions"]}
    assert all(error < 1e-14 for error in errors.values()) and errors["rnn_step_backward"] > 1e-20
    assert statuses(verdict) == {name: "pass" if error <= 1e-20 else "fail" for name, error in errors.items()}
    assert code == 1


def test_limits_from_the_configuration_apply(tmp_path):
    hangs = patched(os.path.join(os.path.dirname(SUBMISSIONS), "hostile", "infinite_loop.py"), str(tmp_path))
    config = write_config(tmp_path, "[tool.rnncheck.limits]\ntimeout = 1.5\n")
    code, [verdict] = verdicts(hangs, "--seed", "3", "--functions", "temporal_affine_*", "--config", config)
    forward = next(f for f in verdict["functions"] if f["name"] == "temporal_affine_forward")
    assert forward["status"] == "timeout" and "within 1.5 s" in forward["message"]


def test_a_course_file_named_in_a_configuration_is_found_beside_it_from_any_working_folder(tmp_path, monkeypatch):
    shutil.copy(os.path.join(ROOT, "examples", "peephole_course.py"), tmp_path / "my_course.py")
    path = write_config(tmp_path, '[tool.rnncheck]\ncourse = "my_course.py"\nfunctions = ["peephole_step_*"]\n')
    (tmp_path / "week3").mkdir()
    monkeypatch.chdir(tmp_path / "week3")
    settings = resolve({}, start=str(tmp_path / "week3"))
    assert settings.course == str(tmp_path / "my_course.py") and settings.patterns == ["peephole_step_*"]
    assert resolve({}, path).course == str(tmp_path / "my_course.py")
