"""Recompiling only the edited definitions of a module gives what executing the whole edited module gives."""
import numpy as np
import pytest
from test_mistakes import produced_by, trials

from rnncheck.judge import recognise, redefine
from rnncheck.courses.cs231n import layer_of
from rnncheck.judge.mistakes import MISTAKES

MODULE = '''"""A small module."""
import math

SCALE = 2.0


def helper(x):
    return x + 1


def public(x):
    return SCALE * helper(x)


def other(x):
    return math.sqrt(x)
'''


def executed(text):
    scope = {"__name__": "small"}
    exec(compile(text, "<small>", "exec"), scope)
    return scope


def edited(text, edits):
    for old, new in edits:
        text = text.replace(old, new)
    return text


def test_an_edited_helper_is_used_by_the_unedited_functions_that_call_it():
    clean = executed(MODULE)
    before = dict(clean)
    edits = (("return x + 1\n", "return x + 10\n"),)
    scope = redefine.edited_namespace(clean, MODULE, edits, edited(MODULE, edits), "<small edited>")
    assert scope["public"](1.0) == 22.0 and scope["helper"](1.0) == 11.0 and scope["other"](4.0) == 2.0
    assert clean == before and clean["public"](1.0) == 4.0  # the unedited namespace is left as it was
    assert scope["public"] is not clean["public"] and scope["public"].__globals__ is scope


def test_an_edit_spanning_two_definitions_recompiles_both_with_their_lines_in_the_edited_text():
    edits = (("    return x + 1\n\n\ndef public(x):\n", "    y = x\n    return y + 1\n\n\ndef public(x):\n"),
             ("    return math.sqrt(x)\n", "    return -x\n"))
    text, definitions = redefine.edited_definitions(MODULE, edits)
    assert text == edited(MODULE, edits)
    assert [line for line, _ in definitions] == [7, 16]
    assert definitions[0][1].startswith("def helper(x):") and "def public" in definitions[0][1]
    assert definitions[1][1] == "def other(x):\n    return -x\n"
    whole = executed(text)
    scope = redefine.edited_namespace(executed(MODULE), MODULE, edits, text, "<small edited>")
    for name in ("helper", "public", "other"):
        assert scope[name](3.0) == whole[name](3.0)
        assert scope[name].__code__.co_firstlineno == whole[name].__code__.co_firstlineno


@pytest.mark.parametrize("text, edits", [
    (MODULE, (("SCALE = 2.0", "SCALE = 3.0"),)),  # not in a def
    (MODULE, (("2.0\n\n\ndef helper", "3.0\n\n\ndef helper"),)),  # from an assignment into a def
    (MODULE, (("return", "yield"),)),  # occurs more than once
    (MODULE, (("x + 1", "x + 2"), ("+ 1\n", "- 1\n"))),  # overlapping edits
    (MODULE.replace("def other", "@staticmethod\ndef other"), (("x + 1", "x + 2"),)),  # a decorated def
    (MODULE + "alias = helper\n", (("x + 1", "x + 2"),)),  # an alias would keep the unedited helper
    (MODULE + "\ndef helper(x):\n    return x\n", (("x + 1", "x + 2"),)),  # helper defined twice
], ids=["assignment", "across-assignment", "ambiguous", "overlapping", "decorated", "alias", "redefined"])
def test_only_edits_it_can_vouch_for_are_recompiled_alone(text, edits):
    assert redefine.edited_definitions(text, edits) is None


def test_edits_that_do_not_give_the_callers_text_are_left_to_a_whole_execution():
    """A first edit whose new text holds the second's old text: replacing in turn changes that copy too."""
    edits = (("return x + 1\n", "return x + 1  # SCALE * helper\n"), ("SCALE * helper", "helper"))
    in_turn = edited(MODULE, edits)
    assert "# helper" in in_turn and "# SCALE * helper" in redefine.edited_definitions(MODULE, edits)[0]
    assert redefine.edited_namespace(executed(MODULE), MODULE, edits, in_turn, "<small edited>") is None


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.id for m in MISTAKES])
def test_every_mistaken_manual_module_is_built_from_its_edited_definitions_alone_and_computes_the_same(mistake):
    text = recognise.edited_source(mistake)
    partial = redefine.edited_namespace(vars(recognise._clean_module(mistake.module)),
                                        recognise.manual_source(mistake.module), mistake.edits, text, "<partial>")
    assert partial is not None, "this mistake's module would be executed whole (slower, still right)"
    whole = vars(recognise._execute(mistake.module, text, " whole"))
    assert {k for k, v in partial.items() if callable(v)} == {k for k, v in whole.items() if callable(v)}
    for function in mistake.functions:
        layer = layer_of(function)
        for name in {layer.forward, function}:
            _, _, ours = trials(name, produced_by(partial), seed=2)
            _, _, theirs = trials(name, produced_by(whole), seed=2)
            for mine, reference in zip(ours, theirs):
                assert len(mine.got) == len(reference.got)
                for a, b in zip(mine.got, reference.got):
                    assert (a is None and b is None) or np.array_equal(a, b, equal_nan=True)
