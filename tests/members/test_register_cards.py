"""The member register on a phone: one card per member (name, status, birth date, cell, actions) in
place of the 9-column table; the cell is left out when the register is that cell's own."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from dangbo.members.services import member_admit
from dangbo.orgs import services as org_services
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(world):
    for name, cell, nid in [
        ("Nguyễn Văn Đức", world.cell_a, "001080000001"),
        ("Lê Văn Dũng", world.cell_b, "001080000003"),
    ]:
        person = org_services.person_create(
            actor=None, full_name=name, birth_date=dt.date(1980, 1, 2), organisation=cell
        )
        member_admit(
            actor=None, person=person, organisation=cell, admitted_on=dt.date(2005, 5, 19), national_id=nid
        )


def _cards(page: str) -> list[str]:
    cards = page[page.index('<ul class="list-unstyled d-sm-none member-cards">') :]
    return re.findall(r'<li class="card mb-2 member-card">.*?</li>', cards[: cards.index("</ul>")], re.S)


@pytest.mark.usefixtures("members")
def test_the_register_of_a_party_committee_shows_cards_with_each_members_cell(world):
    page = client_for("office").get(reverse("members:register", args=[world.grassroots.pk])).content.decode()
    cards = _cards(page)
    assert len(cards) == 2
    duc = next(c for c in cards if "Nguyễn Văn Đức" in c)
    assert "Sinh ngày 02/01/1980" in duc and "Chi bộ Văn phòng" in duc
    assert "Đảng viên dự bị" in duc  # the status
    assert "Xem hồ sơ" in duc and "Ghi sự kiện" in duc  # the office may record events
    assert "001080000001" not in duc and "•" not in duc  # no identity number on a card
    assert 'class="table-responsive d-none d-sm-block"' in page  # the table stays for wider screens


@pytest.mark.usefixtures("members")
def test_a_cells_own_register_leaves_the_cell_out_of_its_cards(world):
    page = client_for("secretary").get(reverse("members:register", args=[world.cell_a.pk])).content.decode()
    [card] = _cards(page)
    assert "Nguyễn Văn Đức" in card and "Chi bộ Văn phòng" not in card
