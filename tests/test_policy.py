"""The import policy read from the source: which function relies on which blocked module."""
import glob
import os
from types import SimpleNamespace

import pytest
from conftest import HERE, SUBMISSIONS

from rnncheck.load.loader import from_bytes, load
from rnncheck.load.policy import violations
from rnncheck.sandbox.limits import BLOCKED


def found(text, blocked=BLOCKED):
    return violations(from_bytes(text.encode(), "submission.py"), blocked)


def test_a_clean_numpy_solution_has_no_violation():
    assert found("import numpy as np\n\ndef sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n") == {}


@pytest.mark.parametrize("line, module", [
    ("import autograd.numpy as np", "autograd"),
    ("import autograd as np", "autograd"),
    ("from autograd import numpy as np", "autograd"),
    ("from torch import nn as np", "torch"),
    ("import jax.numpy as np", "jax"),
    ("from rnncheck.reference.rnn import np", "rnncheck"),
])
def test_a_function_reading_a_blocked_top_level_import_names_its_module(line, module):
    assert found(f"{line}\n\ndef sigmoid(x):\n    return np.tanh(x)\n") == {"sigmoid": module}


@pytest.mark.parametrize("body, module", [
    ("import tensorflow as tf", "tensorflow"),
    ("from rnncheck import compare", "rnncheck"),
    ("from rnncheck.manual.rnn import rnn_step_forward", "rnncheck"),
    ("m = __import__('autograd.numpy')", "autograd"),
    ("m = importlib.import_module('rnncheck.reference')", "rnncheck"),
])
def test_an_import_inside_the_body_is_found(body, module):
    text = f"import importlib\n\ndef rnn_step_forward(x):\n    {body}\n    return x\n"
    assert found(text) == {"rnn_step_forward": module}


def test_use_through_a_helper_function_or_variable_is_found():
    text = ("from autograd import grad\n"
            "helper_gradient = grad\n"
            "def _helper(x):\n    return helper_gradient(x)\n"
            "def rnn_step_backward(d, cache):\n    return _helper(d)\n"
            "def rnn_step_forward(x):\n    return x\n")
    assert found(text) == {"_helper": "autograd", "rnn_step_backward": "autograd"}


def test_a_star_import_of_a_blocked_module_taints_functions_using_unbound_names():
    text = ("import numpy as np\nfrom autograd.numpy import *\n"
            "def sigmoid(x):\n    return 1 / (1 + exp(-x))\n"
            "def relu(x):\n    y = np.maximum(x, 0)\n    return y\n")
    assert found(text) == {"sigmoid": "autograd"}


def test_local_names_shadowing_a_blocked_alias_are_not_violations():
    text = ("import autograd.numpy as anp\n"
            "def sigmoid(x, anp=None):\n    return x\n"
            "def relu(x):\n    anp = x\n    return anp\n")
    assert found(text) == {}


def test_allowed_modules_are_not_reported():
    text = "import autograd.numpy as np\n\ndef sigmoid(x):\n    return np.tanh(x)\n"
    assert found(text, blocked=[b for b in BLOCKED if b != "autograd"]) == {}


def test_a_later_clean_definition_replaces_a_violating_one():
    text = ("import autograd.numpy as anp\nimport numpy as np\n"
            "def sigmoid(x):\n    return anp.tanh(x)\n"
            "def sigmoid(x):\n    return np.tanh(x)\n")
    assert found(text) == {}


def test_a_guarded_fallback_import_is_judged_by_its_last_binding():
    text = ("try:\n    import autograd.numpy as np\nexcept ImportError:\n    import numpy as np\n"
            "def sigmoid(x):\n    return np.tanh(x)\n")
    assert found(text) == {}


def test_relative_imports_and_the_future_are_not_blocked():
    text = ("from __future__ import division\nfrom .helpers import np\n"
            "def sigmoid(x):\n    return np.tanh(x)\n")
    assert found(text) == {}


CORPUS = sorted(glob.glob(os.path.join(SUBMISSIONS, "*", "*")) + glob.glob(os.path.join(HERE, "hostile", "*.py")))


@pytest.mark.parametrize("path", CORPUS, ids=os.path.basename)
def test_the_policy_read_by_the_loader_is_the_policy_of_the_text_alone(path):
    source = load(path)
    assert source.uses is not None  # read while loading: the text is parsed once
    assert violations(source, BLOCKED) == violations(SimpleNamespace(text=source.text), BLOCKED)
