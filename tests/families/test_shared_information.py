"""Information parents share: a parent sends what they saw or found (with a photo,
screenshot or PDF), the police partners of the family's unit confirm receipt and say what
became of it, and the parent sees the status and the feedback. Nobody else reaches it,
nothing staff-only reaches the parents, and each list costs a fixed number of queries."""

import re
from datetime import timedelta
from io import BytesIO

import factory
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from families.models import (
    ContactEntry,
    ContactKind,
    FamilyStatus,
    Incident,
    IncidentKind,
    SharedInformation,
    SharedStatus,
)
from families.selectors.shared import awaiting_acknowledgement
from families.services.shared import shared_information_acknowledge, shared_information_record
from liaison.accounts.models import NotifyBy, Role
from liaison.audit.models import AuditAction, AuditEvent
from liaison.uploads import private_storage
from tests.factories import (
    ChildFactory,
    FamilyFactory,
    HouseholdMemberFactory,
    PoliceUnitFactory,
    UserFactory,
    confirmed_totp,
)

pytestmark = pytest.mark.django_db

PORTAL_LIST = reverse("portal:shared")
SHARE = reverse("portal:share")
WAITING = reverse("families:shared_waiting")
GPS_IFD = 0x8825
STAFF_ONLY = "STAFFONLY"
# Staff who may not even see the family's case.
NO_CASE_ACCESS = ["other_officer", "outsider", "police_of_another_unit", "administrator", "parent", "suspect_caregiver"]


class SharedInformationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SharedInformation

    text = factory.Sequence(lambda n: f"A black scooter waited at the school gate, afternoon {n}.")
    created_by = factory.LazyAttribute(lambda o: o.family.liaison_officer)


@pytest.fixture
def police_of_another_unit():
    user = UserFactory(role=Role.POLICE, police_unit=PoliceUnitFactory(name="Vice unit South"), full_name="Pim South")
    confirmed_totp(user)
    return user


@pytest.fixture
def shared(family, parent):
    return SharedInformationFactory(family=family, created_by=parent, text="Rico drives a grey Golf, 12-ABC-3.")


def section_url(family) -> str:
    return reverse("families:shared", args=[family.pk])


def answer_url(item) -> str:
    return reverse("families:shared_acknowledge", args=[item.family_id, item.pk])


def staff_file_url(item) -> str:
    return reverse("families:shared_attachment", args=[item.family_id, item.pk])


