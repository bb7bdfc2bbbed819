import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder

register = template.Library()


@register.filter
def as_json(value) -> str:
    """A value as JSON for a data- attribute (autoescaping quotes it), so the WebAuthn
    options reach static/js/webauthn.js without an inline script."""
    return json.dumps(value, cls=DjangoJSONEncoder)
