"""A supervisor records a supervision of a family with its officer."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from families.case_page import apply_errors, case_context
from families.forms.supervision import SupervisionNoteForm
from families.services.supervision import NOTE_MAX_LENGTH, supervision_note_record
from liaison.access import SUPERVISE, get_family_or_404


@require_http_methods(["GET", "POST"])
def supervision_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, SUPERVISE, section="supervision")
    form = SupervisionNoteForm(request.POST if request.method == "POST" else None, family=family)
    if request.method == "POST" and form.is_valid():
        try:
            supervision_note_record(family=family, supervisor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The supervision note is saved. It is in the chronology."))
            return redirect(f"{reverse('families:chronology', args=[family.pk])}?kind=supervision")
    context = case_context(request, family, "families:supervision_add", form=form, limit=NOTE_MAX_LENGTH)
    return render(request, "families/supervision_form.html", context, status=400 if form.errors else 200)
