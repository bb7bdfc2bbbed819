"""schemathesis hooks for the HSDS 3.0 description, used by the conformance test and by
`schemathesis run` (README: SCHEMATHESIS_HOOKS=tests.resources.schemathesis_hooks). Both are
deliberate deviations listed in the README ("HSDS API: deliberate deviations").

- `modified_after` is declared with `format: datetime`, which is no JSON Schema format; it is
  read as the standard `date-time` (RFC 3339), which is what the API accepts (else 400).
- `format=ndjson` (every result streamed without pages) is not offered and answers 400 saying
  so; requests are made with the default `json` instead.
"""

from datetime import UTC

import schemathesis
from hypothesis import strategies as st

schemathesis.openapi.format(
    "datetime",
    st.datetimes(timezones=st.just(UTC)).map(lambda value: value.isoformat()),
)


@schemathesis.hook
def map_query(context, query):
    if query and str(query.get("format", "")).strip().lower() == "ndjson":
        query["format"] = "json"
    return query