def portal_file_url(item) -> str:
    return reverse("portal:shared_attachment", args=[item.pk])


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (52.0, 22.0, 0.0), 3: "E", 4: (4.0, 53.0, 0.0)})
    output = BytesIO()
    Image.new("RGB", (64, 48), "gray").save(output, format="JPEG", exif=exif)
    return output.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def share_post(**overrides) -> dict:
    data = {
        "text": "A man in a grey Golf gave my daughter a new phone.",
        "happened_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
        "happened_where": "Outside the sports hall",
        "child_must_not_know": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def with_file(item: SharedInformation, content: bytes, content_type: str) -> SharedInformation:
    name = private_storage().save("shared-information/test", BytesIO(content))
    SharedInformation.objects.filter(pk=item.pk).update(attachment=name, attachment_type=content_type)
    item.refresh_from_db()
    return item


def case_changes(what: str):
    return AuditEvent.objects.filter(action=AuditAction.CASE_CHANGED, detail__what=what)


def title_of(body: str) -> str:
    return body.split("<title>")[1].split("</title>")[0]


# A parent shares


def test_a_parent_shares_what_they_saw_and_it_is_recorded_as_sent(english, parent, family):
    response = english(parent).post(SHARE, share_post())
    assert response.status_code == 302
    assert response.url == PORTAL_LIST
    item = SharedInformation.objects.get()
    assert item.family == family
    assert item.created_by == parent
    assert item.text == "A man in a grey Golf gave my daughter a new phone."
    assert item.happened_on == timezone.localdate() - timedelta(days=2)
    assert item.happened_where == "Outside the sports hall"
    assert item.child_must_not_know is True
    assert item.status == SharedStatus.SENT
    assert not item.attachment
    event = case_changes("information_shared").get()
    assert event.actor == parent
    assert event.family_id == family.pk
    assert "Golf" not in str(event.detail)


def test_date_place_and_child_warning_are_optional(english, parent):
    response = english(parent).post(
        SHARE, share_post(happened_on="", happened_where="", child_must_not_know=None, text="  Only this.  ")
    )
    assert response.status_code == 302
    item = SharedInformation.objects.get()
    assert (item.text, item.happened_on, item.happened_where, item.child_must_not_know) == (
        "Only this.",
        None,
        "",
        False,
    )


def test_a_shared_photo_loses_its_location_and_camera_details(english, parent):
    upload = SimpleUploadedFile("IMG_0042.jpg", jpeg_with_gps(), content_type="image/jpeg")
    client = english(parent)
    assert client.post(SHARE, share_post(attachment=upload)).status_code == 302
    item = SharedInformation.objects.get()
    assert item.attachment_type == "image/jpeg"
    assert "IMG_0042" not in item.attachment.name
    with item.attachment.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        exif = image.getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert 0x010F not in exif
    response = client.get(portal_file_url(item))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("inline")


def test_a_screenshot_is_stored_as_a_plain_jpeg(english, parent):
    output = BytesIO()
    Image.new("RGBA", (30, 60), (0, 0, 255, 128)).save(output, format="PNG")
    upload = SimpleUploadedFile("Screenshot 2026-03-01.png", output.getvalue(), content_type="image/png")
    assert english(parent).post(SHARE, share_post(attachment=upload)).status_code == 302
    item = SharedInformation.objects.get()
    assert item.attachment_type == "image/jpeg"
    with item.attachment.open("rb") as stored, Image.open(stored) as image:
        assert (image.format, image.size) == ("JPEG", (30, 60))


def test_a_shared_pdf_is_kept_and_handed_out_as_a_download(english, parent, police):
    upload = SimpleUploadedFile("police-report.pdf", PDF, content_type="application/pdf")
    assert english(parent).post(SHARE, share_post(attachment=upload)).status_code == 302
    item = SharedInformation.objects.get()
    assert item.attachment_type == "application/pdf"
    response = english(police).get(staff_file_url(item))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="document.pdf"'
    assert b"".join(response.streaming_content) == PDF


def test_the_form_says_who_will_read_it_and_has_a_neutral_title(english, parent):
    body = english(parent).get(SHARE).content.decode()
    assert "Your liaison officer and the police who work with your family." in body
    assert "My child must not learn that this came from me" in body
    assert 'enctype="multipart/form-data"' in body
    assert "police" not in title_of(body).lower()


def test_the_parent_sees_what_they_shared_with_its_status(english, parent, shared):
    response = english(parent).get(PORTAL_LIST)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Rico drives a grey Golf, 12-ABC-3." in body
    assert "Sent" in body
    assert "police" not in title_of(body).lower()
    assert AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED, detail__path=PORTAL_LIST).exists()


def test_the_portal_home_and_menu_lead_to_sharing(english, parent):
    body = english(parent).get(reverse("portal:home")).content.decode()
    assert SHARE in body
    assert PORTAL_LIST in body


def test_a_parent_never_sees_what_another_caregiver_shared(english, parent, family, shared):
    other_parent = HouseholdMemberFactory(family=family, full_name="Max Parent").user
    theirs = with_file(
        SharedInformationFactory(family=family, created_by=other_parent, text="About the stepfather."),
        PDF,
        "application/pdf",
    )
    client = english(parent)
    assert "About the stepfather." not in client.get(PORTAL_LIST).content.decode()
    assert client.get(portal_file_url(theirs)).status_code == 404


def test_a_parent_of_another_family_reaches_nothing_of_this_one(english, shared):
    item = with_file(shared, jpeg_with_gps(), "image/jpeg")
    stranger = HouseholdMemberFactory(family=FamilyFactory(), full_name="Nora Elsewhere").user
    client = english(stranger)
    assert "Rico" not in client.get(PORTAL_LIST).content.decode()
    assert client.get(portal_file_url(item)).status_code == 404
    assert client.get(staff_file_url(item)).status_code == 404
    assert client.get(section_url(item.family)).status_code == 404


def test_a_suspected_caregiver_gets_404_everywhere(english, suspect_caregiver, shared):
    item = with_file(shared, jpeg_with_gps(), "image/jpeg")
    client = english(suspect_caregiver)
    for url in (PORTAL_LIST, SHARE, portal_file_url(item), section_url(item.family), staff_file_url(item), WAITING):
        assert client.get(url).status_code == 404, url
    assert client.post(SHARE, share_post(text="From the suspect")).status_code == 404
    assert not any(item.text == "From the suspect" for item in SharedInformation.objects.all())


