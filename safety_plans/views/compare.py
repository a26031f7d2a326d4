"""Two versions of a family's safety plan side by side, so staff and police see what a
new version changes before the parents agree to it and the police endorse it."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from families.case_page import case_context
from liaison.access import VIEW, get_family_or_404, plan_visibilities_for
from safety_plans.comparison import compare_versions
from safety_plans.forms import CompareForm
from safety_plans.selectors import plan_versions, version_parts

SECTION = "safety_plan"


@require_GET
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """``?a=N&b=M`` picks the versions; without them, the previous and the latest."""
    family = get_family_or_404(request, pk, VIEW, section=SECTION)
    versions = plan_versions(family)
    if len(versions) < 2:
        context = case_context(request, family, "safety_plans:plan", versions=versions, form=None)
        return render(request, "safety_plans/compare.html", context)

    defaults = {"a": versions[1].number, "b": versions[0].number}
    form = CompareForm(
        {name: request.GET.get(name) or default for name, default in defaults.items()}, versions=versions
    )
    numbers = form.cleaned_data if form.is_valid() else defaults
    by_number = {version.number: version for version in versions}
    if numbers["a"] not in by_number or numbers["b"] not in by_number:
        raise Http404
    left, right = by_number[numbers["a"]], by_number[numbers["b"]]
    visibilities = plan_visibilities_for(request.user)
    sections = compare_versions(
        version_parts(left, visibilities),
        version_parts(right, visibilities),
        left_review_on=left.review_on,
        right_review_on=right.review_on,
    )
    context = case_context(
        request,
        family,
        "safety_plans:plan",
        versions=versions,
        form=form,
        left=left,
        right=right,
        sections=sections,
        total_changes=sum(section.changes for section in sections),
    )
    return render(request, "safety_plans/compare.html", context, status=400 if form.errors else 200)
