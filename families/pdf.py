"""Server-side PDFs (WeasyPrint) that can never make an outbound request: the only
resources a document may load are files under our own static folder."""

from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

STATIC_DIR = Path(settings.BASE_DIR, "static").resolve()


class StaticOnlyURLFetcher(URLFetcher):
    """Serves `file:` URLs inside the static folder; refuses everything else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers=None):
        if not url.startswith("file:"):
            raise ValueError(f"Blocked resource: {url}")
        path = Path(url.removeprefix("file://").split("?")[0]).resolve()
        if not path.is_relative_to(STATIC_DIR) or not path.is_file():
            raise ValueError(f"Blocked resource: {url}")
        return super().fetch(path.as_uri(), headers)


def render_pdf(template: str, context: dict, request: HttpRequest | None = None) -> bytes:
    html = render_to_string(template, context, request=request)
    base_url = STATIC_DIR.as_uri() + "/"
    return HTML(string=html, base_url=base_url, url_fetcher=StaticOnlyURLFetcher()).write_pdf()


def pdf_response(request: HttpRequest, template: str, context: dict, *, filename: str) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context, request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
