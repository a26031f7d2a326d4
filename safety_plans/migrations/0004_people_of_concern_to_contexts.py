"""The people of concern of each family's latest plan version become typed contexts of the
family: the person (name, nicknames as aliases), each number plate and phone number that
parses, each handle (platform unknown: "another platform") and each place. What does not
parse stays where it was, as text in the plan; the plan itself is not changed. Contexts
linked in two or more families are recorded as hits."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import migrations
from django.db.models import Count, Max
from django.utils import timezone

from liaison import context_keys


def _handle(text: str) -> str:
    if not text.lstrip().startswith("@"):
        raise ValidationError("not a handle")
    return context_keys.normal_handle(text)


def _place(text: str) -> str:
    return context_keys.normal_place(text, "")


def people_to_contexts(apps, schema_editor):
    PersonOfConcern = apps.get_model("safety_plans", "PersonOfConcern")
    PlanVersion = apps.get_model("safety_plans", "PlanVersion")
    ContextLink = apps.get_model("families", "ContextLink")
    ContextKey = apps.get_model("families", "ContextKey")
    ContextHit = apps.get_model("families", "ContextHit")
    latest = PlanVersion.objects.values("plan").annotate(number=Max("number"))
    versions = [
        PlanVersion.objects.select_related("plan").get(plan_id=row["plan"], number=row["number"]) for row in latest
    ]
    review_on = timezone.localdate() + timedelta(days=365)
    for version in versions:
        family_id = version.plan.family_id
        seen: set[str] = set()

        def link(kind, label, forms, person, **fields):
            keys = [context_keys.match_key(kind, form) for form in dict.fromkeys(forms)]
            if not keys or keys[0] in seen:
                return
            seen.update(keys)
            made = ContextLink.objects.create(
                family_id=family_id,
                kind=kind,
                label=label,
                review_on=review_on,
                created_by_id=person.created_by_id,
                updated_by_id=person.created_by_id,
                **fields,
            )
            ContextKey.objects.bulk_create(ContextKey(link=made, match_key=key) for key in keys)

        for person in PersonOfConcern.objects.filter(version=version).order_by("pk"):
            name = context_keys.normal_name(person.name)
            if name:
                aliases = context_keys.name_list(person.nicknames)
                forms = [name, *(context_keys.normal_name(alias) for alias in aliases)]
                link("person", person.name.strip(), [form for form in forms if form], person, aliases="\n".join(aliases))
            for _typed, plate in context_keys.parsed_items(person.vehicles, context_keys.normal_plate)[0]:
                link("vehicle", plate, [plate], person)
            for _typed, phone in context_keys.parsed_items(person.phone_numbers, context_keys.normal_phone)[0]:
                link("phone", context_keys.phone_for_reading(phone), [phone], person)
            for _typed, handle in context_keys.parsed_items(person.social_media, _handle)[0]:
                link("handle", f"@{handle}", [f"other:{handle}"], person, platform="other")
            for typed, place in context_keys.parsed_items(person.places, _place)[0]:
                link("place", typed, [place], person, place_kind="other")
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
        ("safety_plans", "0003_dates_in_range"),
        ("families", "0019_context_access"),
    ]

    operations = [migrations.RunPython(people_to_contexts, migrations.RunPython.noop)]
