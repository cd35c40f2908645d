"""Shape rules of the two organisation trees: which kind may sit under which.

Pure Python. Kinds are codes; their labels live with the models (translated UI text).
Sources: Điều lệ Đảng, Quy định 294-QĐ/TW (2025) on the party's organisational system;
the business tree follows Vietnam Post's structure described in the seeds.
"""

from __future__ import annotations

from enum import StrEnum


class OrgKind(StrEnum):
    BLOC = "bloc"  # Đảng bộ khối
    UPPER = "upper"  # Đảng bộ cấp trên cơ sở
    GRASSROOTS = "grassroots"  # Đảng bộ cơ sở
    PARTIAL = "partial"  # Đảng bộ bộ phận
    GRASSROOTS_CELL = "grassroots_cell"  # Chi bộ cơ sở
    CELL = "cell"  # Chi bộ trực thuộc


class UnitKind(StrEnum):
    CORPORATION = "corporation"  # Tổng công ty
    HEAD_OFFICE = "head_office"  # Khối cơ quan
    DEPARTMENT = "department"  # Ban / phòng chức năng of the head office
    SUBSIDIARY = "subsidiary"  # Công ty dọc
    PROVINCIAL = "provincial"  # Bưu điện tỉnh / thành phố
    POST_OFFICE = "post_office"  # Bưu cục / bưu điện huyện


# parent kind -> kinds allowed directly below it; None is the top of a tree.
ORG_CHILDREN: dict[OrgKind | None, frozenset[OrgKind]] = {
    None: frozenset({OrgKind.BLOC, OrgKind.UPPER, OrgKind.GRASSROOTS, OrgKind.GRASSROOTS_CELL}),
    OrgKind.BLOC: frozenset({OrgKind.UPPER, OrgKind.GRASSROOTS, OrgKind.GRASSROOTS_CELL}),
    OrgKind.UPPER: frozenset({OrgKind.GRASSROOTS, OrgKind.GRASSROOTS_CELL}),
    OrgKind.GRASSROOTS: frozenset({OrgKind.PARTIAL, OrgKind.CELL}),
    OrgKind.PARTIAL: frozenset({OrgKind.CELL}),
    OrgKind.GRASSROOTS_CELL: frozenset(),
    OrgKind.CELL: frozenset(),
}

UNIT_CHILDREN: dict[UnitKind | None, frozenset[UnitKind]] = {
    None: frozenset({UnitKind.CORPORATION}),
    UnitKind.CORPORATION: frozenset({UnitKind.HEAD_OFFICE, UnitKind.SUBSIDIARY, UnitKind.PROVINCIAL}),
    UnitKind.HEAD_OFFICE: frozenset({UnitKind.DEPARTMENT}),
    UnitKind.DEPARTMENT: frozenset(),
    UnitKind.SUBSIDIARY: frozenset({UnitKind.DEPARTMENT, UnitKind.POST_OFFICE}),
    UnitKind.PROVINCIAL: frozenset({UnitKind.DEPARTMENT, UnitKind.POST_OFFICE}),
    UnitKind.POST_OFFICE: frozenset(),
}

CELL_KINDS = frozenset({OrgKind.GRASSROOTS_CELL, OrgKind.CELL})


def org_child_allowed(parent: OrgKind | None, child: OrgKind) -> bool:
    return child in ORG_CHILDREN[parent]


def unit_child_allowed(parent: UnitKind | None, child: UnitKind) -> bool:
    return child in UNIT_CHILDREN[parent]


def path_is_within(path: str, ancestor_path: str) -> bool:
    """Materialised paths: a node is within its own subtree and those of its ancestors."""
    return path.startswith(ancestor_path)
