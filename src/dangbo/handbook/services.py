"""The handbook's writes: notifications (in the app and by e-mail), bookmarks, private notes, opinions
(góp ý) and their answers, requests to correct one's record.

Services take the acting user first. Each write that is a member's or an office's act is recorded in
the audit chain (private notes without their text); notifications are the platform's own messages,
written as a consequence of an audited act, and are not recorded again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core import audit
from dangbo.core.names import user_name
from dangbo.core.scoping import allowed, holders
from dangbo.documents.study import member_of
from dangbo.handbook.models import Bookmark, CorrectionRequest, Note, Notification, Opinion
from dangbo.members.models import PartyMember
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import format_date, one_line, running_text

TEXT_LIMIT = 10_000
NOTES_PER_USER = 2_000
BOOKMARKS_PER_USER = 500


# --- Notifications -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def notify(
    users: Iterable[Any],
    *,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
    attachment: Attachment | None = None,
) -> list[Notification]:
    """Tell each user (once, whatever duplicates `users` holds) in the app and, with `email`, by
    e-mail to those who have an address. The e-mails leave after the caller's transaction commits
    (a refused write sends nothing); a failure to send is logged by Django, the notification stays."""
    now = timezone.now()
    unique = {user.pk: user for user in users if user is not None and user.is_active}
    notifications = Notification.objects.bulk_create(
        Notification(user=user, kind=kind, title=title[:300], body=body, url=url[:500], created_at=now)
        for user in unique.values()
    )
    if email:
        by_pk = {n.user_id: n for n in notifications}
        recipients = [(user.email, by_pk[user.pk]) for user in unique.values() if user.email]
        if recipients:
            transaction.on_commit(lambda: _send(recipients, title, body, url, attachment))
    return notifications


def _absolute(url: str) -> str:
    base = settings.SITE_URL.rstrip("/")
    return f"{base}{url}" if base and url.startswith("/") else url


def _send(
    recipients: Sequence[tuple[str, Notification]],
    title: str,
    body: str,
    url: str,
    attachment: Attachment | None,
) -> None:
    text = body + (f"\n\n{_absolute(url)}" if url else "")
    messages = []
    for address, _notification in recipients:
        message = EmailMessage(subject=title, body=text, to=[address])
        if attachment is not None:
            message.attach(attachment.filename, attachment.content, attachment.mimetype)
        messages.append(message)
    sent = get_connection(fail_silently=True).send_messages(messages) or 0
    if sent:
        Notification.objects.filter(pk__in=[n.pk for _a, n in recipients]).update(emailed_at=timezone.now())


def mark_read(user: Any, notification_ids: Sequence[int] | None = None) -> int:
    """Mark the user's notifications read (all when no ids are given): how many were unread."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


# --- Bookmarks and private notes -----------------------------------------------------------------


def _local_url(url: str) -> str:
    url = url.strip()
    if not url.startswith("/") or url.startswith("//") or len(url) > 500:
        raise ValidationError({"url": _("Only a page of this site can be bookmarked.")})
    return url


@transaction.atomic
def bookmark_toggle(*, actor: Any, url: str, title: str) -> Bookmark | None:
    """Bookmark a page of the site for oneself, or remove the bookmark if it is there: the bookmark,
    or None once removed."""
    url = _local_url(url)
    existing = Bookmark.objects.filter(user=actor, url=url).first()
    if existing is not None:
        audit.record(actor=actor, action="handbook.bookmark_remove", instance=existing, before={"url": url})
        existing.delete()
        return None
    if Bookmark.objects.filter(user=actor).count() >= BOOKMARKS_PER_USER:
        raise ValidationError(
            {"url": _("You already have %(n)s bookmarks: remove some first.") % {"n": BOOKMARKS_PER_USER}}
        )
    bookmark = Bookmark.objects.create(user=actor, url=url, title=one_line(title)[:300] or url)
    audit.record(actor=actor, action="handbook.bookmark_add", instance=bookmark, after={"url": url})
    return bookmark


@transaction.atomic
def note_save(
    *, actor: Any, text: str, title: str = "", note: Note | None = None, meeting: Any = None
) -> Note:
    """Write a private note (or change one's own). The audit chain records that it was written, not
    what it says."""
    if note is not None and note.user_id != actor.pk:
        raise PermissionDenied
    text, title = running_text(text), one_line(title)
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Write the note.")
    elif len(text) > TEXT_LIMIT:
        errors["text"] = _("Longer than %(n)s characters.") % {"n": "10.000"}
    if len(title) > 200:
        errors["title"] = _("Longer than %(n)s characters.") % {"n": 200}
    if note is None and Note.objects.filter(user=actor).count() >= NOTES_PER_USER:
        errors["text"] = _("You already have %(n)s notes: remove some first.") % {"n": "2.000"}
    if errors:
        raise ValidationError(errors)
    note = note or Note(user=actor, meeting=meeting)
    note.title, note.text = title, text
    note.save()
    audit.record(actor=actor, action="handbook.note_save", instance=note, after={"length": len(text)})
    return note


