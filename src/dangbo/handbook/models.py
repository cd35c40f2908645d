"""The member's handbook (Sổ tay đảng viên): what the platform tells a member and what a member
keeps or sends.

`Notification` rows are the in-app messages (an invitation, a cancelled meeting, minutes to sign, an
answer); each may also have gone out by e-mail. `Bookmark` and `Note` are private to their owner.
`Opinion` (góp ý) is sent by a member to the committee: the sender and the committee office above
the sender's cell see it and its answer. `CorrectionRequest` asks whoever keeps the member's record
to correct a field of it; the record itself is changed only through the members app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangbo.core.paths import PathField
from dangbo.members.models import PartyMember
from dangbo.orgs.models import Organisation


class Notification(models.Model):
    class Kind(models.TextChoices):
        MEETING_INVITE = "meeting_invite", _("Meeting invitation")
        MEETING_CHANGE = "meeting_change", _("Meeting changed")
        MEETING_CANCEL = "meeting_cancel", _("Meeting cancelled")
        MINUTES_SIGN = "minutes_sign", _("Minutes to sign")
        OPINION = "opinion", _("Opinion received")
        OPINION_ANSWER = "opinion_answer", _("Answer to an opinion")
        CORRECTION = "correction", _("Record correction requested")
        CORRECTION_ANSWER = "correction_answer", _("Answer to a correction request")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_idx"),
            models.Index(fields=["user"], name="notification_unread_idx", condition=Q(read_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.title


class Bookmark(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks", db_index=False
    )
    url = models.CharField(max_length=500)
    title = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "url"], name="bookmark_once")]

    def __str__(self) -> str:
        return self.title


class Note(models.Model):
    """A private note of its owner, about a meeting or on its own. Nobody else reads it (the audit
    chain records that a note was written, never its text)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="handbook_notes", db_index=False
    )
    title = models.CharField(pgettext_lazy("note", "title"), max_length=200, blank=True)
    text = models.TextField(_("note"))
    meeting = models.ForeignKey(
        "meetings.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["user", "-updated_at"], name="note_user_idx")]

    def __str__(self) -> str:
        return self.title or self.text[:50]


class Opinion(models.Model):
    """A member's opinion (góp ý) to the committee, and its answer."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        RECEIVED = "received", _("Being considered")
        ANSWERED = "answered", _("Answered")

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opinions", db_index=False
    )
    sender_name = models.CharField(max_length=150)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", db_index=False
    )  # the sender's cell when sent
    org_path = PathField(max_length=255, editable=False)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("opinion"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answerer_name = models.CharField(max_length=150, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    SCOPE = (("party", "org_path"),)
    PATH_COPIES = (("party", "org_path"),)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["sender", "-created_at"], name="opinion_sender_idx"),
            models.Index(fields=["org_path", "status"], name="opinion_path_idx"),
        ]

    def __str__(self) -> str:
        return self.subject


class CorrectionRequest(models.Model):
    """A member asks the keepers of their record to correct one field of it."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        DONE = "done", _("Corrected")
        REFUSED = "refused", _("Not corrected")

    member = models.ForeignKey(PartyMember, on_delete=models.PROTECT, related_name="correction_requests")
    org_path = PathField(max_length=255, editable=False)  # the member's cell when asked
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    field = models.CharField(_("field"), max_length=40)
    current_value = models.CharField(max_length=300, blank=True)
    requested_value = models.CharField(_("correct value"), max_length=300)
    reason = models.CharField(_("reason or evidence"), max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    answer = models.CharField(_("answer"), max_length=500, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    SCOPE = (("party", "org_path"),)
    PATH_COPIES = (("party", "org_path"),)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["org_path", "status"], name="correction_path_idx")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.field}"
