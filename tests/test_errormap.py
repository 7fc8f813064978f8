"""Error maps: where a wrong array is wrong, laid out as the math reads, and carried in the verdict."""
from dataclasses import replace

import numpy as np
import pytest
from conftest import SUBMISSIONS, patched, verdicts

from rnncheck.courses import Input
from rnncheck.courses.cs231n import layer_of
from rnncheck.judge.errormap import LIMIT, error_map

LSTM_STEP = layer_of("lstm_step_backward")
LSTM = layer_of("lstm_backward")
RNN = layer_of("rnn_backward")


def wrong_copy(expected, where, by=1.0):
    got = expected.copy()
    got[where] += by
    return got


def test_a_gated_weight_is_drawn_by_rows_and_gate_blocks_and_only_the_wrong_block_lights_up():
    D, H = 5, 6
    expected = np.random.default_rng(0).standard_normal((D, 4 * H))
    got = expected.copy()
    got[:, 3 * H:] *= -1  # the g block has the wrong sign
    grid = error_map("dWx", got, expected, LSTM_STEP)
    assert grid["rows"]["axis"] == "D" and grid["rows"]["labels"] == ["0", "1", "2", "3", "4"]
    assert grid["columns"]["axis"] == "4H" and grid["columns"]["labels"] == [str(k) for k in range(H)] * 4
    assert [(g["name"], g["start"], g["stop"]) for g in grid["groups"]] == [
        ("i", 0, 6), ("f", 6, 12), ("o", 12, 18), ("g", 18, 24)]
    values = np.array(grid["values"])
    assert values.shape == (D, 4 * H)
    assert np.all(values[:, :3 * H] == 0) and np.all(values[:, 3 * H:] > 0)
    row, column = np.unravel_index(np.argmax(np.abs(expected[:, 3 * H:])), (D, H))
    assert grid["worst"] == [int(row), 3 * H + int(column)] == grid["worst_index"]
    largest = 2 * np.abs(expected[:, 3 * H:]).max() / np.abs(expected).max()
    assert values.max() == pytest.approx(largest, rel=1e-2)  # |got - expected| / max|expected|


def test_a_sequence_is_drawn_by_time_step_and_feature_the_largest_over_the_batch():
    N, T, D = 3, 4, 5
    expected = np.ones((N, T, D))
    got = wrong_copy(expected, (2, 1, 3), by=0.5)
    grid = error_map("dx", got, expected, LSTM)
    assert grid["rows"] == {"axis": "T", "labels": ["t=0", "t=1", "t=2", "t=3"]}
    assert grid["columns"]["axis"] == "D" and grid["aggregated"] == "max over N"
    assert grid["values"][1][3] == 0.5 and sum(map(sum, grid["values"])) == 0.5
    assert grid["worst"] == [1, 3] and grid["worst_index"] == [2, 1, 3]


def test_a_state_gradient_is_drawn_by_rows_and_columns_without_gate_blocks():
    expected = np.ones((3, 6))
    grid = error_map("dh0", wrong_copy(expected, (1, 4)), expected, LSTM)
    assert (grid["rows"]["axis"], grid["columns"]["axis"], grid["groups"]) == ("N", "H", [])
    assert grid["worst"] == [1, 4]


def test_an_ungated_bias_is_one_row_and_a_scalar_has_no_map():
    expected = np.ones(6)
    grid = error_map("db", wrong_copy(expected, 2), expected, RNN)
    assert len(grid["values"]) == 1 and grid["worst"] == [0, 2] and grid["groups"] == []
    assert error_map("loss", np.array(2.0), np.array(1.0), layer_of("temporal_softmax_loss")) is None


def test_large_arrays_are_pooled_to_at_most_64_cells_a_side_keeping_the_largest_error_and_gate_blocks():
    D, H = 100, 50
    expected = np.ones((D, 4 * H))
    got = wrong_copy(expected, (97, 2 * H + 7), by=3.0)
    grid = error_map("dWx", got, expected, LSTM_STEP)
    values = np.array(grid["values"])
    assert values.shape[0] <= LIMIT and values.shape[1] <= LIMIT
    assert values.max() == 3.0 and np.count_nonzero(values) == 1
    row, column = grid["worst"]
    assert values[row, column] == 3.0
    assert grid["rows"]["labels"][row] == "96-97"
    block = next(g for g in grid["groups"] if g["start"] <= column < g["stop"])
    assert block["name"] == "o" and grid["columns"]["labels"][column] == "4-7"
    assert grid["groups"][-1]["stop"] == values.shape[1]


def test_the_json_verdict_has_error_maps_for_the_failing_gradients_only(tmp_path):
    path = patched(f"{SUBMISSIONS}/wrong/lstm_step_backward_g_sign_flipped.py", tmp_path)
    code, [verdict] = verdicts(path, "--seed", 3, "--functions", "lstm_step_*,rnn_step_*")
    assert code == 1
    by_name = {f["name"]: f for f in verdict["functions"]}
    for name in ("lstm_step_forward", "rnn_step_forward", "rnn_step_backward"):
        assert all("error_maps" not in case for case in by_name[name]["cases"])
    cases = by_name["lstm_step_backward"]["cases"]
    assert all(case["status"] == "fail" for case in cases)
    assert all(case["wrong"] == ["dx", "dprev_h", "dWx", "dWh", "db"] for case in cases)  # dprev_c is right
    mapped = [case for case in cases if "error_maps" in case]
    assert [case["case"] for case in mapped] == [cases[0]["case"]]  # the case the message names, only
    assert by_name["lstm_step_backward"]["message"].endswith(f"(case {cases[0]['case']})")
    for case in mapped:
        assert set(case["error_maps"]) == set(case["wrong"])
        for name in ("dWx", "dWh", "db"):
            grid = case["error_maps"][name]
            H = grid["groups"][0]["stop"]
            values = np.array(grid["values"])
            assert np.all(values[:, :3 * H] < 1e-12) and values[:, 3 * H:].max() > 0.1  # only block g
            assert grid["groups"][3]["name"] == "g" and grid["worst"][1] >= 3 * H


def test_a_leaf_with_gate_blocks_of_its_own_is_drawn_in_them():
    peephole = Input("p", ("3H",), gates="ifo")
    layer = replace(LSTM_STEP, inputs=LSTM_STEP.inputs + (peephole,), differentiable=LSTM_STEP.differentiable + ("p",))
    expected = np.random.default_rng(0).standard_normal(9)
    grid = error_map("dp", wrong_copy(expected, np.s_[6:]), expected, layer)
    assert grid["columns"]["axis"] == "3H"
    assert [(g["name"], g["start"], g["stop"]) for g in grid["groups"]] == [("i", 0, 3), ("f", 3, 6), ("o", 6, 9)]
    assert np.all(np.array(grid["values"])[0, :6] == 0) and np.all(np.array(grid["values"])[0, 6:] > 0)