@transaction.atomic
def note_delete(*, actor: Any, note: Note) -> None:
    if note.user_id != actor.pk:
        raise PermissionDenied
    audit.record(actor=actor, action="handbook.note_delete", instance=note)
    note.delete()


# --- Opinions (góp ý) ----------------------------------------------------------------------------


@transaction.atomic
def opinion_send(*, actor: Any, subject: str, text: str) -> Opinion:
    """A member sends an opinion to the committee: the committee office above the member's cell is
    told (in the app and by e-mail) and answers it."""
    member = member_of(actor)
    subject, text = one_line(subject), running_text(text)
    errors: dict[str, str] = {}
    if member is None:
        errors["subject"] = _(
            "Your login is not linked to a party member record: ask the committee office to link it."
        )
    if not subject:
        errors["subject"] = errors.get("subject") or _("Write the subject.")
    elif len(subject) > 200:
        errors["subject"] = _("Longer than %(n)s characters.") % {"n": 200}
    if not text:
        errors["text"] = _("Write your opinion.")
    elif len(text) > TEXT_LIMIT:
        errors["text"] = _("Longer than %(n)s characters.") % {"n": "10.000"}
    if errors:
        raise ValidationError(errors)
    assert member is not None
    opinion = Opinion.objects.create(
        sender=actor,
        sender_name=member.person.full_name,
        organisation=member.organisation,
        org_path=member.organisation.path,
        subject=subject,
        text=text,
        created_at=timezone.now(),
    )
    audit.record(actor=actor, action="opinion.send", instance=opinion, after=audit.snapshot(opinion))
    from django.urls import reverse

    notify(
        holders(Perm.OPINION_ANSWER, opinion.org_path).exclude(pk=actor.pk),
        kind=Notification.Kind.OPINION,
        title=_("Opinion from %(name)s (%(org)s): %(subject)s")
        % {"name": opinion.sender_name, "org": member.organisation.name, "subject": subject},
        body=text,
        url=reverse("handbook:opinion", args=[opinion.pk]),
    )
    return opinion


def can_answer(actor: Any, opinion: Opinion) -> bool:
    return (
        actor is not None and actor.pk != opinion.sender_id and allowed(actor, Perm.OPINION_ANSWER, opinion)
    )


@transaction.atomic
def opinion_receive(*, actor: Any, opinion: Opinion) -> Opinion:
    """The office takes the opinion up ("being considered"): the sender sees it."""
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if not can_answer(actor, opinion):
        raise PermissionDenied
    if opinion.status != Opinion.Status.SENT:
        raise ValidationError({"status": _("This opinion is already being considered or answered.")})
    before = audit.snapshot(opinion)
    opinion.status = Opinion.Status.RECEIVED
    opinion.save(update_fields=["status"])
    audit.record(
        actor=actor, action="opinion.receive", instance=opinion, before=before, after=audit.snapshot(opinion)
    )
    return opinion


@transaction.atomic
def opinion_answer(*, actor: Any, opinion: Opinion, answer: str) -> Opinion:
    """The office answers: the sender is told. An answer once given is final (a further answer is a
    new exchange)."""
    opinion = Opinion.objects.select_for_update().get(pk=opinion.pk)
    if not can_answer(actor, opinion):
        raise PermissionDenied
    answer = running_text(answer)
    errors: dict[str, str] = {}
    if opinion.status == Opinion.Status.ANSWERED:
        errors["answer"] = _("This opinion was already answered on %(date)s.") % {
            "date": format_date(timezone.localtime(opinion.answered_at).date())  # type: ignore[arg-type]
        }
    elif not answer:
        errors["answer"] = _("Write the answer.")
    elif len(answer) > TEXT_LIMIT:
        errors["answer"] = _("Longer than %(n)s characters.") % {"n": "10.000"}
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(opinion)
    person = getattr(actor, "person", None)
    opinion.status, opinion.answer = Opinion.Status.ANSWERED, answer
    opinion.answered_by, opinion.answered_at = actor, timezone.now()
    opinion.answerer_name = person.full_name if person is not None else user_name(actor)
    opinion.save()
    audit.record(
        actor=actor, action="opinion.answer", instance=opinion, before=before, after=audit.snapshot(opinion)
    )
    from django.urls import reverse

    notify(
        [opinion.sender],
        kind=Notification.Kind.OPINION_ANSWER,
        title=_("Your opinion “%(subject)s” was answered") % {"subject": opinion.subject},
        body=answer,
        url=reverse("handbook:opinion", args=[opinion.pk]),
    )
    return opinion


# --- Requests to correct one's record ------------------------------------------------------------

# The fields of the record a member may ask to correct, with how the current value is read.
CORRECTABLE = (
    "full_name",
    "birth_date",
    "gender",
    "birth_name",
    "hometown",
    "ethnicity",
    "religion",
    "education",
    "political_theory",
    "profession",
    "languages",
    "occupation_now",
    "phone",
    "email",
    "admitted_on",
    "full_on",
    "card_no",
    "other",
)


