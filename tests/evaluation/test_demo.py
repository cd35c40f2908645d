"""The demo's evaluation rounds, loaded on the demo data set (without its year of meetings)."""

from __future__ import annotations

import pytest

from dangbo.evaluation.demo import load_evaluations
from dangbo.evaluation.models import Assessment, EvaluationRound
from dangbo.orgs.demo import _Loader

pytestmark = pytest.mark.django_db


def test_the_demo_rounds_load_once():
    loader = _Loader(meetings=False)
    assert loader.run().evaluation_rounds == 2  # `dangbo demo` loads them
    assert load_evaluations(loader.organisations, loader.people) == 0
    decided, open_now = EvaluationRound.objects.order_by("year")
    assert (decided.year, decided.status, open_now.year, open_now.status) == (2025, "deciding", 2026, "open")
    assert decided.organisation == loader.organisations["coquan"]
    tckt = Assessment.objects.filter(round=decided, organisation=loader.organisations["tckt"])
    assert tckt.filter(self_assessed_at__isnull=False).count() == 5  # 4 members and the cell
    assert tckt.exclude(proposed_level="").count() == 5 and tckt.exclude(decided_level="").count() == 2
    dangvien = loader.people["tckt.member1"]
    assert Assessment.objects.filter(round=open_now, person=dangvien, self_assessed_at__isnull=True).exists()
