"""Contexts of a family: recording one, reviewing it, ending it, and recording a hit when
the same context is linked in two or more families.

Each name form of a link gets its blind index (``ContextKey``); matching is one indexed
lookup per key, counting the other families whose links still match (not ended, not past
their review date). The audit names what happened and the kind, never the context."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models import (
    ContextAccessRequest,
    ContextHit,
    ContextKey,
    ContextKind,
    ContextLink,
    ContextMention,
    ContextSource,
    Family,
    Incident,
    MissingEpisode,
    PlaceKind,
    Platform,
    SharedInformation,
)
from families.models.contexts import ACCESS_REASON_MIN_LENGTH, ACCESS_VALID_FOR, default_review_on
from families.services.audit import record_case_change
from liaison import context_keys, dates
from liaison.accounts.models import PoliceUnit, User
from liaison.audit.models import AuditAction
from liaison.audit.services import audit_record
from liaison.fragments import data_changed

REVIEW_ON_IN_PAST = _("The review date cannot be in the past.")
REASON_NEEDED = _("Say why the context no longer belongs to this family.")
ALREADY_ENDED = _("This context was already ended.")


class ContextConflict(Exception):
    """Someone else saved the context after the revision the change started from."""


def _normal_forms(kind: str, values: dict) -> tuple[dict, list[str]]:
    """The values of a link as kept, and the normal form of each of its name forms; or a
    ValidationError naming every field that is wrong."""
    errors: dict = {}
    kept = {name: (values.get(name) or "").strip() for name in ("label", "aliases", "area", "note")}
    kept["platform"] = values.get("platform") or ""
    kept["place_kind"] = values.get("place_kind") or ""
    forms: list[str] = []
    if kind not in ContextKind.values:
        raise ValidationError({"kind": [_("Choose the kind of context.")]})
    try:
        if kind == ContextKind.VEHICLE:
            kept["label"] = context_keys.normal_plate(kept["label"])
            forms.append(kept["label"])
        elif kind == ContextKind.PHONE:
            normal = context_keys.normal_phone(kept["label"])
            kept["label"] = context_keys.phone_for_reading(normal)
            forms.append(normal)
        elif kind == ContextKind.HANDLE:
            handle = context_keys.normal_handle(kept["label"])
            kept["label"] = f"@{handle}"
            forms.append(f"{kept['platform']}:{handle}")
        elif kind == ContextKind.PLACE:
            forms.append(context_keys.normal_place(kept["label"], kept["area"]))
        else:
            forms.append(context_keys.checked_name(kept["label"]))
    except ValidationError as error:
        errors["label"] = error.messages
    if kind == ContextKind.PERSON:
        aliases = context_keys.name_list(kept["aliases"])
        kept["aliases"] = "\n".join(aliases)
        forms.extend(name for name in (context_keys.normal_name(alias) for alias in aliases) if name)
    else:
        kept["aliases"] = ""
    if kind == ContextKind.HANDLE:
        if kept["platform"] not in Platform.values:
            errors["platform"] = [_("Choose the platform of the handle.")]
    else:
        kept["platform"] = ""
    if kind == ContextKind.PLACE:
        if kept["place_kind"] not in PlaceKind.values:
            errors["place_kind"] = [_("Choose the kind of place.")]
    else:
        kept["place_kind"], kept["area"] = "", ""
    if errors:
        raise ValidationError(errors)
    return kept, list(dict.fromkeys(forms))


def _checked_review_on(review_on: date | None) -> date:
    if review_on is None:
        return default_review_on()
    if review_on < timezone.localdate():
        raise ValidationError({"review_on": [REVIEW_ON_IN_PAST]})
    dates.check_storable(review_on, dates.PLANNED)
    return review_on


def _checked_source(family: Family, model, source):
    """A source of the link (an incident, missing episode, what the parents shared) must be
    of the same family."""
    if source is not None and (not isinstance(source, model) or source.family_id != family.pk):
        raise ValidationError(_("The source of the context belongs to another family."))
    return source


def _record_hits(link: ContextLink) -> list[ContextHit]:
    """For each key of the link: when a link of another family matches it now, the hit is
    recorded (the first time) or seen again. One indexed query per key."""
    hits = []
    now = timezone.now()
    today = timezone.localdate()
    for match_key in link.keys.values_list("match_key", flat=True):
        other = (
            ContextKey.objects.filter(match_key=match_key, link__ended_at__isnull=True, link__review_on__gte=today)
            .exclude(link__family_id=link.family_id)
            .exists()
        )
        if not other:
            continue
        hit, created = ContextHit.objects.get_or_create(
            match_key=match_key, defaults={"kind": link.kind, "first_seen_at": now, "last_seen_at": now}
        )
        if created:
            # The case pages kept for the staff of the other families must show at once
            # that the police were told of a link (``liaison.fragments``).
            data_changed(team_id=None)
        else:
            ContextHit.objects.filter(pk=hit.pk).update(last_seen_at=now)
        hits.append(hit)
    return hits


@transaction.atomic
def context_link_record(
    *,
    family: Family,
    created_by: User,
    kind: str,
    label: str,
    aliases: str = "",
    platform: str = "",
    place_kind: str = "",
    area: str = "",
    note: str = "",
    review_on: date | None = None,
    incident: Incident | None = None,
    missing_episode: MissingEpisode | None = None,
    shared_information: SharedInformation | None = None,
) -> ContextLink:
    """A context this family's case names, linked to the family, matched against the
    other families."""
    values = {"label": label, "aliases": aliases, "platform": platform, "place_kind": place_kind}
    kept, forms = _normal_forms(kind, {**values, "area": area, "note": note})
    link = ContextLink(
        family=family,
        kind=kind,
        review_on=_checked_review_on(review_on),
        incident=_checked_source(family, Incident, incident),
        missing_episode=_checked_source(family, MissingEpisode, missing_episode),
        shared_information=_checked_source(family, SharedInformation, shared_information),
        created_by=created_by,
        updated_by=created_by,
        **kept,
    )
    link.full_clean()
    link.save()
    ContextKey.objects.bulk_create(
        ContextKey(link=link, match_key=context_keys.match_key(kind, form)) for form in forms
    )
    hits = _record_hits(link)
    record_case_change(
        actor=created_by, family=family, target=link, what="context_linked", detail={"kind": kind, "hits": len(hits)}
    )
    sources = {"incident": incident, "missing_episode": missing_episode, "shared_information": shared_information}
    for name, source in sources.items():
        if source is not None:
            _mention(link, created_by, name, source)
    return link


ALREADY_MENTIONED = _("This context is already linked here.")
MENTION_OF_ENDED = _("This context was ended. Choose a current one, or record it again.")
ALREADY_UNLINKED = _("This context was already unlinked.")


def _mention(link: ContextLink, created_by: User, name: str, source) -> ContextMention:
    if ContextMention.objects.current().filter(link=link, **{name: source}).exists():
        raise ValidationError({"link": [ALREADY_MENTIONED]})
    try:
        with transaction.atomic():
            mention = ContextMention.objects.create(link=link, created_by=created_by, **{name: source})
    except IntegrityError:  # linked at the same moment by someone else
        raise ValidationError({"link": [ALREADY_MENTIONED]}) from None
    record_case_change(
        actor=created_by,
        family=link.family,
        target=mention,
        what="context_mentioned",
        detail={"kind": link.kind, "source": name, "source_id": source.pk},
    )
    return mention


@transaction.atomic
def context_mention_add(
    *,
    link: ContextLink,
    created_by: User,
    incident: Incident | None = None,
    missing_episode: MissingEpisode | None = None,
    shared_information: SharedInformation | None = None,
) -> ContextMention:
    """A current context of the family is named in one of its incidents, missing episodes
    or pieces of what the parents shared (exactly one of them, of the same family)."""
    family = link.family
    sources = {
        ContextSource.INCIDENT: _checked_source(family, Incident, incident),
        ContextSource.MISSING_EPISODE: _checked_source(family, MissingEpisode, missing_episode),
        ContextSource.SHARED_INFORMATION: _checked_source(family, SharedInformation, shared_information),
    }
    given = [(name, source) for name, source in sources.items() if source is not None]
    if len(given) != 1:
        raise ValueError("A context is linked to exactly one incident, missing episode or shared item at a time.")
    current = ContextLink.objects.select_for_update(of=("self",)).filter(pk=link.pk, family=family).first()
    if current is None or current.ended_at is not None:
        raise ValidationError({"link": [MENTION_OF_ENDED]})
    name, source = given[0]
    return _mention(link, created_by, str(name), source)


@transaction.atomic
def context_mention_end(*, mention: ContextMention, ended_by: User) -> ContextMention:
    """The context is no longer linked to the incident, missing episode or shared item; the
    mention is kept with who ended it and when."""
    claimed = ContextMention.objects.filter(pk=mention.pk, ended_at__isnull=True).update(
        ended_at=timezone.now(), ended_by=ended_by
    )
    if not claimed:
        raise ValidationError(ALREADY_UNLINKED)
    mention = ContextMention.objects.select_related("link__family").get(pk=mention.pk)
    record_case_change(
        actor=ended_by,
        family=mention.link.family,
        target=mention,
        what="context_unmentioned",
        detail={"kind": mention.link.kind, "source": mention.source_name, "source_id": mention.source_id},
    )
    return mention


def _claim(link: ContextLink, base_revision: int, **changes) -> ContextLink:
    claimed = ContextLink.objects.filter(pk=link.pk, revision=base_revision, ended_at__isnull=True).update(
        revision=F("revision") + 1, updated_at=timezone.now(), **changes
    )
    if not claimed:
        if ContextLink.objects.filter(pk=link.pk, ended_at__isnull=False).exists():
            raise ValidationError(ALREADY_ENDED)
        raise ContextConflict
    return ContextLink.objects.select_related("family").get(pk=link.pk)


@transaction.atomic
def context_link_review(
    *, link: ContextLink, reviewed_by: User, base_revision: int, review_on: date | None
) -> ContextLink:
    """Someone says the context still matters, until the next review date: an expired
    context takes part in matching again."""
    review_on = _checked_review_on(review_on)
    link = _claim(link, base_revision, review_on=review_on, reviewed_at=timezone.now(), updated_by=reviewed_by)
    hits = _record_hits(link)
    record_case_change(
        actor=reviewed_by,
        family=link.family,
        target=link,
        what="context_reviewed",
        detail={"kind": link.kind, "revision": link.revision, "hits": len(hits)},
    )
    return link


@transaction.atomic
def context_link_end(*, link: ContextLink, ended_by: User, base_revision: int, reason: str) -> ContextLink:
    """The context no longer belongs to this family: it stops matching; the link and its
    history are kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [REASON_NEEDED]})
    link = _claim(
        link, base_revision, ended_at=timezone.now(), ended_by=ended_by, end_reason=reason, updated_by=ended_by
    )
    record_case_change(
        actor=ended_by,
        family=link.family,
        target=link,
        what="context_ended",
        detail={"kind": link.kind, "revision": link.revision},
    )
    return link


