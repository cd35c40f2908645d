"""Forms of the meeting pages. They parse input only: the services validate and name the field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangbo.core.forms import StyledForm, VNDateField
from dangbo.meetings.labels import KIND_LABELS, MATTER_LABELS, PRESENCE_LABELS
from dangbo.orgs.choices import OrganisationChoiceField, PersonChoiceField
from dangbo.orgs.models import Organisation, Person
from dangbo.rules.meetings import Presence

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _at(day: dt.date | None, time: dt.time | None) -> dt.datetime | None:
    if day is None or time is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, time))


class MeetingForm(StyledForm):
    organisation = OrganisationChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind of meeting"), choices=[(k.value, v) for k, v in KIND_LABELS.items()]
    )
    held = forms.BooleanField(
        label=_("Record a meeting already held"),
        required=False,
        help_text=_("Tick to enter a past meeting (e.g. to keep its minutes); leave empty to plan one."),
    )
    day = VNDateField(label=_("Day"))
    start = forms.TimeField(label=_("Starts at"), widget=TIME_INPUT)
    end = forms.TimeField(label=_("Ends at"), widget=TIME_INPUT, required=False)
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        required=False,
        help_text=_("Empty: e.g. “Sinh hoạt chi bộ thường kỳ tháng 12/2026”."),
    )
    topic = forms.CharField(
        label=_("Theme"), max_length=300, required=False, help_text=_("For a thematic meeting.")
    )
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    online_url = forms.CharField(label=_("Online meeting link"), max_length=500, required=False)
    chair = PersonChoiceField(label=_("Chair"), queryset=Person.objects.none(), required=False)
    secretary = PersonChoiceField(
        label=_("Minutes secretary"), queryset=Person.objects.none(), required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    months = forms.IntegerField(
        label=_("Repeat monthly for"),
        min_value=1,
        max_value=12,
        initial=1,
        required=False,
        help_text=_(
            "Number of months (1 = this meeting only). A regular meeting is planned on the same day of each "
            "month; months already planned are skipped."
        ),
    )

    def __init__(self, *args: Any, organisations: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["chair"].queryset = people  # type: ignore[attr-defined]
        self.fields["secretary"].queryset = people  # type: ignore[attr-defined]

    def starts_at(self) -> dt.datetime | None:
        return _at(self.cleaned_data.get("day"), self.cleaned_data.get("start"))

    def ends_at(self) -> dt.datetime | None:
        return _at(self.cleaned_data.get("day"), self.cleaned_data.get("end"))


class AttendanceForm(forms.Form):
    """One radio group and one reason per attendee; built from the meeting's attendees."""

    def __init__(self, *args: Any, attendees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(p.value, PRESENCE_LABELS[p]) for p in Presence if p is not Presence.INVITED]
        self.rows = []
        for attendee in attendees:
            options = choices if attendee.counted else [c for c in choices if c[0] != Presence.EXEMPT]
            presence = forms.ChoiceField(
                label=attendee.name,
                choices=options,
                required=False,
                widget=forms.RadioSelect,
                initial=None if attendee.presence == Presence.INVITED else attendee.presence,
            )
            reason = forms.CharField(
                label=_("Reason"),
                max_length=300,
                required=False,
                initial=attendee.reason,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )
            self.fields[f"p{attendee.pk}"] = presence
            self.fields[f"r{attendee.pk}"] = reason
            if attendee.counted:
                # Only then does an excused absence leave a vote's denominator (QĐ 24 mục 9.3.2).
                self.fields[f"a{attendee.pk}"] = forms.BooleanField(
                    label=_("Absence approved by the cell committee"),
                    required=False,
                    initial=attendee.absence_approved,
                )
            self.rows.append((attendee, f"p{attendee.pk}", f"r{attendee.pk}"))

    def marks(self) -> dict[int, tuple[str, str, bool | None]]:
        return {
            attendee.pk: (
                self.cleaned_data[p],
                self.cleaned_data[r],
                bool(self.cleaned_data.get(f"a{attendee.pk}")) if attendee.counted else None,
            )
            for attendee, p, r in self.rows
            if self.cleaned_data.get(p)
        }

    def bound_rows(self) -> list[tuple[Any, Any, Any, Any]]:
        return [
            (attendee, self[p], self[r], self[f"a{attendee.pk}"] if attendee.counted else None)
            for attendee, p, r in self.rows
        ]


