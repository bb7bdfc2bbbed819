class CompressionTests:
    def test_html_is_compressed_for_a_browser_that_asks(self, client, worker):
        client.force_login(worker)
        response = client.get("/begrippen/", headers={"accept-encoding": "gzip"})
        assert response.status_code == 200
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]

    def test_html_is_plain_for_a_client_that_does_not(self, client, worker):
        client.force_login(worker)
        response = client.get("/begrippen/")
        assert not response.has_header("Content-Encoding")

    def test_the_compressed_length_varies_between_identical_responses(self, client, worker):
        # Heal The Breach: random padding, so the length does not tell a secret's bytes.
        client.force_login(worker)
        lengths = {
            len(client.get("/begrippen/", headers={"accept-encoding": "gzip"}).content)
            for _ in range(8)
        }
        assert len(lengths) > 1
