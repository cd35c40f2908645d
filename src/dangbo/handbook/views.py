"""The member's handbook (Sổ tay đảng viên): pages made for a phone and an older reader. Thin: read
through handbook.selectors, write through handbook.services, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangbo.core.scoping import allowed, has_any
from dangbo.documents import study
from dangbo.documents.study import member_of
from dangbo.documents.tasks import tasks_visible
from dangbo.handbook import selectors, services
from dangbo.handbook.forms import (
    AnswerForm,
    CorrectionForm,
    CorrectionHandleForm,
    DisplayForm,
    NoteForm,
    OpinionForm,
)
from dangbo.handbook.models import Bookmark, Note, Opinion
from dangbo.orgs.views import apply_service
from dangbo.rules.roles import Perm

ROWS_PER_PAGE = 30
DISPLAY_COOKIE = "dangbo_display"
DISPLAY_MAX_AGE = 3 * 365 * 24 * 3600


def _user(request: HttpRequest) -> Any:
    return request.user


def _local(request: HttpRequest, target: str) -> bool:
    """A page of this site (never another site a crafted link or notification points to)."""
    return bool(target) and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if _local(request, target) else fallback


def _say(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))


def home(request: HttpRequest) -> HttpResponse:
    """The handbook's first page: the next meetings, what to study, tasks, news, my cell."""
    user = request.user
    member = member_of(user)
    meetings = selectors.my_meetings(user)
    studies = study.my_studies(user)
    person = selectors.person_of(user)
    today = timezone.localdate()
    open_tasks = (
        tasks_visible(user)
        .filter(owner=person, done_on__isnull=True, cancelled_on__isnull=True)
        .select_related("document")
        .order_by("due_on")[:5]
        if person is not None
        else []
    )
    return render(
        request,
        "handbook/home.html",
        {
            "member": member,
            "upcoming": meetings.upcoming[:3],
            "studies": studies,
            "tasks": list(open_tasks),
            "today": today,
            "unread": selectors.unread_count(user),
            "notifications": list(selectors.my_notifications(user)[:5]),
            "can_answer": has_any(user, Perm.OPINION_ANSWER),
            "can_correct": has_any(user, Perm.PERSON_CHANGE),
        },
    )


def record(request: HttpRequest) -> HttpResponse:
    """My record card, read-only, with the requests to correct it."""
    member = member_of(request.user)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            done = apply_service(
                form,
                lambda: services.correction_request(
                    actor=request.user,
                    field=form.cleaned_data["field"],
                    requested_value=form.cleaned_data["requested_value"],
                    reason=form.cleaned_data["reason"],
                ),
            )
            if done is not None:
                messages.success(request, _("Your request was sent to those who keep your record."))
                return redirect("handbook:record")
    values = []
    if member is not None:
        labels = services.field_labels()
        values = [
            (labels[f], services.current_value(member, f)) for f in services.CORRECTABLE if f != "other"
        ]
    return render(
        request,
        "handbook/record.html",
        {"member": member, "values": values, "form": form, "requests": selectors.my_corrections(member)[:30]},
    )


def cell(request: HttpRequest) -> HttpResponse:
    member = member_of(request.user)
    return render(request, "handbook/cell.html", {"cell": selectors.my_cell(member) if member else None})


def meetings(request: HttpRequest) -> HttpResponse:
    mine = selectors.my_meetings(request.user)
    return render(
        request, "handbook/meetings.html", {"mine": mine, "person": selectors.person_of(request.user)}
    )


def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.handbook_meeting(request.user, pk)
    if found is None:
        raise Http404
    meeting, mine = found
    notes = (
        list(Note.objects.filter(user=_user(request), meeting=meeting))
        if request.user.is_authenticated
        else []
    )
    minutes = getattr(meeting, "minutes", None)
    return render(
        request,
        "handbook/meeting.html",
        {
            "meeting": meeting,
            "mine": mine,
            "notes": notes,
            "note_form": NoteForm(),
            "sealed_minutes": minutes if minutes is not None and minutes.sealed else None,
            "bookmarked": Bookmark.objects.filter(user=_user(request), url=request.path).exists(),
            "perms_view": allowed(request.user, Perm.MEETING_VIEW, meeting),
        },
    )


def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        services.mark_read(request.user)
        return redirect("handbook:notifications")
    page = Paginator(selectors.my_notifications(request.user), ROWS_PER_PAGE).get_page(
        request.GET.get("trang")
    )
    return render(request, "handbook/notifications.html", {"page": page})


@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(selectors.my_notifications(request.user), pk=pk)
    services.mark_read(request.user, [notification.pk])
    return redirect(notification.url if _local(request, notification.url) else "handbook:notifications")


def bookmarks(request: HttpRequest) -> HttpResponse:
    return render(
        request, "handbook/bookmarks.html", {"bookmarks": Bookmark.objects.filter(user=_user(request))[:500]}
    )


@require_POST
def bookmark_toggle(request: HttpRequest) -> HttpResponse:
    url = request.POST.get("url", "")
    try:
        kept = services.bookmark_toggle(actor=request.user, url=url, title=request.POST.get("title", ""))
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, _("Bookmarked.") if kept is not None else _("Bookmark removed."))
    return redirect(_back(request, "handbook:bookmarks"))


def notes(request: HttpRequest) -> HttpResponse:
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = apply_service(
            form,
            lambda: services.note_save(
                actor=request.user, title=form.cleaned_data["title"], text=form.cleaned_data["text"]
            ),
        )
        if note is not None:
            messages.success(request, _("Note saved."))
            return redirect("handbook:notes")
    page = Paginator(
        Note.objects.filter(user=_user(request)).select_related("meeting"), ROWS_PER_PAGE
    ).get_page(request.GET.get("trang"))
    return render(request, "handbook/notes.html", {"form": form, "page": page})


