"""Forms of the handbook pages: they parse input; the services validate and name the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangbo.core.forms import StyledForm


class CorrectionForm(StyledForm):
    field = forms.ChoiceField(label=_("What is wrong"), choices=())
    requested_value = forms.CharField(label=_("The correct value"), max_length=300)
    reason = forms.CharField(
        label=_("Reason or evidence"),
        max_length=500,
        required=False,
        help_text=_("E.g. “my birth certificate says 12/03/1975”."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from dangbo.handbook.services import CORRECTABLE, field_labels

        super().__init__(*args, **kwargs)
        labels = field_labels()
        choice = self.fields["field"]
        assert isinstance(choice, forms.ChoiceField)
        choice.choices = [("", "—"), *((f, labels[f]) for f in CORRECTABLE)]


class CorrectionHandleForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("done", _("Corrected in the record")), ("refused", _("Not corrected"))],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(label=_("Answer to the member"), max_length=500, required=False)


class NoteForm(StyledForm):
    title = forms.CharField(label=pgettext_lazy("note", "Title"), max_length=200, required=False)
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000)


class OpinionForm(StyledForm):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(
        label=_("Your opinion"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10_000
    )


class AnswerForm(StyledForm):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000)


class DisplayForm(StyledForm):
    SIZES = ("normal", "large", "larger")
    CONTRASTS = ("normal", "high")
    size = forms.ChoiceField(
        label=_("Text size"),
        choices=[("normal", _("Normal")), ("large", _("Large")), ("larger", _("Very large"))],
        widget=forms.RadioSelect,
    )
    contrast = forms.ChoiceField(
        label=_("Contrast"),
        choices=[("normal", _("Normal")), ("high", _("High contrast"))],
        widget=forms.RadioSelect,
    )
