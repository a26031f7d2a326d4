"""Quick exit: a parent who is being watched leaves the portal in one move. The session
ends on the server, the browser is told to forget the site, and the page is replaced by
a neutral one, so that the back button does not return."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.client_address import client_ip


@login_not_required
@csrf_exempt  # Leaving must work even from a page whose form token went stale.
@require_POST
def quick_exit(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit_record(
            action=AuditAction.SIGN_OUT, actor=request.user, ip_address=client_ip(request), detail={"how": "quick_exit"}
        )
    logout(request)
    response = HttpResponseRedirect(settings.QUICK_EXIT_URL, status=303)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    response["Cache-Control"] = "no-store"
    return response