def field_labels() -> dict[str, str]:
    return {
        "full_name": _("Full name"),
        "birth_date": _("Date of birth"),
        "gender": _("Gender"),
        "birth_name": _("Birth name"),
        "hometown": _("Home town"),
        "ethnicity": _("Ethnicity"),
        "religion": _("Religion"),
        "education": _("General education"),
        "political_theory": _("Political theory"),
        "profession": _("Professional qualification"),
        "languages": _("Foreign languages"),
        "occupation_now": _("Occupation now"),
        "phone": _("Phone"),
        "email": _("E-mail"),
        "admitted_on": _("Admitted on"),
        "full_on": _("Full member since"),
        "card_no": _("Party card number"),
        "other": _("Something else"),
    }


def current_value(member: PartyMember, field: str) -> str:
    person = member.person
    value: Any
    if field in ("full_name", "birth_date", "gender", "phone", "email"):
        value = getattr(person, field, "")
        if field == "gender":
            value = person.get_gender_display() if person.gender else ""
    elif field == "other":
        value = ""
    else:
        value = getattr(member, field, "")
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value or "")


@transaction.atomic
def correction_request(
    *, actor: Any, field: str, requested_value: str, reason: str = ""
) -> CorrectionRequest:
    """A member asks to correct one field of their record; whoever keeps it (the cell's secretary,
    the committee office) is told and corrects the record through the members pages."""
    member = member_of(actor)
    requested_value, reason = one_line(requested_value), one_line(reason)
    errors: dict[str, str] = {}
    if member is None:
        errors["field"] = _(
            "Your login is not linked to a party member record: ask the committee office to link it."
        )
    if field not in CORRECTABLE:
        errors["field"] = _("Choose the field to correct.")
    if not requested_value:
        errors["requested_value"] = _("Write the correct value.")
    elif len(requested_value) > 300:
        errors["requested_value"] = _("Longer than %(n)s characters.") % {"n": 300}
    if len(reason) > 500:
        errors["reason"] = _("Longer than %(n)s characters.") % {"n": 500}
    if not errors and member is not None:
        current = current_value(member, field)
        if field != "other" and current and current == requested_value:
            errors["requested_value"] = _("This is what the record already says.")
        elif CorrectionRequest.objects.filter(
            member=member, field=field, status=CorrectionRequest.Status.SENT
        ).exists():
            errors["field"] = _("You already asked to correct this field: wait for the answer.")
    if errors:
        raise ValidationError(errors)
    assert member is not None
    request = CorrectionRequest.objects.create(
        member=member,
        org_path=member.organisation.path,
        requested_by=actor,
        field=field,
        current_value=current_value(member, field)[:300],
        requested_value=requested_value,
        reason=reason,
        created_at=timezone.now(),
    )
    audit.record(actor=actor, action="correction.request", instance=request, after=audit.snapshot(request))
    from django.urls import reverse

    notify(
        holders(Perm.PERSON_CHANGE, request.org_path).exclude(pk=actor.pk),
        kind=Notification.Kind.CORRECTION,
        title=_("%(name)s asks to correct their record: %(field)s")
        % {"name": member.person.full_name, "field": field_labels()[field]},
        body=_("Now: %(now)s\nCorrect: %(new)s\n%(reason)s")
        % {"now": request.current_value or "—", "new": requested_value, "reason": reason},
        url=reverse("handbook:corrections"),
    )
    return request


@transaction.atomic
def correction_handle(
    *, actor: Any, request: CorrectionRequest, done: bool, answer: str = ""
) -> CorrectionRequest:
    """Whoever keeps the record answers: corrected (after changing the record) or not, with why."""
    request = (
        CorrectionRequest.objects.select_for_update().select_related("member__person").get(pk=request.pk)
    )
    if not allowed(actor, Perm.PERSON_CHANGE, request) or actor.pk == request.requested_by_id:
        raise PermissionDenied
    answer = one_line(answer)
    errors: dict[str, str] = {}
    if request.status != CorrectionRequest.Status.SENT:
        errors["status"] = _("This request was already answered.")
    if not done and not answer:
        errors["answer"] = _("Write why the record is not corrected.")
    if len(answer) > 500:
        errors["answer"] = _("Longer than %(n)s characters.") % {"n": 500}
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(request)
    request.status = CorrectionRequest.Status.DONE if done else CorrectionRequest.Status.REFUSED
    request.answer, request.handled_by, request.handled_at = answer, actor, timezone.now()
    request.save()
    audit.record(
        actor=actor,
        action="correction.handle",
        instance=request,
        before=before,
        after=audit.snapshot(request),
    )
    from django.urls import reverse

    label = field_labels().get(request.field, request.field)
    notify(
        [request.requested_by],
        kind=Notification.Kind.CORRECTION_ANSWER,
        title=(
            _("Your record was corrected: %(field)s")
            if done
            else _("Your record was not corrected: %(field)s")
        )
        % {"field": label},
        body=answer,
        url=reverse("handbook:record"),
    )
    return request
