"""What a registered document prints: the layout built from its record."""

from __future__ import annotations

import pytest

from dangbo.orgs import services as org_services
from dangbo.reports.layouts import IssuingBody, issuing_body, layout_of_document, place_of
from dangbo.reports.render import Bullet, Heading, Paragraph, Signature
from dangbo.rules.documents import DEFAULT_PLACE
from tests.documents.conftest import D, outside, own

pytestmark = pytest.mark.django_db

BODY = (
    "Ban Thường vụ Đảng ủy Tổng công ty ban hành Kế hoạch như sau.\n\n"
    "I. MỤC ĐÍCH, YÊU CẦU\n"
    "- Quán triệt đến từng chi bộ;\n"
)


def test_our_own_document_is_issued_by_the_committee_under_its_parent_at_its_place(world, terms):
    org_services.organisation_update(actor=None, organisation=world.bloc, place="Hà Nội")
    org_services.organisation_update(actor=None, organisation=world.tct, place="Đà Nẵng")
    document = own(
        world.tct,
        "KH",
        D(2021, 12, 20),
        summary="Kế hoạch thực hiện Cuộc vận động",
        body=BODY,
        signer_name="Trần Thị Hồng Nhung",
        signer_post="Phó Bí thư",
        recipients="- Đảng ủy Khối (để báo cáo);\n\nLưu Văn phòng Đảng ủy.",
    )
    layout = layout_of_document(document)
    assert layout.superior == "Đảng bộ Khối Thử nghiệm"
    assert layout.issuer == "Đảng ủy Tổng công ty Thử nghiệm"
    assert (layout.symbol, layout.issued_on, layout.place) == ("01-KH/ĐU", D(2021, 12, 20), "Đà Nẵng")
    assert layout.date_line() == "Đà Nẵng, ngày 20 tháng 12 năm 2021"
    assert (layout.type_name, layout.summary) == ("Kế hoạch", "Kế hoạch thực hiện Cuộc vận động")
    assert layout.blocks == [
        Paragraph("Ban Thường vụ Đảng ủy Tổng công ty ban hành Kế hoạch như sau."),
        Heading("I. MỤC ĐÍCH, YÊU CẦU", 1),
        Bullet("Quán triệt đến từng chi bộ;"),
    ]
    # The Tổng công ty's committee has a standing committee: a deputy signs on its behalf.
    assert layout.signature == Signature("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Trần Thị Hồng Nhung")
    assert layout.recipients == ["Đảng ủy Khối (để báo cáo);", "Lưu Văn phòng Đảng ủy."]
    assert (layout.secrecy, layout.draft, layout.system) == (None, False, "party")


def test_the_place_comes_from_the_nearest_organisation_above_that_names_one(world):
    assert place_of(world.cell_a) == DEFAULT_PLACE == "Hà Nội"
    org_services.organisation_update(actor=None, organisation=world.tct, place="Huế")
    assert place_of(world.cell_a) == "Huế"
    org_services.organisation_update(actor=None, organisation=world.cell_a, place="Cần Thơ")
    assert place_of(world.cell_a) == "Cần Thơ"
    assert place_of(world.cell_b) == "Huế"


def test_another_bodys_document_prints_the_issuer_it_was_registered_with(world, terms):
    document = outside(
        world.tct,
        "28/CT-TTg",
        D(2021, 10, 26),
        issuer_name="Thủ tướng Chính phủ",
        signer_post="KT. THỦ TƯỚNG, PHÓ THỦ TƯỚNG",
        signer_name="Vũ Đức Đam",
    )
    layout = layout_of_document(document)
    assert (layout.issuer, layout.superior, layout.place, layout.system) == (
        "Thủ tướng Chính phủ",
        "",
        "",
        "state",
    )
    assert layout.type_name == "Chỉ thị"
    assert layout.signature == Signature("KT. THỦ TƯỚNG", "PHÓ THỦ TƯỚNG", "Vũ Đức Đam")
    assert layout.date_line() == "ngày 26 tháng 10 năm 2021"


@pytest.mark.parametrize(
    ("secrecy", "mark"), [("secret", "MẬT"), ("top_secret", "TỐI MẬT"), ("absolute", "TUYỆT MẬT")]
)
def test_a_confidential_document_carries_its_mark(world, terms, secrecy, mark):
    assert layout_of_document(own(world.tct, "NQ", D(2022, 1, 5), secrecy=secrecy)).secrecy == mark


def test_a_cell_signs_for_itself_and_a_letter_has_no_type_title(world):
    org_services.organisation_update(actor=None, organisation=world.cell_a, code="CB")
    org_services.term_create(actor=None, organisation=world.cell_a, name="2020–2025", starts_on=D(2020, 6, 1))
    document = own(world.cell_a, "CV", D(2022, 3, 1), summary="V/v báo cáo", signer_post="Bí thư")
    layout = layout_of_document(document)
    assert (layout.superior, layout.issuer) == ("Đảng bộ Cơ quan", "Chi bộ Văn phòng")
    assert layout.signature.capacity == "T/M CHI BỘ" and layout.type_name == ""


def test_a_review_gets_the_header_of_the_organisation_that_issues_it(world, django_assert_num_queries):
    org_services.organisation_update(actor=None, organisation=world.grassroots, place="Hải Phòng")
    with django_assert_num_queries(1):
        body = issuing_body(world.grassroots)
    assert body == IssuingBody(
        superior="Đảng bộ Tổng công ty Thử nghiệm",
        issuer="Đảng ủy Cơ quan",
        place="Hải Phòng",
        kind="grassroots",
    )
