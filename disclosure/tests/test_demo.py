"""The demo's 执法公示: published decisions and a withdrawn one, and no party's ID number on any
public page or in the feed."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from cases.models import Party
from disclosure.models import Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(frozen):
    call_command("demo", "--history-size", "40", stdout=StringIO())


def test_the_demo_publishes_decisions_withdraws_one_and_no_id_number_is_ever_shown(demo):
    statuses = list(Publication.objects.values_list("status", flat=True))
    assert statuses.count("published") >= 2 and statuses.count("withdrawn") == 1
    assert "draft" in statuses
    client = Client()
    pages = ["/gs/", "/gs/agencies/", "/gs/decisions/"]
    feed = json.loads(client.get("/gs/feed.json").content)
    for n in range(1, feed["pages"] + 1):
        pages.append(f"/gs/decisions/?page={n}")
        pages.append(f"/gs/feed.json?page={n}")
    pages += [f"/gs/decisions/{p.pk}/" for p in Publication.objects.exclude(status="draft")]
    pages += [f"/gs/agencies/{code}/" for code in ("371500-CGJ", "371500-SCJG")]
    bodies = []
    for path in pages:
        r = client.get(path)
        assert r.status_code == 200, path
        bodies.append(r.content.decode())
    text = "\n".join(bodies)
    numbers = set(Party.objects.exclude(id_number="").values_list("id_number", flat=True))
    people = Party.objects.filter(kind="person").exclude(id_number="")
    assert numbers and people.exists()
    for number in numbers:
        if Party.objects.filter(id_number=number, kind="person").exists():
            assert number not in text and number.lower() not in text, number
    for p in people:
        assert p.phone == "" or p.phone not in text
    assert "已撤回" in text and "行政复议决定撤销" in text


def test_loading_the_demo_again_adds_no_publication(demo):
    count = Publication.objects.count()
    call_command("demo", "--history-size", "40", stdout=StringIO())
    assert Publication.objects.count() == count
