"""The case page's module sections fold: each stays closed while nothing waits for the user in
it, and opens by itself when an action waits for them, a form of it was just posted, or the link
that led there (the 待办's, a notice's) asks for it."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cases.models import Preservation, Recusal
from cases.services.preservations import preservation_approve, preservation_request
from cases.services.recusals import recusal_request
from cases.services.reviews import review_file
from cases.tests.flow import advance, register
from coercion.models import CoerciveMeasure
from coercion.services import measure_decide, measure_propose
from enforcement.services import enforcement_open
from enforcement.tests.test_services import NOTICE, at, decided
from web.tests.test_workspace import login, page

pytestmark = pytest.mark.django_db

SEIZE = {
    "type": "seize",
    "items": [{"name": "户外广告牌", "quantity": "1块", "description": "6米×3米"}],
    "reason": "防止涉案广告牌被转移",
    "basis": "《广告法》第四十九条第二款",
}
HTMX = {"HTTP_HX_REQUEST": "true"}


def fold(html: str, name: str) -> tuple[bool, str]:
    """(whether the section's fold is open, its summary's text)."""
    found = re.search(
        rf'<details class="card fold" id="fold-{name}"( open)?>\s*<summary>(.*?)</summary>',
        html,
        re.S,
    )
    assert found is not None, f"no fold for {name}"
    return found.group(1) is not None, re.sub(r"<[^>]+>", "", found.group(2))


@pytest.fixture
def investigating(org):
    return advance(org, register(org), until="investigation")


def test_the_recusals_fold_opens_for_the_head_who_decides_and_stays_closed_for_the_handler(
    org, investigating
):
    url = f"/cases/{investigating.pk}/"
    handler, director = login(org.handler), login(org.director)
    assert fold(page(handler, url), "recusals") == (False, "回避 （0 项）")
    assert fold(page(director, url), "recusals") == (False, "回避 （0 项）")
    recusal_request(
        case_id=investigating.pk,
        actor=org.handler,
        officer="cohandler",
        source="party",
        reason="当事人称协办人系其亲属",
    )
    assert fold(page(director, url), "recusals") == (True, "回避 （1 项，1 项待您决定）")
    assert fold(page(handler, url), "recusals") == (False, "回避 （1 项）")
    # The 待办's link asks for the section: it lands open.
    todo = page(director, "/")
    assert f"{url}?open=recusals#recusals" in todo
    assert fold(page(handler, f"{url}?open=recusals"), "recusals")[0]
    assert Recusal.objects.count() == 1


def test_a_refused_recusal_form_posted_without_htmx_comes_back_in_an_open_fold(org, investigating):
    r = login(org.handler).post(
        f"/cases/{investigating.pk}/recusals/",
        {"officer": "cohandler", "source": "party", "reason": ""},
    )
    html = r.content.decode()
    assert r.status_code == 200 and fold(html, "recusals")[0]
    assert not Recusal.objects.exists()


def test_the_preservations_fold_opens_for_whoever_the_next_action_waits_for(org, investigating):
    url = f"/cases/{investigating.pk}/"
    handler, director = login(org.handler), login(org.director)
    assert fold(page(handler, url), "preservations") == (False, "证据先行登记保存 （0 项）")
    item = preservation_request(
        case_id=investigating.pk,
        actor=org.handler,
        items=[{"name": "涉案广告牌", "quantity": "1块", "note": ""}],
        reason="当事人正在拆除",
    )
    opened, summary = fold(page(director, url), "preservations")
    assert opened and summary == "证据先行登记保存 （1 项，1 项待您办理）"
    assert not fold(page(handler, url), "preservations")[0]
    preservation_approve(
        case_id=investigating.pk,
        actor=org.director,
        preservation_id=item.pk,
        approved=True,
        opinion="同意",
    )
    assert fold(page(handler, url), "preservations")[0]
    assert not fold(page(director, url), "preservations")[0]
    assert Preservation.objects.get().status == "approved"


def test_the_measures_fold_opens_for_the_heads_approval_then_for_the_handler_to_carry_out(org):
    case = register(org)
    url = f"/cases/{case.pk}/"
    handler, director = login(org.handler), login(org.director)
    assert fold(page(handler, url), "measures") == (False, "行政强制措施 （0 项）")
    measure = measure_propose(case_id=case.pk, actor=org.handler, **SEIZE)
    assert fold(page(director, url), "measures") == (True, "行政强制措施 （1 项，1 项待您审批）")
    assert fold(page(handler, url), "measures") == (False, "行政强制措施 （1 项）")
    measure_decide(
        case_id=case.pk,
        measure_id=measure.pk,
        actor=org.director,
        decision="approve",
        opinion="同意扣押",
        reason="",
    )
    assert CoerciveMeasure.objects.get().step == "cm_carry_out"
    assert fold(page(handler, url), "measures") == (True, "行政强制措施 （1 项，1 项待您办理）")
    assert not fold(page(director, url), "measures")[0]
    assert f"{url}?open=measures#measures" in page(handler, "/")


def test_the_enforcement_fold_opens_for_the_handler_once_the_fine_is_overdue(org):
    case = decided(org)
    slot = f"/cases/{case.pk}/enforcement/?fold=1"
    handler = login(org.handler)
    assert f"/cases/{case.pk}/enforcement/?fold=1" in page(handler, f"/cases/{case.pk}/")
    html = handler.get(slot, **HTMX).content.decode()
    assert fold(html, "enforcement") == (False, "强制执行 （0 项）")
    at(dt.date(2025, 9, 29))
    html = handler.get(slot, **HTMX).content.decode()
    assert fold(html, "enforcement") == (True, "强制执行 （0 项，1 项待您办理）")
    assert not fold(login(org.chief).get(slot, **HTMX).content.decode(), "enforcement")[0]
    html = login(org.chief).get(f"{slot}&open=enforcement", **HTMX).content.decode()
    assert fold(html, "enforcement")[0]
    # Once opened, the handler serves the 催告书, issued first: both wait for them.
    enforcement_open(
        case_id=case.pk, actor=org.handler, party=0, data={**NOTICE, "term_ends": "2025-10-15"}
    )
    html = handler.get(slot, **HTMX).content.decode()
    assert fold(html, "enforcement") == (True, "强制执行 （1 项，2 项待您办理）")
    assert not fold(login(org.chief).get(slot, **HTMX).content.decode(), "enforcement")[0]


def test_the_reviews_fold_opens_while_a_review_waits_for_its_result_to_be_recorded(org):
    case = advance(org, register(org), until="execution")
    url = f"/cases/{case.pk}/"
    legal = login(org.legal)
    assert fold(page(legal, url), "reviews") == (False, "复议诉讼 （0 项）")
    review_file(
        case_id=case.pk,
        actor=org.legal,
        party=0,
        kind="reconsideration",
        filed_on=case.decisions.get().decided_on,
        organ="聊城市人民政府",
        organ_case_no="",
    )
    assert fold(page(legal, url), "reviews") == (True, "复议诉讼 （1 项，1 项待登记结果）")
    assert fold(page(login(org.supervisor), url), "reviews") == (False, "复议诉讼 （1 项）")
