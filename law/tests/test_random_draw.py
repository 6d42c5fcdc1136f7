from __future__ import annotations

import hashlib
import math
from fractions import Fraction

import pytest

from law.random_draw import (
    DrawImpossible,
    Inspector,
    RevealRefused,
    Target,
    canonical_lines,
    check_reveal,
    commitment,
    draw,
    pools_hash,
    pools_text,
    sample_size,
    seed_from_secret,
)
from law.validators import make_credit_code

SEED = seed_from_secret(b"\x01" * 32)
FIVE = {g: Fraction(5, 100) for g in "ABCD"}


def targets(n: int, grade: str = "B") -> list[Target]:
    return [Target(make_credit_code(f"91371500{grade}{k:08d}"), "餐饮", grade) for k in range(n)]


def officers(n: int, agency: str = "城管局") -> list[Inspector]:
    return [Inspector(f"{agency}-{k:03d}", f"检查员{k}", agency) for k in range(n)]


def reference_draw(seed_hex: str, pool: list[Target], ratio: Fraction) -> list[str]:
    """The published step 4 written out again from its text."""
    seed = bytes.fromhex(seed_hex)
    ranked = sorted(pool, key=lambda t: hashlib.new("sm3", seed + t.reg_no.encode()).hexdigest())
    return [t.reg_no for t in ranked[: math.ceil(len(pool) * ratio)]]


def test_the_same_inputs_give_the_same_draw() -> None:
    pool, staff = targets(60), officers(6)
    assert draw(SEED, pool, staff, FIVE) == draw(SEED, list(reversed(pool)), staff, FIVE)


def test_the_draw_is_the_published_ranking_by_sm3_of_seed_and_registration_number() -> None:
    pool = targets(100)
    result = draw(SEED, pool, officers(4), FIVE)
    assert list(result.targets) == reference_draw(SEED, pool, Fraction(5, 100))
    assert len(result.targets) == 5


def test_changing_one_byte_of_the_seed_changes_the_draw() -> None:
    pool, staff = targets(200), officers(8)
    other = SEED[:-2] + f"{int(SEED[-2:], 16) ^ 1:02x}"
    assert draw(SEED, pool, staff, FIVE) != draw(other, pool, staff, FIVE)
    assert draw(SEED, pool, staff, FIVE).targets != draw(other, pool, staff, FIVE).targets


def test_each_grade_is_drawn_by_its_ratio_rounded_up() -> None:
    pool = targets(21, "A") + targets(20, "C") + targets(3, "D")
    ratios = {"A": Fraction(5, 100), "C": Fraction(10, 100), "D": Fraction(1)}
    result = draw(SEED, pool, officers(3), ratios)
    grade_of = {t.reg_no: t.grade for t in pool}
    drawn = [grade_of[r] for r in result.targets]
    assert drawn == ["A", "A", "C", "C", "D", "D", "D"]


def test_a_grade_missing_from_the_ratios_draws_nothing() -> None:
    assert draw(SEED, targets(10, "D"), officers(2), {"A": Fraction(1)}).targets == ()


def test_sample_size_rounds_up_and_keeps_exact_products() -> None:
    assert sample_size(20, Fraction(5, 100)) == 1
    assert sample_size(21, Fraction(5, 100)) == 2
    assert sample_size(40, Fraction(5, 100)) == 2
    assert sample_size(0, Fraction(5, 100)) == 0
    assert sample_size(7, Fraction(0)) == 0
    assert sample_size(7, Fraction(1)) == 7
    with pytest.raises(ValueError, match="抽查比例应在0至100%之间"):
        sample_size(7, Fraction(101, 100))
    with pytest.raises(ValueError, match=r"^抽查比例应在0至100%之间$"):
        sample_size(-1, Fraction(1, 2))


def test_each_drawn_target_gets_two_different_inspectors_ranked_by_sm3() -> None:
    pool, staff = targets(40), officers(5)
    result = draw(SEED, pool, staff, {"B": Fraction(1, 4)})
    seed = bytes.fromhex(SEED)
    for pair in result.pairs:
        ranked = sorted(
            (i.cert_no for i in staff),
            key=lambda c: hashlib.new("sm3", seed + f"{pair.reg_no}/{c}".encode()).hexdigest(),
        )
        assert pair.inspectors == (ranked[0], ranked[1])
    assert [p.reg_no for p in result.pairs] == list(result.targets)


