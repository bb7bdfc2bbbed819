"""The back office's shared pieces (config/admin.py, templates/admin/): where "Website bekijken"
leads, the language switch, translated fields labelled per language, role names in the page's
language and readable logs. The browser crawl (tests/browser/test_admin.py) checks every page
with axe; these check the behaviour behind it."""

import pytest
from django.contrib import admin
from django.utils import translation
from modeltranslation.admin import (
    TabbedDjangoJqueryTranslationAdmin,
    TabbedExternalJqueryTranslationAdmin,
)
from modeltranslation.translator import translator

from accounts.constants import Role, SecurityEventKind
from accounts.selectors import security_event_detail, user_site_url
from accounts.services import security_event_record
from cases.services import case_share, case_unshare
from config.admin import LanguageFieldsMixin
from tests.factories import RegionFactory, TeamFactory, UserFactory, make_case


def english(client):
    client.cookies["django_language"] = "en"


class SiteLinkTests:
    def test_view_site_leads_to_the_users_own_start_page(self, beheerder, coordinator):
        assert user_site_url(user=beheerder) == "/leidraden/"
        assert user_site_url(user=coordinator) == "/coordinatie/"

    def test_back_office_header_links_there_and_offers_the_language_switch(
        self, client, coordinator
    ):
        client.force_login(coordinator)
        page = client.get("/beheer/").content.decode()
        assert '<a href="/coordinatie/">Website bekijken</a>' in page
        assert 'action="/taal/"' in page
        assert 'name="language" value="en"' in page

    def test_the_switch_turns_the_back_office_english(self, client, beheerder):
        client.force_login(beheerder)
        response = client.post("/taal/", {"language": "en", "next": "/beheer/"})
        assert response.status_code == 302
        page = client.get("/beheer/").content.decode()
        assert '<html lang="en"' in page
        assert "View site" in page


class TranslatedFieldTests:
    def test_each_language_is_labelled_and_marked_with_its_language(self, client, beheerder):
        client.force_login(beheerder)
        page = client.get("/beheer/glossary/term/add/").content.decode()
        assert "Voorkeursterm (Nederlands)" in page
        assert "Voorkeursterm (Engels)" in page
        assert 'name="pref_label_en"' in page
        assert 'lang="en"' in page
        assert "jquery-ui" not in page
        assert "modeltranslation-main-switch" not in page
        english(client)
        page = client.get("/beheer/glossary/term/add/").content.decode()
        assert "(English)" in page and "(Dutch)" in page

    def test_every_admin_of_a_translated_model_uses_the_stacked_languages(self):
        """No admin brings back modeltranslation's tabs (jQuery UI from a CDN, nested links,
        an unnamed switch): use config.admin.TranslationAdmin and its inlines."""
        translated = set(translator.get_registered_models())
        for model, model_admin in admin.site._registry.items():
            assert not isinstance(
                model_admin,
                TabbedDjangoJqueryTranslationAdmin | TabbedExternalJqueryTranslationAdmin,
            ), model
            if model in translated:
                assert isinstance(model_admin, LanguageFieldsMixin), model
            for inline in model_admin.inlines:
                if inline.model in translated:
                    assert issubclass(inline, LanguageFieldsMixin), inline


class RoleNameTests:
    def test_users_filter_by_role_named_in_the_page_language(self, client, beheerder):
        coordinator = UserFactory(role=Role.COORDINATOR)
        worker = UserFactory()
        client.force_login(beheerder)
        page = client.get("/beheer/accounts/user/", {"rol": "Coördinator"}).content.decode()
        assert coordinator.email in page
        assert worker.email not in page
        english(client)
        page = client.get("/beheer/accounts/user/").content.decode()
        assert "Coordinator" in page
        assert "Coördinator" not in page

    def test_groups_show_the_role_in_the_page_language(self, client, beheerder):
        client.force_login(beheerder)
        english(client)
        page = client.get("/beheer/auth/group/").content.decode()
        assert "Coordinator" in page
        assert "Coördinator" not in page


class SecurityLogTests:
    def test_role_team_and_region_changes_read_as_names(self, beheerder):
        old, new = RegionFactory(name="Utrecht"), RegionFactory(name="Zeist")
        team_a, team_b = TeamFactory(name="Wijkteam Oost", region=old), TeamFactory(name="Noord")
        rows = [
            (SecurityEventKind.ROLE_CHANGED, "Medewerker -> Coördinator"),
            (SecurityEventKind.TEAM_CHANGED, f"{team_a.pk} -> {team_b.pk}"),
            (SecurityEventKind.REGION_CHANGED, f"team {team_a.pk}: {old.pk} -> {new.pk}"),
            (SecurityEventKind.SESSIONS_ENDED, "2 na wijziging account"),
            (SecurityEventKind.USER_INVITED, "Beheerder"),
            (SecurityEventKind.MFA_ENROLLED, "nieuwe app (TOTP)"),
        ]
        events = [
            security_event_record(kind=kind, actor=beheerder, detail=detail)
            for kind, detail in rows
        ]
        with translation.override("nl"):
            shown = [security_event_detail(event=event) for event in events]
        assert shown == [
            "Medewerker → Coördinator",
            "Wijkteam Oost → Noord",
            "team Wijkteam Oost: Utrecht → Zeist",
            "2 sessies, na wijziging van het account",
            "Beheerder",
            "nieuwe app (TOTP)",
        ]

    def test_the_log_page_shows_the_readable_detail(self, client, beheerder):
        security_event_record(
            kind=SecurityEventKind.ROLE_CHANGED, actor=beheerder, detail="Medewerker -> Beheerder"
        )
        client.force_login(beheerder)
        english(client)
        page = client.get("/beheer/accounts/securityevent/").content.decode()
        assert "Worker → Administrator" in page
        assert "Medewerker -&gt; Beheerder" not in page


@pytest.mark.django_db
class CaseLogTests:
    def test_the_owner_reads_names_and_levels_not_keys(self, client):
        case = make_case()
        colleague = UserFactory(team=case.owner.team, display_name="Sanne de Wit")
        case_share(case=case, actor=case.owner, user=colleague, level="read")
        case_unshare(case=case, actor=case.owner, user=colleague)
        client.force_login(case.owner)
        page = client.get(f"/casussen/{case.reference}/logboek/").content.decode()
        assert "met Sanne de Wit (lezen)" in page
        assert "met Sanne de Wit" in page
        assert f"user:{colleague.pk}" not in page
