"""People who use the system, the teams and police units they belong to, invitations,
the hashed single-use backup codes that sit beside their TOTP device, and the emergency
access someone took to a family outside their own work."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Now
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device


class Role(models.TextChoices):
    OFFICER = "officer", _("Liaison officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    POLICE = "police", _("Police partner")
    PARENT = "parent", _("Parent")
    ADMINISTRATOR = "administrator", _("Administrator")
    # Reads the hits of contexts across the families of the police unit they serve;
    # never a family's case itself.
    ANALYST = "analyst", _("Analyst")


def site_language() -> str:
    """The language of the site (``LANGUAGE_CODE``): what a person reads until they choose."""
    return settings.LANGUAGE_CODE


def language_choices() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


STAFF_ROLES = (Role.OFFICER, Role.SUPERVISOR, Role.POLICE, Role.ADMINISTRATOR, Role.ANALYST)
# Roles that serve a police unit.
UNIT_ROLES = (Role.POLICE, Role.ANALYST)
TEAM_ROLES = (Role.OFFICER, Role.SUPERVISOR)


class NotifyBy(models.TextChoices):
    """How a person hears that there is something new. A notification never says what."""

    EMAIL = "email", _("By e-mail")
    NONE = "none", _("Not at all: I look in the portal myself")


class Team(models.Model):
    """A team of liaison officers with their supervisor(s)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    team_view = models.BooleanField(
        _("officers may view the team's other families"),
        default=False,
        help_text=_("For cover during leave: officers can read, not change, their colleagues' families."),
    )
    contact_limit_days = models.PositiveSmallIntegerField(
        _("days without contact before a family needs attention"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    closed_readable_months = models.PositiveSmallIntegerField(
        _("months a closed case stays readable for the team"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    protective_mode_confirm_hours = models.PositiveSmallIntegerField(
        _("hours for a supervisor to confirm protective mode"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(168)],
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


# The due dates of a police unit, in working days (see ``liaison.staff.attention.police_waiting``).
POLICE_UNIT_LIMITS = (
    "acknowledgement_limit_working_days",
    "endorsement_limit_working_days",
    "approval_limit_working_days",
)


class PoliceUnit(models.Model):
    """A police unit (for example a vice unit) whose partners work with the teams. The
    unit's limits are the due dates of what waits for its partners: the one source of
    truth for them, also where a team's attention lists show what the police left waiting."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    acknowledgement_limit_working_days = models.PositiveSmallIntegerField(
        _("working days to confirm what parents shared"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("From 1 to 30. Saturdays and Sundays do not count."),
    )
    endorsement_limit_working_days = models.PositiveSmallIntegerField(
        _("working days to endorse a safety plan the parents agreed to"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("From 1 to 30. Saturdays and Sundays do not count."),
    )
    approval_limit_working_days = models.PositiveSmallIntegerField(
        _("working days to approve a text for the parents"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("From 1 to 30. Saturdays and Sundays do not count."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("police unit")
        verbose_name_plural = _("police units")
        constraints = [
            models.CheckConstraint(
                name=f"police_unit_{limit}_from_1_to_30",
                condition=Q(**{f"{limit}__gte": 1, f"{limit}__lte": 30}),
            )
            for limit in POLICE_UNIT_LIMITS
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("role", Role.ADMINISTRATOR)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """One person with exactly one role. Officers and supervisors belong to a team,
    police partners to a police unit; parents reach families only through the
    household member their account is linked to."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    police_unit = models.ForeignKey(
        PoliceUnit,
        verbose_name=_("police unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="partners",
    )
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    reachable_when = models.CharField(
        _("when parents can reach you"),
        max_length=200,
        blank=True,
        help_text=_("For example: Monday to Thursday, 9:00 to 17:00."),
    )
    notify_by = models.CharField(
        _("tell me about something new"), max_length=10, choices=NotifyBy.choices, default=NotifyBy.EMAIL
    )
    # Set when the person picks a language in the switcher while signed in; every e-mail
    # to them is written in it. Empty: the site's language.
    language = models.CharField(_("language"), max_length=8, choices=language_choices, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Rotating this ends every session of the user (it is part of the session hash).
    session_token = models.CharField(max_length=64, default=secrets.token_hex, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_team_matches_role",
                condition=(
                    Q(role__in=TEAM_ROLES, team__isnull=False, police_unit__isnull=True)
                    | Q(role__in=UNIT_ROLES, team__isnull=True, police_unit__isnull=False)
                    | Q(
                        role__in=(Role.PARENT, Role.ADMINISTRATOR),
                        team__isnull=True,
                        police_unit__isnull=True,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.lower()
        self.is_staff = self.role == Role.ADMINISTRATOR
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name

    @property
    def preferred_language(self) -> str:
        """The language every e-mail to this person is written in."""
        return self.language or site_language()

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def get_session_auth_hash(self) -> str:
        return salted_hmac(
            "liaison.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_token}",
            algorithm="sha256",
        ).hexdigest()

    def has_perm(self, perm: str, obj=None) -> bool:
        # Administrators run the admin (accounts, teams, units); case data is not in it.
        if self.is_active and self.role == Role.ADMINISTRATOR:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        if self.is_active and self.role == Role.ADMINISTRATOR:
            return True
        return super().has_module_perms(app_label)

    def end_all_sessions(self) -> None:
        self.session_token = secrets.token_hex()
        self.save(update_fields=["session_token", "updated_at"])

    # The roles, spelled out so that templates and the access policy read plainly.
    @property
    def is_officer(self) -> bool:
        return self.role == Role.OFFICER

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_police(self) -> bool:
        return self.role == Role.POLICE

    @property
    def is_analyst(self) -> bool:
        return self.role == Role.ANALYST

    @property
    def is_parent(self) -> bool:
        return self.role == Role.PARENT

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES


def _hash_secret(purpose: str, value: str) -> str:
    return salted_hmac(purpose, value.strip().lower(), algorithm="sha256").hexdigest()


class InvitationQuerySet(models.QuerySet):
    def open(self):
        # The database's clock: the same statement may be compiled once and run later
        # (families.selectors.together).
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=Now())


class Invitation(models.Model):
    """An invitation is the only way in: staff are invited by an administrator or a
    supervisor, parents by their liaison officer. The link works once and expires."""

    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("team"))
    police_unit = models.ForeignKey(
        PoliceUnit, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("police unit")
    )
    family = models.ForeignKey(
        "families.Family",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("family"),
        related_name="invitations",
    )
    relation = models.CharField(_("relation to the child"), max_length=60, blank=True)
    # A parent is invited as the household member already recorded: accepting links the
    # account to that member, so one person is one record.
    member = models.ForeignKey(
        "families.HouseholdMember",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("household member"),
        related_name="invitations",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations_sent")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="invitation"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # Chosen by the inviter: the invitation e-mail is written in it, and the account
    # keeps it as the person's language until they pick another.
    language = models.CharField(_("language"), max_length=8, choices=language_choices, default=site_language)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                name="invitation_parent_has_family",
                condition=Q(role=Role.PARENT, family__isnull=False) | (~Q(role=Role.PARENT) & Q(family__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def default_expiry(cls):
        return timezone.now() + timedelta(hours=settings.INVITATION_VALID_HOURS)

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class BackupCodeDevice(Device):
    """Ten single-use codes for when the authenticator is not at hand. Only keyed
    hashes are stored; a code is marked used, never deleted."""

    class Meta:
        verbose_name = _("backup code set")
        verbose_name_plural = _("backup code sets")

    def verify_token(self, token) -> bool:
        code_hash = _hash_secret("liaison.backup-code", str(token).replace(" ", "").replace("-", ""))
        for code in self.codes.filter(used_at__isnull=True):
            if constant_time_compare(code.code_hash, code_hash):
                code.used_at = timezone.now()
                code.save(update_fields=["used_at"])
                return True
        return False

    def issue_codes(self, count: int) -> list[str]:
        """Replace any unused codes with a new set and return them in plain text, once."""
        self.codes.filter(used_at__isnull=True).update(used_at=timezone.now(), replaced=True)
        codes = [secrets.token_hex(5) for _ in range(count)]
        BackupCode.objects.bulk_create(
            BackupCode(device=self, code_hash=_hash_secret("liaison.backup-code", code)) for code in codes
        )
        return codes

    @property
    def remaining(self) -> int:
        return self.codes.filter(used_at__isnull=True).count()


class BackupCode(models.Model):
    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)
    replaced = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("backup code")
        verbose_name_plural = _("backup codes")

    def __str__(self) -> str:
        return f"backup code {self.pk} ({'used' if self.used_at else 'unused'})"


class Reminder(models.Model):
    """A reminder for one person that something became due. It says how many things
    need attention, never which family; ``key`` makes sending it twice impossible."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    key = models.CharField(max_length=200)
    count = models.PositiveIntegerField(_("items that need attention"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_reminder_per_key")]

    def __str__(self) -> str:
        return f"{self.user} {self.key}"


BREAK_GLASS_DURATION = timedelta(hours=1)
BREAK_GLASS_REASON_MIN_LENGTH = 20


class BreakGlassAccess(models.Model):
    """Emergency access ("break the glass"): an officer or supervisor reads a family outside
    their own work, for example on call when the family's officer cannot be reached. It is
    given only with a reason, lets the person read and never change, ends after an hour, and
    the family's supervisors are told. Kept for good as part of the audit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, related_name="break_glass_accesses"
    )
    family = models.ForeignKey(
        "families.Family", verbose_name=_("family"), on_delete=models.PROTECT, related_name="break_glass_accesses"
    )
    reason = models.TextField(_("reason"))
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        indexes = [models.Index(fields=["user", "expires_at"], name="break_glass_user_expiry")]
        constraints = [
            models.CheckConstraint(
                name="break_glass_needs_a_reason",
                condition=GreaterThanOrEqual(Length("reason"), BREAK_GLASS_REASON_MIN_LENGTH),
            ),
            models.CheckConstraint(
                name="break_glass_expires_after_grant",
                condition=GreaterThan(models.F("expires_at"), models.F("granted_at")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.family_id} {self.granted_at:%Y-%m-%d %H:%M}"


class FormSubmission(models.Model):
    """The one-time token of a form page and where its first submit led. A second submit
    of the same form (a double click, a resend after a slow answer) is shown that result
    instead of saving twice. Kept for a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    result_url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="form_submission_once_per_person")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.token[:8]}"
