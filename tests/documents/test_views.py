"""The document pages as the committee office and the members meet them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dangbo.core.models import AuditEvent
from dangbo.documents.models import Document, DocumentLink
from tests.documents.conftest import D, outside, own
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def form_data(world, **extra):
    data = {
        "organisation": world.tct.pk,
        "own": "1",
        "type_code": "NQ",
        "number": "",
        "symbol": "",
        "issuer_name": "",
        "issued_on": "2021-04-02",
        "summary": "Nghị quyết về chuyển đổi số",
        "signer_name": "Nguyễn Văn Thử",
        "signer_post": "T/M BAN THƯỜNG VỤ, BÍ THƯ",
        "secrecy": "normal",
        "implements": "",
        "body": "Căn cứ Nghị quyết 69-NQ/ĐU ngày 27/3/2021 của Đảng ủy Tổng công ty.",
        "recipients": "Như trên;\nLưu VP.",
    }
    return {**data, **extra}


def errors_of(html: str) -> str:
    match = re.search(r'<div class="alert alert-danger".*?</div>', html, re.S)
    return match.group(0) if match else ""


def test_the_create_form_proposes_the_next_number_and_registering_links_the_references(world, terms):
    own(world.tct, "NQ", D(2021, 3, 27), number=69, summary="Nghị quyết về đổi mới, sáng tạo")
    office = client_for("office")
    html = office.get(reverse("documents:create")).content.decode()
    assert "Số đề xuất:" in html
    # Today lies in the 2025–2030 term, where nothing is numbered yet; the 2020–2025 term is at 69.
    assert '<strong id="proposal-symbol">01-NQ/ĐU</strong>' in html
    response = office.post(reverse("documents:create"), form_data(world))
    document = Document.objects.get(summary="Nghị quyết về chuyển đổi số")
    assert response.status_code == 302 and response["Location"] == reverse(
        "documents:detail", args=[document.pk]
    )
    assert document.symbol == "70-NQ/ĐU" and document.created_by.username == "office"
    assert document.links_out.get().to_doc.symbol == "69-NQ/ĐU"
    detail = office.get(response["Location"]).content.decode()
    assert "Đã vào sổ văn bản 70-NQ/ĐU." in detail
    assert "Nghị quyết 70-NQ/ĐU" in detail and "02/04/2021" in detail and "Lưu VP." in detail


@pytest.mark.parametrize(
    ("extra", "field_label", "message"),
    [
        ({"number": "6a"}, "Số", "từ 1 đến 9999"),
        ({"number": "69"}, "Số", "không bao giờ được cấp lại"),
        ({"issued_on": "2999-01-01"}, "Ngày ban hành", "tương lai"),
        ({"issued_on": "2019-05-01"}, "Ngày ban hành", "trước ngày bắt đầu nhiệm kỳ đầu tiên"),
        ({"own": "0", "symbol": "28 / CT-TTg"}, "Số, ký hiệu", "dấu cách"),
        ({"implements": "Nghị quyết số 05 ngày 17/01/2022"}, "Thực hiện văn bản", "Không tìm thấy số hiệu"),
    ],
)
def test_bad_input_is_explained_in_vietnamese_naming_the_field_and_nothing_is_saved(
    world, terms, extra, field_label, message
):
    own(world.tct, "NQ", D(2021, 3, 27), number=69)
    office = client_for("office")
    before = (Document.objects.count(), AuditEvent.objects.count())
    response = office.post(reverse("documents:create"), form_data(world, **extra))
    assert response.status_code == 200
    errors = errors_of(response.content.decode())
    assert "Dữ liệu chưa được lưu" in errors
    assert f">{field_label}</a>:" in errors and message in errors, errors
    assert (Document.objects.count(), AuditEvent.objects.count()) == before


def test_an_attached_file_is_kept_and_served_only_to_readers_and_confidential_downloads_are_logged(
    world, terms
):
    office = client_for("office")
    upload = SimpleUploadedFile("Nghị quyết.pdf", b"%PDF-1.7 noi dung", content_type="application/pdf")
    response = office.post(reverse("documents:create"), form_data(world, file=upload, secrecy="secret"))
    document = Document.objects.get(registered=True)
    assert response.status_code == 302 and document.file_name == "Nghị quyết.pdf"
    url = reverse("documents:file", args=[document.pk])
    download = office.get(url)
    assert b"".join(download.streaming_content) == b"%PDF-1.7 noi dung"
    assert "attachment" in download["Content-Disposition"]
    assert AuditEvent.objects.filter(action="document.download", actor_label="office").count() == 1
    assert client_for("member").get(url).status_code == 404  # secret: not for a member
    fake = SimpleUploadedFile("nq.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    refused = office.post(reverse("documents:create"), form_data(world, file=fake, summary="Khác"))
    assert "không phải là tệp .pdf" in errors_of(refused.content.decode())


def test_the_register_filters_searches_without_accents_and_pages_keep_the_filters(world, terms):
    for day in range(1, 36):
        own(world.tct, "TB", D(2022, 1, 1) + dt.timedelta(days=day), summary=f"Thông báo kết luận số {day}")
    outside(
        world.tct, "03-CT/TW", D(2021, 5, 19), summary="Chỉ thị về Cuộc vận động", issuer_name="Ban Bí thư"
    )
    member = client_for("member")
    html = member.get(reverse("documents:list"), {"q": "thong bao ket luan"}).content.decode()
    assert "35 văn bản" in html and "03-CT/TW" not in html
    assert "page=2" in html and "q=thong+bao+ket+luan" in html  # the next page keeps the search
    html = member.get(reverse("documents:list"), {"q": "thong bao ket luan", "page": 2}).content.decode()
    assert len(re.findall(r'href="/van-ban/[0-9]+/"', html)) == 5
    html = member.get(reverse("documents:list"), {"co_quan": "TW"}).content.decode()
    assert "03-CT/TW" in html and "19/05/2021" in html and "01-TB/ĐU" not in html
    html = member.get(reverse("documents:list"), {"nam": "abc", "tu": "31/02/2022"}).content.decode()
    assert "36 văn bản" in html  # unreadable filters filter nothing


def test_the_register_page_needs_the_same_few_queries_whatever_its_size(
    world, terms, django_assert_max_num_queries
):
    client = client_for("office")
    client.get(reverse("documents:list"))
    for day in range(40):
        own(world.tct, "KL", D(2022, 1, 1) + dt.timedelta(days=day))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("documents:list"), {"q": "van ban"}).status_code == 200


def test_the_document_page_shows_the_chain_up_and_down_as_nested_lists(world, terms):
    outside(world.tct, "03-CT/TW", D(2021, 5, 19), issuer_name="Ban Bí thư")
    outside(world.tct, "28/CT-TTg", D(2021, 10, 26), implements="03-CT/TW ngày 19/5/2021")
    programme = outside(world.tct, "09-CTr/ĐUK", D(2021, 11, 11), implements="28/CT-TTg ngày 26/10/2021")
    own(world.tct, "KH", D(2021, 12, 10), implements="09-CTr/ĐUK ngày 11/11/2021")
    html = client_for("member").get(reverse("documents:detail", args=[programme.pk])).content.decode()
    up = html[html.index('id="chain-up-h"') : html.index('id="chain-down-h"')]
    down = html[html.index('id="chain-down-h"') :]
    assert up.index("28/CT-TTg") < up.index("03-CT/TW")
    assert up.count('<ul class="chain-list">') == 2  # 28/CT-TTg, and inside it 03-CT/TW
    assert "thực hiện" in up and "01-KH/ĐU" in down and "được thực hiện bởi" in down
    chain = client_for("member").get(reverse("documents:chain", args=[programme.pk])).content.decode()
    assert "3 văn bản liên quan" in chain


def test_linking_by_hand_refuses_a_cycle_in_the_form_and_removing_needs_a_confirmed_post(world, terms):
    directive = outside(world.tct, "03-CT/TW", D(2021, 5, 19))
    plan = own(world.tct, "KH", D(2021, 12, 10), implements="03-CT/TW")
    office = client_for("office")
    url = reverse("documents:link_add", args=[directive.pk])
    response = office.post(url, {"kind": "implements", "target": "01-KH/ĐU"})
    assert "tự thực hiện chính nó" in errors_of(response.content.decode())
    response = office.post(url, {"kind": "cites", "target": "Kế hoạch số 01-KH/ĐU"})
    assert response.status_code == 302
    assert DocumentLink.objects.get(from_doc=directive).kind == "cites"
    response = office.post(url, {"kind": "cites", "target": "99-KH/ĐU"})
    assert "hãy vào sổ văn bản đó trước" in errors_of(response.content.decode())
    link = plan.links_out.get()
    remove = reverse("documents:link_remove", args=[link.pk])
    assert office.post(remove).status_code == 302 and DocumentLink.objects.filter(pk=link.pk).exists()
    office.post(remove, {"confirm": "1"})
    assert not DocumentLink.objects.filter(pk=link.pk).exists()


def test_withdrawing_from_the_page_keeps_the_number_and_shows_why(world, terms):
    document = own(world.tct, "TB", D(2022, 3, 1))
    office = client_for("office")
    url = reverse("documents:withdraw", args=[document.pk])
    assert "Lý do thu hồi" in errors_of(office.post(url, {"reason": ""}).content.decode())
    assert office.post(url, {"reason": "Ban hành nhầm đối tượng"}).status_code == 302
    html = office.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert f"Đã thu hồi ngày {timezone.localdate():%d/%m/%Y}" in html and "Ban hành nhầm đối tượng" in html
    assert own(world.tct, "TB", D(2022, 3, 2)).symbol == "02-TB/ĐU"


def test_a_placeholder_page_offers_to_register_it_with_the_form_filled(world, terms):
    own(world.tct, "KH", D(2021, 12, 10), body="Thực hiện Chỉ thị số 28/CT-TTg, ngày 26/10/2021 và 69-NQ/ĐU")
    office = client_for("office")
    for symbol, expected in (("28/CT-TTg", 'value="28/CT-TTg"'), ("69-NQ/ĐU", 'name="number" value="69"')):
        placeholder = Document.objects.get(symbol=symbol)
        detail = office.get(reverse("documents:detail", args=[placeholder.pk])).content.decode()
        assert "Chưa vào sổ" in detail and f"?van-ban={placeholder.pk}" in detail
        form = office.get(reverse("documents:create"), {"van-ban": placeholder.pk}).content.decode()
        assert expected in form, symbol


def test_the_menu_offers_documents_to_those_who_may_read_them(world):
    assert 'href="/van-ban/"' in client_for("member").get(reverse("documents:list")).content.decode()
    html = client_for("norole").get(reverse("orgs:org_tree")).content.decode()
    assert 'href="/van-ban/"' not in html


def test_the_register_does_not_print_the_type_twice_when_the_summary_opens_with_it(world, terms):
    own(world.tct, "KH", D(2022, 3, 1), summary="Kế hoạch thực hiện Nghị quyết 69-NQ/ĐU")
    own(world.tct, "KH", D(2022, 3, 2), summary="kế hoạch tổ chức hội nghị")  # lower case: still the type
    own(world.tct, "TB", D(2022, 3, 3), summary="Kết luận của Ban Thường vụ")
    html = client_for("member").get(reverse("documents:list")).content.decode()
    assert "Kế hoạch</span> Kế hoạch" not in html and "Kế hoạch</span> kế hoạch" not in html
    assert "Kế hoạch thực hiện Nghị quyết 69-NQ/ĐU" in html
    assert '<span class="text-secondary">Thông báo</span> Kết luận của Ban Thường vụ' in html
