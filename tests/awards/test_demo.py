"""The demo awards: seed 002's 2020 list reproduced in the statistics, history that lets one proposal
through and shows the other's warning with its recorded override; a second run creates nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from dangbo.awards import selectors
from dangbo.awards.demo import PASSING, PROVINCE, WARNED, load_awards
from dangbo.awards.models import Award, Proposal
from dangbo.orgs.demo import _Loader

pytestmark = pytest.mark.django_db


def test_demo_awards_load_once_and_reproduce_seed_002() -> None:
    loader = _Loader(meetings=False)
    created = loader.run().awards  # `dangbo demo` loads them
    assert created > 0
    assert load_awards(loader.organisations, loader.units, loader.people) == 0
    province = loader.units[PROVINCE]
    seed = Award.objects.filter(year=2020, unit_path__within=province.path)
    table = selectors.statistics(seed, [2020])
    counts = {kind.code: cells[0] for kind, cells, _total in table.rows}
    # Cờ thi đua của Chính phủ and the Prime Minister's Bằng khen; the Ministry's flag to 2 collectives
    # and Giấy khen to 7; the provincial (city) chairman's Bằng khen to 1.
    assert counts == {"CO_CP": 1, "BK_TTG": 1, "CO_BO": 2, "GK": 7, "BK_BO": 1}
    passing = Proposal.objects.get(person=loader.people[PASSING])
    assert passing.award_type.code == "CSTD_BO" and passing.year == 2025
    assert passing.warnings == [] and not passing.override
    warned = Proposal.objects.get(person=loader.people[WARNED])
    assert warned.override and warned.override_reason and any("2023" in w for w in warned.warnings)
    # The statistics page opens on the years on record: seed 002's 2020 column is there.
    client = Client()
    client.force_login(get_user_model().objects.get(username="thidua"))
    page = client.get(reverse("awards:statistics"))
    assert page.context["first"] == 2020
    assert "Cờ thi đua của Chính phủ" in page.content.decode()
