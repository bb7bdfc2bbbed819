"""Case pages. Thin: find the case for this user (404 otherwise), call one service, render or
redirect. The gate and access rules live in cases.services and cases.selectors."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.constants import Role
from accounts.net import client_ip
from accounts.selectors import team_medewerkers
from cases import services
from cases.constants import AccessAction, StepStatus
from cases.forms import (
    PARENT_LANGUAGES,
    CaseCreateForm,
    CaseDetailsForm,
    ConsultationForm,
    ScreeningForm,
    ShareForm,
)
from cases.identifiers import identifier_warning
from cases.models import Case
from cases.selectors import (
    case_for_user,
    case_log,
    case_workspace,
    my_cases,
    share_holder,
    user_can_edit,
)
from config.pdf import render_pdf
from glossary.selectors import terms_by_slug
from guidance.constants import CONSULT_STEP_KEY
from guidance.selectors import latest_versions, step_referrals
from guidance.templatetags.guidance_tags import tr
from resources.selectors import resources_for_parents


def _ip(request) -> str | None:
    return client_ip(request)


def _posted(request):
    """Bind forms on every POST, an empty one too, so it gets its error messages."""
    return request.POST if request.method == "POST" else None


def _require_edit(request, case):
    if not user_can_edit(case, request.user):
        raise PermissionDenied(_("U mag deze casus niet wijzigen."))


def _worker_only(request):
    if request.user.role != Role.MEDEWERKER:
        raise PermissionDenied(_("Casussen zijn er voor medewerkers."))


def _case(request, reference) -> Case:
    try:
        return case_for_user(user=request.user, reference=reference)
    except Case.DoesNotExist as exc:
        services.case_access_refused_record(
            user=request.user, reference=reference, ip_address=_ip(request)
        )
        raise Http404 from exc


def _log(request, case, action, detail=""):
    services.access_log_record(
        case=case, user=request.user, action=action, detail=detail, ip_address=_ip(request)
    )


def _warn_identifiers(request, *texts):
    warning = identifier_warning([t for t in texts if t])
    if warning:
        messages.warning(request, warning)


@require_safe
def case_list(request):
    _worker_only(request)
    return render(request, "cases/case_list.html", {"cases": my_cases(user=request.user)})


@require_http_methods(["GET", "POST"])
def case_new(request):
    _worker_only(request)
    versions = latest_versions()
    form = CaseCreateForm(_posted(request), versions=versions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = services.case_create(
            owner=request.user,
            guide_version=data["guide_version"],
            age_range=data["age_range"],
            gender=data["gender"],
            situation=data["situation"],
            cultural_context=data["cultural_context"],
            parent_languages=data["parent_languages"],
            notes=data["notes"],
            ip_address=_ip(request),
        )
        _warn_identifiers(request, data["cultural_context"], data["notes"])
        messages.success(request, _("Casus %(reference)s is aangemaakt.") % {"reference": case})
        return redirect(case)
    return render(request, "cases/case_new.html", {"form": form})


def _step_context(request, case, key=None):
    workspace = case_workspace(case)
    step = None
    if key is not None:
        step = next((s for s in workspace.steps if s.key == key), None)
        if step is None:
            raise Http404
    else:
        step = workspace.current
    return {
        "case": case,
        "ws": workspace,
        "step": step,
        "can_edit": user_can_edit(case, request.user) and not workspace.is_closed,
        "is_owner": case.owner_id == request.user.pk,
        "terms": terms_by_slug(step.spec["terms"]) if step else {},
        "referrals": step_referrals([step.spec], user=request.user) if step else {},
        "consultation_form": ConsultationForm() if step and step.key == CONSULT_STEP_KEY else None,
    }


@require_safe
def case_detail(request, reference):
    """The case page opens at the first open step."""
    case = _case(request, reference)
    context = _step_context(request, case)
    _log(request, case, AccessAction.VIEW, context["step"].key if context["step"] else "")
    return render(request, "cases/case_step.html", context)


@require_http_methods(["GET", "POST"])
def case_step(request, reference, key):
    case = _case(request, reference)
    if request.method == "POST":
        _require_edit(request, case)
        status = request.POST.get("status") or None
        notes = request.POST.get("notes")
        try:
            services.case_update_step(
                case=case, actor=request.user, step_key=key, status=status, notes=notes,
                ip_address=_ip(request),
            )  # fmt: skip
        except services.GateClosed as exc:
            _log(request, case, AccessAction.REFUSED, key)
            context = _step_context(request, case, key)
            context["refused"] = str(exc.args[0]) if exc.args else ""
            return render(request, "cases/case_step.html", context, status=403)
        except ValidationError as exc:
            context = _step_context(request, case, key)
            context["errors"] = exc.messages
            return render(request, "cases/case_step.html", context, status=400)
        _warn_identifiers(request, notes)
        if status == StepStatus.DONE or status == StepStatus.NOT_APPLICABLE:
            messages.success(request, _("De stap is bijgewerkt."))
            return redirect(case)
        messages.success(request, _("Uw aantekeningen zijn opgeslagen."))
        return redirect("cases:step", reference=case.reference, key=key)
    context = _step_context(request, case, key)
    _log(request, case, AccessAction.VIEW, key)
    return render(request, "cases/case_step.html", context)


def _display_questions(workspace):
    return [
        {**q, "text_display": tr(q["text"]), "help_display": tr(q.get("help_text", {}))}
        for q in workspace.questions
    ]


@require_http_methods(["GET", "POST"])
def case_screening(request, reference):
    case = _case(request, reference)
    workspace = case_workspace(case)
    notes = dict(case.answers.values_list("question_key", "note"))
    form = ScreeningForm(
        _posted(request),
        questions=_display_questions(workspace),
        answers=workspace.answers,
        notes=notes,
    )
    status = 200
    if request.method == "POST":
        _require_edit(request, case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                # All answers or none: a refused change leaves every answer as it was.
                for question in workspace.questions:
                    key = question["key"]
                    answer = data[f"q_{key}"]
                    note = data[f"n_{key}"]
                    if answer == workspace.answers.get(key, "") and note == notes.get(key, ""):
                        continue
                    services.case_answer_question(
                        case=case, actor=request.user, question_key=key, answer=answer,
                        note=note, reason=data["reason"], ip_address=_ip(request),
                    )  # fmt: skip
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            status = 400
        else:
            _warn_identifiers(
                request, data["reason"], *(data[f"n_{q['key']}"] for q in workspace.questions)
            )
            case.refresh_from_db()
            if case.honour_flagged and not services.case_gate(case).open:
                messages.error(request, services.case_gate(case).message)
                return redirect("cases:step", reference=case.reference, key=CONSULT_STEP_KEY)
            messages.success(request, _("De screening is opgeslagen."))
            return redirect(case)
    elif request.method == "POST":
        status = 400
    if request.method == "GET":
        _log(request, case, AccessAction.VIEW, "screening")
    return render(
        request,
        "cases/case_screening.html",
        {
            "case": case,
            "ws": workspace,
            "form": form,
            "can_edit": user_can_edit(case, request.user) and not workspace.is_closed,
        },
        status=status,
    )


@require_POST
def case_consult(request, reference):
    case = _case(request, reference)
    _require_edit(request, case)
    form = ConsultationForm(request.POST)
    if form.is_valid():
        try:
            services.case_record_consultation(
                case=case, actor=request.user, ip_address=_ip(request), **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Het advies is vastgelegd."))
            return redirect(case)
    if not any(step.key == CONSULT_STEP_KEY for step in case_workspace(case).steps):
        messages.error(
            request,
            _("Het advies is niet vastgelegd: %(errors)s")
            % {"errors": " ".join(str(e) for errors in form.errors.values() for e in errors)},
        )
        return redirect(case)
    context = _step_context(request, case, CONSULT_STEP_KEY)
    context["consultation_form"] = form
    return render(request, "cases/case_step.html", context, status=400)


@require_http_methods(["GET", "POST"])
def case_details(request, reference):
    case = _case(request, reference)
    initial = {
        "age_range": case.age_range,
        "gender": case.gender,
        "situation": case.situation,
        "cultural_context": case.cultural_context,
        "parent_languages": case.parent_languages,
        "notes": case.notes,
    }
    form = CaseDetailsForm(_posted(request), initial=initial)
    if request.method == "POST":
        _require_edit(request, case)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update_details(
                case=case, actor=request.user, ip_address=_ip(request), **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            _warn_identifiers(
                request, form.cleaned_data["cultural_context"], form.cleaned_data["notes"]
            )
            messages.success(request, _("De gegevens zijn opgeslagen."))
            return redirect(case)
    if request.method == "GET":
        _log(request, case, AccessAction.VIEW, "details")
    return render(
        request,
        "cases/case_details.html",
        {"case": case, "form": form, "can_edit": user_can_edit(case, request.user)},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def case_sharing(request, reference):
    case = _case(request, reference)
    if case.owner_id != request.user.pk:
        raise PermissionDenied(_("Alleen de eigenaar deelt een casus."))
    colleagues = team_medewerkers(team_id=case.team_id, exclude_pk=request.user.pk)
    form = ShareForm(_posted(request), colleagues=colleagues)
    if request.method == "POST":
        if "remove" in request.POST:
            # Any share can be ended, also one with a colleague who has left the team.
            user = share_holder(case=case, user_id=request.POST.get("remove", ""))
            if user is not None:
                services.case_unshare(
                    case=case, actor=request.user, user=user, ip_address=_ip(request)
                )
                messages.success(request, _("Delen is gestopt."))
            return redirect("cases:sharing", reference=case.reference)
        if form.is_valid():
            try:
                services.case_share(
                    case=case, actor=request.user, ip_address=_ip(request), **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("De casus is gedeeld."))
                return redirect("cases:sharing", reference=case.reference)
    if request.method == "GET":
        _log(request, case, AccessAction.VIEW, "sharing")
    shares = case.shares.select_related("user").order_by("user__display_name")
    return render(
        request,
        "cases/case_sharing.html",
        {"case": case, "form": form, "shares": shares},
        status=400 if form.errors else 200,
    )


def _plan_context(request, case):
    """The plan: steps that apply (not those marked not applicable) with the worker's notes,
    and the glossary terms they use. A locked step shows no conversation script."""
    workspace = case_workspace(case)
    steps = [s for s in workspace.steps if s.status != StepStatus.NOT_APPLICABLE]
    slugs = {slug for s in steps if not s.locked for slug in s.spec["terms"]}
    names = dict(PARENT_LANGUAGES)
    referrals = step_referrals([s.spec for s in steps if not s.locked], user=request.user)
    routes = []
    for links in referrals.values():
        routes += [route for route in links["routes"] if route not in routes]
    return {
        "case": case,
        "ws": workspace,
        "steps": steps,
        "routes": routes,
        "parent_material": resources_for_parents(
            user=request.user, languages=case.parent_languages
        ),
        "terms": sorted(terms_by_slug(slugs).values(), key=lambda t: t.pref_label.lower()),
        "languages": [str(names.get(code, code)) for code in case.parent_languages],
        "now_date": date_format(timezone.localdate(), "j F Y"),
    }


@require_safe
def case_plan(request, reference):
    case = _case(request, reference)
    context = _plan_context(request, case)
    _log(request, case, AccessAction.PRINT)
    return render(request, "cases/case_plan.html", context)


@require_safe
def case_plan_pdf(request, reference):
    case = _case(request, reference)
    html = render_to_string(
        "cases/plan_document.html", _plan_context(request, case), request=request
    )
    pdf = render_pdf(html)
    _log(request, case, AccessAction.EXPORT)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="gespreksplan-{case.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def case_log_view(request, reference):
    case = _case(request, reference)
    if case.owner_id != request.user.pk:
        raise PermissionDenied(_("Alleen de eigenaar ziet het logboek."))
    _log(request, case, AccessAction.VIEW_LOG)
    return render(
        request, "cases/case_log.html", {"case": case, "entries": case_log(case=case)[:500]}
    )


@require_POST
def case_close(request, reference):
    case = _case(request, reference)
    services.case_close(
        case=case, actor=request.user, archive="archive" in request.POST, ip_address=_ip(request)
    )
    messages.success(request, _("De casus is afgerond."))
    return redirect("cases:list")


@require_POST
def case_reopen(request, reference):
    case = _case(request, reference)
    services.case_reopen(case=case, actor=request.user, ip_address=_ip(request))
    messages.success(request, _("De casus is heropend."))
    return redirect(case)