ACCESS_REASON_TOO_SHORT = _("Give the reason in at least %(count)s characters.")
ALREADY_DECIDED = _("This request was already decided.")


@transaction.atomic
def context_access_request(
    *, hit: ContextHit, unit: PoliceUnit, requested_by: User, reason: str
) -> ContextAccessRequest:
    """A police partner or analyst asks the other unit to read how its families name the
    context of this hit. Whether the asker may (a hit of their own unit, another unit in
    it) is the access policy's question, answered before this."""
    reason = (reason or "").strip()
    if len(reason) < ACCESS_REASON_MIN_LENGTH:
        raise ValidationError({"reason": [ACCESS_REASON_TOO_SHORT % {"count": ACCESS_REASON_MIN_LENGTH}]})
    access = ContextAccessRequest.objects.create(hit=hit, unit=unit, requested_by=requested_by, reason=reason)
    audit_record(
        action=AuditAction.CONTEXT_ACCESS_REQUESTED,
        actor=requested_by,
        target=access,
        detail={"hit": hit.pk, "unit": unit.pk},
    )
    return access


@transaction.atomic
def context_access_decide(
    *, access: ContextAccessRequest, decided_by: User, grant: bool, note: str = ""
) -> ContextAccessRequest:
    """A police partner of the unit asked grants the request (for a week) or refuses it."""
    now = timezone.now()
    claimed = ContextAccessRequest.objects.filter(pk=access.pk, decided_at__isnull=True).update(
        decided_at=now,
        decided_by=decided_by,
        granted=grant,
        decision_note=(note or "").strip(),
        expires_at=now + ACCESS_VALID_FOR if grant else None,
    )
    if not claimed:
        raise ValidationError(ALREADY_DECIDED)
    access = ContextAccessRequest.objects.get(pk=access.pk)
    audit_record(
        action=AuditAction.CONTEXT_ACCESS_DECIDED,
        actor=decided_by,
        target=access,
        detail={"hit": access.hit_id, "unit": access.unit_id, "granted": grant},
    )
    return access
