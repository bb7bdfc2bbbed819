"""A token naming the current state of some content, kept in the cache: whatever is kept per
token goes stale at once when the token is forgotten (the map's facet counts, the glossary's
label index and matchers)."""

import uuid

from django.core.cache import cache


def version_token(key: str, timeout: int) -> str:
    """The token under `key`, made when none is cached; no query. Two requests that make one
    at once agree on the first one stored (`cache.add`)."""
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex
        if not cache.add(key, version, timeout):
            version = cache.get(key) or version
    return version
