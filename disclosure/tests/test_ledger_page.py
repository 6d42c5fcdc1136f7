"""The public page of the record's signed checkpoints and its JSON feed (/gs/ledger/)."""

from __future__ import annotations

import pytest
from django.test import Client

from cases.tests.flow import advance, register
from disclosure import ledger_views
from ledger import signing
from ledger.models import Checkpoint
from ledger.services import ledger_checkpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_checkpoints(org) -> list[Checkpoint]:
    case = advance(org, register(org), until="filing_review")
    first = ledger_checkpoint()
    advance(org, case, until="investigation")
    second = ledger_checkpoint()
    assert first is not None and second is not None
    return [first, second]


def test_the_page_lists_each_signed_checkpoint_and_the_public_key_without_a_login(
    two_checkpoints,
):
    response = Client().get("/gs/ledger/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "全过程记录校验" in page
    key = signing.public_key()
    assert key is not None and key in page
    for cp in two_checkpoints:
        assert cp.hash in page and cp.signature in page and cp.merkle_root in page
    assert page.index(two_checkpoints[1].hash) < page.index(two_checkpoints[0].hash)
    assert response["Cache-Control"] == "public, max-age=300"
    assert not response.cookies


def test_the_page_is_in_the_public_navigation():
    assert 'href="/gs/ledger/"' in Client().get("/gs/").content.decode()


def test_the_page_says_so_while_no_key_was_made_and_makes_none(settings, tmp_path):
    settings.LEDGER_SIGNING_KEY_FILE = tmp_path / "none.key"
    page = Client().get("/gs/ledger/").content.decode()
    assert "平台尚未生成签名密钥" in page
    assert "尚无已签名的检查点" in page
    assert not settings.LEDGER_SIGNING_KEY_FILE.exists()


def test_the_feed_gives_the_checkpoints_after_an_id_that_verify_with_the_public_key(
    two_checkpoints,
):
    first, second = two_checkpoints
    body = Client().get("/gs/ledger/checkpoints.json").json()
    assert [c["id"] for c in body["checkpoints"]] == [first.pk, second.pk]
    assert body["next"] is None
    assert body["public_key"] == signing.public_key()
    for record, cp in zip(body["checkpoints"], two_checkpoints, strict=True):
        assert record["signature"] == cp.signature
        assert signing.verify(cp.message(), record["signature"], body["public_key"])
    later = Client().get(f"/gs/ledger/checkpoints.json?after={first.pk}").json()
    assert [c["id"] for c in later["checkpoints"]] == [second.pk]


def test_the_feed_pages_with_a_next_link(two_checkpoints, monkeypatch):
    monkeypatch.setattr(ledger_views, "FEED_PAGE", 1)
    first, second = two_checkpoints
    body = Client().get("/gs/ledger/checkpoints.json").json()
    assert [c["id"] for c in body["checkpoints"]] == [first.pk]
    assert body["next"] == f"/gs/ledger/checkpoints.json?after={first.pk}"
    assert [c["id"] for c in Client().get(body["next"]).json()["checkpoints"]] == [second.pk]


@pytest.mark.parametrize("after", ["-1", "abc", "9" * 19, "9" * 400, "１", " "])
def test_a_bad_after_is_refused_in_chinese_and_is_no_server_error(after):
    response = Client().get("/gs/ledger/checkpoints.json", {"after": after})
    assert response.status_code == 400
    assert response.json()["fields"] == {"after": ["应为整数"]}
    assert "检查点编号" in response.json()["errors"][0]


def test_a_nul_in_the_query_is_refused_before_the_feed():
    response = Client().get("/gs/ledger/checkpoints.json", {"after": "1\x00"})
    assert response.status_code == 422  # the platform's own refusal of NUL in any input


def test_the_largest_id_is_taken_and_gives_nothing():
    response = Client().get("/gs/ledger/checkpoints.json", {"after": str(2**63 - 1)})
    assert response.status_code == 200
    assert response.json()["checkpoints"] == []


def test_a_post_to_the_feed_is_refused():
    assert Client().post("/gs/ledger/checkpoints.json").status_code == 405
