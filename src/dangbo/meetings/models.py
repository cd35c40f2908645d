"""Meetings of party organisations, who was summoned and came, the votes taken, and the minutes.

A `Meeting` belongs to one organisation (a cell's own meeting, its committee's, a congress …). The
people summoned are `Attendee` rows, written when the meeting is planned (every member in activity
of a cell, the committee for a committee meeting) and completed with guests; their presence is
recorded on the day. `Vote` rows keep a show of hands with the figures the result was computed from.
`Minutes` are drafted, signed by the chair and the secretary, and then *sealed*: the content hash of
the minutes, the attendance, the agenda and the votes goes into the audit chain, database triggers
refuse any later UPDATE or DELETE of the sealed rows, and `dangbo audit verify` recomputes every
sealed hash. A correction is an appended, signed `MinutesAddendum`, itself sealed. See
docs/decisions.md, "Meetings and sealed minutes".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangbo.core.paths import PathField
from dangbo.meetings.labels import KIND_LABELS, MATTER_LABELS, PRESENCE_LABELS, VOTE_RULE_LABELS
from dangbo.orgs.models import Organisation, Person
from dangbo.rules.meetings import Presence


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("organisation"),
        db_index=False,  # org_path (its copy) is indexed
    )
    org_path = PathField(max_length=255, editable=False)
    kind = models.CharField(
        _("kind of meeting"), max_length=20, choices=[(k.value, v) for k, v in KIND_LABELS.items()]
    )
    title = models.CharField(_("title"), max_length=300)
    topic = models.CharField(_("theme"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    online_url = models.URLField(_("online meeting link"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    chair = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("chair")
    )
    secretary = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("minutes secretary"),
    )
    notes = models.TextField(_("notes"), blank=True)
    # When the invitations (with the documents) were sent: "documents sent ahead on time".
    invited_at = models.DateTimeField(_("invitations sent"), null=True, blank=True, editable=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    # Folded title, theme, place and minutes text (rules.vietnamese.fold): accent-insensitive search.
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE = (("party", "org_path"),)
    PATH_COPIES = (("party", "org_path"),)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["org_path", "starts_at"], name="meeting_path_start_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("agenda item"), max_length=500)
    presenter = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("presenter")
    )
    presenter_name = models.CharField(_("presented by"), max_length=200, blank=True)
    documents = models.ManyToManyField(
        "documents.Document", blank=True, related_name="agenda_items", verbose_name=_("documents")
    )

    SCOPE = (("party", "meeting__org_path"),)

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_uniq")]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class Attendee(models.Model):
    """A person summoned to a meeting (a member of the body, counted in its quorum) or a guest."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendees")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The name as invited (a guest from outside may have no record), and their post for the minutes.
    name = models.CharField(_("full name"), max_length=150)
    post = models.CharField(_("post"), max_length=200, blank=True)
    counted = models.BooleanField(_("member of the meeting"), default=True)  # False: a guest
    voting = models.BooleanField(_("votes"), default=False)  # a full member of the body
    presence = models.CharField(
        _("attendance"),
        max_length=10,
        choices=[(k.value, v) for k, v in PRESENCE_LABELS.items()],
        default=Presence.INVITED.value,
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Absent with a reason the cell committee (chi ủy) agreed to: only then is a full member left out
    # of a vote's denominator (rules.meetings.voters_count). False for any other presence.
    absence_approved = models.BooleanField(_("absence approved by the committee"), default=False)
    recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    sort_key = models.CharField(max_length=400, blank=True, editable=False)

    SCOPE = (("party", "meeting__org_path"),)

    class Meta:
        ordering = ["meeting", "-counted", "sort_key", "pk"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], condition=Q(person__isnull=False), name="attendee_person_uniq"
            ),
            models.CheckConstraint(
                condition=Q(counted=True) | Q(voting=False), name="attendee_guest_no_vote"
            ),
        ]
        indexes = [models.Index(fields=["person", "meeting"], name="attendee_person_idx")]

    def __str__(self) -> str:
        return self.name


class RollChange(models.Model):
    """A change to who is summoned to a meeting not yet held, made because the cell's membership
    changed (services.roll_follow): shown on the meeting's page as "Đã thêm đồng chí …"."""

    class Change(models.TextChoices):
        ADDED = "added", pgettext_lazy("roll change", "added")
        REMOVED = "removed", pgettext_lazy("roll change", "removed")
        VOTING = "voting", pgettext_lazy("roll change", "now votes")
        NOT_VOTING = "not_voting", pgettext_lazy("roll change", "no longer votes")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="roll_changes")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("full name"), max_length=150)
    change = models.CharField(pgettext_lazy("roll change", "change"), max_length=10, choices=Change.choices)
    # The member's event behind the change (rules.membership.EventKind) and its day, when known.
    event = models.CharField(max_length=20, blank=True)
    on = models.DateField(null=True, blank=True)
    at = models.DateTimeField()
    # An addition: the invitation was sent (again) since, so the person added was told.
    invited = models.BooleanField(default=False)

    SCOPE = (("party", "meeting__org_path"),)

    class Meta:
        ordering = ["meeting", "at", "pk"]
        verbose_name = _("change to the people summoned")
        verbose_name_plural = _("changes to the people summoned")

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.change} {self.name}"


