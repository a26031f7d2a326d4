"""The plan on paper and the photo of a missing-person profile: each reader gets only
what they may see, a neutral file name, and a photo that never has a URL of its own."""

import re
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from liaison.uploads import private_storage
from safety_plans import services
from safety_plans.models import MissingProfile, PersonOfConcern, PlanVersion, Visibility
from tests.factories import FamilyFactory
from tests.safety_plans.conftest import HIDDEN_MARKERS, VISIBLE_TO_PARENTS

pytestmark = pytest.mark.django_db

PARENT_MARKERS = [f"{VISIBLE_TO_PARENTS}-{field}" for field in ("sign", "do", "action", "profile", "contact")]
NEUTRAL_NAME = re.compile(r'^attachment; filename="[a-z]+(-[a-z]+)*-v\d+\.pdf"$')
GPS_IFD = 0x8825


def staff_pdf_url(family) -> str:
    return reverse("safety_plans:pdf", args=[family.pk])


def pdf_text(content: bytes) -> str:
    """The words of every page with all white space removed, so a line break in a
    narrow cell cannot hide a marker."""
    reader = PdfReader(BytesIO(content))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 22.0, 0.0), 3: "E", 4: (4.0, 53.0, 0.0)})
    output = BytesIO()
    Image.new("RGB", (64, 48), "gray").save(output, format="JPEG", exif=exif)
    return output.getvalue()


def profile(version, visibility: str) -> MissingProfile:
    return MissingProfile.objects.get(version=version, visibility=visibility)


def give_photo(part: MissingProfile, colour: str = "white") -> MissingProfile:
    """Put a stored photo on a profile as the form would leave it: a clean JPEG."""
    output = BytesIO()
    Image.new("RGB", (40, 30), colour).save(output, format="JPEG")
    name = private_storage().save("missing-profiles/test.jpg", ContentFile(output.getvalue()))
    MissingProfile.objects.filter(pk=part.pk).update(photo=name)
    part.refresh_from_db()
    return part


# The staff and police copy


def test_staff_get_a_pdf_with_a_neutral_name(english, staff_with_access, filled_draft, family, child):
    response = english(staff_with_access).get(staff_pdf_url(family))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="safety-plan-v1.pdf"'
    for name in (family.display_name, family.reference, child.full_name):
        assert name not in response["Content-Disposition"]
    assert PdfReader(BytesIO(response.content)).metadata.title == "Safety plan"


def test_file_name_stays_neutral_in_dutch(login, officer, filled_draft, family):
    response = login(officer).get(staff_pdf_url(family))
    assert response.status_code == 200
    assert NEUTRAL_NAME.match(response["Content-Disposition"])


@pytest.mark.parametrize("persona", ["other_officer", "outsider", "administrator", "parent", "suspect_caregiver"])
def test_staff_pdf_is_404_for_others(login, request, persona, filled_draft, family):
    response = login(request.getfixturevalue(persona)).get(staff_pdf_url(family))
    assert response.status_code == 404


def test_staff_pdf_is_404_for_an_unknown_version_or_without_a_current_one(english, officer, family, filled_draft):
    client = english(officer)
    assert client.get(staff_pdf_url(family), {"version": 9}).status_code == 404
    PlanVersion.objects.filter(pk=filled_draft.pk).update(status="superseded")
    assert client.get(staff_pdf_url(family)).status_code == 404


def test_officer_pdf_holds_staff_parts_but_never_police_only(english, officer, supervisor, filled_draft, family):
    for person in (officer, supervisor):
        text = pdf_text(english(person).get(staff_pdf_url(family)).content)
        assert "STAFFONLY-concern" in text
        assert "FORPARENTS-sign" in text
        assert "POLICEONLY" not in text
        assert family.reference in text


def test_police_pdf_holds_police_only_parts(english, police, filled_draft, family):
    text = pdf_text(english(police).get(staff_pdf_url(family)).content)
    assert "POLICEONLY-concern" in text
    assert "POLICEONLY-action" in text
    assert "STAFFONLY-concern" in text
    assert "donotshareitoutsidethepolice" in text


@pytest.mark.parametrize("persona", ["officer", "police"])
def test_staff_can_print_the_parents_copy(english, request, persona, filled_draft, family):
    text = pdf_text(english(request.getfixturevalue(persona)).get(f"{staff_pdf_url(family)}?for=parents").content)
    assert all(marker in text for marker in PARENT_MARKERS)
    assert not any(marker in text for marker in HIDDEN_MARKERS)
    assert family.reference not in text


