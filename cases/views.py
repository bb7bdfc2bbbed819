"""Case pages. Thin: find the case for this user (404 otherwise), validate a form, call one
service, render or redirect. The gate lives in cases.gate, writes in cases.services, reads
in cases.selectors."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.constants import Role
from accounts.net import client_ip
from cases import services
from cases.constants import AccessAction, StepStatus
from cases.forms import (
    CaseCreateForm,
    CaseDetailsEditForm,
    ConsultationForm,
    GoAheadForm,
    PlanOptionsForm,
    ScreeningForm,
    ShareForm,
    StatisticsFilterForm,
    StepForm,
    UnshareForm,
    seen_value,
)
from cases.identifiers import identifier_warning
from cases.models import Case
from cases.selectors import (
    case_conflict,
    case_for_user,
    case_log_rows,
    case_plan,
    case_text_history,
    case_workspace,
    my_cases,
    screening_conflict,
    share_candidates,
    share_holders,
    step_conflict,
    user_can_edit,
)
from cases.statistics import statistics_for, statistics_scope, statistics_years
from config.concurrency import VersionConflict
from config.links import url_maker
from config.pdf import render_pdf
from glossary.selectors import terms_by_slug
from guidance.constants import CONSULT_STEP_KEY
from guidance.selectors import latest_versions, step_referrals
from guidance.templatetags.guidance_tags import tr

# --- Helpers: the one way to find a case, check rights and log ---------------------------


def _ip(request) -> str | None:
    return client_ip(request)


def _posted(request):
    """Bind forms on every POST, an empty one too, so it gets its error messages."""
    return request.POST if request.method == "POST" else None


def _worker_only(request):
    if request.user.role != Role.MEDEWERKER:
        raise PermissionDenied(_("Casussen zijn er voor medewerkers."))


def _case(request, reference) -> Case:
    """The one lookup of a case for a request: the owner and who it is shared with see it;
    for everybody else it does not exist."""
    try:
        return case_for_user(user=request.user, reference=reference)
    except Case.DoesNotExist as exc:
        services.case_access_refused_record(
            user=request.user, reference=reference, ip_address=_ip(request)
        )
        raise Http404 from exc


def _editable_case(request, reference) -> Case:
    """The case, on a POST only when the user may change it."""
    case = _case(request, reference)
    if request.method == "POST" and not user_can_edit(case, request.user):
        raise PermissionDenied(_("U mag deze casus niet wijzigen."))
    return case


def _log(request, case, action, detail=""):
    services.access_log_record(
        case=case, user=request.user, action=action, detail=detail, ip_address=_ip(request)
    )


def _log_view(request, case, detail=""):
    if request.method == "GET":
        _log(request, case, AccessAction.VIEW, detail)


def _warn_identifiers(request, *texts):
    warning = identifier_warning([t for t in texts if t])
    if warning:
        messages.warning(request, warning)


def _context(request, case, workspace=None, **extra):
    workspace = workspace or case_workspace(case)
    can_edit = user_can_edit(case, request.user) and not workspace.is_closed
    return {"case": case, "ws": workspace, "can_edit": can_edit, **extra}


def _step_context(request, case, key=None, **extra):
    workspace = case_workspace(case)
    step = workspace.current if key is None else workspace.step(key)
    if step is None and key is not None:
        raise Http404
    # What the user typed stays in the form when the save was refused (nothing typed is
    # lost); the version is that of the notes the page shows, or of a conflict's.
    notes = step.notes if step else ""
    if request.method == "POST" and "notes" in request.POST:
        notes = request.POST["notes"]
    conflict = extra.get("conflict")
    step_url = url_maker("cases:step", "key", reference=case.reference)
    return _context(
        request, case, workspace, step=step, is_owner=case.owner_id == request.user.pk,
        terms=terms_by_slug(step.spec["terms"]) if step else {},
        referrals=step_referrals([step.spec], user=request.user) if step else {},
        notes_value=notes, step_urls={item.key: step_url(item.key) for item in workspace.steps},
        step_version=conflict.version if conflict else (
            workspace.step_version(step.key) if step else 0
        ),
        **extra,
    )  # fmt: skip


# --- Pages ---------------------------------------------------------------------------------


@require_safe
def case_list(request):
    _worker_only(request)
    return render(request, "cases/case_list.html", {"items": my_cases(user=request.user)})


@require_http_methods(["GET", "POST"])
def case_new(request):
    _worker_only(request)
    form = CaseCreateForm(_posted(request), versions=latest_versions())
    if request.method == "POST" and form.is_valid():
        case = services.case_create(
            owner=request.user, ip_address=_ip(request), **form.cleaned_data
        )
        _warn_identifiers(
            request, form.cleaned_data["cultural_context"], form.cleaned_data["notes"]
        )
        messages.success(request, _("Casus %(reference)s is aangemaakt.") % {"reference": case})
        return redirect(case)
    return render(request, "cases/case_new.html", {"form": form})


@require_safe
def case_detail(request, reference):
    """The case page opens at the first open step."""
    case = _case(request, reference)
    context = _step_context(request, case)
    _log(request, case, AccessAction.VIEW, context["step"].key if context["step"] else "")
    return render(request, "cases/case_step.html", context)


@require_http_methods(["GET", "POST"])
def case_step(request, reference, key):
    case = _editable_case(request, reference)
    form = StepForm(_posted(request))
    if request.method == "GET" or not form.is_valid():
        _log_view(request, case, key)
        context = _step_context(request, case, key, errors=form.errors.get("status"))
        return render(request, "cases/case_step.html", context, status=400 if form.errors else 200)
    data = form.cleaned_data
    try:
        services.case_update_step(
            case=case, actor=request.user, step_key=key, ip_address=_ip(request), **data
        )
    except services.GateClosed as exc:
        _log(request, case, AccessAction.REFUSED, key)
        context = _step_context(request, case, key, refused=str(exc.args[0]) if exc.args else "")
        return render(request, "cases/case_step.html", context, status=403)
    except VersionConflict:
        conflict = step_conflict(
            case=case, step_key=key, label=StepForm.base_fields["notes"].label,
            notes=data["notes"], status=data["status"],
        )  # fmt: skip
        context = _step_context(request, case, key, conflict=conflict)
        return render(request, "cases/case_step.html", context, status=409)
    except ValidationError as exc:
        context = _step_context(request, case, key, errors=exc.messages)
        return render(request, "cases/case_step.html", context, status=400)
    _warn_identifiers(request, data["notes"])
    return _after_step(request, case, key, data["status"])


def _after_step(request, case, key, status):
    """A finished step leads to the next open one; saved notes stay on the step."""
    if status in (StepStatus.DONE, StepStatus.NOT_APPLICABLE):
        messages.success(request, _("De stap is bijgewerkt."))
        return redirect(case)
    messages.success(request, _("Uw aantekeningen zijn opgeslagen."))
    return redirect("cases:step", reference=case.reference, key=key)


def _display_questions(workspace):
    return [
        {**q, "text_display": tr(q["text"]), "help_display": tr(q.get("help_text", {}))}
        for q in workspace.questions
    ]


@require_http_methods(["GET", "POST"])
def case_screening(request, reference):
    case = _editable_case(request, reference)
    workspace = case_workspace(case)
    rows = case.answers.values_list("question_key", "note", "version")
    notes = {key: note for key, note, _version in rows}
    versions = {key: version for key, _note, version in rows}
    form = ScreeningForm(
        _posted(request), questions=_display_questions(workspace), answers=workspace.answers,
        notes=notes, versions=versions,
    )  # fmt: skip
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.case_save_screening(
                case=case, actor=request.user, answers=form.answers(),
                reason=form.cleaned_data["reason"], versions=form.seen_versions(),
                ip_address=_ip(request),
            )  # fmt: skip
        except VersionConflict as exc:
            conflict = _screening_conflict(case, form, exc.keys)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            _warn_identifiers(request, *form.notes())
            return _after_screening(request, case)
    _log_view(request, case, "screening")
    context = _context(request, case, workspace, form=form, conflict=conflict)
    status = 409 if conflict else 400 if form.errors else 200
    return render(request, "cases/case_screening.html", context, status=status)


def _screening_conflict(case, form, keys):
    """What a colleague answered beside the user's answers, which stay in the form; the
    form moves to the stored versions, so saving again merges on purpose."""
    conflict = screening_conflict(
        case=case, keys=keys, sent=form.answers(), questions=form.questions
    )
    form.add_error(None, _("Een collega heeft intussen vragen beantwoord."))
    form.data = form.data.copy()
    form.data["seen"] = seen_value(conflict.versions)
    return conflict


def _after_screening(request, case):
    workspace = case_workspace(case)
    if workspace.gate.waits_for_advice:
        messages.error(request, workspace.gate.message)
        return redirect("cases:step", reference=case.reference, key=CONSULT_STEP_KEY)
    messages.success(request, _("De screening is opgeslagen."))
    return redirect(case)


@require_http_methods(["GET", "POST"])
def case_consult(request, reference):
    """Record an advice: its own page, one action. Recording it completes the step
    "Raadpleeg eerst Veilig Thuis"; the case then opens on the next open step."""
    case = _editable_case(request, reference)
    form = ConsultationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_record_consultation(
                case=case, actor=request.user, ip_address=_ip(request), **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Het advies is vastgelegd."))
            return redirect(case)
    _log_view(request, case, "consult")
    context = _context(request, case, form=form, consult_step_key=CONSULT_STEP_KEY)
    return render(request, "cases/case_consult.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def case_go_ahead(request, reference):
    """Why the conversation goes ahead although the young person does not know or agree."""
    case = _editable_case(request, reference)
    form = GoAheadForm(
        _posted(request), initial={"reason": case.go_ahead_reason, "version": case.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_record_go_ahead(
                case=case, actor=request.user, ip_address=_ip(request), **form.cleaned_data
            )
        except VersionConflict:
            return _case_conflict(
                request, case, form, "cases/case_go_ahead.html", detail="go_ahead",
                sent={"go_ahead_reason": form.cleaned_data["reason"].strip()},
            )  # fmt: skip
        _warn_identifiers(request, form.cleaned_data["reason"])
        messages.success(request, _("De reden is vastgelegd."))
        return redirect(case)
    _log_view(request, case, "go_ahead")
    context = _context(request, case, form=form)
    return render(request, "cases/case_go_ahead.html", context, status=400 if form.errors else 200)


def _case_conflict(request, case, form, template, *, sent, detail=""):
    """The conflict page of a case form: what a colleague saved meanwhile beside the user's
    own text, which stays in the form; the form moves to the stored version, so saving
    again merges on purpose (409, nothing saved)."""
    labels = {name: field.label for name, field in form.fields.items()}
    if "reason" in form.fields:
        labels["go_ahead_reason"] = form.fields["reason"].label
    conflict = case_conflict(case=case, sent=sent, labels=labels, detail=detail)
    form.data = form.data.copy()
    form.data["version"] = str(conflict.version)
    context = {"case": case, "form": form, "conflict": conflict, "can_edit": True}
    return render(request, template, context, status=409)


@require_http_methods(["GET", "POST"])
def case_details(request, reference):
    case = _editable_case(request, reference)
    fields = ("age_range", "gender", "situation", "cultural_context", "parent_languages", "notes")
    initial = {f: getattr(case, f) for f in fields}
    form = CaseDetailsEditForm(_posted(request), initial={**initial, "version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update_details(
                case=case, actor=request.user, ip_address=_ip(request), **form.cleaned_data
            )
        except VersionConflict:
            sent = {f: form.cleaned_data[f] for f in fields}
            return _case_conflict(request, case, form, "cases/case_details.html", sent=sent)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            data = form.cleaned_data
            _warn_identifiers(request, data["cultural_context"], data["notes"])
            messages.success(request, _("De gegevens zijn opgeslagen."))
            return redirect(case)
    _log_view(request, case, "details")
    context = {"case": case, "form": form, "can_edit": user_can_edit(case, request.user)}
    return render(request, "cases/case_details.html", context, status=400 if form.errors else 200)


def _owner_only(request, case, message):
    if case.owner_id != request.user.pk:
        raise PermissionDenied(message)


@require_http_methods(["GET", "POST"])
def case_sharing(request, reference):
    case = _case(request, reference)
    _owner_only(request, case, _("Alleen de eigenaar deelt een casus."))
    colleagues = share_candidates(case=case, user=request.user)
    if "remove" in request.POST:
        holders = share_holders(case=case)
        return _unshare(request, case, UnshareForm(request.POST, colleagues=holders))
    shares = _shares(case)
    form = ShareForm(_posted(request), colleagues=colleagues, shares=shares)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.case_share(
                case=case, actor=request.user, user=form.cleaned_data["user"],
                level=form.cleaned_data["level"], version=form.share_version(),
                ip_address=_ip(request),
            )  # fmt: skip
        except VersionConflict:
            shares, status = _sharing_conflict(case, form), 409
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("De casus is gedeeld."))
            return redirect("cases:sharing", reference=case.reference)
    _log_view(request, case, "sharing")
    context = {"case": case, "form": form, "shares": shares}
    status = 400 if form.errors and status == 200 else status
    return render(request, "cases/case_sharing.html", context, status=status)


def _shares(case):
    return list(case.shares.select_related("user").order_by("user__display_name"))


def _sharing_conflict(case, form):
    """Another tab changed the shares: show them as they are now, keep the choice; the
    form moves to the stored versions."""
    form.add_error(
        None,
        _(
            "Het delen is intussen gewijzigd (in een ander venster). Er is niets "
            "gewijzigd. Hierboven ziet u hoe de casus nu gedeeld is; kies opnieuw."
        ),
    )
    shares = _shares(case)
    form.data = form.data.copy()
    form.data["seen"] = ",".join(f"{s.user_id}:{s.version}" for s in shares)
    return shares


def _unshare(request, case, form):
    if form.is_valid():
        services.case_unshare(
            case=case, actor=request.user, user=form.cleaned_data["remove"], ip_address=_ip(request)
        )
        messages.success(request, _("Delen is gestopt."))
    return redirect("cases:sharing", reference=case.reference)


@require_safe
def case_plan_view(request, reference):
    case = _case(request, reference)
    appendix = PlanOptionsForm(request.GET).appendix()
    plan = case_plan(case=case, user=request.user, appendix=appendix)
    _log(request, case, AccessAction.PRINT)
    return render(request, "cases/case_plan.html", {"case": case, "plan": plan})


@require_safe
def case_plan_pdf(request, reference):
    case = _case(request, reference)
    appendix = PlanOptionsForm(request.GET).appendix()
    plan = case_plan(case=case, user=request.user, appendix=appendix)
    html = render_to_string(
        "cases/plan_document.html", {"case": case, "plan": plan, "pdf": True}, request=request
    )
    pdf = render_pdf(html)
    _log(request, case, AccessAction.EXPORT)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="gespreksplan-{case.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def case_history(request, reference):
    """Every saved state of the case's free texts: for whoever may see the case (owner and
    the colleagues it is shared with), logged like every other read."""
    case = _case(request, reference)
    _log(request, case, AccessAction.VIEW, "history")
    context = _context(request, case, history=case_text_history(case=case))
    return render(request, "cases/case_history.html", context)


@require_safe
def case_log_view(request, reference):
    case = _case(request, reference)
    _owner_only(request, case, _("Alleen de eigenaar ziet het logboek."))
    _log(request, case, AccessAction.VIEW_LOG)
    return render(
        request, "cases/case_log.html", {"case": case, "entries": case_log_rows(case=case)}
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


# --- Policy figures ---------------------------------------------------------------------------


def _statistics(request, *, export: bool) -> tuple[StatisticsFilterForm, object]:
    """The figures the filter asks for; every look (page or CSV) goes to the security log."""
    statistics_scope(user=request.user, region_id=None)  # refuses Medewerkers first
    years = statistics_years()
    form = StatisticsFilterForm(request.GET or None, years=years)
    year = years[0]
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["jaar"]
    stats = statistics_for(user=request.user, year=year)
    services.statistics_viewed_record(
        user=request.user,
        region_id=stats.region.pk if stats.region else None,
        year=stats.year,
        export=export,
        ip_address=client_ip(request),
    )
    return form, stats


@require_safe
def statistics(request):
    """The policy figures, k-anonymous (cases.statistics); a Coördinator's region or, for a
    Beheerder, all regions together."""
    form, stats = _statistics(request, export=False)
    return render(request, "cases/statistics.html", {"form": form, "stats": stats})


def _csv_cell(value: str) -> str:
    # A spreadsheet runs a cell that starts like a formula; a quote keeps it text.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@require_safe
def statistics_csv(request):
    """The same figures, hidden the same way, as CSV (one line per figure; x is hidden)."""
    form, stats = _statistics(request, export=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistieken-{stats.year}.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Tabel"), _("Regel"), _("Kolom"), _("Aantal")])
    for table in stats.tables:
        for row in [*table.rows, *([table.totals] if table.totals else [])]:
            for column, figure in zip(table.columns, row.cells, strict=False):
                writer.writerow(
                    [
                        _csv_cell(table.title),
                        _csv_cell(row.label),
                        _csv_cell(column),
                        figure.value if figure.shown else "x",
                    ]
                )
    return response
