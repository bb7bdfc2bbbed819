from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.constants import Role, SecurityEventKind


class Region(models.Model):
    """A gemeente or regio: the unit that scopes the social map and the coordinators."""

    class Kind(models.TextChoices):
        GEMEENTE = "gemeente", _("Gemeente")
        REGIO = "regio", _("Regio")

    name = models.CharField(_("naam"), max_length=120, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind, default=Kind.GEMEENTE)

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Team(models.Model):
    """A wijkteam (or other team) in one region. Cases are shared inside a team only."""

    name = models.CharField(_("naam"), max_length=120)
    region = models.ForeignKey(
        Region, verbose_name=_("regio"), on_delete=models.PROTECT, related_name="teams"
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["region__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="team_unique_name_in_region"),
        ]

    def __str__(self):
        return f"{self.name} ({self.region})"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        # E-mail addresses are compared without regard to case, at login too.
        return self.get(email__iexact=username)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=email.strip().lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A professional who logs in with an e-mail address. Never a client."""

    email = models.EmailField(_("e-mailadres"), unique=True)
    display_name = models.CharField(
        _("naam"), max_length=150, blank=True, help_text=_("Zoals collega's u kennen.")
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(
        _("actief"),
        default=True,
        help_text=_("Zet uit in plaats van het account te verwijderen."),
    )
    is_staff = models.BooleanField(
        _("toegang tot beheer"),
        default=False,
        help_text=_("Wordt gezet door de rol: Coördinator en Beheerder werken in het beheer."),
    )
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self):
        return self.display_name or self.email

    def clean(self):
        super().clean()
        self.email = self.email.strip().lower()

    def get_full_name(self):
        return self.display_name or self.email

    def get_short_name(self):
        return self.display_name or self.email

    @cached_property
    def role(self) -> Role | None:
        """The user's role, the most powerful one if an admin gave several."""
        names = {group.name for group in self.groups.all()}
        for role in (Role.BEHEERDER, Role.COORDINATOR, Role.MEDEWERKER):
            if role.value in names:
                return role
        return None

    @property
    def region(self) -> Region | None:
        return self.team.region if self.team_id else None


class SecurityEventQuerySet(models.QuerySet):
    """Append-only: the application never changes or deletes a row (a database trigger
    refuses UPDATE as well). Only the log retention purge removes old rows."""

    def update(self, **kwargs):
        raise ValidationError(_("Het beveiligingslog wordt nooit gewijzigd."))

    def delete(self):
        raise ValidationError(_("Het beveiligingslog wordt nooit verwijderd."))


class SecurityEvent(models.Model):
    """One authentication or access event (issue 10): who, what, when, from which address.
    Never case content, never a password, never an e-mail address typed at a failed login
    (an unknown address is recorded as such, not spelled out)."""

    kind = models.CharField(_("gebeurtenis"), max_length=40, choices=SecurityEventKind)
    occurred_at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.ForeignKey(
        User,
        verbose_name=_("betreft"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    detail = models.CharField(_("toelichting"), max_length=200, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("beveiligingsgebeurtenis")
        verbose_name_plural = _("beveiligingslog")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["kind", "-occurred_at"], name="security_kind_time")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Het beveiligingslog wordt nooit gewijzigd."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Het beveiligingslog wordt nooit verwijderd."))


class UserSession(AbstractBaseSession):
    """A database session that knows its user, so users and the Beheerder can see and end
    sessions. The columns are copied from the session data on every save
    (accounts.sessions.SessionStore); deleting the row ends the session."""

    user = models.ForeignKey(
        User,
        verbose_name=_("gebruiker"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sessions",
    )
    started_at = models.DateTimeField(_("ingelogd op"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("laatst actief"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("sessie")
        verbose_name_plural = _("sessies")
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="session_user_seen")]

    @classmethod
    def get_session_store_class(cls):
        from accounts.sessions import SessionStore

        return SessionStore
