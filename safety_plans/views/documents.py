"""The safety plan on paper, and the photo of a missing-person profile.

A PDF holds exactly the parts its reader may see: the staff and police copy follows the
access policy, the parents' copy holds only what is marked for the parents. A photo has
no URL of its own; it is served here, after the same checks, and put into a PDF as a
`data:` URL so that the PDF renderer never asks for it.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from liaison.access import VIEW, get_family_or_404, plan_visibilities_for
from safety_plans.documents import photo_response, plan_pdf_response
from safety_plans.models import VISIBLE_TO_PARENTS, MissingProfile
from safety_plans.selectors import plan_page, version_parts

SECTION = "safety_plan"


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
        return plan_pdf_response(request, page.shown, version_parts(page.shown, VISIBLE_TO_PARENTS), family=None)
    return plan_pdf_response(request, page.shown, page.parts, family=family)


@require_GET
def missing_photo(request: HttpRequest, pk: int, part_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW, section=SECTION)
    profile = MissingProfile.objects.filter(
        pk=part_pk,
        version__plan__family=family,
        removed_at__isnull=True,
        visibility__in=plan_visibilities_for(request.user),
    ).first()
    return photo_response(profile)
