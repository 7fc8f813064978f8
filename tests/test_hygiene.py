"""Cache hygiene: what a backward did to its cache, and the warnings (never failures) that follow."""
from collections import namedtuple

import numpy as np

from rnncheck.judge.hygiene import warnings
from rnncheck.worker.fingerprint import changes as _changes, difference as _difference, fingerprint as _fingerprint

CLEAN = {"modified": [], "shrunk": [], "again": None, "difference": 0.0}
Step = namedtuple("Step", "x next_h")


def changes_made_by(change, cache):
    before = _fingerprint(cache)
    change(cache)
    return _changes(before, _fingerprint(cache))


def test_an_array_changed_in_place_is_named_by_its_path_in_the_cache():
    cache = [Step(np.ones(3), np.ones(3)), {"W": np.ones(2)}]

    def change(c):
        c[0].next_h[1] = 5.0
        c[1]["W"] *= 2
    assert changes_made_by(change, cache) == (["cache[0][1]", "cache[1]['W']"], [])


def test_items_popped_from_a_list_or_a_dict_are_named_by_the_outermost_container():
    assert changes_made_by(lambda c: [c.pop() for _ in range(3)], [np.ones(2)] * 3) == ([], ["cache"])
    assert changes_made_by(lambda c: c[1].pop("W"), (np.ones(2), {"W": np.ones(2)})) == ([], ["cache[1]"])


def test_reading_a_cache_changes_nothing():
    cache = (np.arange(4.0), [np.ones(2), {"b": np.zeros(3)}])
    assert changes_made_by(lambda c: [np.sum(c[0]), c[1][1]["b"].copy()], cache) == ([], [])


def test_the_difference_between_two_backwards_is_normwise_and_exact_when_equal():
    first = [np.array([1.0, -2.0]), np.array([3.0])]
    assert _difference(first, [a.copy() for a in first]) == 0.0
    assert _difference(first, [np.array([1.0, -1.0]), np.array([3.0])]) == 0.5
    assert _difference(first, first[:1]) == float("inf")


def test_a_clean_report_gives_no_warning():
    assert warnings(CLEAN, 1e-7) == [] and warnings(None, 1e-7) == []
    assert warnings(dict(CLEAN, difference=1e-12), 1e-7) == []


def test_each_finding_gives_one_warning_with_its_consequence():
    assert warnings(dict(CLEAN, shrunk=["cache"], again="IndexError: pop from empty list"), 1e-7) == [
        "consumes its cache (removes items: pop()?): a second backward on the same cache raises "
        "IndexError: pop from empty list"]
    assert warnings(dict(CLEAN, modified=["cache[4]"], difference=0.86), 1e-7) == [
        "modifies its cache in place (cache[4]): a second backward on the same cache gives other gradients "
        "(difference 0.86)"]
    assert warnings(dict(CLEAN, difference=0.5), 1e-7) == [
        "A second backward on the same cache gives other gradients (difference 0.5): "
        "does it keep state between calls?"]
