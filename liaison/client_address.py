"""The one answer to "where does this request come from?", for the lockout (django-axes),
allauth's rate limits and the audit trail alike.

Behind ``PROXY_COUNT`` reverse proxies that each append the address they saw to
X-Forwarded-For (nginx's ``$proxy_add_x_forwarded_for``), the client is the address the
outermost of our proxies wrote: the ``PROXY_COUNT``-th from the right. Whatever the client
put in the header itself stands further left and is never read. Without a proxy
(``PROXY_COUNT=0``) the header is ignored altogether, so nobody can choose their own
address by sending one."""

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as our proxies saw it; the connection's own address when no
    proxy is configured, or when a request reached the app server without passing one
    (the load balancer's health check)."""
    proxy_count = settings.PROXY_COUNT
    if proxy_count > 0:
        # django-ipware counts the proxies listed after the client in the header, so the
        # proxy next to us, which wrote the last entry, is not among them. Not strict: a
        # client may have sent a header of its own, which only makes the chain longer.
        address, _routable = get_client_ip(
            request,
            proxy_order="left-most",
            proxy_count=proxy_count - 1,
            request_header_order=(FORWARDED_FOR,),
            strict=False,
        )
        if address:
            return address
    address, _routable = get_client_ip(request, request_header_order=("REMOTE_ADDR",))
    return address
