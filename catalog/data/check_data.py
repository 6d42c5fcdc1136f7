#!/usr/bin/env python3
"""Validate the shipped reference data: orgs/data/{regions,units}.json, catalog/data/matters.json.

Standalone, standard library only. Run from anywhere:

    python3 catalog/data/check_data.py

Exit status 0 when every check passes, 1 with one message per problem otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Set
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
REGIONS = ROOT / "orgs" / "data" / "regions.json"
UNITS = ROOT / "orgs" / "data" / "units.json"
MATTERS = ROOT / "catalog" / "data" / "matters.json"

# GB/T 2260, in the row order of the seed 004 appendix tables (市直部门 first, 合计 last).
COUNTIES = ["371502", "371503", "371581", "371525", "371522", "371521", "371524", "371526"]
CITY = "371500"
PROVINCE = "370000"

REGION_KEYS = {"code", "name", "parent", "level", "order"}
UNIT_KEYS = {"code", "name", "kind", "region", "parent", "short"}
UNIT_KINDS = {"government", "justice", "agency", "township"}
# Every county must have at least these agencies (code suffixes).
COUNTY_AGENCIES = {"ZHZF", "SCJG", "JTJ", "SHJ", "SLJ", "SWJ"}
# Codes other parts of the platform rely on (shared/exchange.md).
PINNED_UNITS = {"371500-CGJ": "聊城市城市管理局", "371502-SCJG": "东昌府区市场监督管理局"}

MATTER_KEYS = {
    "code",
    "name",
    "kind",
    "domain",
    "implementing_units",
    "violated",
    "basis",
    "penalty_types",
    "legal_band",
    "multiple",
    "bands",
    "bands_source",
    "time_bar_years",
    "major",
    "lenient",
    "valid_from",
    "valid_until",
}
COERCION_EXTRA_KEYS = {"measures"}
DOMAINS = {
    "城管": "CG",
    "市场监管": "SJ",
    "交通运输": "JT",
    "生态环境": "HB",
    "水利": "SL",
    "商务": "SW",
}
PENALTY_TYPES = {
    "warning",
    "criticism",
    "fine",
    "confiscate_gains",
    "confiscate_property",
    "suspend_permit",
    "lower_qualification",
    "revoke_permit",
    "restrict_business",
    "suspend_business",
    "close",
    "restrict_practice",
    "detention",
    "other",
}
MEASURES = {"seal_up", "seize", "freeze", "other"}
LENIENT_KINDS = {"no_penalty_first", "no_penalty_minor", "lighter"}
BAND_NAMES = ("lighter", "ordinary", "heavier")
MIN_MATTERS = 40
MIN_LENIENT = 10

AMOUNT = re.compile(r"^\d+(\.\d{1,2})?$")
UNIT_CODE = re.compile(r"^(\d{6})-[A-Z0-9]+$")
MATTER_CODE = re.compile(r"^(CG|SJ|JT|HB|SL|SW|QZ)-\d{4}$")
ARTICLE = re.compile(r"^第[零一二三四五六七八九十百]+条")
CN_NUM = "零一二三四五六七八九十百"

errors: list[str] = []


def err(where: str, msg: str) -> None:
    errors.append(f"{where}: {msg}")


def load(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        err(str(path.relative_to(ROOT)), f"cannot read JSON ({e})")
        return []
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        err(str(path.relative_to(ROOT)), "must be a JSON list of objects")
        return []
    return data


def keys(
    where: str, row: dict[str, Any], required: set[str], optional: Set[str] = frozenset()
) -> None:
    missing = required - row.keys()
    unknown = row.keys() - required - optional
    if missing:
        err(where, f"missing keys {sorted(missing)}")
    if unknown:
        err(where, f"unknown keys {sorted(unknown)}")


def nonempty_str(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def amount(where: str, value: Any) -> Decimal | None:
    if not isinstance(value, str) or not AMOUNT.match(value):
        err(where, f"amount {value!r} must be a decimal string in 元 with at most 2 decimals")
        return None
    return Decimal(value)


def band(where: str, value: Any) -> tuple[Decimal, Decimal] | None:
    if not isinstance(value, dict) or set(value) != {"min", "max"}:
        err(where, 'must be {"min": ..., "max": ...}')
        return None
    lo, hi = amount(f"{where}.min", value["min"]), amount(f"{where}.max", value["max"])
    if lo is None or hi is None:
        return None
    if lo > hi:
        err(where, f"min {lo} > max {hi}")
        return None
    return lo, hi


def date(where: str, value: Any) -> dt.date | None:
    if not isinstance(value, str):
        err(where, f"date {value!r} must be a YYYY-MM-DD string")
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        err(where, f"date {value!r} is not a valid YYYY-MM-DD date")
        return None


def article(where: str, value: Any) -> None:
    if not nonempty_str(value) or not ARTICLE.match(value):
        err(where, f"article {value!r} must start with 第…条 in Chinese numerals")


def law_ref(where: str, value: Any, *, with_text: bool) -> None:
    required = {"law", "article", "text"} if with_text else {"law", "article"}
    if not isinstance(value, dict):
        err(where, "must be an object")
        return
    keys(where, value, required)
    if not nonempty_str(value.get("law")):
        err(where, "law must be a non-empty string")
    article(where, value.get("article"))
    if with_text and not nonempty_str(value.get("text")):
        err(where, "text must be a non-empty string")


# ------------------------------------------------------------------------------------- regions
def check_regions(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    by_code: dict[str, dict[str, Any]] = {}
    for i, r in enumerate(rows):
        where = f"regions.json[{i}]"
        keys(where, r, REGION_KEYS)
        code = r.get("code")
        if not isinstance(code, str) or not re.fullmatch(r"\d{6}", code):
            err(where, f"code {code!r} must be 6 digits (GB/T 2260)")
            continue
        where = f"regions.json {code}"
        if code in by_code:
            err(where, "duplicate code")
        by_code[code] = r
        if not nonempty_str(r.get("name")):
            err(where, "name must be a non-empty string")
        if r.get("level") not in {"province", "city", "county"}:
            err(where, f"level {r.get('level')!r} must be province|city|county")
        if (
            not isinstance(r.get("order"), int)
            or isinstance(r.get("order"), bool)
            or r["order"] < 0
        ):
            err(where, "order must be a non-negative integer")
    for code, r in by_code.items():
        parent = r.get("parent")
        if parent is None:
            if r.get("level") != "province":
                err(f"regions.json {code}", "only a province may have no parent")
        elif parent not in by_code:
            err(f"regions.json {code}", f"parent {parent!r} does not exist")
    if PROVINCE not in by_code:
        err("regions.json", "山东省 370000 missing")
    if by_code.get(CITY, {}).get("parent") != PROVINCE:
        err("regions.json", "聊城市 371500 missing or not under 370000")
    counties = sorted(
        (r for r in by_code.values() if r.get("parent") == CITY and r.get("level") == "county"),
        key=lambda r: r.get("order", 0),
    )
    got = [r["code"] for r in counties]
    if got != COUNTIES:
        err("regions.json", f"the 8 counties of 聊城市 in seed order must be {COUNTIES}, got {got}")
    orders = [r.get("order") for r in counties]
    if len(set(orders)) != len(orders):
        err("regions.json", "county order values must be unique")
    return by_code


# --------------------------------------------------------------------------------------- units
def check_units(
    rows: list[dict[str, Any]], regions: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    by_code: dict[str, dict[str, Any]] = {}
    for i, u in enumerate(rows):
        where = f"units.json[{i}]"
        keys(where, u, UNIT_KEYS)
        code = u.get("code")
        if not isinstance(code, str) or not UNIT_CODE.match(code):
            err(where, f"code {code!r} must look like <region>-<ABBR> (upper-case ASCII)")
            continue
        where = f"units.json {code}"
        if code in by_code:
            err(where, "duplicate code")
        by_code[code] = u
        if not nonempty_str(u.get("name")):
            err(where, "name must be a non-empty string")
        elif len(u["name"]) > 100:
            err(where, "name longer than 100 characters")
        if u.get("kind") not in UNIT_KINDS:
            err(where, f"kind {u.get('kind')!r} must be one of {sorted(UNIT_KINDS)}")
        region = u.get("region")
        if region not in regions:
            err(where, f"region {region!r} not in regions.json")
        elif code[:6] != region:
            err(where, f"code prefix does not match region {region}")
        if not isinstance(u.get("short"), str) or len(u["short"]) > 20:
            err(where, "short must be a string of at most 20 characters")
    names = [u.get("name") for u in by_code.values()]
    for n in {n for n in names if names.count(n) > 1}:
        err("units.json", f"duplicate unit name {n!r}")

    for code, u in by_code.items():
        where = f"units.json {code}"
        parent = u.get("parent")
        kind, region = u.get("kind"), u.get("region")
        if parent is None:
            if code != f"{CITY}-GOV":
                err(where, "only 371500-GOV may have no parent")
            continue
        p = by_code.get(parent)
        if p is None:
            err(where, f"parent {parent!r} does not exist")
            continue
        if kind == "government" and not (region in COUNTIES and parent == f"{CITY}-GOV"):
            err(where, "a county government must sit under 371500-GOV")
        if kind == "justice" and parent != f"{region}-GOV":
            err(where, f"a justice bureau must sit under its own government {region}-GOV")
        if kind == "township" and (region not in COUNTIES or parent != f"{region}-GOV"):
            err(where, "a township must belong to a county and sit under that county's GOV")
        if kind == "agency" and p.get("region") != region:
            err(where, f"parent {parent} is in another region")
    # no cycles: every chain ends at 371500-GOV
    for code in by_code:
        seen: set[str] = set()
        cur: str | None = code
        while cur is not None and cur in by_code:
            if cur in seen:
                err(f"units.json {code}", "parent chain has a cycle")
                break
            seen.add(cur)
            cur = by_code[cur].get("parent")
    required = {f"{CITY}-GOV": "government", f"{CITY}-SFJ": "justice"}
    for c in COUNTIES:
        required[f"{c}-GOV"] = "government"
        required[f"{c}-SFJ"] = "justice"
        for a in COUNTY_AGENCIES:
            required[f"{c}-{a}"] = "agency"
    for code, kind in required.items():
        if code not in by_code:
            err("units.json", f"required unit {code} ({kind}) missing")
        elif by_code[code].get("kind") != kind:
            err("units.json", f"{code} must be of kind {kind}")
    for code, name in PINNED_UNITS.items():
        if by_code.get(code, {}).get("name") != name:
            err("units.json", f"{code} must exist and be named {name} (shared/exchange.md)")
    city_agencies = [
        u for u in by_code.values() if u.get("region") == CITY and u.get("kind") == "agency"
    ]
    if len(city_agencies) < 15:
        err("units.json", f"at least 15 市直 agencies expected, found {len(city_agencies)}")
    for c in COUNTIES:
        towns = [
            u for u in by_code.values() if u.get("region") == c and u.get("kind") == "township"
        ]
        if len(towns) < 2:
            err("units.json", f"county {c} needs at least 2 townships, found {len(towns)}")
    return by_code


# ------------------------------------------------------------------------------------- matters
def check_matter(m: dict[str, Any], units: dict[str, dict[str, Any]]) -> None:
    code = str(m.get("code"))
    where = f"matters.json {code}"
    kind = m.get("kind")
    keys(
        where,
        m,
        MATTER_KEYS,
        COERCION_EXTRA_KEYS if kind == "coercion" else frozenset({"enforcement_power"}),
    )
    if kind not in {"penalty", "coercion"}:
        err(where, f"kind {kind!r} must be penalty|coercion")
        return
    domain = m.get("domain")
    if domain not in DOMAINS:
        err(where, f"domain {domain!r} must be one of {sorted(DOMAINS)}")
    prefix = code.split("-")[0]
    expected = "QZ" if kind == "coercion" else DOMAINS.get(str(domain))
    if expected and prefix != expected:
        err(where, f"a {kind} matter of domain {domain} must have code prefix {expected}-")
    if not nonempty_str(m.get("name")) or len(m["name"]) > 200:
        err(where, "name must be a non-empty string of at most 200 characters")

    impl = m.get("implementing_units")
    if not isinstance(impl, list) or not impl:
        err(where, "implementing_units must be a non-empty list")
    else:
        if len(set(impl)) != len(impl):
            err(where, "implementing_units has duplicates")
        for c in impl:
            if c not in units:
                err(where, f"implementing unit {c!r} not in units.json")
            elif units[c].get("kind") not in {"agency", "township"}:
                err(where, f"implementing unit {c} must be an agency or a township")

    if kind == "penalty" or m.get("violated") is not None:
        law_ref(f"{where}.violated", m.get("violated"), with_text=False)
    law_ref(f"{where}.basis", m.get("basis"), with_text=True)

    types = m.get("penalty_types")
    if not isinstance(types, list) or len(set(types)) != len(types):
        err(where, "penalty_types must be a list without duplicates")
        types = []
    for t in types:
        if t not in PENALTY_TYPES:
            err(where, f"penalty type {t!r} not allowed (行政处罚法第九条 codes)")
    if kind == "penalty" and not types:
        err(where, "a penalty matter needs at least one penalty type")
    if kind == "coercion":
        if types:
            err(where, "a coercion matter has no penalty types")
        measures = m.get("measures")
        if (
            not isinstance(measures, list)
            or not measures
            or any(x not in MEASURES for x in measures)
        ):
            err(where, f"measures must be a non-empty list of {sorted(MEASURES)}")

    legal = None
    if m.get("legal_band") is not None:
        legal = band(f"{where}.legal_band", m["legal_band"])
        if "fine" not in types:
            err(where, "legal_band given but 'fine' is not among penalty_types")
    multiple = m.get("multiple")
    if multiple is not None:
        if not isinstance(multiple, dict) or set(multiple) != {"min", "max", "of"}:
            err(where, 'multiple must be {"min": n, "max": n, "of": "…"}')
        else:
            lo, hi = multiple["min"], multiple["max"]
            if (
                not all(
                    isinstance(x, (int, float)) and not isinstance(x, bool) and x >= 0
                    for x in (lo, hi)
                )
                or lo > hi
            ):
                err(where, "multiple.min/max must be numbers with 0 <= min <= max")
            if not nonempty_str(multiple["of"]):
                err(where, "multiple.of must name the base (e.g. 违法所得)")
        if "fine" not in types:
            err(where, "multiple given but 'fine' is not among penalty_types")

    bands, source = m.get("bands"), m.get("bands_source")
    if bands is None:
        if source != "":
            err(where, 'bands_source must be "" when bands is null')
    else:
        if legal is None:
            err(where, "bands need a legal_band to sit in")
        if source not in {"derived", "official"}:
            err(where, "bands_source must be derived|official when bands are given")
        if not isinstance(bands, dict) or set(bands) != set(BAND_NAMES):
            err(where, f"bands must have exactly {list(BAND_NAMES)}")
        else:
            maybe = [band(f"{where}.bands.{n}", bands[n]) for n in BAND_NAMES]
            parsed = [b for b in maybe if b is not None]
            if legal and len(parsed) == len(BAND_NAMES):
                for n, b in zip(BAND_NAMES, parsed, strict=True):
                    if b[0] < legal[0] or b[1] > legal[1]:
                        err(where, f"band {n} {b} lies outside the legal band {legal}")
                for (n1, b1), (n2, b2) in zip(
                    zip(BAND_NAMES, parsed, strict=True),
                    list(zip(BAND_NAMES, parsed, strict=True))[1:],
                    strict=False,
                ):
                    if b1[1] > b2[0]:
                        err(where, f"band {n1} must end where {n2} starts or below")

    if m.get("time_bar_years") not in {2, 5}:
        err(where, "time_bar_years must be 2 or 5 (行政处罚法第三十六条)")
    if not isinstance(m.get("major"), bool):
        err(where, "major must be true or false")
    lenient = m.get("lenient")
    if lenient is not None:
        if kind == "coercion":
            err(where, "a coercion matter has no 免罚轻罚 entry")
        if not isinstance(lenient, dict):
            err(where, "lenient must be null or an object")
        else:
            keys(f"{where}.lenient", lenient, {"kind", "conditions", "source"})
            if lenient.get("kind") not in LENIENT_KINDS:
                err(where, f"lenient.kind must be one of {sorted(LENIENT_KINDS)}")
            if not nonempty_str(lenient.get("conditions")) or not nonempty_str(
                lenient.get("source")
            ):
                err(where, "lenient.conditions and lenient.source must be non-empty")
    power = m.get("enforcement_power")
    if power is not None:
        check_enforcement_power(where, kind, power)
    start = date(f"{where}.valid_from", m.get("valid_from"))
    if m.get("valid_until") is not None:
        end = date(f"{where}.valid_until", m["valid_until"])
        if start and end and end < start:
            err(where, "valid_until is before valid_from")


# 行政强制法第十三条: only a 法律 grants an agency its own enforcement power, so the basis must
# cite a statute of the NPC (its name ends in 法, not 条例/办法/规定) and its article. The loader
# stores the basis in a field of 120 characters.
POWER_SCOPES = frozenset({"money", "performance", "both"})
POWER_BASIS = re.compile(r"^《(中华人民共和国[^》]*法)》第[一二三四五六七八九十百零]+条")


def check_enforcement_power(where: str, kind: Any, power: Any) -> None:
    if kind != "penalty":
        err(where, "enforcement_power belongs to a penalty matter (its decision is enforced)")
    if not isinstance(power, dict):
        err(where, "enforcement_power must be null or an object")
        return
    keys(f"{where}.enforcement_power", power, {"granted", "scope", "basis", "text"})
    if power.get("granted") is not True:
        err(where, "enforcement_power.granted must be true (leave the key out otherwise)")
    if power.get("scope") not in POWER_SCOPES:
        err(
            where,
            f"enforcement_power.scope must be one of {sorted(POWER_SCOPES)}: what the law grants "
            "(money, an act such as demolition, or both)",
        )
    basis = power.get("basis")
    if not isinstance(basis, str) or not POWER_BASIS.match(basis):
        err(
            where,
            f"enforcement_power.basis {basis!r} must cite a law (《中华人民共和国…法》第…条): "
            "行政强制法第十三条",
        )
    elif len(basis) > 120:
        err(where, "enforcement_power.basis is longer than 120 characters")
    if not nonempty_str(power.get("text")):
        err(where, "enforcement_power.text must quote the clause granting the power")


def check_matters(rows: list[dict[str, Any]], units: dict[str, dict[str, Any]]) -> None:
    seen: set[str] = set()
    for i, m in enumerate(rows):
        code = m.get("code")
        if not isinstance(code, str) or not MATTER_CODE.match(code):
            err(
                f"matters.json[{i}]", f"code {code!r} must look like CG-0001 (CG|SJ|JT|HB|SL|SW|QZ)"
            )
            continue
        if code in seen:
            err(f"matters.json {code}", "duplicate code")
        seen.add(code)
        check_matter(m, units)
    if len(rows) < MIN_MATTERS:
        err("matters.json", f"at least {MIN_MATTERS} matters expected, found {len(rows)}")
    for d in DOMAINS:
        if not any(m.get("domain") == d for m in rows):
            err("matters.json", f"no matter in domain {d}")
    if not any(m.get("kind") == "coercion" for m in rows):
        err("matters.json", "no coercion matter")
    lenient = sum(1 for m in rows if m.get("lenient"))
    if lenient < MIN_LENIENT:
        err("matters.json", f"at least {MIN_LENIENT} matters need a lenient entry, found {lenient}")
    cg1 = next((m for m in rows if m.get("code") == "CG-0001"), None)
    if cg1 is None or cg1.get("name") != "擅自设置户外广告设施":
        err("matters.json", "CG-0001 must be 擅自设置户外广告设施 (shared/exchange.md)")


def main() -> int:
    regions = check_regions(load(REGIONS))
    units = check_units(load(UNITS), regions)
    matters = load(MATTERS)
    check_matters(matters, units)
    if errors:
        for e in errors:
            print(f"ERROR {e}")
        print(f"{len(errors)} problem(s) found", file=sys.stderr)
        return 1
    kinds: dict[str, int] = {}
    for u in units.values():
        kinds[u["kind"]] = kinds.get(u["kind"], 0) + 1
    domains: dict[str, int] = {}
    for m in matters:
        domains[m["domain"]] = domains.get(m["domain"], 0) + 1
    print(
        f"ok: {len(regions)} regions, {len(units)} units {kinds}, {len(matters)} matters "
        f"{domains}, {sum(1 for m in matters if m['lenient'])} with a lenient entry"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
