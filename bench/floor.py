"""The floor of ``make bench``: the fastest a Django view answers on this machine under the
same gunicorn settings and the same wrk, with no middleware, no database and no template.
Every page of the app is printed as a ratio to it, so the figures say what the app adds
to Django itself, whatever the machine."""

from django.conf import settings

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-floor-only",  # noqa: S106  # nosec B106 - answers one constant text, keeps nothing
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        USE_I18N=False,
    )

from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path("", bare)]
application = get_wsgi_application()
