"""Form styling shared by every page: Bootstrap classes on widgets, so templates stay simple."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from dangbo.core.dates import DateProblem, parse_date
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


# --- Dates ----------------------------------------------------------------------------------------

# What the browser lets through: digits (also full-width) and separators in a day-first or ISO order;
# anything else is still read, and explained, by the server (dangbo.core.dates).
_DIGIT = "[0-9０-９]"
_SEPARATOR = r"\s*[\/.\-／．－\s]\s*"
DATE_PATTERN = rf"\s*({_DIGIT}{{1,4}}{_SEPARATOR}{_DIGIT}{{1,2}}{_SEPARATOR}{_DIGIT}{{1,4}}|{_DIGIT}{{8}})\s*"


class VNDateInput(forms.DateInput):
    """A text box that takes and shows dd/mm/yyyy whatever the browser's language (a native date
    input follows the browser: mm/dd/yyyy in an English Chrome). It names its format hint through
    aria-describedby; `compact` hides the hint from sight (filter rows) but not from screen readers."""

    input_type = "text"
    template_name = "core/widgets/vn_date.html"

    def __init__(self, attrs: dict[str, Any] | None = None, *, compact: bool = False) -> None:
        base = {
            "inputmode": "numeric",
            "placeholder": "dd/mm/yyyy",
            "autocomplete": "off",
            "pattern": DATE_PATTERN,
            "title": _("Day/month/year, e.g. 05/12/2026"),
            "maxlength": 40,
        }
        super().__init__({**base, **(attrs or {})}, format="%d/%m/%Y")
        self.compact = compact

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["hint"] = _("Day/month/year, e.g. 05/12/2026")
        widget["compact"] = self.compact
        if widget_id := widget["attrs"].get("id"):
            widget["hint_id"] = f"{widget_id}_format"
            described = widget["attrs"].get("aria-describedby", "")
            widget["attrs"]["aria-describedby"] = f"{described} {widget['hint_id']}".strip()
        return context


class VNDateField(forms.DateField):
    """The date field of every page form: dd/mm/yyyy (and the other forms dangbo.core.dates reads,
    ISO for saved links); a date that does not exist or text that is no date gets its own message,
    "required" only an empty box. Shown back as dd/mm/yyyy, also when it came in as ISO."""

    widget = VNDateInput

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if value is None or not str(value).strip():
            return None
        try:
            return parse_date(str(value))
        except DateProblem as problem:
            raise forms.ValidationError(problem.message, code="invalid") from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip():
            try:
                return parse_date(value)
            except DateProblem:
                return value  # shown back as typed, next to its message
        return value


class AuditFilterForm(StyledForm):
    """The audit log's filters (GET). A wrong value filters nothing and is named in `problems`."""

    loai = forms.ChoiceField(label=pgettext_lazy("audit filter", "Object type"), required=False)
    nguoi = forms.ChoiceField(label=pgettext_lazy("audit filter", "Done by"), required=False)
    thao_tac = forms.ChoiceField(label=pgettext_lazy("audit filter", "Action"), required=False)
    tu = VNDateField(
        label=pgettext_lazy("audit filter", "From day"), required=False, widget=VNDateInput(compact=True)
    )
    den = VNDateField(
        label=pgettext_lazy("audit filter", "To day"), required=False, widget=VNDateInput(compact=True)
    )

    def __init__(
        self, *args: Any, types: list[tuple[str, str]], actors: list[tuple[str, str]], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        every = ("", pgettext_lazy("audit filter", "All"))
        self.fields["loai"].choices = [every, *types]  # type: ignore[attr-defined]
        self.fields["nguoi"].choices = [every, *actors]  # type: ignore[attr-defined]
        actions = sorted(((code, str(label)) for code, label in ACTION_LABELS.items()), key=lambda c: c[1])
        self.fields["thao_tac"].choices = [every, *actions]  # type: ignore[attr-defined]
        for name in ("loai", "nguoi", "thao_tac"):
            self.fields[name].error_messages["invalid_choice"] = pgettext_lazy(
                "audit filter", "“%(value)s” is not in the list"
            )

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
            % {"field": self.fields[name].label, "reason": " ".join(str(m) for m in messages).rstrip(".")}
            for name, messages in self.errors.items()
            if name in self.fields
        ]
