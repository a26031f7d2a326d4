"""What every page of a family case shares: the header with its warnings and the
navigation between the parts of the case the user may see."""

from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from families.models import Family
from families.selectors.case import case_warnings
from liaison.access import sections_for
from liaison.forms import form_page
from liaison.fragments import cached_case_part
from liaison.templatetags.remembered_urls import remembered_reverse

# (url name, section the user must be allowed to see or None, label)
CASE_PARTS = [
    ("families:detail", None, _("Overview")),
    ("families:progress", "progress", _("Progress")),
    ("safety_plans:plan", "safety_plan", _("Safety plan")),
    ("families:contacts", "contacts", _("Contacts")),
    ("families:messages", "messages", _("Messages")),
    ("families:library", "library", _("Library for parents")),
    ("families:agencies", "agencies", _("Agencies")),
    ("families:needs", "needs", _("Parents' needs")),
    ("families:incidents", "incidents", _("Incidents and threats")),
    ("families:missing", "missing", _("Missing episodes")),
    ("families:shared", "shared_information", _("Shared by the parents")),
    ("families:contexts", "contexts", _("Contexts")),
    ("families:justice", "justice", _("Police and court")),
    ("family_meetings", None, _("Meetings")),
    ("families:concerns", "concerns", _("Concerns within the family")),
    ("families:consents", "consents", _("Consents")),
    ("families:chronology", "chronology", _("Chronology")),
    ("family_access_log", "access_log", _("Who looked at this file")),
]


def case_context(request: HttpRequest, family: Family, current: str, **extra) -> dict:
    """Template context for a page of the case; `current` is the url name of the page.
    ``case_sections`` is what the policy lets the user see of this case."""
    sections = sections_for(request.user, family)
    nav = [
        {"url": remembered_reverse(name, family.pk), "label": label, "current": name == current}
        for name, section, label in CASE_PARTS
        if section is None or section in sections
    ]
    warnings = case_warnings(family)
    # Whether a concern about a caregiver is open is for staff the policy lets know it.
    warnings["open_concern"] = warnings["open_concern"] and "concern_open" in sections
    warnings["sees_concerns"] = "concerns" in sections
    return {
        "family": family,
        "case_nav": nav,
        "case_sections": sections,
        "case_warnings": warnings,
        # The emergency access this page was read under, if any (see liaison.access).
        "break_glass": getattr(family, "break_glass", None),
        **extra,
    }


def kept_case_page(
    request: HttpRequest,
    family: Family,
    current: str,
    *,
    template: str,
    part: str,
    make: Callable[[], dict],
    parts: Iterable = (),
    frame: dict | None = None,
) -> HttpResponse:
    """A reading page of the case whose main part (the template ``part``, with the context
    ``make`` gives) is kept for this user until anything in the family's team changes
    (``liaison.fragments``). The header, the navigation and the read in the audit trail
    are made on every request (``frame``, when the view made them with ``case_context``
    already); ``parts`` is what else the main part depends on."""
    context = frame if frame is not None else case_context(request, family, current)
    context["content"] = cached_case_part(
        part, request=request, family=family, context=lambda: {**context, **make()}, parts=parts
    )
    return render(request, template, context)


def case_form_page(
    request: HttpRequest,
    family: Family,
    form,
    *,
    save: Callable,
    success: str | Callable | None,
    redirect_to: str | Callable,
    template: str,
    current: str,
    **extra,
) -> HttpResponse:
    """A form page of the case (``liaison.forms.form_page``) shown in the frame of the case:
    ``current`` is the url name of the page, ``extra`` what else ``template`` needs."""

    def show(form) -> HttpResponse:
        return render(request, template, case_context(request, family, current, form=form, **extra))

    return form_page(request, form, save=save, success=success, redirect_to=redirect_to, show=show)
