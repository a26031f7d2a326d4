"""The parents' side of the safety plan: the plan in force, and the version shared with
them to read, comment on and agree to. Parents see only the parts marked for them, and
never a draft. A suspected caregiver has no portal family, so every page is a 404."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from families.models import Family, HouseholdMember
from families.selectors.case import portal_family
from liaison.access import PORTAL, log_case_read
from liaison.forms import apply_errors
from safety_plans import services
from safety_plans.forms import PortalAgreementForm, PortalCommentForm
from safety_plans.models import PlanSection, PlanStatus, PlanVersion, Visibility
from safety_plans.selectors import parent_comments, portal_versions, version_parts

# The portal shows the parts marked for parents, whoever is signed in.
FOR_PARENTS = (Visibility.PARENTS,)


def _family(request: HttpRequest) -> Family:
    family = portal_family(request.user)
    if family is None:
        raise Http404
    log_case_read(request, family, PORTAL)
    return family


def _shared_version(family: Family, *statuses: str) -> PlanVersion:
    """The version shared with the parents (or agreed by them), else 404."""
    _active, shared = portal_versions(family)
    if shared is None or (statuses and shared.status not in statuses):
        raise Http404
    return shared


def _member(request: HttpRequest, family: Family) -> HouseholdMember:
    member = request.user.household_memberships.filter(family=family, is_suspected=False).first()
    if member is None:
        raise Http404
    return member


def _pdf_available() -> bool:
    """The parents' PDF comes with its own route; link to it only once it exists."""
    try:
        reverse("safety_plans:portal_pdf")
    except NoReverseMatch:
        return False
    return True


@require_http_methods(["GET"])
def portal_plan(request: HttpRequest) -> HttpResponse:
    """The plan in force, as the parents may read it."""
    family = _family(request)
    active, shared = portal_versions(family)
    context = {
        "version": active,
        "parts": version_parts(active, FOR_PARENTS),
        "waiting": shared,
        "sections": PlanSection,
        "staff_view": False,
        "writable": frozenset(),
        "pdf_available": active is not None and _pdf_available(),
    }
    return render(request, "safety_plans/portal_plan.html", context)


def _shared_page(request: HttpRequest, version: PlanVersion, form: PortalCommentForm) -> HttpResponse:
    context = {
        "version": version,
        "parts": version_parts(version, FOR_PARENTS),
        "comments": parent_comments(version),
        "form": form,
        "can_agree": version.status == PlanStatus.SHARED,
        "pdf_available": _pdf_available(),
        "sections": PlanSection,
        "staff_view": False,
        "writable": frozenset(),
    }
    return render(request, "safety_plans/portal_plan_shared.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET"])
def portal_plan_shared(request: HttpRequest) -> HttpResponse:
    """The new version, to read before agreeing, with the parents' own comments."""
    family = _family(request)
    return _shared_page(request, _shared_version(family), PortalCommentForm())


@require_http_methods(["POST"])
def portal_plan_comment(request: HttpRequest) -> HttpResponse:
    family = _family(request)
    version = _shared_version(family)
    form = PortalCommentForm(request.POST)
    if form.is_valid():
        try:
            services.plan_comment_add(
                version=version, actor=request.user, text=form.cleaned_data["text"], by_parent=True
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you. Your liaison officer will read your comment."))
            return redirect(reverse("safety_plans:portal_plan_shared") + "#comments")
    return _shared_page(request, version, form)


@require_http_methods(["GET", "POST"])
def portal_plan_agree(request: HttpRequest) -> HttpResponse:
    """One question: do the parents agree with the shared version? They confirm first."""
    family = _family(request)
    version = _shared_version(family, PlanStatus.SHARED)
    form = PortalAgreementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_agree(
                version=version,
                agreed_by=_member(request, family),
                words=form.cleaned_data["words"],
                recorded_by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you. You agreed to the plan. The police look at it next; "
                    "your liaison officer tells you when it is in force."
                ),
            )
            return redirect("safety_plans:portal_plan")
    return render(
        request,
        "safety_plans/portal_plan_agree.html",
        {"form": form, "version": version},
        status=400 if form.errors else 200,
    )
