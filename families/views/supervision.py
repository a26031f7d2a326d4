"""A supervisor records a supervision of a family with its officer."""

from functools import partial

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from families.case_page import case_form_page
from families.forms.supervision import SupervisionNoteForm
from families.services.supervision import NOTE_MAX_LENGTH, supervision_note_record
from liaison.access import SUPERVISE, get_family_or_404


@require_http_methods(["GET", "POST"])
def supervision_add(request: HttpRequest, pk: int) -> HttpResponse:
    family = get_family_or_404(request, pk, SUPERVISE, section="supervision")
    form = SupervisionNoteForm(request.POST if request.method == "POST" else None, family=family)
    return case_form_page(
        request,
        family,
        form,
        save=partial(supervision_note_record, family=family, supervisor=request.user),
        success=_("The supervision note is saved. It is in the chronology."),
        redirect_to=f"{reverse('families:chronology', args=[family.pk])}?kind=supervision",
        template="families/supervision_form.html",
        current="families:supervision_add",
        limit=NOTE_MAX_LENGTH,
    )