class VoteForm(StyledForm):
    subject = forms.CharField(label=_("Matter voted on"), max_length=500)
    matter = forms.ChoiceField(
        label=_("Kind of matter"),
        choices=[(k.value, v) for k, v in MATTER_LABELS.items()],
        help_text=_("It decides the majority needed: two thirds of the voting members for an admission."),
    )
    yes = forms.IntegerField(label=pgettext_lazy("vote", "For"), min_value=0, max_value=5000)
    no = forms.IntegerField(label=_("Against"), min_value=0, max_value=5000, initial=0)
    abstain = forms.IntegerField(label=_("Abstaining"), min_value=0, max_value=5000, initial=0)


class GuestForm(StyledForm):
    name = forms.CharField(label=_("Full name"), max_length=150)
    post = forms.CharField(label=_("Post, organisation"), max_length=200, required=False)


class AgendaForm(StyledForm):
    title = forms.CharField(label=_("Agenda item"), max_length=500)
    presenter_name = forms.CharField(label=_("Presented by"), max_length=200, required=False)
    documents = forms.CharField(
        label=_("Documents (number and symbol)"),
        max_length=1000,
        required=False,
        help_text=_(
            "One per line or separated by commas, e.g. “69-NQ/ĐU, 09-CTr/ĐUK”: sent with the invitation."
        ),
    )

    def __init__(self, *args: Any, readable: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.readable = readable  # the documents the user may read (documents.selectors.documents_visible)

    def clean_documents(self) -> list[Any]:
        import re

        symbols = [
            s.strip() for s in re.split(r"[\n,;]+", self.cleaned_data.get("documents") or "") if s.strip()
        ]
        if not symbols:
            return []
        if self.readable is None:
            raise forms.ValidationError(_("No document can be attached here."))
        found = {d.symbol: d for d in self.readable.filter(symbol__in=symbols, registered=True)}
        unknown = [s for s in symbols if s not in found]
        if unknown:
            raise forms.ValidationError(
                _("No document numbered %(symbols)s in the registers you can read.")
                % {"symbols": ", ".join(unknown)}
            )
        return [found[s] for s in dict.fromkeys(symbols)]


class MinutesForm(StyledForm):
    opened_day = VNDateField(label=_("Day"))
    opened = forms.TimeField(label=_("Opened at"), widget=TIME_INPUT)
    closed = forms.TimeField(label=_("Closed at"), widget=TIME_INPUT, required=False)
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    proceedings = forms.CharField(
        label=_("Proceedings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What was presented, item by item, in the order of the agenda."),
    )
    discussion = forms.CharField(
        label=_("Opinions expressed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Each speaker's name and opinion."),
    )
    conclusions = forms.CharField(
        label=_("Conclusions and resolutions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The chair's conclusion on each item; the tasks set and who carries them out."),
    )

    def opened_at(self) -> dt.datetime | None:
        return _at(self.cleaned_data.get("opened_day"), self.cleaned_data.get("opened"))

    def closed_at(self) -> dt.datetime | None:
        return _at(self.cleaned_data.get("opened_day"), self.cleaned_data.get("closed"))


class AddendumForm(StyledForm):
    text = forms.CharField(label=_("Correction"), widget=forms.Textarea(attrs={"rows": 5}))
    reason = forms.CharField(label=_("Reason"), max_length=500)


class CancelForm(StyledForm):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class InviteForm(forms.Form):
    email = forms.BooleanField(label=_("Also by e-mail"), required=False, initial=True)
