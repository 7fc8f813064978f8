"""Walking a syntax tree fast: the loader and the import policy read every statement of a submission.

``ast.walk`` runs two generators per node; a 600-line submission has some
3,000 nodes, and its top-level statements are read by several passes
(names read, bound, called, imported).  ``nodes`` lists them once, in
``ast.walk``'s order, several times faster, and the passes iterate the list.
"""
import ast

NODE = ast.AST


def nodes(node):
    """``list(ast.walk(node))``: ``node`` and everything below it, breadth first."""
    found = [node]
    for current in found:  # the list grows while it is read: each node's children join the queue
        for name in current._fields:
            value = getattr(current, name, None)
            if value.__class__ is list:
                found += [item for item in value if isinstance(item, NODE)]
            elif isinstance(value, NODE):
                found.append(value)
    return found
