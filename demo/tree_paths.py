"""Tree fields for pages inserted in bulk (``seed_demo --papers N``).

Treebeard works out a new page's materialised ``path`` inside ``add_child``, which saves one page
at a time (several queries, signals and a search-index update each): far too slow for 100,000
papers. It has no public function that only computes a path, so this module does, from the format
treebeard documents for ``MP_Node``: a child's ``path`` is its parent's followed by one step of
``steplen`` characters, its position among its siblings (1, 2, ...) written in base
``len(alphabet)`` with the digits of ``alphabet``, padded with ``alphabet[0]``.
``tests/demo/test_tree_paths.py`` pins that these paths equal what ``add_child`` produces.
"""

from wagtail.models import Page


def child_path(parent_path, position, model=Page):
    """The path of the child at ``position`` (from 1) under the node at ``parent_path``."""
    base = len(model.alphabet)
    digits = ""
    while position:
        position, digit = divmod(position, base)
        digits = model.alphabet[digit] + digits
    if len(digits) > model.steplen:
        raise ValueError(f"More children than {model.__name__}.steplen allows under one parent.")
    return parent_path + digits.rjust(model.steplen, model.alphabet[0])


def step_position(path, model=Page):
    """The position among its siblings (from 1) of the node at ``path``: its last step."""
    value = 0
    for character in path[-model.steplen :]:
        value = value * len(model.alphabet) + model.alphabet.index(character)
    return value


def next_position(parent):
    """Where ``add_child`` would put the parent's next child: after its last one."""
    last = parent.get_last_child()
    return step_position(last.path, type(parent)) + 1 if last is not None else 1
