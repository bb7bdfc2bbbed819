from django.contrib.auth.decorators import permission_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from guidance.branching import reading_steps
from guidance.models import Guide, GuideVersion
from guidance.selectors import (
    guide_version,
    guide_versions,
    latest_versions,
    navigator_groups,
    reading_position,
    step_referrals,
    step_terms,
)
from guidance.services import guide_snapshot


def _version_or_404(request, slug) -> GuideVersion:
    raw = request.GET.get("versie")
    try:
        number = int(raw) if raw else None
        return guide_version(slug=slug, number=number)
    except (ValueError, GuideVersion.DoesNotExist) as exc:
        raise Http404 from exc


def _version_query(request, version: GuideVersion) -> str:
    return f"?versie={version.number}" if request.GET.get("versie") else ""


def guide_list(request):
    return render(request, "guidance/guide_list.html", {"versions": latest_versions()})


def guide_overview(request, slug):
    version = _version_or_404(request, slug)
    steps = reading_steps(snapshot=version.snapshot)
    return render(
        request,
        "guidance/guide_overview.html",
        {
            "version": version,
            "snapshot": version.snapshot,
            "steps": steps,
            "groups": navigator_groups(steps),
            "is_latest": version.number == guide_version(slug=slug).number,
            "version_query": _version_query(request, version),
        },
    )


def guide_step(request, slug, key):
    version = _version_or_404(request, slug)
    steps, index = reading_position(version.snapshot, key)
    if index is None:
        raise Http404
    step = steps[index]
    return render(
        request,
        "guidance/guide_step.html",
        {
            "version": version,
            "snapshot": version.snapshot,
            "steps": steps,
            "groups": navigator_groups(steps),
            "step": step,
            "position": index + 1,
            "previous": steps[index - 1] if index > 0 else None,
            "next": steps[index + 1] if index + 1 < len(steps) else None,
            "terms": step_terms([step]),
            "referrals": step_referrals([step], user=request.user),
            "version_query": _version_query(request, version),
        },
    )


def guide_print(request, slug):
    version = _version_or_404(request, slug)
    steps = reading_steps(snapshot=version.snapshot)
    return render(
        request,
        "guidance/guide_print.html",
        {
            "version": version,
            "snapshot": version.snapshot,
            "steps": steps,
            "terms": step_terms(steps),
            "referrals": step_referrals(steps, user=request.user),
        },
    )


def guide_version_list(request, slug):
    guide = get_object_or_404(Guide.objects.guides(), slug=slug)
    versions = guide_versions(guide=guide)
    if not versions:
        raise Http404
    return render(request, "guidance/guide_versions.html", {"guide": guide, "versions": versions})


@permission_required("guidance.change_guide", raise_exception=True)
def guide_preview(request, slug):
    """The draft as readers would see it after publishing (Beheerder only)."""
    guide = get_object_or_404(Guide.objects.guides(), slug=slug)
    snapshot = guide_snapshot(guide=guide)
    steps = reading_steps(snapshot=snapshot)
    return render(
        request,
        "guidance/guide_print.html",
        {
            "version": None,
            "snapshot": snapshot,
            "steps": steps,
            "terms": step_terms(steps),
            "referrals": step_referrals(steps, user=request.user),
        },
    )
