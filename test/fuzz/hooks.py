"""Schemathesis hooks of `npm run test:fuzz` (named in test/fuzz/schemathesis.toml).

Some values only the API itself issues are opaque to a schema: list cursors (`nextCursor`) and the
signed OAuth `state`. A generated value of the right type is not one of them, and refusing it is
correct, so those refusals are not counted as "schema-valid request rejected". Their refusal is
asserted by the integration tests (test/integration/api/lists.test.ts, cafe24/oauth-routes.test.ts).

Some refusals depend on what lies outside the request, not on its shape, so no schema can state
them: a backfill range reaching past now or a reconciliation of a day after today (the same
request is accepted once the time has passed), a product link to goods FMS does not hold for the
customer (the FMS goods registry), and an upload that is not a spreadsheet (a file's content).

Known gap, left open in issue 15: the backfill range rules (`to` after `from`, at most 7 days) are
cross-field rules the document does not state yet; their refusal is not counted either.

The refusals above are asserted in
test/integration/operations/backfill-reconciliation.test.ts and
test/integration/product-linking/product-links-api.test.ts.
"""

import json

import schemathesis

SCHEMA_VALID_REJECTED = "ST202"


def _problem(response):
    try:
        return json.loads(response.content)
    except ValueError:
        return {}


def _problem_paths(response):
    try:
        body = json.loads(response.content)
    except ValueError:
        return set()
    return {error.get("path") for error in body.get("errors", []) if isinstance(error, dict)}


@schemathesis.hook
def filter_failure(context, failure, case, response):
    if failure.code != SCHEMA_VALID_REJECTED:
        return True
    if response.status_code == 422 and _problem_paths(response) == {"query.cursor"}:
        return False
    problem = _problem(response)
    if problem.get("type") in ("/problems/product-link-refused", "/problems/upload-file-type"):
        return False
    messages = [e.get("message") or "" for e in problem.get("errors", []) if isinstance(e, dict)]
    if response.status_code == 422 and any("in the future" in m or "after today" in m for m in messages):
        return False
    if case.operation.label == "POST /v1/mall-links/{id}/backfill" and response.status_code == 422 and _problem_paths(response) == {"body.to"}:
        return False
    if case.operation.label == "GET /cafe24/oauth/callback" and response.status_code == 400:
        # Without a state this route issued, every request is refused before anything else.
        return False
    return True
