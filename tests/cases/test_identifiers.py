import pytest

from cases.identifiers import find_identifiers, identifier_warning, is_bsn


class BsnTests:
    @pytest.mark.parametrize("value", ["111222333", "123456782", "999999990"])
    def test_numbers_passing_the_eleven_test(self, value):
        assert is_bsn(value)

    @pytest.mark.parametrize(
        "value", ["123456789", "111222334", "000000000", "12345678", "1234567890", "12345678a"]
    )
    def test_numbers_failing_the_eleven_test(self, value):
        assert not is_bsn(value)

    def test_a_valid_bsn_in_text_is_found_also_with_separators(self):
        assert find_identifiers("BSN 111222333 genoteerd") == ["bsn"]
        assert find_identifiers("nummer 1112.22.333") == ["bsn"]

    def test_nine_digits_that_fail_the_test_are_not_a_bsn(self):
        assert find_identifiers("dossier 123456789") == []


class OtherIdentifierTests:
    @pytest.mark.parametrize(
        ("text", "kind"),
        [
            ("bel 06-12345678", "phone"),
            ("bel 0612345678", "phone"),
            ("+31 6 12345678", "phone"),
            ("vast 020 123 4567", "phone"),
            ("mail ouder@example.nl", "email"),
            ("woont op 1234 AB 12", "address"),
            ("3511AB, 7", "address"),
        ],
    )
    def test_found(self, text, kind):
        assert kind in find_identifiers(text)

    @pytest.mark.parametrize(
        "text",
        ["Jongere van 15, gesprek op 12 maart", "2024 was een zwaar jaar", "stap 3 van 14", ""],
    )
    def test_ordinary_text_is_not_flagged(self, text):
        assert find_identifiers(text) == []

    def test_one_warning_names_every_kind_once(self):
        warning = identifier_warning(["06-12345678", "a@b.nl en 06-87654321"])
        assert "telefoonnummer" in warning and "e-mailadres" in warning
        assert warning.count("telefoonnummer") == 1

    def test_no_warning_for_clean_text(self):
        assert identifier_warning(["Niets bijzonders."]) == ""
