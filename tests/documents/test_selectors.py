"""Who sees which document, the register's filters and search, and the chain at any depth in a fixed
number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangbo.documents import selectors, services
from dangbo.documents.models import Document
from dangbo.documents.selectors import Filters
from tests.documents.conftest import D, outside, own

pytestmark = pytest.mark.django_db

SECRET = Document.Secrecy.SECRET


def seen(world, user: str) -> set[str]:
    return set(selectors.documents_visible(world.users[user]).values_list("symbol", flat=True))


def test_ordinary_documents_are_read_in_their_subtree_and_below_confidential_ones_only_by_who_needs_them(
    world, terms
):
    own(world.tct, "NQ", D(2021, 1, 5))  # 01-NQ/ĐU, ordinary, the Tổng công ty's register
    own(world.tct, "KL", D(2021, 1, 6), secrecy=SECRET)  # 01-KL/ĐU, secret
    outside(world.cell_b, "05-BC/CB", D(2021, 2, 1))  # in a sibling cell's register
    outside(world.cell_a, "07-BC/CB", D(2021, 2, 1), secrecy=Document.Secrecy.ABSOLUTE)
    everything = {"01-NQ/ĐU", "01-KL/ĐU", "05-BC/CB", "07-BC/CB"}
    assert seen(world, "office") == everything
    assert seen(world, "leader") == everything and seen(world, "inspection") == everything
    assert seen(world, "emulation") == {"01-NQ/ĐU", "05-BC/CB"}
    assert seen(world, "member") == {"01-NQ/ĐU"}  # the committee above: yes; the sibling cell: no
    assert seen(world, "secretary") == {"01-NQ/ĐU"}  # not even the secret report of their own cell
    assert seen(world, "sysadmin") == {"01-NQ/ĐU", "05-BC/CB"}
    assert seen(world, "outsider") == set() and seen(world, "norole") == set()


def test_a_document_of_the_bloc_is_read_in_every_organisation_below_it(world):
    outside(world.bloc, "09-CTr/ĐUK", D(2021, 11, 11))
    for user in ("member", "secretary", "emulation", "outsider"):
        assert seen(world, user) == {"09-CTr/ĐUK"}, user


@pytest.fixture
def register_rows(world, terms):
    own(world.tct, "NQ", D(2021, 3, 27), number=69, summary="Nghị quyết về tăng cường đổi mới, sáng tạo")
    own(world.tct, "CTr", D(2022, 1, 10), summary="Chương trình hành động chuyển đổi số")
    outside(
        world.tct, "03-CT/TW", D(2021, 5, 19), issuer_name="Ban Bí thư", summary="Chỉ thị về Cuộc vận động"
    )
    outside(world.tct, "28/CT-TTg", D(2021, 10, 26), issuer_name="Thủ tướng Chính phủ", summary="Chỉ thị")


def symbols(world, **filters) -> list[str]:
    return [d.symbol for d in selectors.register(world.users["office"], Filters(**filters))]


def test_register_filters_by_type_issuer_year_system_and_period(world, register_rows):
    assert symbols(world) == ["01-CTr/ĐU", "28/CT-TTg", "03-CT/TW", "69-NQ/ĐU"]  # newest first
    assert symbols(world, type_code="CT") == ["28/CT-TTg", "03-CT/TW"]
    assert symbols(world, issuer="TW") == ["03-CT/TW"]
    assert symbols(world, system="state") == ["28/CT-TTg"]
    assert symbols(world, year=2021) == ["28/CT-TTg", "03-CT/TW", "69-NQ/ĐU"]
    assert symbols(world, date_from=D(2021, 5, 19), date_to=D(2021, 12, 31)) == ["28/CT-TTg", "03-CT/TW"]
    assert symbols(world, organisation=world.cell_a) == []
    assert selectors.issuer_codes(world.users["office"]) == ["TTg", "TW", "ĐU"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("doi moi sang tao", ["69-NQ/ĐU"]),
        ("ĐỔI MỚI", ["69-NQ/ĐU"]),
        ("69-nq/du", ["69-NQ/ĐU"]),
        ("69-NQ/ĐU", ["69-NQ/ĐU"]),
        ("thu tuong", ["28/CT-TTg"]),
        ("chuong trinh chuyen doi so", ["01-CTr/ĐU"]),
        ("chi thi", ["28/CT-TTg", "03-CT/TW"]),
        ("nghị quyết xyz", []),
    ],
)
def test_search_is_accent_insensitive_over_number_summary_issuer_and_type(world, register_rows, query, found):
    assert symbols(world, query=query) == found


def _chain_of(world, length: int, issuer: str) -> list[Document]:
    """A chain of `length` documents, each implementing the one before."""
    documents = [outside(world.tct, f"01-CT/{issuer}", D(2020, 1, 1))]
    for i in range(2, length + 1):
        previous = documents[-1]
        documents.append(
            outside(
                world.tct,
                f"{i:02d}-KH/{issuer}",
                D(2020, 1, i),
                implements=f"{previous.symbol} ngày {previous.issued_on:%d/%m/%Y}",
            )
        )
    return documents


def _queries(user, document) -> tuple[int, selectors.Chain]:
    with CaptureQueriesContext(connection) as captured:
        chain = selectors.chain(user, document)
    return len(captured), chain


def test_the_chain_is_read_in_the_same_number_of_queries_whatever_its_depth(world):
    office = world.users["office"]
    short, long = _chain_of(world, 3, "TW"), _chain_of(world, 12, "ĐUK")
    office = type(office).objects.get(pk=office.pk)
    selectors.documents_visible(office).exists()  # the grant, cached for the request
    queries_short, chain_short = _queries(office, short[1])
    queries_long, chain_long = _queries(office, long[6])
    assert queries_short == queries_long == 2
    # Up from the 7th: 6, 5, …, 1 nested one in another; down: 8 … 12.
    node, depth = chain_long.up, 0
    while node:
        assert len(node) == 1
        node, depth = node[0].children, depth + 1
    assert depth == 6
    assert chain_long.size == 11 and chain_short.size == 2
    assert [n.document.symbol for n in chain_long.down] == ["08-KH/ĐUK"]


def test_a_document_implementing_two_of_the_same_chain_is_shown_once_then_marked(world, terms):
    directive = outside(world.tct, "03-CT/TW", D(2021, 5, 19))
    government = outside(world.tct, "28/CT-TTg", D(2021, 10, 26), implements="03-CT/TW ngày 19/5/2021")
    programme = outside(
        world.tct,
        "09-CTr/ĐUK",
        D(2021, 11, 11),
        implements="28/CT-TTg ngày 26/10/2021; 03-CT/TW ngày 19/5/2021",
    )
    plan = own(world.tct, "KH", D(2021, 12, 10), implements="09-CTr/ĐUK ngày 11/11/2021")
    chain = selectors.chain(world.users["member"], plan)
    (top,) = chain.up
    assert top.document == programme and top.kind == "implements"
    assert [(n.document.symbol, n.repeated) for n in top.children] == [
        ("03-CT/TW", False),
        ("28/CT-TTg", False),
    ]
    assert [(n.document.symbol, n.repeated) for n in top.children[1].children] == [("03-CT/TW", True)]
    down = selectors.chain(world.users["member"], directive).down
    assert [n.document for n in down] == [government, programme]
    assert [n.document for n in down[0].children] == [programme] and down[0].children[0].repeated


def test_the_chain_leaves_out_documents_the_user_may_not_see_and_what_only_they_lead_to(world, terms):
    top = outside(world.tct, "03-CT/TW", D(2021, 5, 19))
    hidden = outside(world.tct, "05-CT/ĐUK", D(2021, 6, 1), secrecy=SECRET, implements="03-CT/TW")
    bottom = own(world.tct, "KH", D(2021, 7, 1), implements="05-CT/ĐUK ngày 1/6/2021")
    assert [n.document for n in selectors.chain(world.users["office"], bottom).up] == [hidden]
    assert selectors.chain(world.users["member"], bottom).up == []
    assert selectors.chain(world.users["member"], top).down == []
    out, into = selectors.links_of(world.users["member"], bottom)
    assert (out, into) == ([], [])
    services.document_link(actor=None, source=bottom, target=top, kind="cites")
    out, _into = selectors.links_of(world.users["member"], bottom)
    assert [link.to_doc for link in out] == [top]
