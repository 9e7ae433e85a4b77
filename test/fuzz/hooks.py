"""Schemathesis hooks of `npm run test:fuzz` (named in test/fuzz/schemathesis.toml).

Some values only the API itself issues are opaque to a schema: list cursors (`nextCursor`) and the
signed OAuth `state`. A generated value of the right type is not one of them, and refusing it is
correct, so those refusals are not counted as "schema-valid request rejected". Their refusal is
asserted by the integration tests (test/integration/api/lists.test.ts, cafe24/oauth-routes.test.ts).

Every rule that relates fields of one request is in the document: a backfill is a start and a
bounded length (`from`, `durationMinutes`), not two instants to compare; a mall link's
`invoiceDisplay`/`sender` rule is an `anyOf`; lists that must not repeat are `uniqueItems`. Where
the document cannot say it, the request is accepted: a goods code listed twice in a product link
is one component, a reversed calendar range has no days.

Some refusals depend on what lies outside the request, not on its shape, so no schema can state
them, and they are not counted:
- the clock: a backfill range that starts or ends after now, a reconciliation of a day after today
  (the same request is accepted once the time has passed);
- the registries: a product link to goods FMS does not hold for the customer, or to a variant the
  imported Cafe24 catalogue lacks or marks unlinkable (only these reasons; see REGISTRY_REFUSALS);
- a file's content: an upload that is not a spreadsheet.
They are asserted in test/integration/operations/backfill-reconciliation.test.ts and
test/integration/product-linking/product-links-api.test.ts.
"""

import json

import schemathesis

SCHEMA_VALID_REJECTED = "ST202"
# Refusals of a product link that only the FMS goods registry and the imported catalogue decide;
# any other reason (a quantity, a duplicate, a code's shape) is the document's to state.
REGISTRY_REFUSALS = {"unknown_goods", "unknown_variant", "unlinkable_variant"}


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
    errors = [e for e in problem.get("errors", []) if isinstance(e, dict)]
    if problem.get("type") == "/problems/product-link-refused" and errors and all(e.get("reason") in REGISTRY_REFUSALS for e in errors):
        return False
    if problem.get("type") == "/problems/upload-file-type":
        return False
    messages = [e.get("message") or "" for e in errors]
    if response.status_code == 422 and any("in the future" in m or "after today" in m for m in messages):
        return False
    if case.operation.label == "GET /cafe24/oauth/callback" and response.status_code == 400:
        # Without a state this route issued, every request is refused before anything else.
        return False
    return True
