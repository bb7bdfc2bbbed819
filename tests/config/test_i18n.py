class LanguageTests:
    def test_dutch_is_the_default(self, client, db):
        html = client.get("/inloggen/").content.decode()
        assert '<html lang="nl">' in html
        assert "Inloggen" in html

    def test_an_english_browser_still_gets_dutch(self, client, db):
        html = client.get("/inloggen/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
        assert '<html lang="nl">' in html

    def test_switching_to_english_translates_the_interface(self, client, db):
        response = client.post("/taal/", {"language": "en", "next": "/inloggen/"})
        assert response.status_code == 302
        html = client.get("/inloggen/").content.decode()
        assert '<html lang="en">' in html
        assert "Log in" in html
        assert "Acute danger?" in html

    def test_unknown_language_changes_nothing(self, client, db):
        client.post("/taal/", {"language": "xx", "next": "/inloggen/"})
        assert '<html lang="nl">' in client.get("/inloggen/").content.decode()

    def test_offsite_next_is_not_followed(self, client, db):
        response = client.post("/taal/", {"language": "en", "next": "https://evil.example/"})
        assert response.status_code == 302
        assert not response.url.startswith("https://evil.example")
