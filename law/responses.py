"""A party's 陈述、申辩 or 听证 request submitted online against its 行政处罚事先告知书. Pure.

行政处罚法第四十四条、第四十五条 give the party the right to state its case and defend itself
before the decision, 第六十三条 the right to a hearing for the heavier penalties, and
第六十四条第一项 has the hearing asked for within five days of the notice. The 告知书 names
the last day of that window (the `hearing_request` limit the notice step starts) for both the
statement and the hearing request, and step 12 (notice_response) treats the statement the same
way (procedure.guards.responses_complete), so an online submission follows the same window:
accepted up to and including its last day, refused the day after.

A submission is the party's words, not a decision: the 承办人 still records the party's response
at step 12, where the submissions are shown and prefill the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

STATEMENT_MAX = 5000
SUBMITTER_MAX = 50
# The most submissions one party may make against one notice: enough for a correction or two,
# not a flood in the 承办人's 待办.
SUBMISSIONS_MAX = 10
ID_TAIL_LENGTH = 6


class Relation:
    SELF = "self"
    AGENT = "agent"


RELATION_LABELS = {Relation.SELF: "当事人本人", Relation.AGENT: "委托代理人"}


@dataclass(frozen=True)
class Submission:
    """What the party sent and what the case says about it at that moment."""

    at_response_step: bool  # the case waits at step 12 (陈述申辩/听证)
    today: date
    window_end: date | None  # the last day of the 告知书's window; None: no window running
    hearing_right: bool  # 第六十三条: the proposed penalty gives this party a hearing right
    wants_hearing: bool
    statement: str
    submitter: str
    relation: str
    earlier: int  # submissions this party already made against this notice


def id_tail_matches(id_number: str, typed: str) -> bool:
    """The last six characters of the party's 证件号码 as typed (an x as X, spaces ignored)."""
    number = id_number.strip().upper()
    tail = "".join(typed.split()).upper()
    return len(tail) == ID_TAIL_LENGTH and len(number) >= ID_TAIL_LENGTH and number.endswith(tail)


def submission_errors(s: Submission) -> dict[str, list[str]]:
    """Why this submission cannot be accepted, by form field; empty when it can."""
    if not s.at_response_step or s.window_end is None:
        return {"code": ["本案当前不在陈述、申辩和听证申请阶段，无法在线提交，请与承办人联系"]}
    if s.today > s.window_end:
        return {
            "code": [
                f"陈述、申辩和听证申请的期限已于{s.window_end.isoformat()}届满"
                "（《中华人民共和国行政处罚法》第六十四条第一项），无法在线提交"
            ]
        }
    if s.earlier >= SUBMISSIONS_MAX:
        return {"code": [f"本告知书的在线提交已达{SUBMISSIONS_MAX}次，请与承办人联系"]}
    errors: dict[str, list[str]] = {}
    submitter = s.submitter.strip()
    if not submitter:
        errors["submitter"] = ["请填写提交人姓名"]
    elif len(submitter) > SUBMITTER_MAX:
        errors["submitter"] = [f"提交人姓名不超过{SUBMITTER_MAX}字"]
    if s.relation not in RELATION_LABELS:
        errors["relation"] = ["请选择提交人身份"]
    statement = s.statement.strip()
    if len(statement) > STATEMENT_MAX:
        errors["statement"] = [f"陈述、申辩内容不超过{STATEMENT_MAX}字"]
    elif not statement and not s.wants_hearing:
        errors["statement"] = ["请填写陈述、申辩的内容，或申请听证"]
    if s.wants_hearing and not s.hearing_right:
        errors["hearing"] = [
            "拟作出的行政处罚不属于《中华人民共和国行政处罚法》第六十三条规定的听证范围"
        ]
    return errors
