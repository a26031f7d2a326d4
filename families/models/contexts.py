"""Contexts of exploitation (issue 27): the people of concern, vehicles, phone numbers,
online handles and places a family's case names, recorded as things instead of text,
so that police partners and analysts learn when two families name the same one.

A context is linked to one family only (``ContextLink``): the same man named by two
families is two links, each with the wording of its own family, so nobody editing one
family's link shows anything to the other's officer. What the families share is only
the blind index of each name form (``ContextKey``, see ``liaison.context_keys``). A match
across families is recorded as a ``ContextHit``, which only the police partners and
analysts read (the access policy's ``contexts`` rules).

Every link has a review date: past it, the link no longer matches until reviewed. A link
is ended, never deleted; an ended link keeps its history and no longer matches."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.models.case import Family
from families.models.events import Incident, MissingEpisode
from families.models.portal import SharedInformation
from liaison import dates
from liaison.encryption import EncryptedTextField

# How long a context counts before someone must say it still matters.
REVIEW_AFTER = timedelta(days=365)


def default_review_on(today: date | None = None) -> date:
    return (today or timezone.localdate()) + REVIEW_AFTER


class ContextKind(models.TextChoices):
    PERSON = "person", _("Person of concern")
    VEHICLE = "vehicle", _("Vehicle")
    PHONE = "phone", _("Phone number")
    HANDLE = "handle", _("Online handle")
    PLACE = "place", _("Place")


class Platform(models.TextChoices):
    INSTAGRAM = "instagram", "Instagram"
    SNAPCHAT = "snapchat", "Snapchat"
    TIKTOK = "tiktok", "TikTok"
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X (Twitter)"
    OTHER = "other", _("Another platform")


class PlaceKind(models.TextChoices):
    ADDRESS = "address", _("Address")
    PARK = "park", _("Park")
    STATION = "station", _("Station or stop")
    SCHOOL = "school", _("School")
    HOTEL = "hotel", _("Hotel")
    OTHER = "other", _("Another kind of place")


class ContextLinkQuerySet(models.QuerySet):
    def current(self):
        """Links not ended (expired ones included: they are still the family's, to review)."""
        return self.filter(ended_at__isnull=True)

    def matching(self, today: date | None = None):
        """Links that take part in matching: not ended and not past their review date."""
        return self.filter(ended_at__isnull=True, review_on__gte=today or timezone.localdate())


class ContextLink(models.Model):
    """One context as one family's case names it, in that family's own words."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="context_links")
    kind = models.CharField(_("kind of context"), max_length=10, choices=ContextKind.choices)
    # The name, plate, phone number (international form), handle or place name.
    label = EncryptedTextField(_("name"))
    # A person: the nicknames and aliases, one per line.
    aliases = EncryptedTextField(_("nicknames and aliases"), blank=True)
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices, blank=True)
    place_kind = models.CharField(_("kind of place"), max_length=10, choices=PlaceKind.choices, blank=True)
    area = EncryptedTextField(_("area"), blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    # Where the case named it (optional).
    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    missing_episode = models.ForeignKey(
        MissingEpisode,
        verbose_name=_("missing episode"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    shared_information = models.ForeignKey(
        SharedInformation,
        verbose_name=_("what the parents shared"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_on = dates.DateField(_("review date"), when=dates.PLANNED)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = dates.DateTimeField(_("reviewed at"), null=True, blank=True)
    ended_at = dates.DateTimeField(_("ended at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = EncryptedTextField(_("why the link was ended"), blank=True)

    objects = ContextLinkQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = _("context")
        verbose_name_plural = _("contexts")
        indexes = [models.Index(fields=["family", "ended_at"], name="context_link_family")]
        constraints = [
            *dates.in_range("contextlink", "review_on", "reviewed_at", "ended_at"),
            models.CheckConstraint(name="contextlink_kind_known", condition=Q(kind__in=ContextKind.values)),
            models.CheckConstraint(
                name="contextlink_platform_only_for_handles",
                condition=Q(kind=ContextKind.HANDLE, platform__in=Platform.values)
                | (~Q(kind=ContextKind.HANDLE) & Q(platform="")),
            ),
            models.CheckConstraint(
                name="contextlink_place_kind_only_for_places",
                condition=Q(kind=ContextKind.PLACE, place_kind__in=PlaceKind.values)
                | (~Q(kind=ContextKind.PLACE) & Q(place_kind="")),
            ),
            models.CheckConstraint(
                name="contextlink_ended_by_whom",
                condition=Q(ended_at__isnull=True, ended_by__isnull=True)
                | Q(ended_at__isnull=False, ended_by__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.family_id} {self.get_kind_display()} {self.pk}"

    @property
    def is_ended(self) -> bool:
        return self.ended_at is not None

    @property
    def is_expired(self) -> bool:
        """Past its review date: kept, but out of matching until reviewed."""
        return not self.is_ended and self.review_on < timezone.localdate()

    def alias_list(self) -> list[str]:
        return [line for line in self.aliases.splitlines() if line.strip()]


class ContextSource(models.TextChoices):
    """Where a family's case can name a context, besides the Contexts tab itself."""

    INCIDENT = "incident", _("incident")
    MISSING_EPISODE = "missing_episode", _("missing episode")
    SHARED_INFORMATION = "shared_information", _("what the parents shared")


class ContextMentionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True)