def note_edit(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(Note, pk=pk, user=_user(request))  # another's note does not exist for you
    form = NoteForm(request.POST or None, initial={"title": note.title, "text": note.text})
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            services.note_delete(actor=request.user, note=note)
            messages.success(request, _("Note deleted."))
            return redirect("handbook:notes")
        if form.is_valid():
            saved = apply_service(
                form,
                lambda: services.note_save(
                    actor=request.user,
                    note=note,
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                ),
            )
            if saved is not None:
                messages.success(request, _("Note saved."))
                return redirect(_back(request, "handbook:notes"))
    return render(request, "handbook/note_form.html", {"form": form, "note": note})


@require_POST
def meeting_note(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.handbook_meeting(request.user, pk)
    if found is None:
        raise Http404
    form = NoteForm(request.POST)
    if form.is_valid():
        note = apply_service(
            form,
            lambda: services.note_save(
                actor=request.user,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                meeting=found[0],
            ),
        )
        if note is not None:
            messages.success(request, _("Note saved."))
            return redirect("handbook:meeting", pk=pk)
    _form_errors(request, form)
    return redirect("handbook:meeting", pk=pk)


def opinions(request: HttpRequest) -> HttpResponse:
    """My opinions to the committee, and a new one."""
    form = OpinionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sent = apply_service(
            form,
            lambda: services.opinion_send(
                actor=request.user, subject=form.cleaned_data["subject"], text=form.cleaned_data["text"]
            ),
        )
        if sent is not None:
            messages.success(
                request, _("Your opinion was sent to the committee. You will see the answer here.")
            )
            return redirect("handbook:opinion", pk=sent.pk)
    return render(
        request,
        "handbook/opinions.html",
        {
            "form": form,
            "opinions": selectors.my_opinions(request.user)[:100],
            "member": member_of(request.user),
        },
    )


def opinion(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.opinion_for(request.user, pk)
    if found is None:
        raise Http404
    answering = services.can_answer(request.user, found)
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if not answering:
            raise PermissionDenied
        if request.POST.get("action") == "receive":
            try:
                services.opinion_receive(actor=request.user, opinion=found)
            except ValidationError as error:
                _say(request, error)
            return redirect("handbook:opinion", pk=pk)
        if form.is_valid():
            done = apply_service(
                form,
                lambda: services.opinion_answer(
                    actor=request.user, opinion=found, answer=form.cleaned_data["answer"]
                ),
            )
            if done is not None:
                messages.success(request, _("Answer sent."))
                return redirect("handbook:opinion", pk=pk)
    return render(request, "handbook/opinion.html", {"opinion": found, "answering": answering, "form": form})


def opinions_inbox(request: HttpRequest) -> HttpResponse:
    """The committee office's list of the opinions sent from the cells below, unanswered first."""
    if not has_any(request.user, Perm.OPINION_ANSWER):
        raise PermissionDenied
    status = request.GET.get("trang-thai", "")
    qs = selectors.opinions_to_answer(request.user)
    if status in Opinion.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("status", "-created_at", "-pk"), ROWS_PER_PAGE).get_page(
        request.GET.get("trang")
    )
    return render(
        request,
        "handbook/opinions_inbox.html",
        {"page": page, "status": status, "statuses": Opinion.Status.choices},
    )


def corrections(request: HttpRequest) -> HttpResponse:
    """Requests to correct a record, for those who keep the records (secretary, committee office)."""
    if not has_any(request.user, Perm.PERSON_CHANGE):
        raise PermissionDenied
    qs = selectors.corrections_to_handle(request.user).order_by("-status", "-created_at", "-pk")
    page = Paginator(qs, ROWS_PER_PAGE).get_page(request.GET.get("trang"))
    return render(
        request,
        "handbook/corrections.html",
        {"page": page, "labels": services.field_labels(), "form": CorrectionHandleForm()},
    )


@require_POST
def correction_handle(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(selectors.corrections_to_handle(request.user), pk=pk)
    form = CorrectionHandleForm(request.POST)
    if form.is_valid():
        try:
            services.correction_handle(
                actor=request.user,
                request=found,
                done=form.cleaned_data["decision"] == "done",
                answer=form.cleaned_data["answer"],
            )
        except ValidationError as error:
            _say(request, error)
        else:
            messages.success(request, _("The member was told."))
    else:
        _form_errors(request, form)
    return redirect("handbook:corrections")


def display(request: HttpRequest) -> HttpResponse:
    """Text size and contrast for this device (a cookie: a phone and a desktop differ)."""
    current = display_of(request)
    form = DisplayForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        response = redirect(_back(request, "handbook:home"))
        value = f"{form.cleaned_data['size']}.{form.cleaned_data['contrast']}"
        response.set_cookie(DISPLAY_COOKIE, value, max_age=DISPLAY_MAX_AGE, samesite="Lax", httponly=True)
        messages.success(request, _("Display settings saved on this device."))
        return response
    return render(request, "handbook/display.html", {"form": form})


def display_of(request: HttpRequest) -> dict[str, Any]:
    size, _sep, contrast = str(request.COOKIES.get(DISPLAY_COOKIE, "")).partition(".")
    return {
        "size": size if size in DisplayForm.SIZES else "normal",
        "contrast": contrast if contrast in DisplayForm.CONTRASTS else "normal",
    }
