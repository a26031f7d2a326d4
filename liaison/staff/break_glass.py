"""Emergency access ("break the glass"): an officer or supervisor who must read a family
outside their own work, for example on call when the family's officer cannot be reached,
gives the family's reference and a reason. They may then read, never change, that family
for an hour; it is logged and the family's supervisors are told."""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from families.models import Family
from liaison.access import VIEW, allows, break_glass_family, can_break_glass, supervised_team
from liaison.audit.selectors import recent_break_glass_in_team
from liaison.forms import GovukFormMixin, form_page
from liaison.staff.services import break_glass_grant, break_glass_reason_error

RECENT_SHOWN = 50
# The refusal of a reference that no family has, answered with 404 like any absent family.
NO_SUCH_FAMILY = "no_such_family"


class BreakGlassForm(GovukFormMixin, forms.Form):
    reference = forms.CharField(
        label=gettext_lazy("Family reference"),
        help_text=gettext_lazy("For example PL-2026-00042"),
        max_length=20,
        error_messages={
            "required": gettext_lazy("Enter the family's reference"),
            "max_length": gettext_lazy("A family reference is at most 20 characters"),
        },
    )
    reason = forms.CharField(
        label=gettext_lazy("Why do you need emergency access?"),
        help_text=gettext_lazy(
            "At least 20 characters, for example: on call, the family's officer cannot be reached and a child is "
            "missing. Write no more about the family than needed: this reason is kept in the audit trail."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        error_messages={
            "required": gettext_lazy("Enter why you need emergency access to this family"),
            "max_length": gettext_lazy("The reason must be at most 1000 characters"),
        },
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"]
        error = break_glass_reason_error(reason)
        if error:
            raise ValidationError(error)
        return reason


@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    """Ask for emergency access to one family; supervisors also see who used it lately
    for the families of their team."""
    if not can_break_glass(request.user):
        raise Http404
    form = BreakGlassForm(request.POST if request.method == "POST" else None)

    def open_family(reference: str, reason: str) -> Family:
        family = break_glass_family(request.user, reference)
        if family is None:
            no_family = ValidationError(_("No family with this reference"), code=NO_SUCH_FAMILY)
            raise ValidationError({"reference": no_family})
        # No emergency needed when the person already reads this family as usual.
        if not allows(request.user, family, VIEW):
            break_glass_grant(user=request.user, family=family, reason=reason)
        return family

    def show(form) -> HttpResponse:
        recent = []
        team = supervised_team(request.user)
        if team is not None:
            recent = list(recent_break_glass_in_team(team.pk)[:RECENT_SHOWN])
        status = 404 if form.has_error("reference", code=NO_SUCH_FAMILY) else 200
        return render(request, "liaison/break_glass.html", {"form": form, "recent": recent}, status=status)

    return form_page(
        request,
        form,
        save=open_family,
        success=None,
        redirect_to=lambda family: reverse("families:detail", args=[family.pk]),
        show=show,
    )
