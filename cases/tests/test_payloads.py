"""The step payloads take their value lists from procedure.vocab, validated as Literals were."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from cases.payloads import DeliveryIn, ExecutionIn
from procedure.vocab import SELF_ENFORCEMENT_TYPES, ExecutionKind


def test_payloads_accept_exactly_the_list() -> None:
    ok = DeliveryIn.model_validate({"party": 0, "method": "left", "delivered_on": "2025-03-03"})
    assert ok.method == "left" and type(ok.method) is str
    with pytest.raises(ValidationError) as exc:
        DeliveryIn.model_validate({"party": 0, "method": "fax", "delivered_on": "2025-03-03"})
    assert exc.value.errors()[0]["type"] == "literal_error"
    for kind in ExecutionKind:
        ExecutionIn.model_validate({"party": 0, "kind": kind})
    with pytest.raises(ValidationError):
        ExecutionIn.model_validate({"party": 0, "kind": "paid", "enforcement_type": "court"})
    schema = ExecutionIn.model_json_schema()["properties"]["enforcement_type"]["anyOf"][0]
    assert schema == {"enum": [t.value for t in SELF_ENFORCEMENT_TYPES], "type": "string"}
