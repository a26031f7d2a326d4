"""The safety plan in the family case: reading any version, writing the draft, and
moving it from draft to active. Each view starts from the one access policy."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from families.case_page import case_context
from families.models import Family
from liaison.access import (
    CHANGE,
    EDIT_PLAN,
    ENDORSE,
    VIEW,
    allows,
    get_family_or_404,
    plan_parts_writable_by,
    plan_visibilities_for,
)
from liaison.forms import form_page
from safety_plans import services
from safety_plans.forms import (
    PART_FORMS,
    AgreementForm,
    CommentForm,
    DraftForm,
    EndorseForm,
    ReasonForm,
    ReviewDateForm,
)
from safety_plans.models import PART_MODELS, PlanSection, PlanStatus, PlanVersion
from safety_plans.selectors import plan_page

SECTION = "safety_plan"
# The code of the refusal when someone else saved the draft first (answered with 409).
CONFLICT = "conflict"


def _plan_url(family: Family) -> str:
    return reverse("safety_plans:plan", args=[family.pk])


def _open_version(family: Family, *statuses: str) -> PlanVersion:
    """The version being worked on, in one of these statuses, else 404."""
    version = PlanVersion.objects.select_related("plan").filter(plan__family=family, status__in=statuses).first()
    if version is None:
        raise Http404
    return version


def _plan_form_page(
    request, family, form, *, save, success: str | None, heading: str, submit: str, anchor: str = "", **extra
) -> HttpResponse:
    """A change of the draft or a step on the plan's way, on the plan's one form page;
    back on the plan (at ``anchor``) once saved, 409 when someone else saved first."""

    def show(form) -> HttpResponse:
        context = case_context(
            request,
            family,
            "safety_plans:plan",
            form=form,
            heading=heading,
            submit=submit,
            cancel_url=_plan_url(family),
            **extra,
        )
        status = 409 if form.has_error(NON_FIELD_ERRORS, code=CONFLICT) else 200
        return render(request, "safety_plans/form_page.html", context, status=status)

    return form_page(request, form, save=save, success=success, redirect_to=f"{_plan_url(family)}{anchor}", show=show)


def _posted(request: HttpRequest):
    """The submitted data, also when empty, so that a blank form shows its errors."""
    return request.POST if request.method == "POST" else None


@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, VIEW, section=SECTION)
    number = request.GET.get("version")
    page = plan_page(family, request.user, number=int(number) if number and number.isdigit() else None)
    if page is None:
        raise Http404
    can_edit = allows(request.user, family, EDIT_PLAN)
    shown = page.shown
    context = case_context(
        request,
        family,
        "safety_plans:plan",
        page=page,
        can_edit=can_edit,
        can_change=allows(request.user, family, CHANGE),
        can_endorse=bool(shown and shown.status == PlanStatus.AGREED and allows(request.user, family, ENDORSE)),
        writable=plan_parts_writable_by(request.user) if can_edit and shown and shown.is_draft else frozenset(),
        draft_form=DraftForm(initial={"base_revision": shown.revision}) if shown else None,
        comment_form=CommentForm(),
        sections=PlanSection,
        staff_view=True,
        pdf_url_name="safety_plans:pdf",
        photo_url_name="safety_plans:photo",
        compare_url_name="safety_plans:compare",
    )
    return render(request, "safety_plans/plan.html", context)


@require_http_methods(["POST"])
def plan_start(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, EDIT_PLAN, section=SECTION)
    try:
        version = services.plan_version_start(family=family, created_by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Version %(number)s is a draft now.") % {"number": version.number})
    return redirect(_plan_url(family))


def _writable_kind(request: HttpRequest, kind: str) -> type:
    if kind not in PART_MODELS or kind not in plan_parts_writable_by(request.user):
        raise Http404
    return PART_MODELS[kind]


def _claiming(form, version: PlanVersion, save):
    """``save`` for a change of the draft, which names the revision it started from. When
    someone else saved in between, the save is refused on the form (409) and the person's
    text stays on screen with the revision saved now, to save again after checking."""

    def claim(**data):
        try:
            return save(**data)
        except services.PlanConflict:
            form.data = form.data.copy()
            form.data["base_revision"] = PlanVersion.objects.values_list("revision", flat=True).get(pk=version.pk)
            raise ValidationError(
                _(
                    "Someone else changed this plan while you were writing. Your text is still below: "
                    "check the plan, then save again if it is still right."
                ),
                code=CONFLICT,
            ) from None

    return claim


def _part_save(request, version: PlanVersion, form):
    """The save of a part of the plan: the form has put the new values on its instance."""

    def save(*, base_revision: int, **_values):
        return services.plan_part_save(
            version=version, part=form.instance, base_revision=base_revision, actor=request.user
        )

    return _claiming(form, version, save)


@require_http_methods(["GET", "POST"])
def part_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    family = get_family_or_404(request, pk, EDIT_PLAN, section=SECTION)
    model = _writable_kind(request, kind)
    version = _open_version(family, PlanStatus.DRAFT)
    initial = {"base_revision": version.revision, "section": request.GET.get("section")}
    form = PART_FORMS[kind](
        _posted(request),
        request.FILES if request.method == "POST" else None,
        instance=model(version=version),
        initial=initial,
        user=request.user,
        family=family,
    )
    return _plan_form_page(
        request,
        family,
        form,
        save=_part_save(request, version, form),
        success=_("The plan is saved."),
        anchor=f"#{kind}",
        heading=_("Add to the plan: %(part)s") % {"part": model._meta.verbose_name},
        submit=_("Save"),
    )


def _part_or_404(request, version: PlanVersion, model, part_pk: int):
    visible = plan_visibilities_for(request.user)
    part = model.objects.filter(pk=part_pk, version=version, removed_at__isnull=True, visibility__in=visible).first()
    if part is None:
        raise Http404
    return part


@require_http_methods(["GET", "POST"])
def part_edit(request: HttpRequest, pk: int, kind: str, part_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, EDIT_PLAN, section=SECTION)
    model = _writable_kind(request, kind)
    version = _open_version(family, PlanStatus.DRAFT)
    part = _part_or_404(request, version, model, part_pk)
    form = PART_FORMS[kind](
        _posted(request),
        request.FILES if request.method == "POST" else None,
        instance=part,
        initial={"base_revision": version.revision},
        user=request.user,
        family=family,
    )
    return _plan_form_page(
        request,
        family,
        form,
        save=_part_save(request, version, form),
        success=_("The plan is saved."),
        anchor=f"#{kind}",
        heading=_("Change: %(part)s") % {"part": model._meta.verbose_name},
        submit=_("Save"),
    )


@require_http_methods(["GET", "POST"])
def part_remove(request: HttpRequest, pk: int, kind: str, part_pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, EDIT_PLAN, section=SECTION)
    model = _writable_kind(request, kind)
    version = _open_version(family, PlanStatus.DRAFT)
    part = _part_or_404(request, version, model, part_pk)
    form = DraftForm(_posted(request), initial={"base_revision": version.revision})

    def remove(base_revision: int) -> None:
        """Back to the plan either way: a conflict is said there, not on this page."""
        try:
            services.plan_part_remove(version=version, part=part, base_revision=base_revision, actor=request.user)
        except services.PlanConflict:
            messages.error(request, _("Someone else changed this plan in the meantime. Look again before removing."))
        else:
            messages.success(request, _("Removed from the draft. Earlier versions keep it."))

    return _plan_form_page(
        request,
        family,
        form,
        save=remove,
        success=None,
        anchor=f"#{kind}",
        heading=_("Remove this from the draft?"),
        submit=_("Remove"),
        warning=True,
        part=part,
    )


@require_http_methods(["GET", "POST"])
def review_date(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section=SECTION)
    version = _open_version(family, PlanStatus.DRAFT)
    initial = {"base_revision": version.revision, "review_on": version.review_on}
    form = ReviewDateForm(_posted(request), initial=initial)
    return _plan_form_page(
        request,
        family,
        form,
        save=_claiming(form, version, partial(services.plan_review_date_set, version=version, actor=request.user)),
        success=_("The review date is saved."),
        heading=_("Review date of the plan"),
        submit=_("Save"),
    )


@require_http_methods(["POST"])
def plan_share(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, CHANGE, section=SECTION)
    version = _open_version(family, PlanStatus.DRAFT)
    form = DraftForm(request.POST)
    try:
        if not form.is_valid():
            raise services.PlanConflict
        services.plan_share(version=version, base_revision=form.cleaned_data["base_revision"], actor=request.user)
    except services.PlanConflict:
        messages.error(request, _("Someone else changed this plan in the meantime. Read it again before sharing."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The plan is shared with the parents."))
    return redirect(_plan_url(family))


@require_http_methods(["GET", "POST"])
def plan_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, EDIT_PLAN, section=SECTION)
    version = _open_version(family, PlanStatus.SHARED, PlanStatus.AGREED)
    form = ReasonForm(_posted(request))
    return _plan_form_page(
        request,
        family,
        form,
        save=partial(services.plan_reopen, version=version, actor=request.user),
        success=_("The plan is a draft again. The parents will need to agree again."),
        heading=_("Take the plan back to draft"),
        intro=_("The parents' agreement, if given, is withdrawn; they agree again to the changed plan."),
        submit=_("Back to draft"),
        warning=True,
    )


@require_http_methods(["GET", "POST"])
def agreement_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer records that the parents agreed during a visit."""
    family = get_family_or_404(request, pk, CHANGE, section=SECTION)
    version = _open_version(family, PlanStatus.SHARED)
    form = AgreementForm(_posted(request), family=family)
    return _plan_form_page(
        request,
        family,
        form,
        save=partial(services.plan_agree, version=version, recorded_by=request.user),
        success=_("The parents' agreement is recorded."),
        heading=_("Record the parents' agreement"),
        submit=_("Record"),
    )


@require_http_methods(["GET", "POST"])
def plan_endorse(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, ENDORSE, section=SECTION)
    version = _open_version(family, PlanStatus.AGREED)
    form = EndorseForm(_posted(request))
    return _plan_form_page(
        request,
        family,
        form,
        save=partial(services.plan_endorse, version=version, officer=request.user),
        success=_("The plan is endorsed and active."),
        heading=_("Endorse the plan on behalf of the police"),
        intro=_("The version the parents agreed to becomes the active plan."),
        submit=_("Endorse"),
    )


@require_http_methods(["POST"])
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, EDIT_PLAN, section=SECTION)
    version = _open_version(family, PlanStatus.SHARED, PlanStatus.AGREED)
    form = CommentForm(request.POST)
    return _plan_form_page(
        request,
        family,
        form,
        save=partial(services.plan_comment_add, version=version, actor=request.user),
        success=_("The comment is added."),
        anchor="#comments",
        heading=_("Add a comment"),
        submit=_("Add"),
    )
