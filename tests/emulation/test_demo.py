"""The demo's "Dân vận khéo" 2024 (seed 001): four models, registrations from the committee's
organisations and provincial post offices, a closed, sealed and published round; and a 2026 round
open for registration. What a visitor of the demo sees must hold by the rules, not by luck."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from dangbo.emulation import seal, services
from dangbo.emulation.demo import MOVEMENT_2024, MOVEMENT_2026
from dangbo.emulation.models import CriteriaSet, Movement, Registration, Result, Score
from dangbo.orgs.demo import DEMO_PASSWORD, load_demo
from dangbo.orgs.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo():
    return load_demo(meetings=False)


def test_the_2024_round_is_published_with_four_models_and_sealed(demo) -> None:
    assert demo.movements == 2
    assert load_demo(meetings=False).movements == 0
    movement = Movement.objects.get(name=MOVEMENT_2024)
    assert movement.status == Movement.Status.PUBLISHED and len(movement.content_hash) == 64
    models = list(movement.models.order_by("position"))
    assert [m.field for m in models] == ["economy", "politics", "society", "politics"]
    for model in models:
        criteria_set = model.criteria_set
        assert criteria_set.published
        # Common mandatory criteria plus specific criteria whose top-level maxima add up to 100.
        assert criteria_set.criteria.filter(mandatory=True).exclude(parent=None).count() == 3
        top = criteria_set.criteria.filter(parent=None, mandatory=False).exclude(max_points=None)
        assert sum(c.max_points for c in top) == Decimal(100)
    assert list(seal.verify()) == []


def _registrations_come_from_organisations_and_provincial_post_offices() -> None:
    registrations = Registration.objects.filter(movement__name=MOVEMENT_2024)
    assert registrations.count() == 12
    assert registrations.exclude(unit=None).count() == 6  # provincial post offices, through delegates
    assert registrations.exclude(organisation=None).count() == 6
    rejected = registrations.get(status=Registration.Status.REJECTED)
    assert rejected.subject_name == "Chi bộ Công ty Tem" and "cấp ủy" in rejected.reason


def _final_scores_are_the_council_means_and_the_unmet_mandatory_criterion_ranks_last() -> None:
    movement = Movement.objects.get(name=MOVEMENT_2024)
    approved = movement.registrations.filter(status=Registration.Status.APPROVED)
    for registration in approved:
        results = Result.objects.filter(registration=registration).exclude(points=None)
        assert sum(r.points for r in results) == registration.final_score
        for result in results:
            council = Score.objects.filter(
                registration=registration, criterion=result.criterion, kind=Score.Kind.COUNCIL
            )
            points = [s.points for s in council]
            # The mean, rounded half up to hundredths (27.625 → 27.63).
            mean = (sum(points) / len(points)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            assert result.points == mean
    lao_cai = approved.get(subject_name="Bưu điện tỉnh Lào Cai")
    assert lao_cai.passed_mandatory is False
    assert lao_cai.rank == approved.filter(model=lao_cai.model).count()
    exemplars = set(approved.filter(exemplar=True).values_list("subject_name", flat=True))
    assert exemplars == {"Chi bộ Ban Tài chính – Kế toán", "Chi bộ Văn phòng"}


def _no_council_member_scored_a_unit_they_belong_to() -> None:
    movement = Movement.objects.get(name=MOVEMENT_2024)
    for registration in movement.registrations.filter(status=Registration.Status.APPROVED):
        for member in movement.council.all():
            scored = Score.objects.filter(registration=registration, council_member=member).exists()
            assert scored != services.conflict(member, registration)
    # The Văn phòng cell is scored by the two members who do not sit in it.
    vp = movement.registrations.get(subject_name="Chi bộ Văn phòng")
    assert (
        Score.objects.filter(registration=vp)
        .values("council_member")
        .exclude(council_member=None)
        .distinct()
        .count()
        == 2
    )


def _the_locked_round_refuses_a_change_in_the_database() -> None:
    score = Score.objects.filter(movement__name=MOVEMENT_2024, kind=Score.Kind.COUNCIL).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.filter(pk=score.pk).update(points=Decimal(0))


def _the_2026_round_is_open_and_the_cell_secretary_can_register_the_cell() -> None:
    movement = Movement.objects.get(name=MOVEMENT_2026)
    assert movement.status == Movement.Status.REGISTRATION
    assert movement.registrations.get().status == Registration.Status.PENDING
    secretary = get_user_model().objects.get(username="bithuchibo")
    model = movement.models.order_by("position").first()
    cell = Organisation.objects.get(name="Chi bộ Ban Tài chính – Kế toán")
    registration = services.register(actor=secretary, model=model, organisation=cell)
    assert registration.status == Registration.Status.PENDING


def _four_good_cells_and_the_366_frame_are_published_criteria_sets() -> None:
    four = CriteriaSet.objects.get(name="Chi bộ bốn tốt")
    assert [c.max_points for c in four.criteria.all()] == [Decimal(25)] * 4
    frame = CriteriaSet.objects.get(name__startswith="Khung đánh giá")
    assert [c.max_points for c in frame.criteria.filter(parent=None)] == [Decimal(30), Decimal(70)]
    assert four.published and frame.published


def _everyone_in_scope_reads_the_published_results() -> None:
    movement = Movement.objects.get(name=MOVEMENT_2024)
    client = Client()
    assert client.login(username="dangvien", password=DEMO_PASSWORD)
    page = client.get(reverse("emulation:results", args=[movement.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Bưu điện tỉnh Nghệ An" in text and "Chi bộ Ban Tài chính – Kế toán" in text


def test_the_round_as_a_visitor_of_the_demo_finds_it(demo) -> None:
    """One load of the demo (it takes seconds), every check on it."""
    _registrations_come_from_organisations_and_provincial_post_offices()
    _final_scores_are_the_council_means_and_the_unmet_mandatory_criterion_ranks_last()
    _no_council_member_scored_a_unit_they_belong_to()
    _four_good_cells_and_the_366_frame_are_published_criteria_sets()
    _everyone_in_scope_reads_the_published_results()
    _the_locked_round_refuses_a_change_in_the_database()
    _the_2026_round_is_open_and_the_cell_secretary_can_register_the_cell()


def test_the_movement_page_names_delegates_family_name_first(demo) -> None:
    """The walk-through read "Hà Lê Thị Thu" for the delegate of Bưu điện TP Hà Nội; Vietnamese puts the given
    name last, and every page prints a login's name through core.names.user_name."""
    client = Client()
    assert client.login(username="thidua", password=DEMO_PASSWORD)
    movement = Movement.objects.get(name=MOVEMENT_2024)
    page = client.get(reverse("emulation:detail", args=[movement.pk])).content.decode()
    assert "Lê Thị Thu Hà" in page and "Hà Lê Thị Thu" not in page
    assert "Trần Văn Phúc" in page and "Phúc Trần Văn" not in page
