"""Award pages as a clerk drives them: a proposal refused with the figures and saved with a recorded
override, the steps up the levels, a decision with awards typed one per line (a bad line saves
nothing), the history and the statistics (with Excel), the Giấy khen as PDF."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pypdf
import pytest
from django.urls import reverse

from dangbo.awards.models import Award, Decision, Proposal
from dangbo.reports.render import pdf_available
from tests.awards.factories import give, kind
from tests.conftest import World
from tests.helpers import client_for
from tests.xlsx_checks import assert_print_ready, texts

pytestmark = pytest.mark.django_db


def test_a_proposal_through_the_pages(world: World, person: Any) -> None:
    for year in (2024, 2025):
        give(world.tct, "CSTD_CS", year, person)
    emulation = client_for("emulation")
    url = reverse("awards:proposal_create", args=["person", person.pk])
    page = emulation.get(url)
    assert page.status_code == 200 and "Chiến sĩ thi đua Bộ, ban, ngành, tỉnh" in page.content.decode()
    form = {
        "proposer": f"o{world.cell_a.pk}",
        "award_type": str(kind("CSTD_BO").pk),
        "year": "2025",
        "achievements": "Sáng kiến số hóa bưu gửi",
        "initiative_year": "2025",
        "initiative_scope": "bo_nganh_tinh",
    }
    response = emulation.post(url, form)
    assert response.status_code == 400
    assert "2023" in response.content.decode() and not Proposal.objects.exists()
    response = emulation.post(url, {**form, "override": "on", "override_reason": "Thành tích đột xuất"})
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "awards:proposal", args=[proposal.pk]
    )
    page = emulation.get(response["Location"]).content.decode()
    assert "Thành tích đột xuất" in page and "2023" in page
    listing = emulation.get(reverse("awards:proposals")).content.decode()
    assert '<th scope="col">Tập thể, cá nhân được đề nghị</th>' in listing  # the nominee, not a status
    step = reverse("awards:proposal_transition", args=[proposal.pk])
    assert emulation.post(step, {"to": "reviewed"}).status_code == 302
    assert emulation.post(step, {"to": "raised"}).status_code == 400  # the level is missing
    assert emulation.post(step, {"to": "raised", "raised_to": "Bộ TT&TT"}).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "raised" and proposal.raised_to == "Bộ TT&TT"
    response = emulation.post(
        reverse("awards:decision_create"),
        {
            "organisation": str(world.tct.pk),
            "number": "15/QĐ-BTTTT",
            "signed_on": "2026-01-20",
            "issuer": "Bộ trưởng Bộ Thông tin và Truyền thông",
            "issuer_level": "bo_nganh_tinh",
            "year": "2025",
            "proposals": [str(proposal.pk)],
        },
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "decided"
    history = emulation.get(reverse("awards:person", args=[person.pk])).content.decode()
    assert "15/QĐ-BTTTT" in history and history.count("Chiến sĩ thi đua cơ sở") >= 2


def test_a_decision_with_a_bad_line_saves_nothing(world: World, person: Any) -> None:
    emulation = client_for("emulation")
    form = {
        "organisation": str(world.tct.pk),
        "number": "7/QĐ-TCT",
        "signed_on": "2021-01-05",
        "issuer": "Tổng Giám đốc",
        "issuer_level": "co_so",
        "year": "2020",
        "entries": f"GK | {world.province.name} | Hoàn thành xuất sắc nhiệm vụ\nXX | Ai đó",
    }
    response = emulation.post(reverse("awards:decision_create"), form)
    assert response.status_code == 400 and "XX" in response.content.decode()
    assert not Decision.objects.exists()
    form["entries"] = f"GK | {world.province.name} | Hoàn thành xuất sắc nhiệm vụ\ngk | {person.full_name}"
    assert emulation.post(reverse("awards:decision_create"), form).status_code == 302
    assert sorted(Award.objects.values_list("subject_name", flat=True)) == sorted(
        [world.province.name, person.full_name]
    )


def test_statistics_count_per_kind_and_year_and_export_to_excel(world: World, person: Any) -> None:
    give(world.tct, "GK", 2020, world.province)
    give(world.tct, "LDTT", 2024, person)
    give(world.tct, "LDTT", 2025, person)
    office = client_for("office")
    page = office.get(reverse("awards:statistics"), {"from": "2020", "to": "2025"})
    table = page.context["table"]
    assert table.years == [2020, 2021, 2022, 2023, 2024, 2025]
    rows = {kind.code: (cells, total) for kind, cells, total in table.rows}
    assert rows == {"LDTT": ([0, 0, 0, 0, 1, 1], 2), "GK": ([1, 0, 0, 0, 0, 0], 1)}
    download = office.get(reverse("awards:statistics"), {"from": "2020", "to": "2025", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    head = assert_print_ready(sheet, "Danh hiệu hoặc hình thức khen thưởng", landscape=False)
    assert "KHEN THƯỞNG THEO NĂM, 2020–2025" in texts(sheet, range(1, head))
    assert sheet[f"A{head + 1}"].value == "Lao động tiên tiến" and sheet[f"I{head + 1}"].value == 2


def test_people_outside_ones_scope_are_not_found(world: World, person: Any) -> None:
    outsider = client_for("outsider")
    assert outsider.get(reverse("awards:person", args=[person.pk])).status_code == 404
    assert outsider.get(reverse("awards:proposal_create", args=["person", person.pk])).status_code == 404


def test_the_giay_khen_prints_as_pdf_with_the_name(world: World, person: Any) -> None:
    if not pdf_available():
        pytest.skip("PDF rendering needs Pango")
    decision = give(world.tct, "GK", 2024, person)
    award = decision.awards.get()
    response = client_for("member").get(reverse("awards:certificate", args=[award.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    text = page.extract_text()
    assert "GIẤY KHEN" in text and person.full_name in text and "TỔNG GIÁM ĐỐC" in text
    ldtt = give(world.tct, "LDTT", 2024, person).awards.get()
    assert client_for("member").get(reverse("awards:certificate", args=[ldtt.pk])).status_code == 404


def test_the_person_and_organisation_pages_lead_to_their_award_history(world: World, person: Any) -> None:
    give(world.tct, "LDTT", 2024, person)
    office = client_for("office")
    page = office.get(reverse("orgs:person_detail", args=[person.pk])).content.decode()
    history = reverse("awards:person", args=[person.pk])
    assert f'href="{history}"' in page
    assert "Lao động tiên tiến" in office.get(history).content.decode()
    cell = office.get(reverse("orgs:org_detail", args=[world.cell_a.pk])).content.decode()
    assert f'href="{reverse("awards:organisation", args=[world.cell_a.pk])}"' in cell
    unit = office.get(reverse("orgs:unit_detail", args=[world.dept_a.pk])).content.decode()
    assert f'href="{reverse("awards:unit", args=[world.dept_a.pk])}"' in unit
