"""Exchange records with known figures, shared by the form, exchange and rule tests."""

from __future__ import annotations

from typing import Any

from law.validators import make_credit_code, make_id_card

PERSON = make_id_card("37150219800101123")
PERSON_2 = make_id_card("37152219900202234")
ORG = make_credit_code("91371500MA3C0000X")

UNITS = {
    "cgj": {"code": "371500-CGJ", "name": "聊城市城市管理局", "region": "371500"},
    "dcf": {"code": "371502-SCJG", "name": "东昌府区市场监督管理局", "region": "371502"},
    "sx": {"code": "371522-SCJG", "name": "莘县市场监督管理局", "region": "371522"},
    "gx": {"code": "371525-ZHZF", "name": "冠县综合行政执法局", "region": "371525"},
}


def decision(
    no: str,
    on: str,
    penalties: list[dict[str, str]],
    outcome: str = "penalty",
    reconsideration: dict[str, Any] | None = None,
    litigation: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "no": no,
        "decided_on": on,
        "outcome": outcome,
        "penalties": penalties,
        "reconsideration": reconsideration,
        "litigation": litigation,
    }


def party(
    kind: str, name: str, id_number: str | None, dec: dict[str, Any] | None
) -> dict[str, Any]:
    return {"kind": kind, "name": name, "id_number": id_number, "decision": dec}


def case(
    unit: str,
    no: str,
    filed: str,
    closed: str | None,
    parties: list[dict[str, Any]],
    *,
    procedure: str = "general",
    transferred: str | None = None,
    measures: list[dict[str, str]] | None = None,
    enforcements: list[dict[str, str]] | None = None,
    matter: dict[str, str] | None = None,
) -> dict[str, Any]:
    return {
        "schema": "zhifa.case/1",
        "unit": dict(UNITS[unit]),
        "case_no": no,
        "procedure": procedure,
        "matter": matter or {"code": "CG-0001", "name": "擅自设置户外广告设施"},
        "source": "patrol",
        "filed_on": filed,
        "closed_on": closed,
        "transferred_on": transferred,
        "parties": parties,
        "coercive_measures": measures or [],
        "enforcements": enforcements or [],
    }


def inspection(unit: str, no: str, on: str) -> dict[str, Any]:
    return {
        "schema": "zhifa.inspection/1",
        "unit": dict(UNITS[unit]),
        "inspection_no": no,
        "on": on,
        "kind": "random",
        "targets": [{"kind": "organisation", "name": "某公司", "id_number": ORG}],
        "result": "no_problem",
    }


def fine(amount: str) -> dict[str, str]:
    return {"type": "fine", "amount": amount}


def known_2022() -> list[dict[str, Any]]:
    """The dataset whose 2022 forms the tests spell out cell by cell."""
    return [
        # A: two decisions; the first with two types counts once under the heaviest
        # (没收违法所得) and is revoked on reconsideration — the case still counts as 结案.
        case(
            "cgj",
            "A",
            "2022-03-01",
            "2022-06-01",
            [
                party(
                    "organisation",
                    "某商贸公司",
                    ORG,
                    decision(
                        "A-1",
                        "2022-04-02",
                        [fine("5000.00"), {"type": "confiscate_gains", "amount": "1200.50"}],
                        reconsideration={"filed_on": "2022-05-10", "result": "corrected"},
                    ),
                ),
                party(
                    "person", "张某", PERSON, decision("A-2", "2022-04-02", [{"type": "warning"}])
                ),
            ],
            measures=[{"type": "seize", "on": "2022-03-05"}],
            enforcements=[{"type": "surcharge", "on": "2022-05-30"}],
        ),
        # B: open, transferred, 行政拘留 heaviest, reconsideration upheld, litigation lost.
        case(
            "dcf",
            "B",
            "2022-02-01",
            None,
            [
                party(
                    "person",
                    "李某",
                    PERSON_2,
                    decision(
                        "B-1",
                        "2022-05-01",
                        [fine("200.00"), {"type": "detention"}],
                        reconsideration={"filed_on": "2022-06-01", "result": "upheld"},
                        litigation={"filed_on": "2022-08-01", "result": "corrected"},
                    ),
                )
            ],
            transferred="2022-07-01",
            measures=[
                {"type": "seal_up", "on": "2022-02-02"},
                {"type": "freeze", "on": "2022-02-03"},
            ],
            enforcements=[{"type": "court", "on": "2022-09-01"}],
        ),
        # C: filed and decided in 2021, closed in 2022; reconsideration pending.
        case(
            "sx",
            "C",
            "2021-12-20",
            "2022-01-10",
            [
                party(
                    "organisation",
                    "某厂",
                    ORG,
                    decision(
                        "C-1",
                        "2021-12-25",
                        [fine("100.00")],
                        reconsideration={"filed_on": "2022-01-05", "result": None},
                    ),
                )
            ],
            enforcements=[
                {"type": "other", "on": "2022-01-08"},
                {"type": "restore", "on": "2022-01-09"},
            ],
        ),
        # D: filed and decided in 2022, closed in 2023; 责令关闭 heaviest.
        case(
            "sx",
            "D",
            "2022-12-30",
            "2023-01-05",
            [
                party(
                    "organisation",
                    "某作坊",
                    ORG,
                    decision(
                        "D-1",
                        "2022-12-31",
                        [{"type": "close"}, {"type": "suspend_business"}, fine("99999.99")],
                    ),
                )
            ],
        ),
        # E: 不予处罚 — counted as filed and closed, in no type column.
        case(
            "cgj",
            "E",
            "2022-05-05",
            "2022-05-20",
            [
                party(
                    "other", "某协会", None, decision("E-1", "2022-05-15", [], outcome="no_penalty")
                )
            ],
        ),
        # F, G: simple procedure; 其他行政处罚 only when no named type applies.
        case(
            "gx",
            "F",
            "2022-03-03",
            "2022-03-03",
            [
                party(
                    "person",
                    "王某",
                    PERSON,
                    decision("F-1", "2022-03-03", [{"type": "other"}, {"type": "warning"}]),
                )
            ],
            procedure="simple",
        ),
        case(
            "gx",
            "G",
            "2022-03-04",
            "2022-03-04",
            [party("person", "赵某", PERSON, decision("G-1", "2022-03-04", [{"type": "other"}]))],
            procedure="simple",
        ),
        inspection("cgj", "I-1", "2022-01-10"),
        inspection("cgj", "I-2", "2022-11-10"),
        inspection("dcf", "I-3", "2022-06-10"),
        inspection("dcf", "I-4", "2021-06-10"),
    ]
