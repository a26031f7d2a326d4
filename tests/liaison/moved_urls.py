"""URL patterns that put one page of the families elsewhere, for the tests of the
remembered ``{% url %}`` (``test_remembered_urls.py``)."""

from django.http import HttpResponse
from django.urls import include, path


def _page(request, pk: int) -> HttpResponse:
    return HttpResponse()


urlpatterns = [path("moved/", include(([path("elsewhere/<int:pk>/", _page, name="detail")], "families")))]
