"""The tests' one way to expect a refusal: by the reasons that name the rule, never by the class.

`pytest.raises(Refused)` passes whichever guard refuses, so a test named after one rule keeps
passing when that rule is broken and another guard (the actor's role, the record's step) happens
to refuse instead. `assert_refused` requires the refusal *and* a reason naming the rule.

It lives beside `Refused` on the lowest floor and imports only the standard library and the
engine, so the tests of every app, the pure core's included, can use it without importing
upwards (see the layering in the README). Not used by the running platform.
"""

from __future__ import annotations

from collections.abc import Callable

from procedure.engine import Refused


def assert_refused(
    call: Callable[[], object],
    *fragments: str,
    field: str | None = None,
    unchanged: Callable[[], object] | None = None,
) -> Refused:
    """Run `call`, require a `Refused` (a `FieldsRefused` is one) and, for each fragment, a reason
    containing it: an article ("第六十条") or the rule's key words. With `field`, the fragments
    must be among the reasons given for that form field. With `unchanged`, its value (e.g. the
    count of ledger entries) must be the same after the refusal as before. Returns the refusal,
    for its `errors` and `fields`."""
    if not fragments:
        raise TypeError("name the rule: give at least one fragment of the reason expected")
    before = unchanged() if unchanged is not None else None
    try:
        call()
    except Refused as exc:
        refusal = exc
    else:
        raise AssertionError(f"expected a refusal naming {list(fragments)}, but it was allowed")
    reasons = refusal.errors
    if field is not None:
        if field not in refusal.fields:
            raise AssertionError(
                f"expected reasons for the field {field!r}, got {refusal.fields!r} "
                f"(all reasons: {reasons!r})"
            )
        reasons = refusal.fields[field]
    missing = [f for f in fragments if not any(f in reason for reason in reasons)]
    if missing:
        where = f" of the field {field!r}" if field is not None else ""
        raise AssertionError(f"no reason{where} contains {missing!r}; the reasons: {reasons!r}")
    if unchanged is not None:
        after = unchanged()
        if after != before:
            raise AssertionError(f"the refusal changed {before!r} into {after!r}")
    return refusal
