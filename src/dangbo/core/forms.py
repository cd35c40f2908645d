"""Form styling shared by every page: Bootstrap classes on widgets, so templates stay simple."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import pgettext, pgettext_lazy

from dangbo.core.labels import ACTION_LABELS


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def parse_day(text: str) -> dt.date:
    """dd/mm/yyyy, as every page prints dates; ValueError with the reason in words."""
    match = DAY_MONTH_YEAR.match(text)
    if not match:
        raise ValueError(pgettext("audit filter", "not a date written as day/month/year"))
    day, month, year = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(pgettext("audit filter", "no such day")) from None


class AuditFilterForm(StyledForm):
    """The audit log's filters (GET). A wrong value filters nothing and is named in `problems`."""

    loai = forms.ChoiceField(label=pgettext_lazy("audit filter", "Object type"), required=False)
    nguoi = forms.ChoiceField(label=pgettext_lazy("audit filter", "Done by"), required=False)
    thao_tac = forms.ChoiceField(label=pgettext_lazy("audit filter", "Action"), required=False)
    tu = forms.CharField(label=pgettext_lazy("audit filter", "From day"), max_length=20, required=False)
    den = forms.CharField(label=pgettext_lazy("audit filter", "To day"), max_length=20, required=False)

    def __init__(
        self, *args: Any, types: list[tuple[str, str]], actors: list[tuple[str, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        every = ("", pgettext_lazy("audit filter", "All"))
        self.fields["loai"].choices = [every, *types]  # type: ignore[attr-defined]
        self.fields["nguoi"].choices = [every, *actors]  # type: ignore[attr-defined]
        actions = sorted(((code, str(label)) for code, label in ACTION_LABELS.items()), key=lambda c: c[1])
        self.fields["thao_tac"].choices = [every, *actions]  # type: ignore[attr-defined]
        for name in ("tu", "den"):
            self.fields[name].widget.attrs.update({"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
        for name in ("loai", "nguoi", "thao_tac"):
            self.fields[name].error_messages["invalid_choice"] = pgettext_lazy(
                "audit filter", "“%(value)s” is not in the list"
            )

    def _clean_day(self, name: str) -> dt.date | None:
        text = self.cleaned_data.get(name, "")
        if not text:
            return None
        try:
            return parse_day(text)
        except ValueError as error:
            raise forms.ValidationError(f"“{text}”: {error}") from None

    def clean_tu(self) -> dt.date | None:
        return self._clean_day("tu")

    def clean_den(self) -> dt.date | None:
        return self._clean_day("den")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("tu"), cleaned.get("den")
        if start and end and start > end:
            self.add_error("den", pgettext("audit filter", "the last day is before the first"))
        return cleaned

    def value(self, name: str) -> Any:
        """The cleaned value of a filter, or None when it was missing or wrong."""
        if not self.is_bound or name in self.errors:
            return None
        return self.cleaned_data.get(name) or None

    def problems(self) -> list[str]:
        """One sentence per wrong filter: which filter, what was wrong, and that it was not applied."""
        if not self.is_bound:
            return []
        return [
            pgettext("audit filter", "The filter “%(field)s” was not applied: %(reason)s.")
            % {"field": self.fields[name].label, "reason": " ".join(str(m) for m in messages)}
            for name, messages in self.errors.items()
            if name in self.fields
        ]