def test_pdf_carries_the_stamp_and_the_page_footer(english, officer, active_plan, family):
    text = pdf_text(english(officer).get(staff_pdf_url(family)).content)
    # The stamp: status, agreement (who, when, words) and endorsement (who).
    assert "Active" in text
    assert "AgreedbytheparentsMiaParent" in text
    assert "“Weagree.”" in text
    assert "EndorsedbythepolicePatPolice" in text
    # The footer of every page: the version and "page X of Y".
    pages = len(PdfReader(BytesIO(english(officer).get(staff_pdf_url(family)).content)).pages)
    assert f"Page1of{pages}" in text
    assert f"Page{pages}of{pages}" in text
    assert "Safetyplan·Version1·Active" in text
    assert "Thisversionisnotinforce" not in text


def test_a_draft_says_it_is_not_in_force(english, officer, filled_draft, family):
    text = pdf_text(english(officer).get(staff_pdf_url(family)).content)
    assert "Thisversionisnotinforce" in text
    assert "Safetyplan·Version1·Draft" in text


def test_version_parameter_chooses_the_version(english, officer, active_plan, family):
    services.plan_version_start(family=family, created_by=officer)
    client = english(officer)
    assert client.get(staff_pdf_url(family))["Content-Disposition"].endswith('-v2.pdf"')
    response = client.get(staff_pdf_url(family), {"version": 1})
    assert response["Content-Disposition"].endswith('-v1.pdf"')
    assert "Safetyplan·Version1·Active" in pdf_text(response.content)


def test_plan_page_links_to_the_pdf(english, officer, filled_draft, family):
    response = english(officer).get(reverse("safety_plans:plan", args=[family.pk]))
    assert f"{staff_pdf_url(family)}?version=1".encode() in response.content


# The parents' copy


def test_parents_get_their_copy_of_the_active_plan(english, parent, active_plan, family, child):
    response = english(parent).get(reverse("portal:plan_pdf"))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="safety-plan-v1.pdf"'
    text = pdf_text(response.content)
    for marker in PARENT_MARKERS:
        assert marker in text
    for marker in HIDDEN_MARKERS:
        assert marker not in text
    assert family.reference not in text
    for person in PersonOfConcern.objects.filter(version=active_plan):
        assert "".join(person.name.split()) not in text
    assert "peopleofconcern" not in text.lower()
    assert "Confidential" not in text
    assert "Endorsed for the unit" not in text  # the police's note stays with staff


def test_parents_copy_of_the_shared_version_never_a_draft(english, parent, officer, filled_draft, family):
    client = english(parent)
    url = reverse("portal:plan_pdf")
    assert client.get(url, {"shared": "1"}).status_code == 404
    assert client.get(url).status_code == 404
    services.plan_share(version=filled_draft, base_revision=filled_draft.revision, actor=officer)
    response = client.get(url, {"shared": "1"})
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "FORPARENTS-sign" in text
    assert all(marker not in text for marker in HIDDEN_MARKERS)
    assert client.get(url).status_code == 404  # nothing active yet


@pytest.mark.parametrize(
    "persona", ["officer", "police", "other_officer", "outsider", "administrator", "suspect_caregiver"]
)
def test_parents_copy_is_404_without_a_portal_family(login, request, persona, active_plan):
    response = login(request.getfixturevalue(persona)).get(reverse("portal:plan_pdf"))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("persona", "route"),
    [
        ("officer", "safety_plans:pdf"),
        ("officer", "safety_plans:photo"),
        ("parent", "portal:plan_pdf"),
        ("parent", "portal:plan_photo"),
    ],
)
def test_wrong_method_is_405(login, request, persona, route, active_plan, family):
    part = give_photo(profile(active_plan, Visibility.PARENTS))
    args = {
        "safety_plans:pdf": [family.pk],
        "safety_plans:photo": [family.pk, part.pk],
        "portal:plan_pdf": [],
        "portal:plan_photo": [part.pk],
    }[route]
    response = login(request.getfixturevalue(persona)).post(reverse(route, args=args))
    assert response.status_code == 405


# Photos


def test_upload_removes_location_and_camera_data(login, officer, filled_draft, family, child):
    part = profile(filled_draft, Visibility.PARENTS)
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), content_type="image/jpeg")
    with Image.open(BytesIO(upload.read())) as original:
        assert original.getexif().get_ifd(GPS_IFD)
    upload.seek(0)
    response = login(officer).post(
        reverse("safety_plans:part_edit", args=[family.pk, "missing_profile", part.pk]),
        {
            "base_revision": filled_draft.revision,
            "child": child.pk,
            "who_calls_police": "Mother",
            "visibility": Visibility.PARENTS,
            "photo": upload,
        },
    )
    assert response.status_code == 302
    part.refresh_from_db()
    assert part.photo
    assert "IMG_0001" not in part.photo.name
    with part.photo.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info


