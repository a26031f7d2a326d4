"""The PDF renderer may load our own static files and images written into the document,
and nothing else: a PDF can never make an outbound request or read another file."""

from io import BytesIO

import pytest
from PIL import Image

from liaison.pdf import (
    STATIC_DIR,
    StaticOnlyURLFetcher,
    css_string,
    image_data_url,
    page_counter_content,
    page_footer_css,
)


def jpeg() -> bytes:
    output = BytesIO()
    Image.new("RGB", (4, 4), "red").save(output, format="JPEG")
    return output.getvalue()


def test_inline_image_is_read_without_a_request():
    content = jpeg()
    response = StaticOnlyURLFetcher().fetch(image_data_url(content))
    assert response.content_type == "image/jpeg"
    assert response.read() == content


def test_static_file_is_served():
    response = StaticOnlyURLFetcher().fetch((STATIC_DIR / "css" / "pdf.css").as_uri())
    assert b"@page" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/tracker.png",
        "https://example.org/font.woff2",
        "file:///etc/passwd",
        (STATIC_DIR / ".." / "manage.py").resolve().as_uri(),
        "ftp://example.org/x.png",
        "data:text/html,<p>hello</p>",
        "data:image/svg+xml;base64,PHN2Zy8+",
        "data:,plain",
    ],
)
def test_everything_else_is_refused(url):
    with pytest.raises(ValueError, match="Blocked resource"):
        StaticOnlyURLFetcher().fetch(url)


def test_text_for_a_page_margin_box_is_escaped():
    assert css_string('a"b</style>') == '"a\\22 b\\3c \\2f style\\3e "'
    assert page_counter_content("Page %(page)s of %(pages)s") == '"Page " counter(page) " of " counter(pages)'
    assert (
        page_counter_content("%(pages)s pages, this is %(page)s")
        == 'counter(pages) " pages\\2c  this is " counter(page)'
    )
    css = page_footer_css("Plan · v1", "Page %(page)s of %(pages)s")
    assert '@bottom-left { content: "Plan \\b7  v1"; }' in css
    assert "counter(pages) !important" in css
