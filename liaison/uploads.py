"""Uploaded photos and documents: checked by their content (not their name or the
browser's word), photos re-encoded so that location and camera metadata are gone, and
kept in a private store that has no public URL. They are served only by views that pass
the access policy."""

from io import BytesIO
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
MAX_IMAGE_PIXELS = 40_000_000


class PrivateStorage(FileSystemStorage):
    """Files on disk outside every public URL; asking for a URL is a programming error."""

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a view that checks access.")


def private_storage() -> FileSystemStorage:
    return storages["private"]


def _too_large(upload) -> bool:
    return upload.size > settings.MAX_IMAGE_UPLOAD_BYTES


def clean_photo(upload) -> ContentFile:
    """A JPEG copy of an uploaded image without any metadata (EXIF, GPS, XMP,
    comments), turned upright; a ValidationError when it is not a readable image."""
    if _too_large(upload):
        limit = settings.MAX_IMAGE_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError(_("The photo is too large: at most %(limit)s MB.") % {"limit": limit}, code="too_large")
    not_a_photo = ValidationError(_("This file is not a photo. Choose a JPEG, PNG or WebP image."), code="not_image")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ACCEPTED_IMAGE_FORMATS or probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise not_a_photo
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise not_a_photo from error
    output = BytesIO()
    upright.save(output, format="JPEG", quality=88)
    return ContentFile(output.getvalue(), name="photo.jpg")


PDF_SIGNATURE = b"%PDF-"


class CleanAttachment(NamedTuple):
    """A checked upload, ready to store, and the content type to serve it with."""

    file: ContentFile
    content_type: str


def clean_attachment(upload) -> CleanAttachment:
    """A photo or screenshot (stored as a metadata-free JPEG) or a PDF (recognised by its
    first bytes); a ValidationError for anything else or anything too large."""
    if _too_large(upload):
        limit = settings.MAX_IMAGE_UPLOAD_BYTES // (1024 * 1024)
        raise ValidationError(_("The file is too large: at most %(limit)s MB.") % {"limit": limit}, code="too_large")
    upload.seek(0)
    if upload.read(len(PDF_SIGNATURE)) == PDF_SIGNATURE:
        upload.seek(0)
        return CleanAttachment(ContentFile(upload.read(), name="document.pdf"), "application/pdf")
    try:
        photo = clean_photo(upload)
    except ValidationError as error:
        raise ValidationError(
            _("This file is not a photo or a PDF. Choose a JPEG, PNG or WebP image, or a PDF."),
            code="not_accepted",
        ) from error
    return CleanAttachment(photo, "image/jpeg")


# The only kinds of file the upload check lets through, and how each is handed out.
ATTACHMENT_FILES = {"image/jpeg": ("photo.jpg", False), "application/pdf": ("document.pdf", True)}


def attachment_response(stored_file, content_type: str) -> HttpResponse:
    """A stored attachment (checked by ``clean_attachment``), never cached, never sniffed,
    with a neutral name; a PDF is downloaded rather than opened in the browser's viewer.
    Only a view that passed the access policy calls this: there is no public media URL."""
    if not stored_file or content_type not in ATTACHMENT_FILES:
        raise Http404
    filename, download = ATTACHMENT_FILES[content_type]
    try:
        stored = stored_file.open("rb")
    except OSError as error:
        raise Http404 from error
    response = FileResponse(stored, as_attachment=download, filename=filename, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
