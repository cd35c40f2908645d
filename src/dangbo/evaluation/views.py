"""Evaluation pages: rounds, progress by cell, a member's self-assessment, the cell's proposal
table, the committee's decision table with the quota, results by level, and the forms as Word."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dangbo.core.scoping import has_any
from dangbo.evaluation import selectors, services, word
from dangbo.evaluation.forms import LevelTableForm, RoundForm, SelfForm
from dangbo.evaluation.labels import LEVEL_LABELS
from dangbo.evaluation.models import Assessment, EvaluationRound
from dangbo.orgs.models import Organisation
from dangbo.orgs.views import apply_service
from dangbo.reports.views import export_response
from dangbo.rules.evaluation import GRADED, Level
from dangbo.rules.roles import Perm

Status = EvaluationRound.Status


def round_list(request: HttpRequest) -> HttpResponse:
    found = selectors.rounds(request.user)
    if not has_any(request.user, Perm.EVALUATION_VIEW) and not found.exists():
        raise PermissionDenied
    mine = {
        a.round_id: a
        for a in Assessment.objects.filter(person__user_id=request.user.pk or 0, round__in=found).only(
            "pk", "round_id"
        )
    }
    rows = [(r, mine.get(r.pk)) for r in found.order_by("-year", "org_path")[:200]]
    return render(
        request,
        "evaluation/list.html",
        {"rows": rows, "can_open": has_any(request.user, Perm.EVALUATION_DECIDE)},
    )


def round_create(request: HttpRequest) -> HttpResponse:
    organisations = selectors.deciding_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = RoundForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        created = apply_service(
            form,
            lambda: services.round_open(
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                year=form.cleaned_data["year"],
            ),
        )
        if created is not None:
            messages.success(request, _("Round opened: members and organisations can self-assess now."))
            return redirect("evaluation:detail", pk=created.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "evaluation/form.html", {"form": form}, status=status)


def _round(request: HttpRequest, pk: int) -> EvaluationRound:
    return get_object_or_404(selectors.rounds(request.user), pk=pk)


def _detail(
    request: HttpRequest, evaluation_round: EvaluationRound, status: int = 200, **extra: Any
) -> HttpResponse:
    user = request.user
    decide = selectors.can_decide(user, evaluation_round)
    context = {
        "round": evaluation_round,
        "statuses": list(Status),
        "decide": decide,
        "mine": selectors.mine(user, evaluation_round),
        "cells": list(selectors.proposing_cells(user, evaluation_round)),
        "progress": selectors.progress(evaluation_round),
        "next_status": services.NEXT.get(Status(evaluation_round.status)),
        "advance_errors": extra.get("advance_errors", []),
    }
    return render(request, "evaluation/detail.html", context, status=status)


def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _round(request, pk))


def advance(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation_round = _round(request, pk)
    if request.method != "POST" or not selectors.can_decide(request.user, evaluation_round):
        raise PermissionDenied
    try:
        evaluation_round = services.round_advance(actor=request.user, evaluation_round=evaluation_round)
    except ValidationError as error:
        return _detail(request, evaluation_round, 400, advance_errors=error.messages)
    messages.success(
        request, _("The round moved on: %(status)s.") % {"status": evaluation_round.get_status_display()}
    )
    return redirect("evaluation:detail", pk=evaluation_round.pk)


def mine(request: HttpRequest, pk: int) -> HttpResponse:
    own = selectors.mine(request.user, _round(request, pk))
    if own is None:
        raise Http404
    return redirect("evaluation:assessment", pk=own.pk)


def _assessment(request: HttpRequest, pk: int) -> Assessment:
    assessment = get_object_or_404(
        Assessment.objects.select_related("round__organisation", "organisation", "person"), pk=pk
    )
    if not selectors.rounds(request.user).filter(pk=assessment.round_id).exists():
        raise Http404
    if not selectors.may_read(request.user, assessment):
        raise PermissionDenied
    return assessment


def _maxima(evaluation_round: EvaluationRound) -> tuple[Decimal, Decimal]:
    rule_set = evaluation_round.rules()
    return (
        Decimal(rule_set.general_max.numerator) / rule_set.general_max.denominator,
        Decimal(rule_set.tasks_max.numerator) / rule_set.tasks_max.denominator,
    )


def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment with the level the figures allow and why each higher level was missed; while
    the round is open, the self-assessment form for whoever fills it."""
    assessment = _assessment(request, pk)
    evaluation_round = assessment.round
    editable = evaluation_round.status == Status.OPEN and services.may_self_assess(request.user, assessment)
    form = None
    status = 200
    if editable:
        form = SelfForm(request.POST or None, assessment=assessment, maxima=_maxima(evaluation_round))
        if request.method == "POST":
            if form.is_valid() and apply_service(
                form,
                lambda: services.self_assess(actor=request.user, assessment=assessment, data=form.data_in()),
            ):
                messages.success(request, _("Self-assessment saved."))
                return redirect("evaluation:assessment", pk=assessment.pk)
            status = 400
    elif request.method == "POST":
        raise PermissionDenied
    classification = assessment.classification()
    missed = []
    if classification is not None:
        missed = [
            (LEVEL_LABELS[level], [services.shortfall_text(s) for s in classification.why_not(level)])
            for level in GRADED
            if classification.why_not(level)
        ]
    context = {
        "assessment": assessment,
        "round": evaluation_round,
        "form": form,
        "classification": classification,
        "missed": missed,
        "level_labels": {k.value: v for k, v in LEVEL_LABELS.items()},
        "maxima": _maxima(evaluation_round),
    }
    return render(request, "evaluation/assessment.html", context, status=status)


