"""Annual quality evaluation (đánh giá, xếp loại chất lượng hằng năm; 366-QĐ/TW, 43-HD/BTCTW).

An `EvaluationRound` belongs to the deciding organisation (the committee that decides the levels)
and a year, and keeps the rule set it is judged under (the day it judges and the regulation's
name, `dangbo.rules.evaluation.evaluation_rules`). Opening it lists the `Assessment`s to make: one
per party member of the cells it decides for, and one per organisation directly under it (a
collective). Each is self-assessed (the 100-point scale and the year's tasks; the level `classify`
allows is stored with it), then proposed a level by the cell, then decided by the committee, the
quota checked. A closed round is locked: database triggers (migration 0002) refuse any change.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangbo.core.paths import PathField
from dangbo.evaluation.labels import LEVEL_CHOICES
from dangbo.orgs.models import Organisation, Person
from dangbo.rules import evaluation as rules


class EvaluationRound(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Self-assessment")
        PROPOSING = "proposing", _("Cells propose levels")
        DECIDING = "deciding", _("The committee decides")
        CLOSED = "closed", _("Closed")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("deciding organisation"),
        db_index=False,
    )
    org_path = PathField(max_length=255, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    # The rule set: the day it judges (the year's last day) and the regulation in force on it.
    rules_on = models.DateField(editable=False)
    regulation = models.CharField(_("regulation"), max_length=300, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    SCOPE = (("party", "org_path"),)
    PATH_COPIES = (("party", "org_path"),)

    class Meta:
        ordering = ["-year", "org_path"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        indexes = [models.Index(fields=["org_path", "year"], name="evalround_path_idx")]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="evalround_org_year_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name} — {self.year}"

    @property
    def locked(self) -> bool:
        return self.status == self.Status.CLOSED

    def rules(self) -> rules.EvaluationRules:
        """The rule set the round was opened under (found by its regulation), else the one in force
        on the day it judges."""
        for candidate in rules.EVALUATION_RULES:
            if candidate.regulation == self.regulation:
                return candidate
        return rules.evaluation_rules(self.rules_on)


def judged_on(year: int) -> dt.date:
    """The day a year's evaluation is judged under: its last day."""
    return dt.date(year, 12, 31)


class Assessment(models.Model):
    class Form(models.TextChoices):
        # ⚠ 2A/2B as in 25-HD/BTCTW (not holding / holding a leading or managing post), 2C as in
        # 43-HD/BTCTW (a member not working in the political system); Mẫu 01 for a collective.
        A = "2A", _("Form 2A: member without a leading or managing post")
        B = "2B", _("Form 2B: member holding a leading or managing post")
        C = "2C", _("Form 2C: member not working in the political system")
        REPORT = "01", _("Form 01: report of a collective")

    round = models.ForeignKey(EvaluationRound, on_delete=models.PROTECT, related_name="assessments")
    # An individual's cell, or the collective itself; its path places the row for scoping.
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", db_index=False)
    org_path = PathField(max_length=255, editable=False)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    collective = models.BooleanField(default=False)
    subject_name = models.CharField(_("name"), max_length=300)
    form = models.CharField(_("form"), max_length=2, choices=Form.choices)
    # The self-assessment.
    general_score = models.DecimalField(
        _("general criteria (points)"), null=True, blank=True, max_digits=5, decimal_places=2
    )
    task_score = models.DecimalField(
        _("results of tasks (points)"), null=True, blank=True, max_digits=5, decimal_places=2
    )
    tasks_total = models.PositiveIntegerField(_("tasks assigned"), null=True, blank=True)
    tasks_done = models.PositiveIntegerField(_("tasks done"), null=True, blank=True)
    tasks_on_time = models.PositiveIntegerField(_("tasks done on time"), null=True, blank=True)
    tasks_exceeding = models.PositiveIntegerField(_("tasks done beyond requirements"), null=True, blank=True)
    disciplined = models.BooleanField(_("a subordinate unit or a leader was disciplined"), default=False)
    shortcomings = models.PositiveIntegerField(_("shortcomings pointed out earlier"), default=0)
    shortcomings_fixed = models.PositiveIntegerField(_("shortcomings fixed"), default=0)
    strengths = models.TextField(_("strengths and results"), blank=True)
    weaknesses = models.TextField(_("limitations, shortcomings and their causes"), blank=True)
    remedies = models.TextField(_("direction and measures to overcome them"), blank=True)
    self_level = models.CharField(_("self-assessed level"), max_length=6, choices=LEVEL_CHOICES, blank=True)
    self_assessed_at = models.DateTimeField(null=True, blank=True)
    self_assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The cell's proposal and the committee's decision.
    proposed_level = models.CharField(_("proposed level"), max_length=6, choices=LEVEL_CHOICES, blank=True)
    proposal_note = models.CharField(_("the cell's remark"), max_length=500, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(null=True, blank=True)
    decided_level = models.CharField(_("decided level"), max_length=6, choices=LEVEL_CHOICES, blank=True)
    decision_note = models.CharField(_("the committee's remark"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    SCOPE = (("party", "org_path"),)
    PATH_COPIES = (("party", "org_path"),)

    class Meta:
        ordering = ["round", "collective", "org_path", "subject_name", "pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        indexes = [models.Index(fields=["round", "org_path"], name="assessment_round_path_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(collective=True, person__isnull=True) | Q(collective=False, person__isnull=False),
                name="assessment_one_subject",
            ),
            models.UniqueConstraint(
                fields=["round", "person"], condition=Q(collective=False), name="assessment_person_uniq"
            ),
            models.UniqueConstraint(
                fields=["round", "organisation"], condition=Q(collective=True), name="assessment_org_uniq"
            ),
            models.CheckConstraint(
                condition=Q(general_score__isnull=True) | Q(general_score__gte=0),
                name="assessment_general_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(task_score__isnull=True) | Q(task_score__gte=0),
                name="assessment_task_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} ({self.round_id})"

    @property
    def self_assessed(self) -> bool:
        return self.self_assessed_at is not None

    @property
    def total(self) -> Decimal | None:
        if self.general_score is None or self.task_score is None:
            return None
        return self.general_score + self.task_score

    def classification(self) -> rules.Classification | None:
        """What `classify` allows for the self-assessed figures (None before the self-assessment)."""
        if not self.self_assessed or self.total is None:
            return None
        return rules.classify_under(
            self.round.rules(),
            score=self.total,
            tasks_total=self.tasks_total or 0,
            tasks_done=self.tasks_done or 0,
            tasks_on_time=self.tasks_on_time or 0,
            tasks_exceeding=self.tasks_exceeding or 0,
            collective=self.collective,
            disciplined=self.disciplined,
            shortcomings=self.shortcomings,
            shortcomings_fixed=self.shortcomings_fixed,
        )
