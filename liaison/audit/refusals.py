"""Refused reads of case files, counted per person and hour.

The access policy answers 404 when someone asks for a family they may not see; each such
answer adds one to that person's row of the hour, with the family number among those
tried. One row per person and hour however many requests, and a single UPDATE for each
(two statements for the first of the hour), so probing cannot flood the database.
When the count of an hour reaches ``REFUSED_READS_ALERT_AT`` the row is claimed for an
alert, exactly once however many requests arrive together."""

from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, QuerySet, TextField, Value, When
from django.db.models.functions import Concat, Length
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from liaison.audit.models import RefusedReadHour

# Beyond this many characters (some 1,500 family numbers) no more numbers are added to
# an hour's list; the count goes on.
FAMILY_IDS_MAX_LENGTH = 10_000


def _hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _tried(family_id: int | None):
    """The list of numbers with this one added, in SQL, unless it is there already."""
    if family_id is None:
        return F("family_ids")
    marker = f",{int(family_id)},"
    return Case(
        When(family_ids__contains=marker, then=F("family_ids")),
        When(GreaterThanOrEqual(Length("family_ids"), FAMILY_IDS_MAX_LENGTH), then=F("family_ids")),
        default=Concat(F("family_ids"), Value(f"{int(family_id)},"), output_field=TextField()),
        output_field=TextField(),
    )


@transaction.atomic
def refused_read_record(*, user, family_id: int | None) -> RefusedReadHour:
    """Count one refused read by this person; returns their row of this hour as it is now."""
    now = timezone.now()
    hour = _hour_of(now)
    rows = RefusedReadHour.objects.filter(user=user, hour_started_at=hour)
    changes = {"count": F("count") + 1, "last_at": now, "family_ids": _tried(family_id)}
    if not rows.update(**changes):
        try:
            with transaction.atomic():
                return RefusedReadHour.objects.create(
                    user=user,
                    hour_started_at=hour,
                    family_ids=f",{int(family_id)}," if family_id is not None else ",",
                    first_at=now,
                    last_at=now,
                )
        except IntegrityError:
            # Another request of the same person made the row a moment ago.
            rows.update(**changes)
    return rows.get()


def refused_reads_claim_alert(*, refusal: RefusedReadHour) -> bool:
    """Whether this refusal is the one that tells the administrators: the row reached the
    threshold and nobody claimed it yet. A conditional UPDATE, so only one request wins."""
    if refusal.count < settings.REFUSED_READS_ALERT_AT or refusal.alerted_at is not None:
        return False
    claimed = RefusedReadHour.objects.filter(pk=refusal.pk, alerted_at__isnull=True).update(alerted_at=timezone.now())
    return claimed == 1


def refused_read_hours() -> QuerySet[RefusedReadHour]:
    """Every person's refused reads, newest hour first, with the person joined."""
    return RefusedReadHour.objects.select_related("user").order_by("-hour_started_at", "-last_at", "-pk")


def refused_reads_of_family(family_id: int) -> QuerySet[RefusedReadHour]:
    """The hours in which someone was refused this family's file, newest first."""
    return refused_read_hours().filter(family_ids__contains=f",{int(family_id)},")