def _table_page(
    request: HttpRequest,
    evaluation_round: EvaluationRound,
    rows: list[Assessment],
    *,
    field: str,
    title: str,
    organisation: Organisation | None = None,
) -> HttpResponse:
    deciding = field == "decided_level"
    open_now = evaluation_round.status == (Status.DECIDING if deciding else Status.PROPOSING)
    form = LevelTableForm(request.POST if request.method == "POST" else None, rows=rows, field=field)
    status = 200
    if request.method == "POST":
        if not open_now:
            raise PermissionDenied
        if form.is_valid():
            given = {pk: services.LevelInput(level, note) for pk, (level, note) in form.levels().items()}
            service = services.levels_decide if deciding else services.levels_propose
            key = "decisions" if deciding else "proposals"
            done = apply_service(
                form, lambda: service(actor=request.user, evaluation_round=evaluation_round, **{key: given})
            )
            if done is not None:
                messages.success(request, _("Saved: %(n)s levels written.") % {"n": len(done)})
                return redirect(request.path)
        status = 400
    context = {
        "round": evaluation_round,
        "form": form,
        "title": title,
        "organisation": organisation,
        "deciding": deciding,
        "open_now": open_now,
        "level_labels": {k.value: v for k, v in LEVEL_LABELS.items()},
        "quotas": [(q, services.quota_text(q)) for q in services.quotas(evaluation_round)]
        if deciding
        else [],
        "quota_share": evaluation_round.rules().excellent_quota if deciding else None,
    }
    return render(request, "evaluation/table.html", context, status=status)


def propose(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    evaluation_round = _round(request, pk)
    organisation = get_object_or_404(selectors.proposing_cells(request.user, evaluation_round), pk=org)
    rows = list(
        evaluation_round.assessments.filter(org_path__within=organisation.path)
        .select_related("round")
        .order_by("-collective", "org_path", "subject_name")
    )
    for row in rows:
        row.round = evaluation_round
    title = _("Proposed levels: %(name)s") % {"name": organisation.name}
    return _table_page(
        request, evaluation_round, rows, field="proposed_level", title=title, organisation=organisation
    )


def decide(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation_round = _round(request, pk)
    if not selectors.can_decide(request.user, evaluation_round):
        raise PermissionDenied
    rows = list(evaluation_round.assessments.order_by("-collective", "org_path", "subject_name"))
    for row in rows:
        row.round = evaluation_round
    return _table_page(request, evaluation_round, rows, field="decided_level", title=_("Decided levels"))


def results(request: HttpRequest, pk: int) -> HttpResponse:
    evaluation_round = _round(request, pk)
    if not evaluation_round.locked and not selectors.can_decide(request.user, evaluation_round):
        raise PermissionDenied
    groups = selectors.results(evaluation_round)
    for group in groups:
        group["label"] = LEVEL_LABELS[Level(group["level"])]
    return render(request, "evaluation/results.html", {"round": evaluation_round, "groups": groups})


def assessment_word(request: HttpRequest, pk: int) -> HttpResponse:
    return export_response(word.assessment_export(_assessment(request, pk)))
