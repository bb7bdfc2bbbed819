"""Bad input cannot hurt (issue 11): size limits with a clear message, identifier detection
in linear time, and an oversized body refused before it is read."""

import time

import pytest
from django.core.exceptions import ValidationError

from cases.identifiers import find_identifiers
from cases.models import StepProgress
from cases.services import case_update_details, case_update_step
from tests.factories import make_case


class SizeLimitTests:
    def test_a_two_megabyte_note_is_refused_clearly_in_well_under_a_second(self, client, db):
        case = make_case()
        client.force_login(case.owner)
        step = case.guide_version.snapshot["steps"][0]["key"]
        body = "notes=" + "x" * 2_000_000
        timings = []
        for _attempt in range(3):  # the best of three: the CI machine is shared
            started = time.monotonic()
            response = client.post(
                f"/casussen/{case.reference}/stap/{step}/",
                body,
                content_type="application/x-www-form-urlencoded",
            )
            timings.append(time.monotonic() - started)
            assert response.status_code == 413
        assert "Te veel tekst" in response.content.decode()
        assert "Too much text" in response.content.decode()
        assert min(timings) < 0.5, timings
        assert not StepProgress.objects.filter(case=case, notes__startswith="xxx").exists()

    def test_a_note_over_the_limit_gets_the_limit_as_message_and_changes_nothing(self, client, db):
        case = make_case()
        client.force_login(case.owner)
        step = case.guide_version.snapshot["steps"][0]["key"]
        response = client.post(
            f"/casussen/{case.reference}/stap/{step}/", {"notes": "x" * 10_001, "version": 0}
        )
        assert response.status_code == 400
        assert "10000" in response.content.decode()
        assert not StepProgress.objects.filter(case=case).exclude(notes="").exists()

    def test_the_services_refuse_oversized_text_too(self, db):
        case = make_case()
        step = case.guide_version.snapshot["steps"][0]["key"]
        with pytest.raises(ValidationError):
            case_update_step(case=case, actor=case.owner, step_key=step, notes="x" * 10_001)
        with pytest.raises(ValidationError):
            case_update_details(case=case, actor=case.owner, notes="x" * 10_001)


class IdentifierSpeedTests:
    @pytest.mark.parametrize(
        "text",
        [
            "a" * 200_000,
            "a." * 100_000,
            "a@" * 100_000,
            "x@" + "b" * 200_000,
            "1234AB" + " " * 200_000,
            "1" * 200_000,
            "+31 6" * 40_000,
        ],
        ids=["letters", "dots", "ats", "long-domain", "postcode-spaces", "digits", "phones"],
    )
    def test_detection_is_linear_on_adversarial_input(self, text):
        started = time.monotonic()
        find_identifiers(text)
        # 200 KB used to take 30 s (backtracking); linear matching takes milliseconds.
        assert time.monotonic() - started < 1.0

    def test_detection_still_finds_what_it_should(self):
        assert find_identifiers("mail jan.jansen@example.nl") == ["email"]
        assert find_identifiers("woont op 1234 AB 12") == ["address"]
        assert find_identifiers("bel 06-12345678") == ["phone"]
        assert find_identifiers("foo@bar") == []
