"""Emulation pages as users drive them: criteria pasted from Excel, a movement, registration,
self-scoring with a bad score, council scoring, closing and the public results."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangbo.emulation import services
from dangbo.emulation.models import CriteriaSet, Movement, Registration, Score
from dangbo.rules.roles import Role
from tests.conftest import PASSWORD, World, make_user

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)  # type: ignore[attr-defined]
    return client


def test_criteria_pasted_from_excel_with_a_bad_line_saves_nothing(world: World) -> None:
    client = client_for(world.users["emulation"])
    bad = "1\tDoanh thu\t60\n2\tTuyên truyền\t4o\n"
    response = client.post(
        reverse("emulation:criteria_new"), {"name": "Bộ tiêu chí", "default_step": "0.25", "criteria": bad}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Dòng 2" in text and "4o" in text
    assert not CriteriaSet.objects.exists()
    good = "0 | Tiêu chí chung\n0.1 | Chấp hành kỷ luật | BB\n1\tDoanh thu\t60\t0,5\n2 | Tuyên truyền | 40"
    response = client.post(
        reverse("emulation:criteria_new"), {"name": "Bộ tiêu chí", "default_step": "0.25", "criteria": good}
    )
    assert response.status_code == 302
    criteria_set = CriteriaSet.objects.get()
    assert criteria_set.criteria.get(code="1").step == Decimal("0.5")
    assert criteria_set.criteria.get(code="0").mandatory
    response = client.post(reverse("emulation:criteria_publish", args=[criteria_set.pk]))
    criteria_set.refresh_from_db()
    assert criteria_set.published


def test_a_round_through_the_pages(world: World) -> None:
    emulation = client_for(world.users["emulation"])
    rows = [
        services.CriterionRow("1", "Doanh thu", Decimal(60)),
        services.CriterionRow("2", "Tuyên truyền", Decimal(40)),
    ]
    criteria_set = services.criteria_set_publish(
        actor=None,
        criteria_set=services.criteria_set_save(actor=None, organisation=world.tct, name="Bộ", rows=rows),
    )
    response = emulation.post(
        reverse("emulation:create"),
        {
            "organisation": world.tct.pk,
            "name": "Dân vận khéo 2024",
            "starts_on": "2024-01-01",
            "ends_on": "2024-12-31",
            "aggregation": "mean",
        },
    )
    movement = Movement.objects.get()
    assert response.status_code == 302
    emulation.post(
        reverse("emulation:model_add", args=[movement.pk]),
        {
            "name": "Dân vận khéo trong SXKD",
            "field": "economy",
            "tier": "grassroots",
            "criteria_set": criteria_set.pk,
            "for_collectives": "on",
        },
    )
    emulation.post(reverse("emulation:advance", args=[movement.pk]))
    office = client_for(world.users["office"])
    page = office.get(reverse("emulation:detail", args=[movement.pk])).content.decode()
    assert "Đăng ký tham gia mô hình" in page
    model = movement.models.get()
    office.post(
        reverse("emulation:register", args=[movement.pk]),
        {"model": model.pk, "subject": f"o{world.cell_b.pk}"},
    )
    registration = Registration.objects.get()
    emulation.post(reverse("emulation:decide", args=[registration.pk]), {"approve": "1"})
    judge = make_user("giamkhao", role=Role.MEMBER, organisation=world.cell_a)
    emulation.post(
        reverse("emulation:council_add", args=[movement.pk]), {"username": "giamkhao", "chair": "on"}
    )
    emulation.post(reverse("emulation:advance", args=[movement.pk]))
    movement.refresh_from_db()
    assert movement.status == Movement.Status.SCORING
    c1, c2 = (criteria_set.criteria.get(code=c).pk for c in ("1", "2"))
    response = office.post(
        reverse("emulation:self_score", args=[registration.pk]), {f"c{c1}": "60,5", f"c{c2}": "30"}
    )
    assert response.status_code == 400 and "60,5" in response.content.decode()
    assert not Score.objects.exists()
    office.post(
        reverse("emulation:self_score", args=[registration.pk]), {f"c{c1}": "55,5", f"e{c1}": "Báo cáo"}
    )
    assert Score.objects.get(kind="self").points == Decimal("55.5")
    council = client_for(judge)
    council.post(
        reverse("emulation:council_score", args=[registration.pk]), {f"c{c1}": "50", f"c{c2}": "35,25"}
    )
    # Before publication the unit does not see the council's scores.
    member = client_for(world.users["member"])
    assert member.get(reverse("emulation:registration", args=[registration.pk])).status_code == 403
    emulation.post(reverse("emulation:advance", args=[movement.pk]))
    emulation.post(reverse("emulation:advance", args=[movement.pk]))
    movement.refresh_from_db()
    assert movement.status == Movement.Status.PUBLISHED
    results = member.get(reverse("emulation:results", args=[movement.pk]))
    text = results.content.decode()
    assert results.status_code == 200 and "Chi bộ Ban Đầu tư" in text and "85,25" in text and "55,5" in text
    assert timezone.localdate()  # the page shows dd/mm/yyyy dates
    assert "01/01/2024" in member.get(reverse("emulation:detail", args=[movement.pk])).content.decode()
