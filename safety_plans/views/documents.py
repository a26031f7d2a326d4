"""The safety plan on paper, and the photo of a missing-person profile.

A PDF holds exactly the parts its reader may see: the staff and police copy follows the
access policy, the parents' copy holds only what is marked for the parents. A photo has
no URL of its own; it is served here, after the same checks, and put into a PDF as a
`data:` URL so that the PDF renderer never asks for it.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from families import pdf
from families.models import Family
from families.selectors.case import portal_family
from liaison.access import PORTAL, VIEW, get_family_or_404, log_case_read, plan_visibilities_for
from safety_plans.models import MissingProfile, PlanSection, PlanVersion, Visibility
from safety_plans.selectors import VersionParts, plan_page, portal_versions, version_parts

SECTION = "safety_plan"
# The parents' copy: what is marked for the parents, whoever asks for it.
FOR_PARENTS = (Visibility.PARENTS.value,)


def _photo_bytes(profile: MissingProfile) -> bytes | None:
    """The stored photo (always a metadata-free JPEG), or None when there is none."""
    if not profile.photo:
        return None
    try:
        with profile.photo.open("rb") as photo:
            return photo.read()
    except OSError:
        return None


def _plan_pdf(
    request: HttpRequest, version: PlanVersion, parts: VersionParts, *, family: Family | None
) -> HttpResponse:
    """One template for both copies; ``family`` is given only for the staff copy, which
    names the case reference. The file name and title say nothing about the family."""
    for profile in parts.missing_profiles:
        content = _photo_bytes(profile)
        profile.photo_data_url = pdf.image_data_url(content) if content else ""
    context = {
        "version": version,
        "parts": parts,
        "sections": PlanSection,
        "for_parents": family is None,
        "family": family,
        "has_police_parts": any(part.visibility == Visibility.POLICE for part in parts.all_parts()),
        "generated_at": timezone.now(),
    }
    # Every page's footer: the version and its status, and "page X of Y".
    footer = " · ".join([_("Safety plan"), str(version), version.get_status_display()])
    page_css = pdf.page_footer_css(footer, _("Page %(page)s of %(pages)s"))
    filename = _("safety-plan-v%(number)s.pdf") % {"number": version.number}
    return pdf.pdf_response(request, "safety_plans/pdf.html", context, filename=filename, page_css=page_css)


def _photo_response(profile: MissingProfile | None) -> HttpResponse:
    content = _photo_bytes(profile) if profile is not None else None
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = 'inline; filename="photo.jpg"'
    return response


@require_GET
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff and police copy of one version (the one the plan page shows by default);
    with ``?for=parents`` the parents' copy, for the officer to print and bring along."""
    family = get_family_or_404(request, pk, VIEW, section=SECTION)
    number = request.GET.get("version")
    page = plan_page(family, request.user, number=int(number) if number and number.isdigit() else None)
    if page is None or page.shown is None:
        raise Http404
    if request.GET.get("for") == "parents":
        return _plan_pdf(request, page.shown, version_parts(page.shown, FOR_PARENTS), family=None)
    return _plan_pdf(request, page.shown, page.parts, family=family)


@require_GET
def missing_photo(request: HttpRequest, pk: int, part_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW, section=SECTION)
    profile = MissingProfile.objects.filter(
        pk=part_pk,
        version__plan__family=family,
        removed_at__isnull=True,
        visibility__in=plan_visibilities_for(request.user),
    ).first()
    return _photo_response(profile)


def _portal_family_or_404(request: HttpRequest) -> Family:
    family = portal_family(request.user)
    if family is None:
        raise Http404
    log_case_read(request, family, PORTAL)
    return family


@require_GET
def portal_plan_pdf(request: HttpRequest) -> HttpResponse:
    """The parents' copy of the active plan, or with ``?shared=1`` of the version they
    are asked to agree to (never a draft)."""
    family = _portal_family_or_404(request)
    active, shared = portal_versions(family)
    version = shared if request.GET.get("shared") == "1" else active
    if version is None:
        raise Http404
    return _plan_pdf(request, version, version_parts(version, FOR_PARENTS), family=None)


@require_GET
def portal_missing_photo(request: HttpRequest, part_pk: int) -> HttpResponse:
    family = _portal_family_or_404(request)
    versions = [version for version in portal_versions(family) if version is not None]
    profile = MissingProfile.objects.filter(
        pk=part_pk, version__in=versions, removed_at__isnull=True, visibility__in=FOR_PARENTS
    ).first()
    return _photo_response(profile)
