"""事后公示's pure rules: scope, masking, what a published text may not contain, retention."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from law.disclosure import leaks, mask_name, publishable, retention, scrub, shown_name
from law.penalties import PenaltyType as T
from law.validators import make_id_card

TODAY = dt.date(2025, 3, 3)
ID = make_id_card("37150219880306011")
PERSON = {"kind": "person", "name": "张三丰", "id_number": ID, "address": "东昌府区柳园路8号"}


def test_a_natural_persons_name_keeps_only_its_first_character():
    assert mask_name("张三丰") == "张**"
    assert mask_name("张三") == "张*"
    assert mask_name(" 李 ") == "*"
    assert shown_name("person", "张三") == "张*"
    assert shown_name("organisation", "聊城市某某商贸有限公司") == "聊城市某某商贸有限公司"


def test_only_general_procedure_penalties_are_published_and_a_warning_alone_only_by_setting():
    general = {"procedure": "general", "outcome": "penalty", "include_warning_only": False}
    assert publishable(types=[T.FINE], **general)
    assert publishable(types=[T.WARNING, T.FINE], **general)
    assert not publishable(types=[T.WARNING], **general)
    assert publishable(types=[T.WARNING], **{**general, "include_warning_only": True})
    assert not publishable(types=[T.FINE], **{**general, "procedure": "simple"})
    assert not publishable(types=[], **{**general, "outcome": "no_penalty"})
    assert not publishable(types=[], **general)


def test_a_text_with_an_id_number_a_phone_the_full_name_or_the_address_is_refused():
    assert leaks("当事人张**违法设置广告", today=TODAY, **PERSON) == []
    assert "身份证件号码" in leaks(f"身份证号{ID}", today=TODAY, **PERSON)[0]
    other = make_id_card("11010519491231002")
    assert "身份证件号码" in leaks(f"证人{other}", today=TODAY, **PERSON)[0]
    assert leaks("编号123456789012345", today=TODAY, **PERSON) != []
    assert "电话" in leaks("联系电话13912345678", today=TODAY, **PERSON)[0]
    assert "电话" in leaks("电话0635-8321234", today=TODAY, **PERSON)[0]
    assert "张**" in leaks("当事人张三丰", today=TODAY, **PERSON)[0]
    assert "住址" in leaks("住东昌府区柳园路8号", today=TODAY, **PERSON)[0]


def test_an_organisations_name_and_credit_code_may_be_published():
    org = {"kind": "organisation", "name": "某某公司", "id_number": "91350100M000100Y43"}
    assert leaks("某某公司（统一社会信用代码91350100M000100Y43）", today=TODAY, **org) == []


def test_the_draft_is_scrubbed_of_what_may_not_be_published():
    text = f"张三丰（身份证{ID}，住东昌府区柳园路8号，电话13912345678）违法设置广告"
    clean = scrub(text, today=TODAY, phone="13912345678", **PERSON)
    assert clean.startswith("张**")
    assert leaks(clean, today=TODAY, phone="13912345678", **PERSON) == []


def test_light_decisions_stay_three_months_and_others_three_years():
    keep = {"published_on": TODAY, "low_fine": Decimal(1000), "short_months": 3, "long_years": 3}
    short = retention(items=[(T.CRITICISM, None), (T.FINE, Decimal(1000))], **keep)
    assert (short.months, short.until, short.label) == (3, dt.date(2025, 6, 3), "3个月")
    over = retention(items=[(T.FINE, Decimal("1000.01"))], **keep)
    assert (over.months, over.until, over.label) == (36, dt.date(2028, 3, 3), "3年")
    assert retention(items=[(T.CONFISCATE_GAINS, Decimal(1))], **keep).months == 36


def test_leaks_gives_exactly_its_reasons_in_order():
    everything = f"张三丰，{ID}，住东昌府区柳园路8号，电话139 1234 5678"
    assert leaks(everything, today=TODAY, phone="139 1234 5678", **PERSON) == [
        "公示内容不得包含身份证件号码",
        "公示内容不得包含电话号码",
        "公示内容不得出现自然人的完整姓名，应写作“张**”",
        "公示内容不得包含自然人的住址",
    ]
    assert leaks("编号123456789012345", today=TODAY, **PERSON) == [
        "公示内容不得包含身份证件号码（15位）"
    ]
    # Only the name and kind given: nothing else is looked for, nothing is refused.
    assert leaks("张**", today=TODAY, kind="person", name="张三丰") == []
    assert leaks("某某", today=TODAY, kind="person", name="李") == []
    assert leaks("住柳园", today=TODAY, kind="person", name="李四", address="柳园") == []


def test_the_partys_own_number_is_refused_whatever_its_check_digit_or_case():
    bad = ID[:-1] + ("0" if ID[-1] != "0" else "1")  # a wrong check digit
    assert leaks(f"号码{bad.lower()}", today=TODAY, **{**PERSON, "id_number": bad}) == [
        "公示内容不得包含身份证件号码"
    ]
    x = make_id_card("11010519491231002")
    assert x.endswith("X")
    assert leaks(f"号码{x.lower()}", today=TODAY, **PERSON) == ["公示内容不得包含身份证件号码"]
    # A number whose birth date is after today is no ID number (yet).
    unborn = make_id_card("37150220250304001")
    assert leaks(f"号码{unborn}", today=TODAY, **PERSON) == []
    assert leaks(f"号码{unborn}", today=dt.date(2025, 3, 5), **PERSON) != []


def test_a_phone_of_the_party_written_with_spaces_or_dashes_is_found():
    assert leaks("来电8321234", today=TODAY, phone="832-1234", **PERSON) == [
        "公示内容不得包含电话号码"
    ]
    assert leaks("编号832123", today=TODAY, phone="832123", **PERSON) == []


def test_the_scrubbed_draft_is_exactly_the_text_without_what_may_not_be_shown():
    other = make_id_card("11010519491231002")
    text = (
        f"张三丰（身份证{ID.lower()}），证人{other}，旧证123456789012345，"
        "住东昌府区柳园路8号，电话13912345678、0635-8321234、832 1234，单号123456789012345678"
    )
    clean = scrub(text, today=TODAY, phone="832 1234", **PERSON)
    assert clean == (
        "张**（身份证（证件号码不予公开）），证人（证件号码不予公开），旧证（证件号码不予公开），"
        "住（住址不予公开），电话（电话不予公开）、（电话不予公开）、（电话不予公开），"
        "单号123456789012345678"
    )


def test_scrub_leaves_an_organisation_and_short_names_and_addresses_alone():
    org = "某某公司（91350100M000100Y43）住东昌路，张三丰作证"
    assert scrub(org, today=TODAY, kind="organisation", name="某某公司") == org
    assert scrub("李到场", today=TODAY, kind="person", name="李") == "李到场"
    assert scrub("住柳园", today=TODAY, kind="person", name="李", address="柳园") == "住柳园"
    assert scrub("张三", today=TODAY, kind="person", name="张三") == "张*"


def test_retention_adds_up_every_fine_and_counts_a_missing_amount_as_none():
    keep = {"published_on": TODAY, "low_fine": Decimal(1000), "short_months": 3, "long_years": 3}
    two = [(T.FINE, Decimal(600)), (T.FINE, Decimal(600))]
    assert retention(items=two, **keep).months == 36
    assert retention(items=[(T.FINE, None), (T.WARNING, None)], **keep).months == 3
    assert retention(items=[(T.WARNING, None)], **{**keep, "short_months": 12}).label == "1年"
    assert retention(items=[(T.CRITICISM, None)], **{**keep, "long_years": 5}).months == 3
    assert retention(items=[(T.CLOSE, None)], **{**keep, "long_years": 5}).until == dt.date(
        2030, 3, 3
    )


BAD_X = "11010519491231001X"  # the party's number as registered, with a wrong check character


def test_the_partys_own_number_is_found_and_blotted_in_either_case_even_when_invalid():
    party = {**PERSON, "id_number": BAD_X}
    assert leaks(f"号码{BAD_X.lower()}", today=TODAY, **party) == ["公示内容不得包含身份证件号码"]
    assert scrub(f"号码{BAD_X.lower()}", today=TODAY, **party) == "号码（证件号码不予公开）"
    unborn = make_id_card("37150220250304001")
    assert scrub(f"号码{unborn}", today=TODAY, **PERSON) == f"号码{unborn}"


def test_without_a_number_address_or_phone_nothing_but_the_patterns_is_looked_for():
    person = {"kind": "person", "name": "李四"}
    assert leaks("XXXX", today=TODAY, **person) == []
    assert scrub("XXXX", today=TODAY, **person) == "XXXX"
    assert leaks("李到场", today=TODAY, kind="person", name="李") == []
    assert leaks("住柳园路", today=TODAY, kind="person", name="李", address="柳园路") == []
    assert scrub("住柳园路", today=TODAY, kind="person", name="李", address="柳园路") == "住柳园路"
    assert scrub("住柳园路口", today=TODAY, kind="person", name="李", address="柳园路口") == (
        "住（住址不予公开）"
    )


def test_an_organisations_own_code_is_not_blotted():
    code = "91350100M000100Y43"
    org = {"kind": "organisation", "name": "某某公司", "id_number": code}
    assert scrub(f"代码{code.lower()}", today=TODAY, **org) == f"代码{code.lower()}"


def test_a_fine_without_an_amount_adds_nothing():
    keep = {"published_on": TODAY, "low_fine": Decimal(0), "short_months": 3, "long_years": 3}
    assert retention(items=[(T.FINE, None)], **keep).months == 3


def test_a_two_character_name_and_a_four_character_address_are_found():
    assert leaks("张三到场", today=TODAY, kind="person", name="张三") == [
        "公示内容不得出现自然人的完整姓名，应写作“张*”"
    ]
    assert leaks("住柳园路口", today=TODAY, kind="person", name="李", address="柳园路口") == [
        "公示内容不得包含自然人的住址"
    ]
