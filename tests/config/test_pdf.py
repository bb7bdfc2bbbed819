"""The one PDF helper finds the project's stylesheets under production's hashed names too, and
fetches nothing else."""

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import override_settings

from config.pdf import _static_bytes, _static_only_fetcher, render_pdf

MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STORAGES=MANIFEST, STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def test_hashed_stylesheet_link_is_fetched_under_manifest_storage(collected, settings):
    settings.STORAGES = MANIFEST
    settings.STATIC_ROOT = collected
    html = Template("{% load static %}{% static 'css/plan-pdf.css' %}").render(Context())
    assert html != "/static/css/plan-pdf.css"  # a hashed name, as in production
    with override_settings(STATICFILES_DIRS=[], STATICFILES_FINDERS=[]):
        response = _static_only_fetcher().fetch(html)
        body = response.read()
        assert body and b"@page" in body
        assert _static_bytes("css/handout.css")  # a plain name through the manifest


def test_other_urls_are_never_fetched():
    fetcher = _static_only_fetcher()
    for url in ["http://127.0.0.1:8000/health/", "file:///etc/passwd", "/static/../config/pdf.py"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_render_pdf_applies_named_stylesheets():
    pdf = render_pdf("<p>Hallo</p>", stylesheets=("css/handout.css",))
    assert pdf.startswith(b"%PDF")
    with pytest.raises(FileNotFoundError):
        render_pdf("<p>x</p>", stylesheets=("css/bestaat-niet.css",))
