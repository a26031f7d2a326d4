"""The free text of incidents ("who": ``Incident.person_of_concern``) and missing episodes
(``MissingEpisode.where_found``) becomes typed contexts of the family, linked to the
incident or episode, by the rules of the plan's people of concern (safety_plans 0004):
in "who", each item (one a line, or separated by commas or semicolons) that is a phone
number, a number plate, a handle (written with @, platform unknown) or a person's name
becomes a context; "where found" becomes one place (name, and the area after a comma).
These are single free-text fields, so a name or place must look like one (see
``liaison.context_keys.name_in_text`` and ``place_in_text``): a description such as
"older boy on a scooter" or "at a friend's" stays text only. The text itself is never
changed. A context the family already has (the same match key, from its plan or an
earlier incident) is linked, not recorded twice.

Contexts recorded before this with an incident, missing episode or shared item get that
link as a mention too. Contexts linked in two or more families are recorded as hits."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import migrations
from django.db.models import Count
from django.utils import timezone

from liaison import context_keys

SOURCES = ("incident", "missing_episode", "shared_information")


def _handle(text: str) -> str:
    if not text.lstrip().startswith("@"):
        raise ValidationError("not a handle")
    return context_keys.normal_handle(text)


def who_contexts(text: str) -> list[tuple[str, str, str, dict]]:
    """The contexts of an incident's "who": (kind, label, normal form, other fields)."""
    found = []
    for item in (piece.strip() for piece in context_keys.TEXT_ITEMS.split(text or "")):
        if not item:
            continue
        for kind, parse in (
            ("phone", context_keys.normal_phone),
            ("vehicle", context_keys.plate_in_text),
            ("handle", _handle),
            ("person", context_keys.name_in_text),
        ):
            try:
                value = parse(item)
            except ValidationError:
                continue
            if kind == "phone":
                found.append((kind, context_keys.phone_for_reading(value), value, {}))
            elif kind == "vehicle":
                found.append((kind, value, value, {}))
            elif kind == "handle":
                found.append((kind, f"@{value}", f"other:{value}", {"platform": "other"}))
            else:
                found.append((kind, value, context_keys.normal_name(value), {}))
            break
    return found


def where_contexts(text: str) -> list[tuple[str, str, str, dict]]:
    """The place of a missing episode's "where found", if it names one."""
    try:
        name, area = context_keys.place_in_text(text)
    except ValidationError:
        return []
    return [("place", name, context_keys.normal_place(name, area), {"place_kind": "other", "area": area})]


def text_to_contexts(apps, schema_editor):
    ContextLink = apps.get_model("families", "ContextLink")
    ContextKey = apps.get_model("families", "ContextKey")
    ContextHit = apps.get_model("families", "ContextHit")
    ContextMention = apps.get_model("families", "ContextMention")
    Incident = apps.get_model("families", "Incident")
    MissingEpisode = apps.get_model("families", "MissingEpisode")

    for source in SOURCES:
        for link in ContextLink.objects.filter(**{f"{source}__isnull": False}).order_by("pk"):
            ContextMention.objects.get_or_create(
                link=link,
                ended_at=None,
                **{f"{source}_id": getattr(link, f"{source}_id")},
                defaults={"created_by_id": link.created_by_id, "created_at": link.created_at},
            )

    review_on = timezone.localdate() + timedelta(days=365)

    def link_to(item, source: str, contexts) -> None:
        for kind, label, normal, fields in contexts:
            key = context_keys.match_key(kind, normal)
            known = (
                ContextKey.objects.filter(match_key=key, link__family_id=item.family_id, link__ended_at__isnull=True)
                .select_related("link")
                .first()
            )
            if known is not None:
                link = known.link
            else:
                link = ContextLink.objects.create(
                    family_id=item.family_id,
                    kind=kind,
                    label=label,
                    review_on=review_on,
                    created_by_id=item.created_by_id,
                    updated_by_id=item.created_by_id,
                    **{source: item},
                    **fields,
                )
                ContextKey.objects.create(link=link, match_key=key)
            ContextMention.objects.get_or_create(
                link=link, ended_at=None, **{source: item}, defaults={"created_by_id": item.created_by_id}
            )

    for incident in Incident.objects.exclude(person_of_concern="").order_by("pk").iterator():
        link_to(incident, "incident", who_contexts(incident.person_of_concern))
    for episode in MissingEpisode.objects.exclude(where_found="").order_by("pk").iterator():
        link_to(episode, "missing_episode", where_contexts(episode.where_found))

    shared = (
        ContextKey.objects.filter(link__ended_at__isnull=True, link__review_on__gte=timezone.localdate())
        .values("match_key")
        .annotate(families=Count("link__family_id", distinct=True))
        .filter(families__gte=2)
    )
    for row in shared:
        kind = ContextKey.objects.filter(match_key=row["match_key"]).values_list("link__kind", flat=True).first()
        ContextHit.objects.get_or_create(match_key=row["match_key"], defaults={"kind": kind})


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0023_context_mentions"),
        # The plan's people of concern first: an incident naming one links to it.
        ("safety_plans", "0004_people_of_concern_to_contexts"),
    ]

    operations = [migrations.RunPython(text_to_contexts, migrations.RunPython.noop)]