class Vote(models.Model):
    """A show of hands: the rule it had to meet, the figures, and the result computed from them."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="votes")
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="votes",
        verbose_name=_("agenda item"),
    )
    subject = models.CharField(_("matter voted on"), max_length=500)
    matter = models.CharField(
        _("kind of matter"), max_length=20, choices=[(k.value, v) for k, v in MATTER_LABELS.items()]
    )
    rule = models.CharField(
        _("required majority"), max_length=12, choices=[(k.value, v) for k, v in VOTE_RULE_LABELS.items()]
    )
    voters = models.PositiveSmallIntegerField(_("voting members"))
    present = models.PositiveSmallIntegerField(_("voting members present"))
    yes = models.PositiveSmallIntegerField(_("for"))
    no = models.PositiveSmallIntegerField(_("against"))
    abstain = models.PositiveSmallIntegerField(_("abstaining"))
    required = models.PositiveSmallIntegerField(_("votes required"), editable=False)
    passed = models.BooleanField(_("passed"), editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    SCOPE = (("party", "meeting__org_path"),)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.CheckConstraint(
                condition=Q(present__lte=models.F("voters")), name="vote_present_le_voters"
            ),
            models.CheckConstraint(
                condition=Q(present__gte=models.F("yes") + models.F("no") + models.F("abstain")),
                name="vote_hands_le_present",
            ),
        ]

    def __str__(self) -> str:
        return self.subject


class Minutes(models.Model):
    """Biên bản: structured fields and free text; draft → signed by chair and secretary → sealed."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    # The names as they stand in the minutes (a person's record may be corrected later).
    chair_name = models.CharField(_("chair"), max_length=150, blank=True)
    secretary_name = models.CharField(_("minutes secretary"), max_length=150, blank=True)
    proceedings = models.TextField(_("proceedings"), blank=True)
    discussion = models.TextField(_("opinions expressed"), blank=True)
    conclusions = models.TextField(_("conclusions and resolutions"), blank=True)
    # A signature attests the content hash it saw; the minutes are sealed when both attest the same.
    chair_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chair_signed_at = models.DateTimeField(null=True, blank=True)
    chair_signed_hash = models.CharField(max_length=64, blank=True)
    secretary_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    secretary_signed_at = models.DateTimeField(null=True, blank=True)
    secretary_signed_hash = models.CharField(max_length=64, blank=True)
    sealed_at = models.DateTimeField(null=True, blank=True, editable=False)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    SCOPE = (("party", "meeting__org_path"),)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=Q(sealed_at__isnull=True) | ~Q(content_hash=""), name="minutes_sealed_has_hash"
            )
        ]

    def __str__(self) -> str:
        return str(self.meeting)

    @property
    def sealed(self) -> bool:
        return self.sealed_at is not None

    def signatory(self, capacity: str) -> str:
        """The name printed for the chair's (`capacity` "chair") or the secretary's signature: once
        somebody signed, the person linked to the login that signed (`<capacity>_signed_by`), never
        a name copied into the draft; before that, the name the draft gives (the meeting's chair or
        secretary, which no longer change once the meeting is held). Read with SIGNATORIES
        select_related, it costs no query."""
        user = getattr(self, f"{capacity}_signed_by")
        person = getattr(user, "person", None) if user is not None else None
        if person is not None:
            return str(person.full_name)
        return str(getattr(self, f"{capacity}_name"))

    @property
    def chair_signatory(self) -> str:
        return self.signatory("chair")

    @property
    def secretary_signatory(self) -> str:
        return self.signatory("secretary")


# What `Minutes.signatory` reads: select_related(*SIGNATORIES) on a Minutes query.
SIGNATORIES = ("chair_signed_by__person", "secretary_signed_by__person")


class MinutesAddendum(models.Model):
    """A dated, signed correction appended to sealed minutes; sealed when written."""

    class Capacity(models.TextChoices):
        CHAIR = "chair", _("chair")
        SECRETARY = "secretary", _("minutes secretary")

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="addenda")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("correction"))
    reason = models.CharField(_("reason"), max_length=500)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signer_name = models.CharField(_("signed by"), max_length=150)
    capacity = models.CharField(_("as"), max_length=10, choices=Capacity.choices)
    signed_at = models.DateTimeField(_("signed at"))
    content_hash = models.CharField(max_length=64, editable=False)

    SCOPE = (("party", "minutes__meeting__org_path"),)

    class Meta:
        ordering = ["minutes", "number"]
        verbose_name = _("correction to minutes")
        verbose_name_plural = _("corrections to minutes")
        constraints = [models.UniqueConstraint(fields=["minutes", "number"], name="addendum_number_uniq")]

    def __str__(self) -> str:
        return f"{self.minutes} — {self.number}"
