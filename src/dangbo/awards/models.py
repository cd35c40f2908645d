"""Awards (khen thưởng): the catalogue of titles and forms, proposals and their workflow, decisions,
and the awards given — the history of every person, party organisation and business unit.

`AwardType` rows mirror the versioned catalogue of `dangbo.rules.emulation` (kept in sync by
`catalog.sync`, called from a data migration); the prerequisites stay in the rules, never in rows.

An `Award` is one title or form given to one subject (a person, a party organisation or a business
unit — the 63 provincial post offices are units whose party organisations are outside our tree) for
one year, under a `Decision` (number, date, issuer and its level, signer). A `Proposal` goes up the
levels: proposed → reviewed → failed, or raised to a higher level → decided (when a decision that
names it is registered); each transition is a `ProposalStep` (who, when, note) and an audit event.
A proposal whose prerequisites fail is saved only with an explicit override and its reason, both
recorded (who, when) and shown.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangbo.awards.labels import CATEGORY_LABELS, LEVEL_LABELS
from dangbo.core.paths import PathField
from dangbo.orgs.models import Organisation, Person, Unit

LEVEL_CHOICES = [(k.value, v) for k, v in LEVEL_LABELS.items()]
CATEGORY_CHOICES = [(k.value, v) for k, v in CATEGORY_LABELS.items()]


class AwardType(models.Model):
    """A title (danh hiệu thi đua) or form of award (hình thức khen thưởng) of the catalogue."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=10, choices=CATEGORY_CHOICES)
    level = models.CharField(_("level"), max_length=20, choices=LEVEL_CHOICES)
    for_individuals = models.BooleanField(_("for individuals"), default=False)
    for_collectives = models.BooleanField(_("for collectives"), default=False)
    prerequisites_known = models.BooleanField(_("prerequisites checked by the system"), default=False)
    regulation = models.CharField(_("regulation"), max_length=300)
    effective_from = models.DateField(_("in force from"))
    position = models.PositiveSmallIntegerField(default=0)
    in_force = models.BooleanField(_("in the catalogue in force"), default=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("title or form of award")
        verbose_name_plural = _("titles and forms of award")

    def __str__(self) -> str:
        return self.name


class Subject(models.Model):
    """The one subject of a proposal or an award, with copies of its paths for scoping: a person
    sits where their party organisation and their business unit are."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject_name = models.CharField(_("awarded to"), max_length=300)
    org_path = PathField(max_length=255, blank=True, editable=False)
    unit_path = PathField(max_length=255, blank=True, editable=False)

    PATH_COPIES: tuple[tuple[str, str], ...] = (("party", "org_path"), ("unit", "unit_path"))

    class Meta:
        abstract = True

    @property
    def subject(self) -> Organisation | Unit | Person:
        found = self.person or self.organisation or self.unit
        assert found is not None
        return found

    @property
    def individual(self) -> bool:
        return self.person_id is not None


def _one_subject(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(
            Q(organisation__isnull=False, unit__isnull=True, person__isnull=True)
            | Q(organisation__isnull=True, unit__isnull=False, person__isnull=True)
            | Q(organisation__isnull=True, unit__isnull=True, person__isnull=False)
        ),
        name=name,
    )


class Decision(models.Model):
    """A decision on awards (quyết định khen thưởng), kept in the register of a party organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    org_path = PathField(max_length=255, editable=False)
    number = models.CharField(_("number"), max_length=60)
    signed_on = models.DateField(_("date"))
    issuer = models.CharField(_("issued by"), max_length=300)
    issuer_level = models.CharField(_("level"), max_length=20, choices=LEVEL_CHOICES)
    signer_name = models.CharField(_("signed by"), max_length=150, blank=True)
    signer_post = models.CharField(_("signer's post"), max_length=200, blank=True)
    place = models.CharField(_("place name"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("year of the achievements"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE = (("party", "org_path"),)
    PATH_COPIES = (("party", "org_path"),)

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("award decision")
        verbose_name_plural = _("award decisions")
        indexes = [models.Index(fields=["org_path", "signed_on"], name="award_decision_path_idx")]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number", "signed_on"], name="award_decision_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.issuer})"


class Proposal(Subject):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        REVIEWED = "reviewed", _("Reviewed")
        FAILED = "failed", _("Not approved")
        RAISED = "raised", _("Raised to a higher level")
        DECIDED = "decided", _("Decided")

    award_type = models.ForeignKey(
        AwardType, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("title or form")
    )
    year = models.PositiveSmallIntegerField(_("year of the achievements"))
    proposer_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposer_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    proposer_name = models.CharField(_("proposed by"), max_length=300)
    proposer_path = PathField(max_length=255, blank=True, editable=False)
    proposer_unit_path = PathField(max_length=255, blank=True, editable=False)
    achievements = models.TextField(_("achievements"))
    # The figures entered with the proposal (task rating, initiatives, members' figures …) and the
    # prerequisites not met when it was last checked, as worded then.
    facts = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    override = models.BooleanField(_("submitted although a prerequisite is not met"), default=False)
    override_reason = models.TextField(_("reason for submitting anyway"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    raised_to = models.CharField(_("raised to"), max_length=300, blank=True)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE = (
        ("party", "org_path"),
        ("unit", "unit_path"),
        ("party", "proposer_path"),
        ("unit", "proposer_unit_path"),
    )
    PATH_COPIES = (
        ("party", "org_path"),
        ("unit", "unit_path"),
        ("party", "proposer_path"),
        ("unit", "proposer_unit_path"),
    )

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("award proposal")
        verbose_name_plural = _("award proposals")
        indexes = [
            models.Index(fields=["org_path", "year"], name="award_proposal_org_idx"),
            models.Index(fields=["unit_path", "year"], name="award_proposal_unit_idx"),
            models.Index(fields=["proposer_path", "year"], name="award_proposal_by_idx"),
        ]
        constraints = [
            _one_subject("award_proposal_one_subject"),
            models.CheckConstraint(
                condition=Q(proposer_organisation__isnull=False, proposer_unit__isnull=True)
                | Q(proposer_organisation__isnull=True, proposer_unit__isnull=False),
                name="award_proposal_one_proposer",
            ),
            *(
                models.UniqueConstraint(
                    fields=["award_type", "year", field],
                    condition=Q(**{f"{field}__isnull": False}) & ~Q(status="failed"),
                    name=f"award_proposal_{field}_uniq",
                )
                for field in ("person", "organisation", "unit")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_type} {self.year} — {self.subject_name}"

    @property
    def open(self) -> bool:
        return self.status in (self.Status.PROPOSED, self.Status.REVIEWED, self.Status.RAISED)


class ProposalStep(models.Model):
    """One transition of a proposal: who moved it, when, from which status to which, and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="steps")
    from_status = models.CharField(max_length=10, choices=Proposal.Status.choices, blank=True)
    to_status = models.CharField(_("status"), max_length=10, choices=Proposal.Status.choices)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "at", "pk"]
        verbose_name = _("step of a proposal")
        verbose_name_plural = _("steps of proposals")

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.from_status} → {self.to_status}"


class Award(Subject):
    award_type = models.ForeignKey(
        AwardType, on_delete=models.PROTECT, related_name="awards", verbose_name=_("title or form")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="awards")
    proposal = models.OneToOneField(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="award"
    )
    citation = models.CharField(pgettext_lazy("award citation", "for"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE = (("party", "org_path"), ("unit", "unit_path"))

    class Meta:
        ordering = ["-year", "award_type__position", "subject_name"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        indexes = [
            models.Index(fields=["org_path", "year"], name="award_org_idx"),
            models.Index(fields=["unit_path", "year"], name="award_unit_idx"),
            models.Index(fields=["year", "award_type"], name="award_year_idx"),
        ]
        constraints = [
            _one_subject("award_one_subject"),
            *(
                models.UniqueConstraint(
                    fields=["award_type", "year", field],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"award_{field}_uniq",
                )
                for field in ("person", "organisation", "unit")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_type} {self.year} — {self.subject_name}"
