"""Party organisations and business units (two trees), committee terms, people, positions, roles.

Trees use a materialised path of ancestor ids ("/1/7/42/"): a subtree is one indexed prefix
query, the path can be copied onto rows of other apps for scoping, and a node's path segment is
its own id, so concurrent inserts can never produce the same path. See docs/decisions.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangbo.core.paths import PathField, path_ids
from dangbo.orgs.labels import ORG_KIND_LABELS, ROLE_LABELS, UNIT_KIND_LABELS


class TreeNode(models.Model):
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    # Subtrees are selected with `path__within=…` (see dangbo.core.paths); tests/orgs/test_indexes.py
    # asserts that both databases answer it from an index.
    path = PathField(max_length=255, editable=False)  # unique: see Meta
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    code = models.CharField(_("code"), max_length=30, blank=True)
    search_text = models.CharField(max_length=700, blank=True, editable=False)
    sort_key = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)

    objects = models.Manager()
    SCOPE: tuple[tuple[str, str], ...] = ()

    class Meta:
        abstract = True
        ordering = ["path"]
        # A constraint, not unique=True: that would add a second, pattern-ops index on PostgreSQL,
        # which the C-collated path does not need (dangbo.core.paths).
        constraints = [models.UniqueConstraint(fields=["path"], name="%(app_label)s_%(class)s_path_uniq")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.dissolved_on is None

    def ancestor_ids(self) -> list[int]:
        return path_ids(self.path)[:-1]


class Unit(TreeNode):
    """A business unit: the corporation, its head-office departments, subsidiaries, provincial posts."""

    kind = models.CharField(
        _("kind"), max_length=20, choices=[(k.value, v) for k, v in UNIT_KIND_LABELS.items()]
    )

    SCOPE = (("unit", "path"),)

    class Meta(TreeNode.Meta):
        verbose_name = _("business unit")
        verbose_name_plural = _("business units")


class Organisation(TreeNode):
    """A party organisation: đảng bộ khối … chi bộ."""

    kind = models.CharField(
        _("kind"), max_length=20, choices=[(k.value, v) for k, v in ORG_KIND_LABELS.items()]
    )
    units = models.ManyToManyField(Unit, blank=True, related_name="led_by", verbose_name=_("units led"))
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    # The place name printed before the date on its documents ("Hà Nội, ngày …"); empty: the
    # place of the nearest organisation above that names one (reports.layouts.place_of).
    place = models.CharField(_("place name on documents"), max_length=100, blank=True)

    SCOPE = (("party", "path"),)

    class Meta(TreeNode.Meta):
        verbose_name = _("party organisation")
        verbose_name_plural = _("party organisations")


class CommitteeTerm(models.Model):
    """Nhiệm kỳ: from the day after one congress closes to the day the next one closes."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(_("name"), max_length=50)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    SCOPE = (("party", "organisation__path"),)

    class Meta:
        ordering = ["organisation", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="term_dates_ordered",
            )
        ]
        verbose_name = _("committee term")
        verbose_name_plural = _("committee terms")

    def __str__(self) -> str:
        return f"{self.organisation} — {self.name}"


class Person(models.Model):
    """Anybody the platform knows: a party member or not, with a login or not."""

    class Gender(models.TextChoices):
        MALE = "male", _("male")
        FEMALE = "female", _("female")

    full_name = models.CharField(_("full name"), max_length=150)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("party organisation"),
    )
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        db_index=False,  # partial index in Meta: most people (imported members) have no unit
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("business unit"),
    )
    is_party_member = models.BooleanField(_("party member"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("login"),
    )
    search_text = models.CharField(max_length=300, blank=True, editable=False)
    sort_key = models.CharField(max_length=400, blank=True, editable=False)

    SCOPE = (("party", "organisation__path"), ("unit", "unit__path"))

    class Meta:
        ordering = ["sort_key"]
        # Declared here rather than with db_index=True, which adds a second (pattern-ops) index on
        # PostgreSQL; every index costs an imported row ≈ 1–2 µs (docs/decisions.md).
        indexes = [
            # The id breaks ties between people of the same name (thousands share "Nguyễn Văn An"
            # in a national register), so a first page stops after its rows: no sort of the tie.
            # On PostgreSQL the folded name rides along, so a search that walks the name order
            # tests each name in the index without visiting the table (settings silence W040:
            # SQLite builds the index without it).
            models.Index(fields=["sort_key", "id"], include=["search_text"], name="person_sort_key_idx"),
            # Who crosses an age band boundary on a given day (members.counts, nightly).
            models.Index(fields=["birth_date"], name="person_birth_idx"),
            models.Index(fields=["unit"], name="person_unit_idx", condition=models.Q(unit__isnull=False)),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name


class PersonName(models.Model):
    """Every distinct name given to a person, as its sort key and folded text (see `names.py`).

    A national register has ≈ 1 distinct name per 7 people: a search looks up the names that
    match first (a table 7× smaller, trigram-indexed on PostgreSQL), then the people of those names
    by their sort key. Derived and append-only; `names.prune()` drops names nobody bears any more."""

    sort_key = models.CharField(max_length=400)
    search_text = models.CharField(max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sort_key", "search_text"], name="person_name_uniq")]

    def __str__(self) -> str:
        return self.search_text


class PositionType(models.Model):
    """A post: party (Bí thư, Ủy viên BCH …) or business (Tổng Giám đốc, Thành viên HĐTV …)."""

    class System(models.TextChoices):
        PARTY = "party", _("party post")
        BUSINESS = "business", _("business post")

    code = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=120)
    system = models.CharField(_("system"), max_length=10, choices=System.choices)
    single_holder = models.BooleanField(_("held by one person at a time"), default=False)
    rank = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["system", "rank", "name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.name


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def current(self, on: object = None) -> AppointmentQuerySet:
        day = on or timezone.localdate()
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Appointment(models.Model):
    """A person holding a post in an organisation (party post) or a unit (business post)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appointments")
    position = models.ForeignKey(PositionType, on_delete=models.PROTECT, related_name="appointments")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    term = models.ForeignKey(CommitteeTerm, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    decision_no = models.CharField(_("decision number"), max_length=60, blank=True)

    objects = AppointmentQuerySet.as_manager()
    SCOPE = (("party", "organisation__path"), ("unit", "unit__path"))

    class Meta:
        ordering = ["position__rank", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, unit__isnull=True)
                | Q(organisation__isnull=True, unit__isnull=False),
                name="appointment_in_org_or_unit",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="appointment_dates_ordered",
            ),
        ]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")

    def __str__(self) -> str:
        return f"{self.person} — {self.position} — {self.organisation or self.unit}"

    @property
    def place(self) -> Organisation | Unit | None:
        return self.organisation or self.unit


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def active(self) -> RoleAssignmentQuerySet:
        return self.filter(revoked_at__isnull=True)


class RoleAssignment(models.Model):
    """What a user may do, on an organisation and its whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=[(k.value, v) for k, v in ROLE_LABELS.items()])
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()
    SCOPE = (("party", "organisation__path"),)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_role",
            )
        ]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organisation}"
