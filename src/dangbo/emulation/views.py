"""Emulation pages: movements, criteria sets, registration, scoring, results and exemplars."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from dangbo.core.scoping import allowed, has_any, scope
from dangbo.emulation import selectors, services
from dangbo.emulation.forms import (
    CouncilForm,
    CriteriaSetForm,
    DecideForm,
    DelegateForm,
    ExemplarForm,
    ModelForm,
    MovementForm,
    RegisterForm,
    ScoreForm,
    rows_text,
)
from dangbo.emulation.models import CouncilMember, CriteriaSet, Delegate, Movement, Registration
from dangbo.orgs.choices import organisation_label, with_parents
from dangbo.orgs.models import Organisation, Person, Unit
from dangbo.orgs.views import apply_service
from dangbo.rules.roles import Perm

Status = Movement.Status


def _organisers(user: Any) -> QuerySet[Organisation]:
    """The organisations whose movements and criteria sets this user runs."""
    organisations = Organisation.objects.filter(dissolved_on__isnull=True)
    return scope(organisations, user, Perm.EMULATION_MANAGE).order_by("path")


def movement_list(request: HttpRequest) -> HttpResponse:
    movements = selectors.movements(request.user)
    if not has_any(request.user, Perm.EMULATION_VIEW) and not movements.exists():
        raise PermissionDenied
    exemplars = (
        Registration.objects.filter(movement__in=movements.filter(status=Status.PUBLISHED), exemplar=True)
        .select_related("model", "movement")
        .order_by("-movement__starts_on", "subject_name")[:12]
    )
    return render(
        request,
        "emulation/list.html",
        {
            "movements": movements.order_by("-starts_on", "-pk"),
            "exemplars": exemplars,
            "can_manage": has_any(request.user, Perm.EMULATION_MANAGE),
        },
    )


def movement_create(request: HttpRequest) -> HttpResponse:
    organisers = _organisers(request.user)
    if not organisers.exists():
        raise PermissionDenied
    form = MovementForm(request.POST or None, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        data = services.MovementInput(
            name=form.cleaned_data["name"],
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
            goals=form.cleaned_data["goals"],
            aggregation=form.cleaned_data["aggregation"],
            organisations=list(form.cleaned_data["organisations"]),
            units=list(form.cleaned_data["units"]),
        )
        movement = apply_service(
            form,
            lambda: services.movement_create(
                actor=request.user, organisation=form.cleaned_data["organisation"], data=data
            ),
        )
        if movement is not None:
            messages.success(request, _("Movement created. Add its models, then open registration."))
            return redirect("emulation:detail", pk=movement.pk)
    return render(request, "emulation/form.html", {"form": form, "title": _("New emulation movement")})


def _movement(request: HttpRequest, pk: int) -> Movement:
    return get_object_or_404(selectors.movements(request.user), pk=pk)


def _subjects(user: Any, movement: Movement) -> list[tuple[str, str]]:
    """Whom this user may register: organisations, units (their own, or as a delegate) and
    themself (for models open to individuals)."""
    choices: list[tuple[str, str]] = []
    org_paths = list(movement.organisations.values_list("path", flat=True)) or [movement.org_path]
    condition = Q()
    for path in org_paths:
        condition |= Q(path__within=path)
    for organisation in with_parents(
        scope(Organisation.objects.filter(condition, dissolved_on__isnull=True), user, Perm.EMULATION_ENTRY)
    ).order_by("path")[:300]:
        choices.append((f"o{organisation.pk}", organisation_label(organisation)))
    delegated = services.delegated_paths(user, movement)
    for unit in movement.units.order_by("sort_key"):
        if services.may_act_for(user, movement, unit, delegated=delegated):
            choices.append((f"u{unit.pk}", unit.name))
    person = Person.objects.filter(user=user).select_related("organisation").first()
    if person is not None and movement.models.filter(for_individuals=True).exists():
        choices.append((f"p{person.pk}", _("Myself (%(name)s)") % {"name": person.full_name}))
    return choices


def _subject_of(value: str) -> dict[str, Any]:
    kind, _sep, pk = value[:1], None, value[1:]
    model = {"o": Organisation, "u": Unit, "p": Person}.get(kind)
    if model is None or not pk.isdigit():
        raise Http404
    key = {"o": "organisation", "u": "unit", "p": "person"}[kind]
    return {key: get_object_or_404(model, pk=int(pk))}


def _detail(request: HttpRequest, movement: Movement, status: int = 200, **forms: Any) -> HttpResponse:
    user = request.user
    manage = selectors.can_manage(user, movement)
    subjects = _subjects(user, movement) if movement.status == Status.REGISTRATION else []
    registrations = movement.registrations.select_related("model").order_by("model__position", "subject_name")
    seat = services.council_seat(user, movement)
    context = {
        "movement": movement,
        "models": selectors.model_rows(movement),
        "registrations": registrations,
        "council": movement.council.all(),
        "delegates": movement.delegates.select_related("unit", "user__person") if manage else [],
        "manage": manage,
        "seat": seat,
        "next_status": services.NEXT.get(Status(movement.status)),
        "results_public": selectors.results_public(user, movement),
        "model_form": forms.get("model_form")
        or (ModelForm(criteria_sets=selectors.usable_criteria_sets(user)) if manage else None),
        "council_form": forms.get("council_form") or (CouncilForm() if manage else None),
        "delegate_form": forms.get("delegate_form")
        or (DelegateForm(units=movement.units.all()) if manage and movement.units.exists() else None),
        "register_form": forms.get("register_form")
        or (RegisterForm(models=movement.models.all(), subjects=subjects) if subjects else None),
        "advance_errors": forms.get("advance_errors", []),
        "statuses": [s for s in Status],
    }
    return render(request, "emulation/detail.html", context, status=status)


def movement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _movement(request, pk))


def _managed(request: HttpRequest, pk: int) -> Movement:
    movement = _movement(request, pk)
    if not selectors.can_manage(request.user, movement) or request.method != "POST":
        raise PermissionDenied
    return movement


def model_add(request: HttpRequest, pk: int) -> HttpResponse:
    movement = _managed(request, pk)
    form = ModelForm(request.POST, criteria_sets=selectors.usable_criteria_sets(request.user))
    if form.is_valid():
        data = services.ModelInput(**form.cleaned_data)
        if apply_service(form, lambda: services.model_add(actor=request.user, movement=movement, data=data)):
            messages.success(request, _("Model added."))
            return redirect("emulation:detail", pk=movement.pk)
    return _detail(request, movement, 400, model_form=form)


def council_add(request: HttpRequest, pk: int) -> HttpResponse:
    movement = _managed(request, pk)
    form = CouncilForm(request.POST)
    if form.is_valid():
        user = selectors.active_login(form.cleaned_data["username"])
        if user is None:
            form.add_error(
                "username", _("No active login “%(name)s”.") % {"name": form.cleaned_data["username"]}
            )
        elif apply_service(
            form,
            lambda: services.council_add(
                actor=request.user,
                movement=movement,
                user=user,
                post=form.cleaned_data["post"],
                chair=form.cleaned_data["chair"],
            ),
        ):
            messages.success(request, _("Council member added."))
            return redirect("emulation:detail", pk=movement.pk)
    return _detail(request, movement, 400, council_form=form)


def council_remove(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(CouncilMember.objects.select_related("movement"), pk=pk)
    movement = _managed(request, member.movement_id)
    try:
        services.council_remove(actor=request.user, member=member)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(name)s is no longer on the council.") % {"name": member.name})
    return redirect("emulation:detail", pk=movement.pk)


def delegate_remove(request: HttpRequest, pk: int) -> HttpResponse:
    delegate = get_object_or_404(Delegate.objects.select_related("movement", "unit"), pk=pk)
    movement = _managed(request, delegate.movement_id)
    try:
        services.delegate_remove(actor=request.user, delegate=delegate)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The delegate of “%(unit)s” was withdrawn.") % {"unit": delegate.unit.name}
        )
    return redirect("emulation:detail", pk=movement.pk)


def delegate_add(request: HttpRequest, pk: int) -> HttpResponse:
    movement = _managed(request, pk)
    form = DelegateForm(request.POST, units=movement.units.all())
    if form.is_valid():
        user = selectors.active_login(form.cleaned_data["username"])
        if user is None:
            form.add_error(
                "username", _("No active login “%(name)s”.") % {"name": form.cleaned_data["username"]}
            )
        elif apply_service(
            form,
            lambda: services.delegate_add(
                actor=request.user, movement=movement, unit=form.cleaned_data["unit"], user=user
            ),
        ):
            messages.success(request, _("Delegate added: they can now register the unit and score it."))
            return redirect("emulation:detail", pk=movement.pk)
    return _detail(request, movement, 400, delegate_form=form)


def advance(request: HttpRequest, pk: int) -> HttpResponse:
    movement = _managed(request, pk)
    try:
        movement = services.movement_advance(actor=request.user, movement=movement)
    except ValidationError as error:
        return _detail(request, movement, 400, advance_errors=error.messages)
    messages.success(
        request,
        _("“%(name)s”: %(status)s.") % {"name": movement.name, "status": movement.get_status_display()},
    )
    return redirect("emulation:detail", pk=movement.pk)


def register(request: HttpRequest, pk: int) -> HttpResponse:
    movement = _movement(request, pk)
    if request.method != "POST":
        return redirect("emulation:detail", pk=movement.pk)
    subjects = _subjects(request.user, movement)
    if not subjects:
        raise PermissionDenied
    form = RegisterForm(request.POST, models=movement.models.all(), subjects=subjects)
    if form.is_valid():
        subject = _subject_of(form.cleaned_data["subject"])
        registration = apply_service(
            form,
            lambda: services.register(
                actor=request.user,
                model=form.cleaned_data["model"],
                plan=form.cleaned_data["plan"],
                **subject,
            ),
        )
        if registration is not None:
            messages.success(request, _("Registered. The council will approve or reject the registration."))
            return redirect("emulation:registration", pk=registration.pk)
    return _detail(request, movement, 400, register_form=form)


def _registration(request: HttpRequest, pk: int) -> Registration:
    registration = get_object_or_404(
        Registration.objects.select_related(
            "model__criteria_set", "movement", "organisation", "unit", "person"
        ),
        pk=pk,
    )
    if not selectors.movements(request.user).filter(pk=registration.movement_id).exists():
        raise Http404
    return registration


def _registration_page(
    request: HttpRequest, registration: Registration, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    movement = registration.movement
    roles = selectors.registration_roles(user, registration)
    seat = services.council_seat(user, movement) if roles["council"] else None
    card = selectors.card(registration, seat)
    leaves = [c for c in card.criteria if c.leaf]  # type: ignore[attr-defined]
    scoring = movement.status == Status.SCORING and registration.status == Registration.Status.APPROVED
    # Before the results are published, a unit sees its own self-scores and a council member their
    # own scores; the others' council scores stay hidden until then (members score independently).
    show_council = movement.status == Status.PUBLISHED or roles["manage"]
    if not (roles["act"] or roles["manage"] or roles["council"] or movement.status == Status.PUBLISHED):
        raise PermissionDenied
    context = {
        "registration": registration,
        "movement": movement,
        "card": card,
        "roles": roles,
        "show_council": show_council,
        "self_form": forms.get("self_form")
        or (
            ScoreForm(criteria=leaves, initial_scores=card.self_scores) if scoring and roles["act"] else None
        ),
        "council_form": forms.get("council_form")
        or (ScoreForm(criteria=leaves, initial_scores=card.mine) if scoring and roles["council"] else None),
        "decide_form": DecideForm()
        if roles["manage"] and registration.status == Registration.Status.PENDING
        else None,
        "exemplar_form": forms.get("exemplar_form")
        or (
            ExemplarForm(initial={"story": registration.exemplar_story})
            if roles["manage"] and movement.locked
            else None
        ),
    }
    return render(request, "emulation/registration.html", context, status=status)


def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _registration_page(request, _registration(request, pk))


def _score(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    registration = _registration(request, pk)
    if request.method != "POST":
        return redirect("emulation:registration", pk=registration.pk)
    roles = selectors.registration_roles(request.user, registration)
    if not roles["act" if kind == "self" else "council"]:
        raise PermissionDenied
    seat = services.council_seat(request.user, registration.movement)
    card = selectors.card(registration, seat)
    leaves = [c for c in card.criteria if c.leaf]  # type: ignore[attr-defined]
    initial = card.self_scores if kind == "self" else card.mine
    form = ScoreForm(request.POST, criteria=leaves, initial_scores=initial)
    if form.is_valid():
        scores = form.scores()
        if form.is_valid():
            service = services.self_score if kind == "self" else services.council_score
            if (
                apply_service(
                    form, lambda: service(actor=request.user, registration=registration, scores=scores)
                )
                is not None
            ):
                messages.success(request, _("Scores saved."))
                return redirect("emulation:registration", pk=registration.pk)
    name = "self_form" if kind == "self" else "council_form"
    return _registration_page(request, registration, 400, **{name: form})


def self_score(request: HttpRequest, pk: int) -> HttpResponse:
    return _score(request, pk, "self")


def council_score(request: HttpRequest, pk: int) -> HttpResponse:
    return _score(request, pk, "council")


def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration(request, pk)
    if request.method != "POST":
        raise PermissionDenied
    movement = registration.movement
    try:
        services.registration_withdraw(actor=request.user, registration=registration)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("emulation:registration", pk=registration.pk)
    messages.success(request, _("The registration was withdrawn."))
    return redirect("emulation:detail", pk=movement.pk)


def decide(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration(request, pk)
    if request.method != "POST" or not selectors.can_manage(request.user, registration.movement):
        raise PermissionDenied
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.registration_decide(
                actor=request.user,
                registration=registration,
                approve=form.cleaned_data["approve"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("emulation:registration", pk=registration.pk)
        messages.success(request, _("Decision recorded."))
    return redirect("emulation:registration", pk=registration.pk)


def exemplar(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _registration(request, pk)
    if request.method != "POST" or not selectors.can_manage(request.user, registration.movement):
        raise PermissionDenied
    form = ExemplarForm(request.POST)
    if form.is_valid() and apply_service(
        form,
        lambda: services.exemplar_set(
            actor=request.user, registration=registration, story=form.cleaned_data["story"]
        ),
    ):
        messages.success(request, _("Saved."))
        return redirect("emulation:registration", pk=registration.pk)
    return _registration_page(request, registration, 400, exemplar_form=form)


def results(request: HttpRequest, pk: int) -> HttpResponse:
    movement = _movement(request, pk)
    if not movement.locked or not selectors.results_public(request.user, movement):
        raise PermissionDenied
    return render(
        request, "emulation/results.html", {"movement": movement, "tables": selectors.results_table(movement)}
    )


# --- Criteria sets -------------------------------------------------------------------------------


def criteria_list(request: HttpRequest) -> HttpResponse:
    if not has_any(request.user, Perm.EMULATION_VIEW):
        raise PermissionDenied
    sets = selectors.criteria_sets(request.user).select_related("organisation").order_by("name", "-version")
    return render(
        request,
        "emulation/criteria_list.html",
        {"sets": sets, "can_manage": has_any(request.user, Perm.EMULATION_MANAGE)},
    )


def _criteria_form_page(
    request: HttpRequest, form: CriteriaSetForm, criteria_set: CriteriaSet | None, organisers: Any
) -> HttpResponse:
    return render(
        request,
        "emulation/criteria_form.html",
        {"form": form, "criteria_set": criteria_set, "organisers": organisers},
        status=400 if form.is_bound and form.errors else 200,
    )


def criteria_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    organisers = _organisers(request.user)
    criteria_set = None
    if pk is not None:
        criteria_set = get_object_or_404(selectors.criteria_sets(request.user), pk=pk)
        if not allowed(request.user, Perm.EMULATION_MANAGE, criteria_set) or criteria_set.published:
            raise PermissionDenied
    if not organisers.exists():
        raise PermissionDenied
    initial = {}
    if criteria_set is not None:
        initial = {
            "name": criteria_set.name,
            "description": criteria_set.description,
            "default_step": criteria_set.default_step,
            "criteria": rows_text(criteria_set),
        }
    form = CriteriaSetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        organisation = criteria_set.organisation if criteria_set else organisers.first()
        chosen = request.POST.get("organisation")
        if criteria_set is None and chosen and chosen.isdigit():
            organisation = get_object_or_404(organisers, pk=int(chosen))
        assert organisation is not None
        saved = apply_service(
            form,
            lambda: services.criteria_set_save(
                actor=request.user,
                organisation=organisation,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                default_step=form.cleaned_data["default_step"],
                rows=form.cleaned_data["criteria"],
                criteria_set=criteria_set,
            ),
        )
        if saved is not None:
            messages.success(request, _("Criteria set saved as a draft. Check it, then publish it."))
            return redirect("emulation:criteria", pk=saved.pk)
    return _criteria_form_page(request, form, criteria_set, organisers)


def criteria_detail(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = get_object_or_404(
        selectors.criteria_sets(request.user).select_related("organisation"), pk=pk
    )
    criteria = list(criteria_set.criteria.order_by("position"))
    return render(
        request,
        "emulation/criteria_detail.html",
        {
            "criteria_set": criteria_set,
            "criteria": criteria,
            "can_manage": allowed(request.user, Perm.EMULATION_MANAGE, criteria_set),
            "used_by": criteria_set.models.select_related("movement")[:50],
        },
    )


def criteria_publish(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = get_object_or_404(selectors.criteria_sets(request.user), pk=pk)
    if request.method != "POST" or not allowed(request.user, Perm.EMULATION_MANAGE, criteria_set):
        raise PermissionDenied
    try:
        if "version" in request.POST:
            copy = services.criteria_set_new_version(actor=request.user, criteria_set=criteria_set)
            messages.success(request, _("Version %(n)s created as a draft.") % {"n": copy.version})
            return redirect("emulation:criteria_edit", pk=copy.pk)
        services.criteria_set_publish(actor=request.user, criteria_set=criteria_set)
        messages.success(request, _("Published: movements can now use it. It can no longer be changed."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("emulation:criteria", pk=criteria_set.pk)