@pytest.mark.parametrize("persona", ["officer", "police", "administrator"])
def test_staff_have_no_parents_pages(request, english, persona):
    client = english(request.getfixturevalue(persona))
    assert client.get(PORTAL_LIST).status_code == 404
    assert client.post(SHARE, share_post()).status_code == 404
    assert not SharedInformation.objects.exists()


def test_a_parent_of_a_closed_case_is_told_to_call_instead(english, parent, family):
    family.status, family.closing_reason = FamilyStatus.CLOSED, "Goals reached."
    family.save()
    client = english(parent)
    assert "Your case is closed" in client.get(SHARE).content.decode()
    response = client.post(SHARE, share_post())
    assert response.status_code == 400
    assert not SharedInformation.objects.exists()


# Bad input: a clear error, nothing saved, and what the parent typed is still there


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": "   "}, "Write what you saw or found."),
        ({"text": "x" * 5001}, "Use at most 5000 characters."),
        ({"happened_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "The date cannot be in the future."),
        ({"happened_on": "2026-02-31"}, "Enter a real date"),
        ({"happened_where": "y" * 201}, "Use at most 200 characters."),
    ],
)
def test_bad_input_is_refused_and_the_typed_words_stay(english, parent, overrides, message):
    data = share_post(**overrides)
    response = english(parent).post(SHARE, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "govuk-error-summary" in body
    assert not SharedInformation.objects.exists()
    if data["text"].strip():
        assert data["text"] in body
    assert f'value="{data["happened_where"]}"' in body
    assert re.search(r'<input type="checkbox" name="child_must_not_know"[^>]* checked', body)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
        ("holiday.jpg", b"This is only text, renamed to look like a photo."),
        ("note.pdf.jpg", b"%PDX-1.4 not really a pdf"),
    ],
)
def test_a_file_that_is_no_photo_and_no_pdf_is_refused(english, parent, name, content):
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = english(parent).post(SHARE, share_post(attachment=upload))
    assert response.status_code == 400
    body = response.content.decode()
    assert "This file is not a photo or a PDF. Choose a JPEG, PNG or WebP image, or a PDF." in body
    assert "Please choose your file again." in body
    assert "A man in a grey Golf gave my daughter a new phone." in body
    assert not SharedInformation.objects.exists()


@pytest.mark.parametrize("content", [jpeg_with_gps(), PDF + b"0" * 4096])
def test_a_file_that_is_too_large_is_refused(english, parent, content):
    upload = SimpleUploadedFile("big", content)
    with override_settings(MAX_IMAGE_UPLOAD_BYTES=len(content) - 1):
        response = english(parent).post(SHARE, share_post(attachment=upload))
    assert response.status_code == 400
    body = response.content.decode()
    assert "The file is too large" in body
    assert "A man in a grey Golf gave my daughter a new phone." in body
    assert not SharedInformation.objects.exists()


def test_every_problem_shows_at_once(english, parent):
    upload = SimpleUploadedFile("holiday.jpg", b"plain text", content_type="image/jpeg")
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = english(parent).post(SHARE, share_post(text="", happened_on=future, attachment=upload))
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"text", "happened_on", "attachment"}


def test_the_service_refuses_bad_input_on_its_own(parent, family):
    upload = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as refused:
        shared_information_record(
            family=family,
            shared_by=parent,
            text=" ",
            happened_on=timezone.localdate() + timedelta(days=1),
            attachment=upload,
        )
    assert set(refused.value.message_dict) == {"text", "happened_on", "attachment"}
    assert not SharedInformation.objects.exists()
    assert not case_changes("information_shared").exists()


