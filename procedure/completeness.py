"""What a case's file still lacks before 结案 (归档), as plain facts in, Chinese lines out.

The check refuses nothing: the procedure's guards already refuse what the law makes a condition of
a step. It lists what an archived file (卷宗) is expected to hold and does not yet, and names the
article where the lack is a legal requirement rather than archiving practice."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PartyFacts:
    name: str
    decided: bool = False  # a decision (处罚 or 不予处罚) was made for this party
    penalty: bool = False  # the decision imposes a penalty
    delivered: bool = False  # the decision's delivery is recorded
    receipt_issued: bool = False  # the 送达回证 for this party is issued
    executed: bool = False  # the execution of the decision is recorded


@dataclass(frozen=True)
class DocumentFacts:
    title: str  # 行政处罚事先告知书（张三）
    issued: bool


@dataclass(frozen=True)
class CaseFacts:
    procedure: str  # "general" or "simple"
    filed: bool  # 立案 (the general procedure) or decided on the spot (the simple one)
    evidence: int  # evidence items on file
    documents: tuple[DocumentFacts, ...] = ()
    parties: tuple[PartyFacts, ...] = ()
    record_intact: bool = True  # the record's hash chain verifies


@dataclass(frozen=True)
class Gap:
    text: str
    # The article that requires it, when the lack is a legal defect; empty for archiving practice.
    law: str = ""


@dataclass(frozen=True)
class Completeness:
    gaps: tuple[Gap, ...] = field(default_factory=tuple)

    @property
    def complete(self) -> bool:
        return not self.gaps


def completeness(facts: CaseFacts) -> Completeness:
    gaps: list[Gap] = []
    if not facts.record_intact:
        gaps.append(Gap("全过程记录完整性校验未通过，归档前须查明原因", "《行政处罚法》第四十七条"))
    for d in facts.documents:
        if not d.issued:
            gaps.append(Gap(f"《{d.title}》尚未出具，卷宗中缺少该文书"))
    penalised = any(p.penalty for p in facts.parties)
    if facts.filed and facts.procedure == "general" and facts.evidence == 0:
        gaps.append(
            Gap(
                "案件没有登记任何证据材料" + ("，处罚决定缺少证据支撑" if penalised else ""),
                "《行政处罚法》第四十条" if penalised else "",
            )
        )
    for p in facts.parties:
        if not p.decided:
            continue
        if not p.delivered:
            gaps.append(Gap(f"对当事人“{p.name}”的决定书尚未送达", "《行政处罚法》第六十一条"))
        elif not p.receipt_issued and facts.procedure == "general":
            gaps.append(Gap(f"对当事人“{p.name}”的决定书已送达，但送达回证尚未出具"))
        if p.penalty and not p.executed:
            gaps.append(Gap(f"对当事人“{p.name}”的处罚决定尚未记录执行情况"))
    return Completeness(tuple(gaps))
