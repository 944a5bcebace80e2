"""demo.tree_paths computes the same paths as treebeard's own add_child."""

import pytest
from wagtail.models import Page

from demo import tree_paths
from home.models import StandardPage

pytestmark = pytest.mark.django_db


def test_paths_equal_what_add_child_produces():
    home = Page.objects.get(depth=2)
    parent = home.add_child(instance=StandardPage(title="Tree paths", slug="tree-paths"))
    assert tree_paths.next_position(parent) == 1
    children = [
        parent.add_child(instance=StandardPage(title=f"Child {n}", slug=f"child-{n}"))
        for n in range(1, 4)
    ]
    for n, child in enumerate(children, start=1):
        assert tree_paths.child_path(parent.path, n) == child.path
        assert tree_paths.step_position(child.path) == n
    parent.refresh_from_db()
    predicted = tree_paths.child_path(parent.path, tree_paths.next_position(parent))
    fourth = parent.add_child(instance=StandardPage(title="Child 4", slug="child-4"))
    assert fourth.path == predicted
    # The page after a deleted last child takes the next position, as add_child does.
    fourth.delete()
    children[0].delete()
    parent.refresh_from_db()
    assert tree_paths.next_position(parent) == 4


def test_positions_beyond_one_digit_carry_in_the_alphabets_base():
    assert tree_paths.child_path("0001", 9) == "00010009"
    assert tree_paths.child_path("0001", 10) == "0001000A"
    assert tree_paths.child_path("0001", 36) == "00010010"
    assert tree_paths.child_path("0001", 36**4 - 1) == "0001ZZZZ"
    assert tree_paths.step_position("0001ZZZZ") == 36**4 - 1
    with pytest.raises(ValueError):
        tree_paths.child_path("0001", 36**4)