def test_an_error_elsewhere_asks_for_the_file_again(english, parent):
    upload = SimpleUploadedFile("photo.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = english(parent).post(SHARE, share_post(text="", attachment=upload))
    assert response.status_code == 400
    assert "Please choose your file again." in response.content.decode()
    assert not SharedInformation.objects.exists()


@pytest.mark.parametrize(("url", "method"), [(SHARE, "put"), (SHARE, "delete"), (PORTAL_LIST, "post")])
def test_the_parents_pages_refuse_other_methods(english, parent, url, method):
    assert getattr(english(parent), method)(url).status_code == 405


def test_the_parents_file_refuses_post(english, parent, shared):
    item = with_file(shared, jpeg_with_gps(), "image/jpeg")
    assert english(parent).post(portal_file_url(item)).status_code == 405


# Staff read the section


@pytest.mark.parametrize("persona", ["officer", "supervisor", "police"])
def test_staff_with_access_read_what_the_parents_shared(request, english, family, parent, shared, persona):
    with_file(shared, jpeg_with_gps(), "image/jpeg")
    response = english(request.getfixturevalue(persona)).get(section_url(family))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Rico drives a grey Golf, 12-ABC-3." in body
    assert parent.full_name in body
    assert staff_file_url(shared) in body
    assert f'href="{section_url(family)}"' in body  # the case navigation names the section
    assert "Shared by the parents" in body


@pytest.mark.parametrize("persona", NO_CASE_ACCESS)
def test_everyone_else_gets_404_for_the_section_and_its_files(request, english, family, shared, persona):
    item = with_file(shared, jpeg_with_gps(), "image/jpeg")
    client = english(request.getfixturevalue(persona))
    assert client.get(section_url(family)).status_code == 404
    assert client.get(staff_file_url(item)).status_code == 404
    assert client.get(answer_url(item)).status_code == 404


def test_the_staff_file_is_served_privately_and_the_read_is_logged(english, police, shared):
    item = with_file(shared, jpeg_with_gps(), "image/jpeg")
    response = english(police).get(staff_file_url(item))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(
        action=AuditAction.CASE_VIEWED, actor=police, detail__path=staff_file_url(item)
    ).exists()


def test_a_file_of_another_family_is_not_served_through_this_one(english, officer, family):
    other = FamilyFactory(liaison_officer=officer, team=officer.team)
    item = with_file(SharedInformationFactory(family=other), PDF, "application/pdf")
    url = reverse("families:shared_attachment", args=[family.pk, item.pk])
    assert english(officer).get(url).status_code == 404


def test_an_item_without_a_file_has_no_file(english, officer, shared):
    assert english(officer).get(staff_file_url(shared)).status_code == 404


def test_the_child_must_not_know_warning_stands_out(english, police, family, shared):
    SharedInformation.objects.filter(pk=shared.pk).update(child_must_not_know=True)
    body = english(police).get(section_url(family)).content.decode()
    assert "The child must not learn that this came from the parents" in body
    assert "govuk-warning-text" in body


@pytest.mark.parametrize(("url_name", "method"), [("families:shared", "post"), ("families:shared", "put")])
def test_the_section_refuses_other_methods(english, officer, family, url_name, method):
    assert getattr(english(officer), method)(reverse(url_name, args=[family.pk])).status_code == 405


def test_the_staff_file_and_the_answer_refuse_other_methods(english, police, shared):
    item = with_file(shared, jpeg_with_gps(), "image/jpeg")
    client = english(police)
    assert client.post(staff_file_url(item)).status_code == 405
    assert client.put(answer_url(item)).status_code == 405
    assert client.delete(answer_url(item)).status_code == 405


# The police answer


def test_the_police_of_the_unit_answer_and_the_parent_sees_it(english, police, parent, family, shared):
    client = english(police)
    list_body = client.get(section_url(family)).content.decode()
    assert answer_url(shared) in list_body
    assert "Confirm receipt" in list_body
    assert client.get(answer_url(shared)).status_code == 200
    response = client.post(answer_url(shared), {"status": SharedStatus.ACTED_ON, "feedback": "  We spoke to him.  "})
    assert response.status_code == 302
    assert response.url == section_url(family)
    shared.refresh_from_db()
    assert shared.status == SharedStatus.ACTED_ON
    assert shared.police_feedback == "We spoke to him."
    assert shared.acknowledged_by == police
    assert shared.acknowledged_at is not None
    assert shared.status_changed_at is not None
    event = case_changes("shared_information_acknowledged").get()
    assert event.actor == police
    assert event.detail["status"] == SharedStatus.ACTED_ON
    assert "spoke" not in str(event.detail)
    body = english(parent).get(PORTAL_LIST).content.decode()
    assert "The police did something with it" in body
    assert "We spoke to him." in body
    assert "Change the answer" in client.get(section_url(family)).content.decode()


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (SharedStatus.RECEIVED, "The police received it"),
        (SharedStatus.NO_ACTION, "The police could not do anything with it"),
    ],
)
def test_the_parent_reads_each_answer_in_plain_words(english, police, parent, shared, status, words):
    shared_information_acknowledge(item=shared, officer=police, status=status)
    assert words in english(parent).get(PORTAL_LIST).content.decode()


