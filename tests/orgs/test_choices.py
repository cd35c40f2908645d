"""Pick-lists name an organisation with its parent and a person with their cell: two cells of one name
under different đảng bộ can be told apart, and so can people of the task's owner list. The parent and
the cell come with the list's one query, however long the list."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse

from dangbo.documents.forms import DocumentForm
from dangbo.orgs import services
from dangbo.orgs.models import Organisation, PositionType
from tests.documents.conftest import own, terms  # noqa: F401  (terms: a fixture)
from tests.helpers import client_for
from tests.meetings.conftest import cell  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

SALES = "Chi bộ Phòng Kinh doanh"


@pytest.fixture
def twins(world):
    """Two cells called "Chi bộ Phòng Kinh doanh": one of Đảng bộ Cơ quan, one of Bưu điện Hà Nội."""
    hanoi = services.organisation_create(
        actor=None, parent=world.tct, name="Đảng bộ Bưu điện TP Hà Nội", kind="grassroots"
    )
    return (
        services.organisation_create(actor=None, parent=world.grassroots, name=SALES, kind="cell"),
        services.organisation_create(actor=None, parent=hanoi, name=SALES, kind="cell"),
    )


def _options(page: str) -> list[str]:
    import re

    return [html.unescape(label).strip() for label in re.findall(r"<option [^>]*>([^<]*)</option>", page)]


def test_the_register_pick_list_tells_two_cells_of_one_name_apart(world, twins):
    page = client_for("office").get(reverse("documents:create")).content.decode()
    options = _options(page)
    assert f"{SALES} — Đảng bộ Cơ quan" in options
    assert f"{SALES} — Đảng bộ Bưu điện TP Hà Nội" in options
    assert "Chi bộ Văn phòng — Đảng bộ Cơ quan" in options
    assert SALES not in options  # never the bare, ambiguous name


def test_the_labels_cost_no_query_per_organisation(world, twins):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        form = DocumentForm(organisations=Organisation.objects.order_by("path"))
        with CaptureQueriesContext(connection) as context:
            rendered = str(form["organisation"])
        assert rendered.count(SALES) >= 2 and "Đảng bộ Bưu điện TP Hà Nội" in rendered
        return len(context)

    few = queries()
    for n in range(6):
        services.organisation_create(
            actor=None, parent=twins[n % 2].parent, name=f"Chi bộ số {n}", kind="cell"
        )
    assert queries() == few <= 2  # the choices, and Django's look at the first one for `required`


@pytest.mark.usefixtures("terms")  # the committee term the document is numbered in
def test_the_tasks_person_in_charge_list_shows_each_persons_cell(world, twins):
    resolution = own(world.tct, "NQ", dt.date(2025, 9, 1), summary="Nghị quyết về chuyển đổi số")
    deputy = PositionType.objects.get(code="bi-thu")
    for name, sales in (("Nguyễn Văn An", twins[0]), ("Nguyễn Văn An", twins[1])):
        person = services.person_create(actor=None, full_name=name, organisation=sales, is_party_member=True)
        services.appointment_create(
            actor=None, person=person, position=deputy, organisation=sales, starts_on=dt.date(2025, 1, 1)
        )
    page = client_for("office").get(reverse("documents:task_create", args=[resolution.pk])).content.decode()
    options = _options(page)
    assert options.count(f"Nguyễn Văn An — {SALES}") == 2  # namesakes, each with their cell
    # the assignee tree (checkboxes) names the parent of the two same-named cells only
    assert f"{SALES} — Đảng bộ Bưu điện TP Hà Nội" in html.unescape(page)
    assert "Chi bộ Văn phòng — " not in html.unescape(page)


@pytest.mark.usefixtures("cell")  # the cell's members, who may chair
def test_the_meeting_chair_list_shows_each_persons_cell(world):
    page = client_for("secretary").get(reverse("meetings:create") + f"?to-chuc={world.cell_a.pk}")
    assert "Trần Văn Bình — Chi bộ Văn phòng" in _options(page.content.decode())
