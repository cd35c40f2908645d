"""Which kind of organisation or unit may stand under which (Điều lệ Đảng; 294-QĐ/TW)."""

from __future__ import annotations

import pytest

from dangbo.rules.orgs import (
    ORG_CHILDREN,
    UNIT_CHILDREN,
    OrgKind,
    UnitKind,
    org_child_allowed,
    unit_child_allowed,
)


@pytest.mark.parametrize(
    ("parent", "child", "ok"),
    [
        (None, OrgKind.BLOC, True),
        (OrgKind.BLOC, OrgKind.UPPER, True),
        (OrgKind.UPPER, OrgKind.GRASSROOTS, True),
        (OrgKind.UPPER, OrgKind.GRASSROOTS_CELL, True),
        (OrgKind.GRASSROOTS, OrgKind.PARTIAL, True),
        (OrgKind.GRASSROOTS, OrgKind.CELL, True),
        (OrgKind.PARTIAL, OrgKind.CELL, True),
        (OrgKind.BLOC, OrgKind.CELL, False),  # a subordinate cell needs a grassroots organisation
        (OrgKind.UPPER, OrgKind.PARTIAL, False),
        (OrgKind.CELL, OrgKind.CELL, False),  # a cell is the smallest unit
        (OrgKind.GRASSROOTS_CELL, OrgKind.CELL, False),
        (None, OrgKind.CELL, False),
    ],
)
def test_party_tree_shape(parent, child, ok):
    assert org_child_allowed(parent, child) is ok


@pytest.mark.parametrize(
    ("parent", "child", "ok"),
    [
        (None, UnitKind.CORPORATION, True),
        (UnitKind.CORPORATION, UnitKind.PROVINCIAL, True),
        (UnitKind.PROVINCIAL, UnitKind.POST_OFFICE, True),
        (UnitKind.HEAD_OFFICE, UnitKind.DEPARTMENT, True),
        (UnitKind.DEPARTMENT, UnitKind.POST_OFFICE, False),
        (UnitKind.POST_OFFICE, UnitKind.POST_OFFICE, False),
        (None, UnitKind.PROVINCIAL, False),
    ],
)
def test_unit_tree_shape(parent, child, ok):
    assert unit_child_allowed(parent, child) is ok


def test_every_kind_has_a_rule():
    assert set(ORG_CHILDREN) == {None, *OrgKind}
    assert set(UNIT_CHILDREN) == {None, *UnitKind}
