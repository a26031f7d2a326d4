"""The safety plan on paper, and the photo of a missing-person profile, for whichever
page serves them (the staff's copy or the parents'). A photo has no URL of its own; it
is put into a PDF as a `data:` URL so that the PDF renderer never asks for it."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from families.models import Family
from liaison import pdf
from safety_plans.models import MissingProfile, PlanSection, PlanVersion, Visibility
from safety_plans.selectors import VersionParts


def photo_bytes(profile: MissingProfile) -> bytes | None:
    """The stored photo (always a metadata-free JPEG), or None when there is none."""
    if not profile.photo:
        return None
    try:
        with profile.photo.open("rb") as photo:
            return photo.read()
    except OSError:
        return None


def plan_pdf_response(
    request: HttpRequest, version: PlanVersion, parts: VersionParts, *, family: Family | None
) -> HttpResponse:
    """One template for both copies; ``family`` is given only for the staff copy, which
    names the case reference. The file name and title say nothing about the family."""
    for profile in parts.missing_profiles:
        content = photo_bytes(profile)
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


def photo_response(profile: MissingProfile | None) -> HttpResponse:
    content = photo_bytes(profile) if profile is not None else None
    if content is None:
        raise Http404
    response = HttpResponse(content, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = 'inline; filename="photo.jpg"'
    return response
