"""Erasing a person: one administrator records the request, a second one decides it. On
approval the person's identifying details are removed at once, everywhere the system
holds them; the rest of the case stays, without them. The same anonymisation serves
retention (``liaison.privacy.retention``).

What an erasure does
- A parent or caregiver: name, phone numbers, e-mail, safe-contact details and language
  are removed, and their portal account is closed and stripped of name and e-mail (unless
  it still serves another family). The messages they wrote in the portal are deleted.
  Their own ratings of how they are doing stay, as the family's progress, but "given by"
  no longer names them (the portal writes their name there; an officer may have typed it).
  What they shared with the police stays, without their name: the police hold it under
  their own legal duty (GDPR art. 17(3)(b) and (e)).
- A child: name, date of birth and school are removed, and the prepared missing-person
  descriptions and photos of the child in every version of the safety plan. Of each time
  the child was seen alone, where it was and what it was possible to discuss are removed
  (what the child said, and the places the child is found); the date, the professional
  and the agency stay, as the dates of the missing episodes do, so that the family's
  record still shows that the child was seen alone.

The rest of what is recorded when a parent may be the exploiter (the screen, the concern,
the Meldcode steps, protective mode) names no parent, caregiver or child in a field of its
own: it is the staff's working record, like the contact log, and goes with the case at
the end of its retention period (``liaison.privacy.retention``). So do the parents' own
needs (``ParentNeed`` and its versions): they belong to the family, not to one named
parent, and name only the professional who helps. So do consents and referrals: they
point at the person or child, whose record is anonymised in place. And so do the articles
of the library sent to the family and talked through with the parents.
"""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from families.models import (
    CaregiverSuspicion,
    Child,
    HouseholdMember,
    ParentRating,
    PortalMessage,
    RatingSource,
    SeenAlone,
)
from families.services.household import suspicion_mark
from liaison.access import people_of, untrusted_people
from liaison.accounts.models import Invitation, User
from liaison.uploads import private_storage
from safety_plans.models import MissingProfile

# What stands where a removed name (or other required text) was.
ERASED_NAME = "—"
GROUNDS_MIN_LENGTH = 20
DECISION_NOTE_MIN_LENGTH = 10
# Everything of a missing-person profile that describes the child.
MISSING_PROFILE_DESCRIPTION = (
    "description",
    "height",
    "build",
    "hair",
    "marks",
    "clothing",
    "phones",
    "social_media",
    "friends",
    "places",
    "habits",
    "medical_needs",
)


def stored_files(records: QuerySet, field: str) -> list[str]:
    """The names of the private files the records hold in ``field``, empty ones left out."""
    return [name for name in records.values_list(field, flat=True) if name]


def delete_files_after_commit(names: list[str]) -> None:
    """Remove private files once the deletion that orphaned them has committed."""
    if not names:
        return

    def remove() -> None:
        storage = private_storage()
        for name in set(names):
            storage.delete(name)

    transaction.on_commit(remove)


def _close_account(user: User, member: HouseholdMember) -> None:
    """The portal account goes with the person, unless it still serves another family."""
    serves_another = HouseholdMember.objects.filter(user=user, erased_at__isnull=True).exclude(pk=member.pk).exists()
    Invitation.objects.filter(family=member.family, accepted_user=user).delete()
    if serves_another:
        return
    user.end_all_sessions()
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    EmailAddress.objects.filter(user=user).delete()
    user.email = f"erased-{user.pk}@erased.invalid"
    user.full_name = ERASED_NAME
    user.phone = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


def _unname_ratings(member: HouseholdMember) -> None:
    """The family's ratings given by this person keep their scores, not the name."""
    given_by_them = Q(given_by__iexact=member.full_name.strip()) if member.full_name.strip() else Q(pk__in=[])
    if member.user_id:
        given_by_them |= Q(created_by_id=member.user_id, source=RatingSource.PORTAL)
    ParentRating.objects.filter(given_by_them, family=member.family).update(given_by=ERASED_NAME)


def anonymise_member(member: HouseholdMember) -> None:
    """Remove everything that names or reaches a parent or caregiver."""
    _keep_the_mark_on_the_person(member)
    _unname_ratings(member)
    if member.user_id:
        PortalMessage.objects.filter(family=member.family, created_by_id=member.user_id, from_parent=True).delete()
        _close_account(member.user, member)
    Invitation.objects.filter(family=member.family, email__iexact=member.email, accepted_at__isnull=True).exclude(
        email=""
    ).delete()
    member.full_name = ERASED_NAME
    member.phone = member.email = member.safe_times = member.safe_channel = ""
    member.never_call_number = member.language = ""
    member.needs_interpreter = False
    member.user = None
    member.erased_at = timezone.now()
    member.save()


def _keep_the_mark_on_the_person(member: HouseholdMember) -> None:
    """A record of an untrusted person is about to lose what ties it to the person (the
    address, the account, the name): first the person's other records not erased are
    marked suspected themselves, so that neither erasure nor retention lets them back in
    anywhere (``liaison.access.people``). Marked in the name of who marked the person."""
    if not untrusted_people().holds(member):
        return
    person = people_of(HouseholdMember.objects.filter(pk=member.pk))
    others = HouseholdMember.objects.filter(pk__in=person.record_ids, is_suspected=False, erased_at__isnull=True)
    others = list(others.exclude(pk=member.pk).select_related("family"))
    if not others:
        return
    marked = CaregiverSuspicion.objects.filter(member_id__in=person.record_ids).order_by("-marked_at", "-pk").first()
    marked_by = marked.marked_by if marked is not None else member.family.liaison_officer
    reason = _("Marked suspected in another family, whose record of this person has since been erased.")
    for other in others:
        suspicion_mark(member=other, marked_by=marked_by, reason=reason)


def anonymise_child(child: Child) -> None:
    """Remove everything that names or describes a child."""
    profiles = MissingProfile.objects.filter(child=child)
    photos = stored_files(profiles, "photo")
    profiles.update(photo="", **dict.fromkeys(MISSING_PROFILE_DESCRIPTION, ""))
    delete_files_after_commit(photos)
    SeenAlone.objects.filter(child=child).update(place=ERASED_NAME, discussed=ERASED_NAME)
    child.full_name = ERASED_NAME
    child.born_on = None
    child.school = ""
    child.erased_at = timezone.now()
    child.save()
