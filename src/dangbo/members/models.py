"""Party-member records (2-HSĐV essentials, 7-HSĐV register columns) and their lifecycle events.

Status, admission and full-membership dates are derived by replaying the events through
`dangbo.rules.membership`; they are stored for fast registers and statistics, and rewritten by the
services on every event, never edited by hand.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dangbo.core.paths import PathField
from dangbo.members.labels import EVENT_LABELS, STATUS_LABELS
from dangbo.orgs.models import Organisation, Person

national_id_validator = RegexValidator(r"^[0-9]{12}$", _("A citizen identity number has 12 digits."))


class PartyMember(models.Model):
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="membership")
    # No index of its own: org_path (its copy, with the ancestors) is indexed and serves every lookup.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("party cell"),
        db_index=False,
    )
    org_path = PathField(max_length=255, editable=False)  # copy of organisation.path; indexed in Meta
    status = models.CharField(
        _("status"), max_length=20, choices=[(k.value, v) for k, v in STATUS_LABELS.items()], editable=False
    )
    admitted_on = models.DateField(_("admitted on"), null=True, editable=False)
    probation_started_on = models.DateField(null=True, editable=False)
    full_on = models.DateField(_("full member since"), null=True, editable=False)
    # The admission date moved later by the closed gaps: party age on any day is counted from here.
    party_age_from = models.DateField(null=True, editable=False)
    # The person's folded name, copied here so a search of a subtree reads only member rows — the
    # subtree's rows lie together, its people do not (docs/decisions.md, session 6). No index.
    search_text = models.CharField(max_length=300, blank=True, editable=False)
    card_no = models.CharField(_("party card number"), max_length=20, null=True, blank=True)
    record_no = models.CharField(_("record number"), max_length=20, blank=True)
    badge_no = models.CharField(_("badge number"), max_length=20, blank=True)
    national_id = models.CharField(
        _("citizen identity number"),
        max_length=12,
        null=True,
        blank=True,
        validators=[national_id_validator],
    )
    birth_name = models.CharField(_("birth name"), max_length=150, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=50, blank=True)
    religion = models.CharField(_("religion"), max_length=50, blank=True)
    hometown = models.CharField(_("home town"), max_length=255, blank=True)
    education = models.CharField(_("general education"), max_length=50, blank=True)
    political_theory = models.CharField(_("political theory"), max_length=50, blank=True)
    profession = models.CharField(_("professional qualification"), max_length=150, blank=True)
    languages = models.CharField(_("foreign languages"), max_length=150, blank=True)
    occupation_before = models.CharField(_("occupation before joining"), max_length=150, blank=True)
    occupation_now = models.CharField(_("occupation now"), max_length=150, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    SCOPE = (("party", "org_path"),)
    PATH_COPIES = (("party", "org_path"),)  # rewritten when an organisation moves (core.paths)
    # The register columns a user or an import may set (the rest is derived from the events).
    RECORD_FIELDS = (
        "card_no",
        "record_no",
        "badge_no",
        "national_id",
        "birth_name",
        "ethnicity",
        "religion",
        "hometown",
        "education",
        "political_theory",
        "profession",
        "languages",
        "occupation_before",
        "occupation_now",
        "notes",
    )

    class Meta:
        verbose_name = _("party member")
        verbose_name_plural = _("party members")
        # Unique keys as constraints (unique=True would add pattern-ops twins on PostgreSQL) and one
        # subtree index: each index costs an imported row ≈ 1–2 µs (docs/decisions.md).
        indexes = [
            models.Index(fields=["org_path", "status"], name="member_path_status_idx"),
            # Who crosses a party-age band boundary on a given day (members.counts, nightly).
            models.Index(fields=["party_age_from"], name="member_party_age_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["card_no"], name="member_card_no_uniq"),
            models.UniqueConstraint(fields=["national_id"], name="member_national_id_uniq"),
        ]

    def __str__(self) -> str:
        return str(self.person)

    @property
    def masked_national_id(self) -> str:
        """Lists show only the last three digits."""
        return f"•••••••••{self.national_id[-3:]}" if self.national_id else ""


class MemberEvent(models.Model):
    member = models.ForeignKey(PartyMember, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(
        _("event"), max_length=20, choices=[(k.value, v) for k, v in EVENT_LABELS.items()]
    )
    on = models.DateField(_("date"))
    official = models.BooleanField(_("official (not temporary)"), default=True)
    decision_no = models.CharField(_("decision number"), max_length=60, blank=True)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    other_party = models.CharField(_("from / to"), max_length=255, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    SCOPE = (("party", "member__org_path"),)

    class Meta:
        ordering = ["on", "pk"]
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")

    def __str__(self) -> str:
        return f"{self.member} — {self.get_kind_display()} {self.on:%d/%m/%Y}"


class ImportJob(models.Model):
    """One uploaded register being checked or imported in the background.

    The upload waits in the job's folder (settings.IMPORT_DIR) until the run ends; progress goes to a
    small file beside it, because the import's own transaction keeps its writes invisible (and, on
    SQLite, holds the only write lock) until it commits. The report is kept here once it ends.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("finished")
        FAILED = "failed", _("failed")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(_("file"), max_length=255)
    file_size = models.BigIntegerField(default=0)
    dry_run = models.BooleanField(default=True)
    skip_bad_rows = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    report = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)

    SCOPE = (("party", "organisation__path"),)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return self.file_name

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)


class MemberCount(models.Model):
    """Statistics kept up to date: how many members of each status an organisation's whole subtree
    holds, per value of one dimension (sex, age band, ethnicity …). The root's figures are a few hundred
    rows whatever the number of members. Age and party-age bands are counted as of `CountState.as_of`.
    Written only by `dangbo.members.counts`."""

    # Derived data, recounted as a whole: no foreign-key check per written count (organisations are
    # never deleted, only dissolved).
    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, related_name="+", db_index=False, db_constraint=False
    )
    org_path = PathField(max_length=255, editable=False)
    status = models.CharField(max_length=20)
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=150, blank=True)
    n = models.PositiveIntegerField()

    SCOPE = (("party", "org_path"),)
    PATH_COPIES = (("party", "org_path"),)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "status", "dimension", "value"], name="member_count_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.status} {self.dimension}={self.value}: {self.n}"


class CountState(models.Model):
    """One row: the day the age bands of `MemberCount` are counted for; its row lock serialises
    every rewrite of the counts."""

    as_of = models.DateField(null=True)

    def __str__(self) -> str:
        return f"{self.as_of}"


class BadgeAward(models.Model):
    """A Party badge (Huy hiệu Đảng) awarded to a member: the milestone, the ceremony day and the
    decision. One per member and milestone; the candidates list leaves out those already awarded."""

    member = models.ForeignKey(PartyMember, on_delete=models.PROTECT, related_name="badges")
    years = models.PositiveSmallIntegerField(_("badge (years of party age)"))
    awarded_on = models.DateField(_("awarded on"))
    decision_no = models.CharField(_("decision number"), max_length=60)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE = (("party", "member__org_path"),)

    class Meta:
        ordering = ["awarded_on", "pk"]
        verbose_name = _("Party badge awarded")
        verbose_name_plural = _("Party badges awarded")
        constraints = [models.UniqueConstraint(fields=["member", "years"], name="badge_once_per_milestone")]

    def __str__(self) -> str:
        return f"{self.member} — {self.years} năm ({self.awarded_on:%d/%m/%Y})"