class ContextMention(models.Model):
    """A context of the family named in one of its incidents, missing episodes or pieces of
    what the parents shared. One context can be named in many of them and each of them can
    name many contexts. Unlinking ends the mention; it is kept with who ended it."""

    link = models.ForeignKey(ContextLink, verbose_name=_("context"), on_delete=models.PROTECT, related_name="mentions")
    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    missing_episode = models.ForeignKey(
        MissingEpisode,
        verbose_name=_("missing episode"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    shared_information = models.ForeignKey(
        SharedInformation,
        verbose_name=_("what the parents shared"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = dates.DateTimeField(_("linked at"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_at = dates.DateTimeField(_("unlinked at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = ContextMentionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("context named in the case")
        verbose_name_plural = _("contexts named in the case")
        constraints = [
            *dates.in_range("contextmention", "created_at", "ended_at"),
            models.CheckConstraint(
                name="contextmention_one_source",
                condition=Q(incident__isnull=False, missing_episode__isnull=True, shared_information__isnull=True)
                | Q(incident__isnull=True, missing_episode__isnull=False, shared_information__isnull=True)
                | Q(incident__isnull=True, missing_episode__isnull=True, shared_information__isnull=False),
            ),
            models.CheckConstraint(
                name="contextmention_ended_by_whom",
                condition=Q(ended_at__isnull=True, ended_by__isnull=True)
                | Q(ended_at__isnull=False, ended_by__isnull=False),
            ),
            *(
                models.UniqueConstraint(
                    fields=["link", source],
                    condition=Q(ended_at__isnull=True),
                    name=f"contextmention_once_per_{source}",
                )
                for source in ContextSource.values
            ),
        ]

    def __str__(self) -> str:
        return f"{self.link_id} {self.source_name} {self.source_id}"

    @property
    def source_name(self) -> str:
        return next(name for name in ContextSource.values if getattr(self, f"{name}_id") is not None)

    @property
    def source_id(self) -> int:
        return getattr(self, f"{self.source_name}_id")

    def get_source_display(self) -> str:
        """What kind of thing of the case names the context, in words."""
        return ContextSource(self.source_name).label


class ContextKey(models.Model):
    """The blind index of one name form of a link (a person has one per name, nickname
    and alias): what matching looks up, through its index, never a scan."""

    link = models.ForeignKey(ContextLink, on_delete=models.PROTECT, related_name="keys")
    match_key = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("match key of a context")
        verbose_name_plural = _("match keys of contexts")
        constraints = [models.UniqueConstraint(fields=["link", "match_key"], name="one_key_per_name_form_of_a_link")]

    def __str__(self) -> str:
        return f"{self.link_id}:{self.match_key[:8]}"


class ContextHit(models.Model):
    """The same context linked in two or more families: recorded the first time it
    happens, for the police partners and analysts of the families' units. The families
    are read from the matching links, never copied here."""

    match_key = models.CharField(max_length=64, unique=True)
    kind = models.CharField(_("kind of context"), max_length=10, choices=ContextKind.choices)
    first_seen_at = dates.DateTimeField(_("first seen at"), default=timezone.now)
    last_seen_at = dates.DateTimeField(_("last seen at"), default=timezone.now)

    class Meta:
        ordering = ["-first_seen_at"]
        verbose_name = _("hit")
        verbose_name_plural = _("hits")
        indexes = [models.Index(fields=["first_seen_at"], name="context_hit_first_seen")]
        constraints = [
            *dates.in_range("contexthit", "first_seen_at", "last_seen_at"),
            models.CheckConstraint(name="contexthit_kind_known", condition=Q(kind__in=ContextKind.values)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.first_seen_at:%Y-%m-%d}"


ACCESS_REASON_MIN_LENGTH = 20
ACCESS_VALID_FOR = timedelta(days=7)


class ContextAccessRequest(models.Model):
    """A police partner or analyst asks to read how the families of another unit name a
    context of a hit, with a reason; a police partner of that unit grants or refuses it.
    A grant is for that hit and that unit only and runs out after a week. Kept for good as
    part of the audit (the break-the-glass pattern, with the other unit holding the glass)."""

    hit = models.ForeignKey(ContextHit, verbose_name=_("hit"), on_delete=models.PROTECT, related_name="requests")
    unit = models.ForeignKey(
        "accounts.PoliceUnit", verbose_name=_("police unit asked"), on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = EncryptedTextField(_("reason"))
    requested_at = dates.DateTimeField(_("asked at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = dates.DateTimeField(_("decided at"), null=True, blank=True)
    granted = models.BooleanField(_("granted"), null=True, blank=True)
    decision_note = EncryptedTextField(_("note on the decision"), blank=True)
    expires_at = dates.DateTimeField(_("access until"), when=dates.PLANNED, null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("request for access to a hit")
        verbose_name_plural = _("requests for access to hits")
        indexes = [models.Index(fields=["unit", "decided_at"], name="context_access_unit")]
        constraints = [
            *dates.in_range("contextaccessrequest", "requested_at", "decided_at", "expires_at"),
            models.CheckConstraint(
                name="contextaccessrequest_decided_completely",
                condition=Q(decided_at__isnull=True, decided_by__isnull=True, granted__isnull=True)
                | Q(decided_at__isnull=False, decided_by__isnull=False, granted__isnull=False),
            ),
            models.CheckConstraint(
                name="contextaccessrequest_grant_runs_out",
                condition=Q(granted=True, expires_at__isnull=False) | (~Q(granted=True) & Q(expires_at__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hit_id} {self.unit_id} {self.requested_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.decided_at is None

    @property
    def is_valid(self) -> bool:
        return bool(self.granted) and self.expires_at is not None and self.expires_at > timezone.now()
