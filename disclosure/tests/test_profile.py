"""事前公示 kept by the agency itself: its legal reviewer or 分管局长 edits the basis and the way to
seek redress of its own unit (anyone else 404), each change on the unit's record; the agency's
随机抽查事项清单 shows on its public page."""

from __future__ import annotations

import pytest
from django.test import Client

from disclosure.models import AgencyProfile
from disclosure.services import agency_profile_edit
from inspections import random_services as rs
from ledger.models import Entry
from procedure.testing import assert_refused

pytestmark = pytest.mark.django_db
BASIS = "《聊城市城市管理局职能配置、内设机构和人员编制规定》"


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def written() -> tuple[int, int]:
    return Entry.objects.count(), AgencyProfile.objects.count()


def test_the_legal_reviewer_edits_the_agencys_basis_and_the_public_page_shows_it(org):
    c = client_for(org.legal)
    assert c.get("/disclosure/profile/").status_code == 200
    r = c.post(
        "/disclosure/profile/",
        {"basis": BASIS, "reconsideration_organ": "聊城市人民政府", "court": "东昌府区人民法院"},
    )
    assert r.status_code == 302
    profile = AgencyProfile.objects.get(unit=org.cgj)
    assert (profile.basis, profile.court) == (BASIS, "东昌府区人民法院")
    entry = Entry.objects.get(stream=f"unit:{org.cgj.pk}", action="agency_profile_set")
    assert entry.role == "legal_reviewer" and entry.actor_id == org.legal.pk
    page = Client().get(f"/gs/agencies/{org.cgj.code}/").content.decode()
    assert BASIS in page and "东昌府区人民法院" in page


def test_the_director_may_edit_and_an_empty_basis_is_refused_by_field(org):
    c = client_for(org.director)
    r = c.post("/disclosure/profile/", {"basis": " ", "court": "x" * 101})
    assert r.status_code == 422
    assert set(r.context["form"].errors) == {"basis", "court"}
    assert written() == (Entry.objects.count(), 0)
    assert_refused(
        lambda: agency_profile_edit(actor=org.director, basis="依据\x00"),
        "不允许的字符",
        field="basis",
        unchanged=written,
    )


def test_officers_without_the_role_and_other_units_cannot_reach_the_page(org):
    for outsider in (org.handler, org.chief, org.supervisor, org.sysadmin):
        assert client_for(outsider).get("/disclosure/profile/").status_code == 404
    assert_refused(
        lambda: agency_profile_edit(actor=org.chief, basis=BASIS),
        "法制审核员或分管局长",
        unchanged=written,
    )


def test_another_agencys_reviewer_edits_only_its_own_unit(org, other_legal):
    client_for(other_legal).post("/disclosure/profile/", {"basis": "市场监管局的依据"})
    assert AgencyProfile.objects.get().unit == org.scjg
    assert "市场监管局的依据" not in Client().get(f"/gs/agencies/{org.cgj.code}/").content.decode()


def test_the_agencys_random_inspection_matters_show_on_its_public_page(org):
    page = Client().get(f"/gs/agencies/{org.cgj.code}/").content.decode()
    assert "随机抽查事项清单" not in page
    rs.matter_save(
        actor=org.chief,
        code="SJ-CG-01",
        name="户外广告设施设置情况检查",
        basis="城市市容和环境卫生管理条例",
        checklist=["是否取得设置许可", "设施是否安全牢固"],
    )
    page = Client().get(f"/gs/agencies/{org.cgj.code}/").content.decode()
    assert "随机抽查事项清单" in page and "户外广告设施设置情况检查" in page
    assert "是否取得设置许可" in page
    other = Client().get(f"/gs/agencies/{org.scjg.code}/").content.decode()
    assert "户外广告设施设置情况检查" not in other
