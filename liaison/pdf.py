"""Server-side PDFs (WeasyPrint) that can never make an outbound request: the only
resources a document may load are files under our own static folder and images
written into the document itself as `data:` URLs."""

import base64
import re
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

STATIC_DIR = Path(settings.BASE_DIR, "static").resolve()


# Images carried inside the document; decoding them makes no request.
INLINE_IMAGE = re.compile(r"data:image/(jpeg|png|webp)(;[a-z0-9=.+-]*)*,", re.IGNORECASE)


class StaticOnlyURLFetcher(URLFetcher):
    """Serves `file:` URLs inside the static folder and inline `data:` images; refuses
    everything else (http, https, other files, other kinds of `data:`)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, timeout=1)

    def fetch(self, url: str, headers=None):
        if url[:5].lower() == "data:":
            if not INLINE_IMAGE.match(url):
                raise ValueError(f"Blocked resource: {url[:40]}")
            return super().fetch(url, headers)
        if not url.startswith("file:"):
            raise ValueError(f"Blocked resource: {url}")
        path = Path(url.removeprefix("file://").split("?")[0]).resolve()
        if not path.is_relative_to(STATIC_DIR) or not path.is_file():
            raise ValueError(f"Blocked resource: {url}")
        return super().fetch(path.as_uri(), headers)


def image_data_url(content: bytes, media_type: str = "image/jpeg") -> str:
    """An image as a `data:` URL, to put a private photo into a PDF without a URL."""
    return f"data:{media_type};base64,{base64.b64encode(content).decode('ascii')}"


def css_string(text: str) -> str:
    """Text as a quoted CSS string whatever it holds: everything but letters, digits
    and spaces becomes a CSS escape."""
    escaped = "".join(char if char.isalnum() or char == " " else f"\\{ord(char):x} " for char in text)
    return f'"{escaped}"'


def page_counter_content(text: str) -> str:
    """The CSS `content` of a page margin box for a translated text such as
    "page %(page)s of %(pages)s": the placeholders become page counters, so the
    translation decides the word order."""
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
    pieces = re.split(r"(%\(pages?\)s)", text)
    return " ".join(counters.get(piece) or css_string(piece) for piece in pieces if piece)


def page_footer_css(left: str, pages: str) -> str:
    """Rules that put ``left`` at the bottom left of every page and the translated
    "page X of Y" text ``pages`` at the bottom right, in place of pdf.css's "X / Y"
    (a document's own stylesheets win over extra ones unless marked important)."""
    return (
        f"@page {{ @bottom-left {{ content: {css_string(left)}; }} "
        f"@bottom-right {{ content: {page_counter_content(pages)} !important; }} }}"
    )


def render_pdf(template: str, context: dict, request: HttpRequest | None = None, *, page_css: str = "") -> bytes:
    """``page_css`` carries rules made per document, such as translated text in the page
    margins; templates hold no inline style."""
    html = render_to_string(template, context, request=request)
    base_url = STATIC_DIR.as_uri() + "/"
    fetcher = StaticOnlyURLFetcher()
    stylesheets = [CSS(string=page_css, base_url=base_url, url_fetcher=fetcher)] if page_css else []
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets)


def pdf_response(
    request: HttpRequest, template: str, context: dict, *, filename: str, page_css: str = ""
) -> HttpResponse:
    response = HttpResponse(render_pdf(template, context, request, page_css=page_css), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
