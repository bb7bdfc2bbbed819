import pytest
from hypothesis import given
from hypothesis import strategies as st

from glossary.sanitize import is_http_url, render_markdown


class RenderMarkdownTests:
    def test_raw_html_is_shown_as_text(self):
        html = render_markdown("Hallo <script>alert(1)</script> en <b onclick=x>vet</b>")
        assert "<script>" not in html
        assert "&lt;script&gt;" in html
        assert "<b onclick" not in html

    @pytest.mark.parametrize(
        "link",
        ["[x](javascript:alert(1))", "[x](data:text/html;base64,xx)", "[x](vbscript:x)"],
    )
    def test_only_http_and_https_links_survive(self, link):
        assert "href" not in render_markdown(link)

    def test_http_links_get_a_safe_rel(self):
        html = render_markdown("[Veilig Thuis](https://veiligthuis.nl/)")
        assert 'href="https://veiligthuis.nl/"' in html
        assert 'rel="noopener noreferrer"' in html

    def test_markdown_still_works(self):
        html = render_markdown("**vet**, *schuin*\n\n- een\n- twee\n\n> citaat")
        assert "<strong>vet</strong>" in html
        assert "<li>een</li>" in html
        assert "<blockquote>" in html

    def test_images_are_not_allowed(self):
        assert "<img" not in render_markdown("![x](https://example.org/x.png)")

    def test_empty_text(self):
        assert render_markdown("") == ""
        assert render_markdown(None) == ""

    @given(st.text(max_size=300))
    def test_no_input_produces_a_script_tag_or_event_handler(self, text):
        html = render_markdown(text).lower()
        assert "<script" not in html
        assert " on" not in html.replace(" one", "").split(">")[0] or "<" not in html


class ParserReuseTests:
    def test_a_reused_parser_keeps_nothing_of_the_previous_text(self):
        first = render_markdown("[site][1]\n\n[1]: https://www.kis.nl/\n\n1. een\n2. twee")
        assert 'href="https://www.kis.nl/"' in first
        second = render_markdown("[site][1]")
        assert "<a" not in second and "[site][1]" in second


class HttpUrlTests:
    @pytest.mark.parametrize(
        ("value", "ok"),
        [
            ("https://www.kis.nl/", True),
            ("http://example.org/pad?x=1", True),
            ("javascript:alert(1)", False),
            ("ftp://example.org/", False),
            ("//example.org/", False),
            ("https://", False),
            ("mailto:a@b.nl", False),
        ],
    )
    def test_only_absolute_http_addresses(self, value, ok):
        assert is_http_url(value) is ok