@pytest.mark.parametrize(
    ("content", "limit", "message"),
    [(b"%PDF-1.4 not a photo", None, "not a photo"), (None, 1024, "too large")],
    ids=["not-an-image", "too-large"],
)
def test_bad_photo_gets_a_clear_error_and_nothing_is_saved(
    english, settings, officer, filled_draft, family, child, content, limit, message
):
    if limit is not None:
        settings.MAX_IMAGE_UPLOAD_BYTES = limit
    part = profile(filled_draft, Visibility.PARENTS)
    revision = filled_draft.revision
    upload = SimpleUploadedFile("photo.jpg", content or jpeg_with_gps() * 10, content_type="image/jpeg")
    response = english(officer).post(
        reverse("safety_plans:part_edit", args=[family.pk, "missing_profile", part.pk]),
        {
            "base_revision": revision,
            "child": child.pk,
            "who_calls_police": "Changed caller",
            "visibility": Visibility.PARENTS,
            "photo": upload,
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["photo"]
    assert any(message in error for error in errors)
    part.refresh_from_db()
    filled_draft.refresh_from_db()
    assert not part.photo
    assert part.who_calls_police != "Changed caller"
    assert filled_draft.revision == revision


def test_private_storage_has_no_url(filled_draft):
    part = give_photo(profile(filled_draft, Visibility.PARENTS))
    with pytest.raises(ValueError):
        part.photo.url  # noqa: B018
    with pytest.raises(ValueError):
        private_storage().url(part.photo.name)


def assert_photo_response(response) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="photo.jpg"'
    assert response.content.startswith(b"\xff\xd8")


def photo_url(family, part) -> str:
    return reverse("safety_plans:photo", args=[family.pk, part.pk])


def test_plan_page_shows_the_photo_through_the_view(login, officer, filled_draft, family):
    part = give_photo(profile(filled_draft, Visibility.PARENTS))
    response = login(officer).get(reverse("safety_plans:plan", args=[family.pk]))
    assert f'src="{photo_url(family, part)}"'.encode() in response.content


def test_staff_see_the_photo(login, staff_with_access, filled_draft, family):
    part = give_photo(profile(filled_draft, Visibility.STAFF))
    assert_photo_response(login(staff_with_access).get(photo_url(family, part)))


@pytest.mark.parametrize("persona", ["other_officer", "outsider", "administrator", "parent", "suspect_caregiver"])
def test_staff_photo_is_404_for_others(login, request, persona, filled_draft, family):
    part = give_photo(profile(filled_draft, Visibility.PARENTS))
    assert login(request.getfixturevalue(persona)).get(photo_url(family, part)).status_code == 404


def test_police_only_photo_is_for_the_police(login, officer, supervisor, police, filled_draft, family):
    part = give_photo(profile(filled_draft, Visibility.POLICE))
    assert_photo_response(login(police).get(photo_url(family, part)))
    for person in (officer, supervisor):
        assert login(person).get(photo_url(family, part)).status_code == 404


def test_photo_is_404_without_a_photo_or_for_another_family(login, officer, filled_draft, family):
    part = profile(filled_draft, Visibility.PARENTS)
    client = login(officer)
    assert client.get(photo_url(family, part)).status_code == 404
    give_photo(part)
    other_family = FamilyFactory(liaison_officer=officer, team=officer.team)
    assert client.get(reverse("safety_plans:photo", args=[other_family.pk, part.pk])).status_code == 404


def test_parents_see_a_photo_marked_for_them(login, parent, active_plan):
    part = give_photo(profile(active_plan, Visibility.PARENTS))
    assert_photo_response(login(parent).get(reverse("portal:plan_photo", args=[part.pk])))


def test_parents_never_see_a_staff_only_photo(login, parent, active_plan):
    for visibility in (Visibility.STAFF, Visibility.POLICE):
        part = give_photo(profile(active_plan, visibility))
        assert login(parent).get(reverse("portal:plan_photo", args=[part.pk])).status_code == 404


def test_parents_never_see_a_photo_of_a_draft(login, parent, filled_draft):
    part = give_photo(profile(filled_draft, Visibility.PARENTS))
    assert login(parent).get(reverse("portal:plan_photo", args=[part.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["officer", "police", "outsider", "administrator", "suspect_caregiver"])
def test_portal_photo_is_404_for_others(login, request, persona, active_plan):
    part = give_photo(profile(active_plan, Visibility.PARENTS))
    response = login(request.getfixturevalue(persona)).get(reverse("portal:plan_photo", args=[part.pk]))
    assert response.status_code == 404


def pdf_images(content: bytes) -> set[bytes]:
    """The distinct images of a PDF (pages may share one image resource)."""
    return {image.data for page in PdfReader(BytesIO(content)).pages for image in page.images}


def test_photo_goes_into_the_pdf_without_a_request(english, parent, officer, active_plan, family):
    give_photo(profile(active_plan, Visibility.PARENTS), "white")
    give_photo(profile(active_plan, Visibility.STAFF), "black")
    assert len(pdf_images(english(parent).get(reverse("portal:plan_pdf")).content)) == 1
    assert len(pdf_images(english(officer).get(staff_pdf_url(family)).content)) == 2