def test_a_later_answer_keeps_who_received_it_first(police, family, shared):
    colleague = UserFactory(role=Role.POLICE, police_unit=family.police_unit)
    first = shared_information_acknowledge(item=shared, officer=police, status=SharedStatus.RECEIVED)
    received_at = first.acknowledged_at
    later = shared_information_acknowledge(item=first, officer=colleague, status=SharedStatus.ACTED_ON, feedback="Done")
    assert later.acknowledged_by == police
    assert later.acknowledged_at == received_at
    assert later.status == SharedStatus.ACTED_ON
    assert later.status_changed_at >= received_at


def test_the_parents_are_told_that_there_is_news_without_what_it_is(
    english, police, parent, shared, django_capture_on_commit_callbacks
):
    parent.notify_by = NotifyBy.EMAIL
    parent.save(update_fields=["notify_by"])
    with django_capture_on_commit_callbacks(execute=True):
        english(police).post(answer_url(shared), {"status": SharedStatus.RECEIVED, "feedback": "Thank you, Rico"})
    assert [message.to for message in mail.outbox] == [[parent.email]]
    assert "Rico" not in mail.outbox[0].body and "police" not in mail.outbox[0].subject.lower()


@pytest.mark.parametrize("persona", ["officer", "supervisor"])
def test_liaison_staff_cannot_answer_for_the_police(request, english, family, shared, persona):
    client = english(request.getfixturevalue(persona))
    assert answer_url(shared) not in client.get(section_url(family)).content.decode()
    assert client.get(answer_url(shared)).status_code == 404
    assert client.post(answer_url(shared), {"status": SharedStatus.RECEIVED}).status_code == 404
    shared.refresh_from_db()
    assert shared.status == SharedStatus.SENT


def test_police_of_another_unit_cannot_answer(english, police_of_another_unit, shared):
    response = english(police_of_another_unit).post(answer_url(shared), {"status": SharedStatus.RECEIVED})
    assert response.status_code == 404
    shared.refresh_from_db()
    assert shared.status == SharedStatus.SENT


def test_an_item_of_a_closed_case_cannot_be_answered(english, police, family, shared):
    family.status, family.closing_reason = FamilyStatus.CLOSED, "Moved abroad."
    family.save()
    assert english(police).post(answer_url(shared), {"status": SharedStatus.RECEIVED}).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"feedback": "No status"}, "Choose what became of the information."),
        ({"status": SharedStatus.SENT}, "Choose what became of the information."),
        ({"status": SharedStatus.RECEIVED, "feedback": "z" * 1001}, "Use at most 1000 characters."),
    ],
)
def test_a_bad_answer_is_refused_and_nothing_changes(english, police, shared, data, message):
    response = english(police).post(answer_url(shared), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    shared.refresh_from_db()
    assert shared.status == SharedStatus.SENT
    assert shared.acknowledged_at is None
    assert not case_changes("shared_information_acknowledged").exists()


# Waiting for the police


@pytest.mark.parametrize("persona", ["officer", "supervisor", "police"])
def test_staff_see_what_waits_for_the_police_in_their_families(request, english, family, shared, persona):
    client = english(request.getfixturevalue(persona))
    response = client.get(WAITING)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [shared]
    body = response.content.decode()
    assert section_url(family) in body
    assert "Rico" not in body  # the list names the case, the text waits behind the case's own page
    assert WAITING in client.get(reverse("families:caseload")).content.decode()


@pytest.mark.parametrize("persona", ["other_officer", "outsider", "police_of_another_unit"])
def test_staff_of_other_families_see_nothing_waiting(request, english, shared, persona):
    response = english(request.getfixturevalue(persona)).get(WAITING)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == []
    assert "Nothing is waiting for the police." in response.content.decode()


@pytest.mark.parametrize("persona", ["administrator", "parent", "suspect_caregiver"])
def test_people_without_case_access_get_404_for_the_waiting_list(request, english, shared, persona):
    assert english(request.getfixturevalue(persona)).get(WAITING).status_code == 404


def test_the_waiting_list_holds_only_unanswered_items_of_open_cases_oldest_first(police, officer, family, parent):
    newer = SharedInformationFactory(family=family, created_by=parent)
    older = SharedInformationFactory(family=family, created_by=parent)
    SharedInformation.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=3))
    answered = SharedInformationFactory(family=family, created_by=parent)
    shared_information_acknowledge(item=answered, officer=police, status=SharedStatus.RECEIVED)
    closed = FamilyFactory(
        liaison_officer=officer, police_unit=family.police_unit, status=FamilyStatus.CLOSED, closing_reason="Done"
    )
    SharedInformationFactory(family=closed)
    other_unit = FamilyFactory(liaison_officer=officer)
    SharedInformationFactory(family=other_unit)
    assert list(awaiting_acknowledgement(police)) == [older, newer]


