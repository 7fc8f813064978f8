"""The fast walk over a syntax tree visits what ``ast.walk`` visits, in the same order."""
import ast
import glob
import os

import pytest
from conftest import HERE, SUBMISSIONS

from rnncheck.load.loader import load
from rnncheck.load.syntax import nodes

CORPUS = sorted(glob.glob(os.path.join(SUBMISSIONS, "*", "*")) + glob.glob(os.path.join(HERE, "hostile", "*.py")))


@pytest.mark.parametrize("path", CORPUS, ids=os.path.basename)
def test_nodes_are_ast_walk_in_a_list(path):
    tree = ast.parse(load(path).text)
    assert [id(n) for n in nodes(tree)] == [id(n) for n in ast.walk(tree)]


def test_nodes_skip_the_empty_places_of_a_dict_and_of_keyword_defaults():
    tree = ast.parse("def f(*, a, b=1): return {**a, 'k': b}")
    assert [type(n) for n in nodes(tree)] == [type(n) for n in ast.walk(tree)]
    assert sum(isinstance(n, ast.Constant) for n in nodes(tree)) == 2