def test_an_officer_with_a_conflict_is_never_paired_with_that_target() -> None:
    pool, staff = targets(20), officers(3)
    free = draw(SEED, pool, staff, {"B": Fraction(1)})
    target, lead = free.pairs[0].reg_no, free.pairs[0].inspectors[0]
    barred = draw(SEED, pool, staff, {"B": Fraction(1)}, [(lead, target)])
    pair = next(p for p in barred.pairs if p.reg_no == target)
    assert lead not in pair.inspectors
    assert len(set(pair.inspectors)) == 2
    others = [p for p in barred.pairs if p.reg_no != target]
    assert others == [p for p in free.pairs if p.reg_no != target]


def test_a_target_left_with_fewer_than_two_free_inspectors_is_refused() -> None:
    pool, staff = targets(1), officers(2)
    reg = pool[0].reg_no
    with pytest.raises(DrawImpossible) as refused:
        draw(SEED, pool, staff, {"B": Fraction(1)}, [(staff[0].cert_no, reg)])
    assert refused.value.errors == [f"检查对象{reg}可匹配的执法检查人员不足两名"]
    two = targets(2)
    barred = [(staff[0].cert_no, t.reg_no) for t in two]
    with pytest.raises(DrawImpossible) as both:
        draw(SEED, two, staff, {"B": Fraction(1)}, barred)
    assert len(both.value.errors) == 2
    assert str(both.value) == "；".join(both.value.errors)
    assert draw(SEED, pool, staff, {"B": Fraction(1)}).pairs[0].inspectors


def test_a_joint_plan_pairs_inspectors_of_two_agencies() -> None:
    pool = targets(30)
    staff = officers(6, "城管局") + officers(1, "市场监管局")
    joint = draw(SEED, pool, staff, {"B": Fraction(1)}, joint=True)
    agency = {i.cert_no: i.agency for i in staff}
    assert all(agency[a] != agency[b] for a, b in (p.inspectors for p in joint.pairs))
    alone = draw(SEED, pool, staff, {"B": Fraction(1)})
    assert any(agency[a] == agency[b] for a, b in (p.inspectors for p in alone.pairs))
    single = draw(SEED, pool, officers(3), {"B": Fraction(1)}, joint=True)
    assert all(a != b for a, b in (p.inspectors for p in single.pairs))


def test_the_commitment_opens_only_with_its_seed() -> None:
    published = commitment(SEED)
    assert published == hashlib.new("sm3", bytes.fromhex(SEED)).hexdigest()
    check_reveal(SEED, published)
    check_reveal(SEED, published.upper())
    other = seed_from_secret(b"\x02" * 32)
    with pytest.raises(RevealRefused, match=r"^公布的种子与事先公布的种子承诺值不一致$"):
        check_reveal(other, published)
    with pytest.raises(RevealRefused, match=r"^种子应为64位十六进制数$"):
        check_reveal("zz" * 32, published)
    with pytest.raises(RevealRefused, match=r"^种子应为64位十六进制数$"):
        check_reveal(SEED[:-2], published)


def test_the_seed_is_the_sm3_of_the_secret_and_a_short_secret_is_refused() -> None:
    assert seed_from_secret(b"k" * 32) == hashlib.new("sm3", b"k" * 32).hexdigest()
    with pytest.raises(ValueError, match=r"^秘密随机数至少16字节$"):
        seed_from_secret(b"k" * 15)
    seed_from_secret(b"k" * 16)


def test_the_canonical_lists_do_not_depend_on_order_and_their_hash_is_published_sm3() -> None:
    pool, staff = targets(3), officers(2)
    a = pools_text(pool, staff, [("x", "y")])
    b = pools_text(list(reversed(pool)), list(reversed(staff)), [("x", "y")])
    assert a == b
    assert a[2] == '["x","y"]\n'
    assert canonical_lines([["乙", "1"], ["甲", "2"]]) == '["乙","1"]\n["甲","2"]\n'
    parts = [t.encode() for t in a]
    expected = hashlib.new("sm3", b"".join(f"{len(p)}:".encode() + p for p in parts)).hexdigest()
    assert pools_hash(*a) == expected
    changed = pools_text(pool[:2], staff, [("x", "y")])
    assert pools_hash(*changed) != pools_hash(*a)
    # Moving text from one list to the next changes the hash.
    assert pools_hash("ab", "c", "") != pools_hash("a", "bc", "")
