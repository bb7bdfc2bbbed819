import pytest
from django.core.exceptions import ValidationError

from resources.models import validate_contact
from resources.services import resource_save
from tests.factories import OrganisationFactory, ResourceFactory, ThemeFactory

BAD_URLS = [
    "javascript:alert(1)",
    "ftp://bestanden.example.org/folder.pdf",
    "data:text/html,<b>x</b>",
    "mailto:iemand@example.org",
    "//example.org/zonder-schema",
]


class UrlValidationTests:
    @pytest.mark.parametrize("url", BAD_URLS)
    def test_resource_address_accepts_only_http_and_https(self, db, url):
        resource = ResourceFactory()
        resource.url = url
        with pytest.raises(ValidationError) as info:
            resource_save(resource=resource)
        assert "url" in info.value.message_dict
        resource.refresh_from_db()
        assert resource.url.startswith("https://")

    @pytest.mark.parametrize("field", ["website", "chat_url"])
    @pytest.mark.parametrize("url", BAD_URLS[:3])
    def test_organisation_addresses_accept_only_http_and_https(self, db, field, url):
        organisation = OrganisationFactory.build(**{field: url})
        with pytest.raises(ValidationError) as info:
            organisation.full_clean()
        assert field in info.value.message_dict

    def test_the_error_says_what_is_allowed(self, db):
        resource = ResourceFactory()
        resource.url = "javascript:alert(1)"
        with pytest.raises(ValidationError) as info:
            resource.full_clean()
        assert any("http:// of https://" in m for m in info.value.message_dict["url"])

    @pytest.mark.parametrize("url", ["http://example.org/", "https://example.org/pad?x=1"])
    def test_http_and_https_are_fine(self, db, url):
        resource = ResourceFactory()
        resource.url = url
        resource_save(resource=resource)

    @pytest.mark.parametrize(
        "value", ["0800-2000", "112", "0900-8844", "+31 30 123 4567", "a@example.org", ""]
    )
    def test_route_contact_accepts_phone_email_and_http(self, value):
        validate_contact(value)
        validate_contact("https://example.org/")

    @pytest.mark.parametrize("value", ["javascript:alert(1)", "bel maar", "ftp://x.example.org/"])
    def test_route_contact_refuses_anything_else(self, value):
        with pytest.raises(ValidationError):
            validate_contact(value)


class ModelRuleTests:
    def test_themes_have_at_most_two_levels(self, db):
        main = ThemeFactory()
        sub = ThemeFactory(parent=main)
        deeper = ThemeFactory.build(parent=sub)
        with pytest.raises(ValidationError):
            deeper.full_clean()

    def test_resource_of_a_regional_organisation_shares_its_region(self, db, region_a):
        organisation = OrganisationFactory(region=region_a)
        resource = ResourceFactory.build(organisation=organisation, region=None)
        with pytest.raises(ValidationError) as info:
            resource.full_clean()
        assert "region" in info.value.message_dict

    @pytest.mark.usefixtures("region_a")  # shares the class's regions; does not need them
    def test_unknown_religious_context_is_refused(self, db):
        resource = ResourceFactory()
        resource.religious_context = ["onbekend"]
        with pytest.raises(ValidationError):
            resource.full_clean()

    @pytest.mark.usefixtures("region_a")  # shares the class's regions; does not need them
    def test_history_is_kept(self, db):
        resource = ResourceFactory()
        resource.title_nl = "Nieuwe titel"
        resource_save(resource=resource)
        assert resource.history.count() == 2
        assert resource.organisation.history.count() == 1