def test_the_waiting_list_refuses_post(english, police):
    assert english(police).post(WAITING).status_code == 405


# A fixed number of queries however many items (PostgreSQL adds one for the audit
# trail's advisory lock, hence the headroom over the SQLite count).


def fill(family, parent, police, count: int) -> None:
    items = SharedInformationFactory.create_batch(count, family=family, created_by=parent, child_must_not_know=True)
    for item in items[::2]:
        shared_information_acknowledge(item=item, officer=police, status=SharedStatus.RECEIVED, feedback="Seen")
    with_file(items[0], PDF, "application/pdf")


@pytest.mark.parametrize("count", [3, 30])
def test_the_section_costs_the_same_queries_for_3_and_30_items(
    english, police, parent, family, count, django_assert_max_num_queries
):
    fill(family, parent, police, count)
    client = english(police)
    with django_assert_max_num_queries(18):
        response = client.get(section_url(family))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_the_waiting_list_costs_the_same_queries_for_3_and_30_items(
    english, officer, police, parent, family, count, django_assert_max_num_queries
):
    fill(family, parent, police, count)
    for _ in range(count):
        other = FamilyFactory(liaison_officer=officer, police_unit=family.police_unit)
        SharedInformationFactory(family=other, created_by=officer)
    client = english(officer)
    # Three more than before the due dates: the agreed plans and the texts for the parents
    # that wait for the police, and reading the person's reminders.
    with django_assert_max_num_queries(17):
        response = client.get(WAITING)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_the_parents_list_costs_the_same_queries_for_3_and_30_items(
    english, police, parent, family, count, django_assert_max_num_queries
):
    fill(family, parent, police, count)
    client = english(parent)
    with django_assert_max_num_queries(15):
        response = client.get(PORTAL_LIST)
    assert response.status_code == 200


# Nothing staff-only reaches the parents


def test_staff_only_words_never_reach_the_parents_pages(english, parent, police, officer, family, suspect_caregiver):
    family.referral_note = f"{STAFF_ONLY}-referral"
    family.display_name = f"{STAFF_ONLY}-family-name"
    family.save()
    ChildFactory(family=family, full_name=f"{STAFF_ONLY}-child", school=f"{STAFF_ONLY}-school")
    Incident.objects.create(
        family=family,
        occurred_at=timezone.now() - timedelta(days=1),
        kind=IncidentKind.INTIMIDATION,
        description=f"{STAFF_ONLY}-incident",
        created_by=officer,
    )
    ContactEntry.objects.create(
        family=family,
        occurred_at=timezone.now() - timedelta(days=1),
        kind=ContactKind.HOME_VISIT,
        with_whom="both parents",
        summary=f"{STAFF_ONLY}-contact",
        created_by=officer,
    )
    item = with_file(SharedInformationFactory(family=family, created_by=parent), PDF, "application/pdf")
    shared_information_acknowledge(item=item, officer=police, status=SharedStatus.ACTED_ON, feedback="Handled.")
    client = english(parent)
    for url in (PORTAL_LIST, SHARE, reverse("portal:home")):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert STAFF_ONLY not in body, url
        assert family.reference not in body, url
        assert police.full_name not in body, url  # the parents learn what happened, not who did it
        assert "Sid Suspect" not in body, url
    assert "Handled." in client.get(PORTAL_LIST).content.decode()
