"""Forms of the task pages. They parse input only: the services validate and name the field."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangbo.core.forms import StyledForm, VNDateField
from dangbo.documents.models import Task
from dangbo.orgs.choices import organisation_label, person_label
from dangbo.rules.tasks import TaskStatus

STATUS_LABELS = {
    TaskStatus.NOT_STARTED: _("Not started"),
    TaskStatus.ON_TRACK: _("On track"),
    TaskStatus.AT_RISK: _("At risk"),
    TaskStatus.LATE: _("Late"),
    TaskStatus.DONE: _("Done"),
    TaskStatus.DONE_LATE: _("Done late"),
    TaskStatus.CANCELLED: _("Cancelled"),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class TaskForm(StyledForm):
    title = forms.CharField(
        label=_("Task or target"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Task.Kind.choices, initial="task")
    indicator = forms.CharField(
        label=_("Indicator"),
        max_length=255,
        required=False,
        help_text=_("For a target, e.g. Doanh thu, Đảng viên mới."),
    )
    target_value = forms.CharField(
        label=_("Target value"), max_length=30, required=False, help_text=_("e.g. 1.126 or 12,5")
    )
    measure = forms.CharField(
        label=_("Unit of measure"), max_length=50, required=False, help_text=_("e.g. tỷ đồng, %, đảng viên")
    )
    organisations = forms.MultipleChoiceField(
        label=_("Party organisations carrying it out"), required=False, widget=forms.CheckboxSelectMultiple
    )
    units = forms.MultipleChoiceField(
        label=_("Units carrying it out"), required=False, widget=forms.CheckboxSelectMultiple
    )
    owner = forms.ChoiceField(label=_("Person in charge"), required=False)
    start_on = VNDateField(label=_("Start"))
    due_on = VNDateField(label=_("Due"))
    description = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, organisations: Any, units: Any, owners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        indent = "\u2003"

        def indented(nodes: Any, label: Any = lambda n: n.name) -> list[tuple[str, str]]:
            top = min((n.depth for n in nodes), default=0)
            return [(str(n.pk), f"{indent * (n.depth - top)}{label(n)}") for n in nodes]

        # the tree shows each cell under its parent; two cells of one name also say whose they are
        repeated = {name for name, n in Counter(o.name for o in organisations).items() if n > 1}
        self.fields["organisations"].choices = indented(  # type: ignore[attr-defined]
            organisations, lambda o: organisation_label(o) if o.name in repeated else o.name
        )
        self.fields["units"].choices = indented(units)  # type: ignore[attr-defined]
        self.fields["owner"].choices = [("", "—"), *((str(p.pk), person_label(p)) for p in owners)]  # type: ignore[attr-defined]
        for name in ("organisations", "units"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class ReportForm(StyledForm):
    reported_on = VNDateField(label=_("Report date"))
    percent = forms.CharField(
        label=_("Progress (%)"),
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    value = forms.CharField(
        label=_("Value reached"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    text = forms.CharField(label=_("What was done"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = MultipleFileField(
        label=_("Evidence files (PDF, Word, Excel, photos)"),
        required=False,
    )

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if task.kind == Task.Kind.TARGET:
            del self.fields["percent"]
            measure = f" ({task.measure})" if task.measure else ""
            self.fields["value"].label = f"{task.indicator}{measure}"
            self.fields["value"].required = True
        else:
            del self.fields["value"]
            self.fields["percent"].required = True
        self.fields["evidence"].widget.attrs["accept"] = (
            ".pdf,.docx,.doc,.odt,.xlsx,.xls,.ods,.png,.jpg,.jpeg"
        )


class RescheduleForm(StyledForm):
    due_on = VNDateField(label=_("New due date"))
    reason = forms.CharField(label=_("Reason (kept in the log)"), max_length=500)


class CancelForm(StyledForm):
    reason = forms.CharField(label=_("Reason for cancelling (kept in the log)"), max_length=500)


class TaskFilterForm(StyledForm):
    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. chuyen doi so")}),
    )
    trang_thai = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *((s.value, label) for s, label in STATUS_LABELS.items())],
        required=False,
    )
    qua_han = forms.BooleanField(label=_("Overdue only"), required=False)
    sap_han = forms.BooleanField(label=_("Due within 7 days"), required=False)

    def value(self, name: str) -> Any:
        if not self.is_bound or name in self.errors:
            return None
        return self.cleaned_data.get(name)
