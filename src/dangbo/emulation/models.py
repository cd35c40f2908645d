"""Emulation movements (phong trào thi đua), their models (mô hình), criteria sets, registrations and
scores.

A `CriteriaSet` is reusable and versioned: drafted, then *published* (from then on frozen; a change is
a new version). Its `Criterion` rows form a tree by dotted code ("1", "1.2"): mandatory criteria are
pass/fail, scored ones have a maximum and a step; the top-level maxima add up to the set's total (100).

A `Movement` is organised by a party organisation; its `MovementModel`s each use one published
criteria set. Organisations of the tree, business units (the 63 provincial post offices, whose party
organisations are outside the tree) and persons register for a model; the council approves or
rejects. Each unit scores itself per criterion with evidence (`Score`, kind self); every council
member scores independently (kind council; never a unit they belong to). Closing the round computes
the final scores by the movement's rule, stores them, puts the content hash of every score into the
audit chain, and from then on database triggers refuse any change to the scores (migration 0002).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dangbo.core.paths import PathField
from dangbo.orgs.models import Organisation, Person, Unit


class CriteriaSet(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issuing organisation"),
        db_index=False,
    )
    org_path = PathField(max_length=255, editable=False)
    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    total = models.DecimalField(_("total points"), default=Decimal(100), max_digits=6, decimal_places=2)
    default_step = models.DecimalField(
        _("scoring step"), default=Decimal("0.25"), max_digits=6, decimal_places=2
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE = (("party", "org_path"),)
    PATH_COPIES = (("party", "org_path"),)

    class Meta:
        ordering = ["name", "-version"]
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        indexes = [models.Index(fields=["org_path"], name="criteriaset_path_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code", "version"], name="criteriaset_version_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"

    @property
    def published(self) -> bool:
        return self.published_at is not None


class Criterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveSmallIntegerField()
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("criterion"), max_length=500)
    guidance = models.TextField(_("scoring guidance"), blank=True)
    mandatory = models.BooleanField(_("mandatory (pass/fail)"), default=False)
    max_points = models.DecimalField(
        _("maximum points"), null=True, blank=True, max_digits=6, decimal_places=2
    )
    step = models.DecimalField(_("step"), null=True, blank=True, max_digits=6, decimal_places=2)

    SCOPE = (("party", "criteria_set__org_path"),)

    class Meta:
        ordering = ["criteria_set", "position"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code_uniq"),
            models.UniqueConstraint(fields=["criteria_set", "position"], name="criterion_position_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def depth(self) -> int:
        return self.code.count(".")


class Movement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REGISTRATION = "registration", _("Open for registration")
        SCORING = "scoring", _("Scoring")
        CLOSED = "closed", _("Scores locked")
        PUBLISHED = "published", _("Results published")

    class Aggregation(models.TextChoices):
        MEAN = "mean", _("Mean of the council's scores")
        TRIMMED = "trimmed_mean", _("Mean without the highest and the lowest score")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser"), db_index=False
    )
    org_path = PathField(max_length=255, editable=False)
    name = models.CharField(_("name"), max_length=300)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    goals = models.TextField(_("goals"), blank=True)
    aggregation = models.CharField(
        _("final score"), max_length=20, choices=Aggregation.choices, default=Aggregation.MEAN
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Who may take part: organisations of the tree (with their subtrees) and business units.
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("participating organisations")
    )
    units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("participating units"))
    search_text = models.TextField(blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE = (("party", "org_path"),)
    PATH_COPIES = (("party", "org_path"),)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("emulation movement")
        verbose_name_plural = _("emulation movements")
        indexes = [models.Index(fields=["org_path", "starts_on"], name="movement_path_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="movement_ends_after"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def locked(self) -> bool:
        return self.status in (self.Status.CLOSED, self.Status.PUBLISHED)


class MovementModel(models.Model):
    """A model (mô hình) of a movement: its field, goal, resources, outputs, tier and criteria set."""

    class Field(models.TextChoices):
        ECONOMY = "economy", _("Economy")
        SOCIETY = "society", _("Culture and society")
        DEFENCE = "defence", _("Defence and security")
        POLITICS = "politics", _("Building the political system")

    class Tier(models.TextChoices):
        GRASSROOTS = "grassroots", _("Grassroots")
        DISTRICT = "district", _("District")
        PROVINCE = "province", _("Province")

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="models")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("model"), max_length=400)
    field = models.CharField(_("field of work"), max_length=20, choices=Field.choices)
    tier = models.CharField(_("tier"), max_length=20, choices=Tier.choices, default=Tier.GRASSROOTS)
    goal = models.TextField(_("goal"), blank=True)
    resources = models.TextField(_("resources"), blank=True)
    outputs = models.TextField(_("expected results"), blank=True)
    for_collectives = models.BooleanField(_("collectives may register"), default=True)
    for_individuals = models.BooleanField(_("individuals may register"), default=False)
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.PROTECT, related_name="models", verbose_name=_("criteria set")
    )

    SCOPE = (("party", "movement__org_path"),)

    class Meta:
        ordering = ["movement", "position"]
        verbose_name = _("model")
        verbose_name_plural = _("models")
        constraints = [
            models.UniqueConstraint(fields=["movement", "position"], name="movement_model_pos_uniq")
        ]

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    """A member of the movement's council (hội đồng): scores every approved registration except those
    of the organisations and units they belong to."""

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="council")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=150)
    post = models.CharField(_("post"), max_length=200, blank=True)
    chair = models.BooleanField(_("chair of the council"), default=False)

    SCOPE = (("party", "movement__org_path"),)

    class Meta:
        ordering = ["movement", "-chair", "pk"]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        constraints = [models.UniqueConstraint(fields=["movement", "user"], name="council_member_uniq")]

    def __str__(self) -> str:
        return self.name


class Delegate(models.Model):
    """A user who acts for a participating business unit outside the tree (registers and scores
    itself): the provincial post offices' emulation officers."""

    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="delegates")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    SCOPE = (("party", "movement__org_path"),)

    class Meta:
        verbose_name = _("unit delegate")
        verbose_name_plural = _("unit delegates")
        constraints = [models.UniqueConstraint(fields=["movement", "unit", "user"], name="delegate_uniq")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.user_id}"


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    model = models.ForeignKey(MovementModel, on_delete=models.PROTECT, related_name="registrations")
    movement = models.ForeignKey(
        Movement, on_delete=models.PROTECT, related_name="registrations", editable=False
    )
    # The one subject: an organisation of the tree, a business unit, or a person.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    subject_name = models.CharField(_("registered by"), max_length=300)
    subject_path = PathField(max_length=255, blank=True, editable=False)  # org or unit path (person: org)
    plan = models.TextField(_("plan and commitments"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Filled when the round closes.
    self_total = models.DecimalField(null=True, blank=True, editable=False, max_digits=6, decimal_places=2)
    final_score = models.DecimalField(
        _("final score"), null=True, blank=True, editable=False, max_digits=6, decimal_places=2
    )
    passed_mandatory = models.BooleanField(null=True, editable=False)
    rank = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # An exemplar the council recognised (điển hình), with what others can learn from it.
    exemplar = models.BooleanField(_("recognised exemplar"), default=False)
    exemplar_story = models.TextField(_("what others can learn"), blank=True)

    SCOPE = (("party", "movement__org_path"),)

    class Meta:
        ordering = ["model", "subject_name", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organisation__isnull=False, unit__isnull=True, person__isnull=True)
                    | Q(organisation__isnull=True, unit__isnull=False, person__isnull=True)
                    | Q(organisation__isnull=True, unit__isnull=True, person__isnull=False)
                ),
                name="registration_one_subject",
            ),
            models.UniqueConstraint(
                fields=["model", "organisation"],
                condition=Q(organisation__isnull=False),
                name="registration_org_uniq",
            ),
            models.UniqueConstraint(
                fields=["model", "unit"], condition=Q(unit__isnull=False), name="registration_unit_uniq"
            ),
            models.UniqueConstraint(
                fields=["model", "person"], condition=Q(person__isnull=False), name="registration_person_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_name} — {self.model}"


class Score(models.Model):
    class Kind(models.TextChoices):
        SELF = "self", _("Self-score")
        COUNCIL = "council", _("Council score")

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="scores")
    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="+", editable=False)
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    council_member = models.ForeignKey(
        CouncilMember, null=True, blank=True, on_delete=models.PROTECT, related_name="scores"
    )
    points = models.DecimalField(_("points"), null=True, blank=True, max_digits=6, decimal_places=2)
    passed = models.BooleanField(_("met"), null=True)  # mandatory criteria
    evidence = models.TextField(_("evidence"), blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE = (("party", "movement__org_path"),)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "criterion"], condition=Q(kind="self"), name="score_self_uniq"
            ),
            models.UniqueConstraint(
                fields=["registration", "criterion", "council_member"],
                condition=Q(kind="council"),
                name="score_council_uniq",
            ),
            models.CheckConstraint(
                condition=Q(kind="self", council_member__isnull=True)
                | Q(kind="council", council_member__isnull=False),
                name="score_kind_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.criterion_id}: {self.points}"


class Result(models.Model):
    """The final score of one criterion for one registration, computed when the round closes."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="results")
    movement = models.ForeignKey(Movement, on_delete=models.PROTECT, related_name="+", editable=False)
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    self_points = models.DecimalField(null=True, blank=True, max_digits=6, decimal_places=2)
    points = models.DecimalField(null=True, blank=True, max_digits=6, decimal_places=2)
    passed = models.BooleanField(null=True)
    scorers = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["registration", "criterion"], name="result_uniq")]

    def __str__(self) -> str:
        return f"{self.registration_id} {self.criterion_id}: {self.points}"
