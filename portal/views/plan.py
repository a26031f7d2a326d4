"""The parents' side of the safety plan: the plan in force, and the version shared with
them to read, comment on and agree to. Parents see only the parts marked for them, and
never a draft. A suspected caregiver has no portal family, so every page is a 404."""

from functools import partial

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.models import Family
from liaison.access import get_portal_family_or_404, get_portal_member_or_404
from liaison.forms import form_page
from safety_plans import services
from safety_plans.documents import photo_response, plan_pdf_response
from safety_plans.forms import PortalAgreementForm, PortalCommentForm
from safety_plans.models import VISIBLE_TO_PARENTS, MissingProfile, PlanSection, PlanStatus, PlanVersion
from safety_plans.selectors import parent_comments, portal_versions, version_parts


def _shared_version(family: Family, *statuses: str) -> PlanVersion:
    """The version shared with the parents (or agreed by them), else 404."""
    _active, shared = portal_versions(family)
    if shared is None or (statuses and shared.status not in statuses):
        raise Http404
    return shared


@require_http_methods(["GET"])
def portal_plan(request: HttpRequest) -> HttpResponse:
    """The plan in force, as the parents may read it."""
    family = get_portal_family_or_404(request)
    active, shared = portal_versions(family)
    context = {
        "version": active,
        "parts": version_parts(active, VISIBLE_TO_PARENTS),
        "waiting": shared,
        "sections": PlanSection,
        "staff_view": False,
        "writable": frozenset(),
        "pdf_available": active is not None,
    }
    return render(request, "portal/plan.html", context)


def _shared_page(request: HttpRequest, version: PlanVersion, form: PortalCommentForm) -> HttpResponse:
    context = {
        "version": version,
        "parts": version_parts(version, VISIBLE_TO_PARENTS),
        "comments": parent_comments(version),
        "form": form,
        "can_agree": version.status == PlanStatus.SHARED,
        "pdf_available": True,
        "sections": PlanSection,
        "staff_view": False,
        "writable": frozenset(),
    }
    return render(request, "portal/plan_shared.html", context)


@require_http_methods(["GET"])
def portal_plan_shared(request: HttpRequest) -> HttpResponse:
    """The new version, to read before agreeing, with the parents' own comments."""
    family = get_portal_family_or_404(request)
    return _shared_page(request, _shared_version(family), PortalCommentForm())


@require_http_methods(["POST"])
def portal_plan_comment(request: HttpRequest) -> HttpResponse:
    family = get_portal_family_or_404(request)
    version = _shared_version(family)
    form = PortalCommentForm(request.POST)
    return form_page(
        request,
        form,
        save=partial(services.plan_comment_add, version=version, actor=request.user, by_parent=True),
        success=_("Thank you. Your liaison officer will read your comment."),
        redirect_to=reverse("portal:plan_shared") + "#comments",
        show=lambda form: _shared_page(request, version, form),
    )


@require_http_methods(["GET", "POST"])
def portal_plan_agree(request: HttpRequest) -> HttpResponse:
    """One question: do the parents agree with the shared version? They confirm first."""
    family = get_portal_family_or_404(request)
    version = _shared_version(family, PlanStatus.SHARED)
    form = PortalAgreementForm(request.POST if request.method == "POST" else None)

    def agree(words: str, confirm: bool):
        agreed_by = get_portal_member_or_404(request, family)
        return services.plan_agree(version=version, agreed_by=agreed_by, words=words, recorded_by=request.user)

    return form_page(
        request,
        form,
        save=agree,
        success=_(
            "Thank you. You agreed to the plan. The police look at it next; "
            "your liaison officer tells you when the plan is in use."
        ),
        redirect_to="portal:plan",
        show=lambda form: render(request, "portal/plan_agree.html", {"form": form, "version": version}),
    )


@require_GET
def portal_plan_pdf(request: HttpRequest) -> HttpResponse:
    """The parents' copy of the active plan, or with ``?shared=1`` of the version they
    are asked to agree to (never a draft)."""
    family = get_portal_family_or_404(request)
    active, shared = portal_versions(family)
    version = shared if request.GET.get("shared") == "1" else active
    if version is None:
        raise Http404
    return plan_pdf_response(request, version, version_parts(version, VISIBLE_TO_PARENTS), family=None)


@require_GET
def portal_missing_photo(request: HttpRequest, part_pk: int) -> HttpResponse:
    family = get_portal_family_or_404(request)
    versions = [version for version in portal_versions(family) if version is not None]
    profile = MissingProfile.objects.filter(
        pk=part_pk, version__in=versions, removed_at__isnull=True, visibility__in=VISIBLE_TO_PARENTS
    ).first()
    return photo_response(profile)
