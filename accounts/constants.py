from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The three roles of DESIGN.md. The value is the Django group's name."""

    MEDEWERKER = "Medewerker", _("Medewerker")
    COORDINATOR = "Coördinator", _("Coördinator")
    BEHEERDER = "Beheerder", _("Beheerder")


# Roles that work in the back office (Django admin). Workers never do.
STAFF_ROLES = frozenset({Role.COORDINATOR, Role.BEHEERDER})

# Permissions per role as "app_label.codename". Each content issue adds the lines for its own
# models; roles_sync() applies them after every migrate. Strings, so accounts imports no app.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.MEDEWERKER: [],
    Role.COORDINATOR: [
        "accounts.view_region",
        "accounts.view_team",
        "glossary.view_term",
        "glossary.view_label",
        "resources.view_organisation",
        "resources.add_organisation",
        "resources.change_organisation",
        "resources.view_resource",
        "resources.add_resource",
        "resources.change_resource",
        "resources.view_referralroute",
        "resources.add_referralroute",
        "resources.change_referralroute",
        "resources.view_theme",
        "resources.view_professionalgroup",
        "resources.view_audience",
        "resources.view_language",
    ],
    Role.BEHEERDER: [
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_team",
        "accounts.add_team",
        "accounts.change_team",
        "accounts.delete_team",
        "accounts.view_securityevent",
        "accounts.view_region",
        "accounts.add_region",
        "accounts.change_region",
        "accounts.delete_region",
        "auth.view_group",
        "glossary.view_term",
        "glossary.add_term",
        "glossary.change_term",
        "glossary.delete_term",
        "glossary.view_label",
        "glossary.add_label",
        "glossary.change_label",
        "glossary.delete_label",
        "guidance.view_guide",
        "guidance.add_guide",
        "guidance.change_guide",
        "guidance.delete_guide",
        "guidance.publish_guide",
        "guidance.view_step",
        "guidance.add_step",
        "guidance.change_step",
        "guidance.delete_step",
        "guidance.view_screeningquestion",
        "guidance.add_screeningquestion",
        "guidance.change_screeningquestion",
        "guidance.delete_screeningquestion",
        "guidance.view_guideversion",
        "resources.view_organisation",
        "resources.add_organisation",
        "resources.change_organisation",
        "resources.delete_organisation",
        "resources.view_resource",
        "resources.add_resource",
        "resources.change_resource",
        "resources.delete_resource",
        "resources.view_referralroute",
        "resources.add_referralroute",
        "resources.change_referralroute",
        "resources.delete_referralroute",
        "resources.view_theme",
        "resources.add_theme",
        "resources.change_theme",
        "resources.delete_theme",
        "resources.view_professionalgroup",
        "resources.add_professionalgroup",
        "resources.change_professionalgroup",
        "resources.delete_professionalgroup",
        "resources.view_audience",
        "resources.view_language",
        "resources.view_source",
        "resources.add_source",
        "resources.change_source",
        "resources.delete_source",
        "resources.view_syncreview",
    ],
}


class SecurityEventKind(models.TextChoices):
    """What the security log records (issue 10). Never content, never a password."""

    LOGIN_SUCCEEDED = "login_succeeded", _("Ingelogd")
    LOGIN_FAILED = "login_failed", _("Inloggen mislukt")
    LOCKED_OUT = "locked_out", _("Geblokkeerd na te veel pogingen")
    LOGGED_OUT = "logged_out", _("Uitgelogd")
    MFA_ENROLLED = "mfa_enrolled", _("Tweede factor ingesteld")
    MFA_REMOVED = "mfa_removed", _("Tweede factor verwijderd")
    MFA_FAILED = "mfa_failed", _("Tweede factor onjuist")
    RECOVERY_CODE_USED = "recovery_code_used", _("Herstelcode gebruikt")
    SSO_LOGIN = "sso_login", _("Ingelogd via SSO")
    SSO_REFUSED = "sso_refused", _("SSO geweigerd")
    PASSWORD_CHANGED = "password_changed", _("Wachtwoord gewijzigd")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Herstellink aangevraagd")
    PASSWORD_RESET_DONE = "password_reset_done", _("Wachtwoord hersteld")
    USER_INVITED = "user_invited", _("Gebruiker uitgenodigd")
    EMAIL_CHANGED = "email_changed", _("E-mailadres gewijzigd")
    ROLE_CHANGED = "role_changed", _("Rol gewijzigd")
    TEAM_CHANGED = "team_changed", _("Team gewijzigd")
    REGION_CHANGED = "region_changed", _("Regio gewijzigd")
    USER_DEACTIVATED = "user_deactivated", _("Gebruiker gedeactiveerd")
    USER_REACTIVATED = "user_reactivated", _("Gebruiker weer actief")
    SESSIONS_ENDED = "sessions_ended", _("Sessies beëindigd")
    CASE_ACCESS_REFUSED = "case_access_refused", _("Toegang tot casus geweigerd")
    STATISTICS_VIEWED = "statistics_viewed", _("Cijfers bekeken")
    MAP_IMPORTED = "map_imported", _("Sociale kaart geïmporteerd (CSV)")
