"""The public list's order, paging, bounded count and party search, as the indexes of migration
0003 serve them (on PostgreSQL the pair index for two characters): the same rows, in the same
order, as the plain query they replace."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from cases.models import Case, Decision, Party
from disclosure import views
from disclosure.models import Publication
from disclosure.services import publication_approve, publication_draft, publication_publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def pub(org: Any, decision: Decision) -> Publication:
    publication_draft(decision_id=decision.pk, actor=org.handler)
    publication_approve(decision_id=decision.pk, actor=org.legal)
    return publication_publish(decision_id=decision.pk, actor=org.legal)


def copies(pub: Publication, specs: list[tuple[str, int]], unit: Any = None) -> list[int]:
    """Published decisions like `pub`, one per (party name, days before its publication day):
    each on a case, party and decision of its own. Their ids, in the order made."""
    made = []
    for name, days_before in specs:
        case = Case.objects.get(pk=pub.case_id)
        case.pk = None
        if unit is not None:
            case.unit = unit
        case.save()
        party = Party.objects.get(pk=pub.decision.party_id)
        party.pk, party.case, party.name = None, case, name
        party.save()
        decision = Decision.objects.get(pk=pub.decision_id)
        decision.pk, decision.case, decision.party = None, case, party
        decision.save()
        row = Publication.objects.get(pk=pub.pk)
        row.pk, row.decision, row.case, row.unit_id = None, decision, case, case.unit_id
        row.party_name = name
        assert pub.published_on is not None
        row.published_on = pub.published_on - dt.timedelta(days=days_before)
        row.save()
        made.append(row.pk)
    return made


def feed(**query: Any) -> dict[str, Any]:
    response = Client().get("/gs/feed.json", query)
    assert response.status_code == 200
    return dict(json.loads(response.content))


def test_the_pages_list_every_decision_once_newest_first_and_the_newest_row_first_on_a_day(
    pub, settings
):
    settings.DISCLOSURE_PAGE_SIZE = 2
    ids = copies(pub, [("聊城市甲商贸有限公司", 0), ("乙**", 3), ("聊城市丙建材经营部", 3)])
    ids += copies(pub, [("丁**", 1)])
    pages = feed()["pages"]
    listed = [i["id"] for n in range(1, pages + 1) for i in feed(page=n)["items"]]
    # Day 0: pub and the first copy, the later row first; then day 1; then day 3's two rows.
    assert listed == [ids[0], pub.pk, ids[3], ids[2], ids[1]]


def test_the_count_stops_at_the_last_page_it_shows_and_says_there_are_more(
    pub, settings, monkeypatch
):
    settings.DISCLOSURE_PAGE_SIZE = 2
    monkeypatch.setattr(views, "MAX_PAGE", 2)
    copies(pub, [(f"聊城市{n}号商贸有限公司", n) for n in range(3)])
    # Four on the site: the last that the two pages show, counted whole.
    body = feed()
    assert (body["count"], body["count_more"], body["pages"]) == (4, False, 2)
    assert "共 4 条" in Client().get("/gs/decisions/").content.decode()
    # A fifth: the count stops at the two pages, and says there are more.
    copies(pub, [("聊城市五号商贸有限公司", 5)])
    body = feed()
    assert (body["count"], body["count_more"], body["pages"]) == (4, True, 2)
    assert feed(page=2)["next"] is None
    assert "超过 4 条" in Client().get("/gs/decisions/").content.decode()
    # A search narrows it back to an exact count.
    assert (feed(party="五号")["count"], feed(party="五号")["count_more"]) == (1, False)


def test_a_party_fragment_of_one_two_or_more_characters_is_found_anywhere_in_the_name(pub):
    ids = copies(
        pub,
        [("聊城市恒达管道工程有限公司", 1), ("恒达物流经营部", 2), ("聊城市恒泰达商行", 3)],
    )

    def found(fragment: str) -> list[int]:
        return [i["id"] for i in feed(party=fragment)["items"]]

    # Two characters (the pair index on PostgreSQL): inside, at the start; not split apart.
    assert found("恒达") == ids[:2]
    assert found("管道") == ids[:1]
    assert found("张*") == [pub.pk]
    assert found("达管道") == ids[:1]
    assert found("恒") == ids
    assert found("达商") == ids[2:]
    assert found("泰恒") == []


def test_an_agencys_list_holds_only_its_decisions_newest_first(org, pub):
    other = copies(pub, [("聊城市甲商贸有限公司", 0)], unit=org.scjg)
    own = copies(pub, [("聊城市乙商贸有限公司", 2), ("聊城市丙商贸有限公司", 1)])
    assert [i["id"] for i in feed(unit=org.cgj.code)["items"]] == [pub.pk, own[1], own[0]]
    assert [i["id"] for i in feed(unit=org.scjg.code)["items"]] == other


def test_the_search_form_offers_every_agency_and_keeps_the_one_searched(org, pub):
    from disclosure.selectors import public_agencies

    html = Client().get("/gs/decisions/", {"unit": org.cgj.code}).content.decode()
    select = html[html.index('<select name="unit"') : html.index("</select>")]
    assert select.count("<option") == public_agencies().count() + 1
    assert f'<option value="{org.cgj.code}" selected>{org.cgj.name}</option>' in select
    assert select.count(" selected") == 1
    assert f'<option value="{org.scjg.code}">{org.scjg.name}</option>' in select
