from functools import partial

from django.http import HttpRequest, HttpResponse

from liaison.audit.services import AuditContext, current_context
from liaison.client_address import client_ip


class AuditContextMiddleware:
    """Makes the acting user and their address known to audit events raised deeper down
    (signals, the admin), for the length of one request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_context.set(AuditContext(user=request.user, address=partial(client_ip, request)))
        try:
            return self.get_response(request)
        finally:
            current_context.reset(token)
