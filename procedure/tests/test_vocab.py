"""Each step value list is spelled once and every member has its label."""

from __future__ import annotations

from procedure.vocab import DeliveryMethod, ResponseKind, Vocabulary


def test_every_member_is_its_stored_value_with_a_label() -> None:
    for vocab in Vocabulary.__subclasses__():
        for member in vocab:
            assert member == member.value and member.label
        assert vocab.labels() == dict(vocab.choices())


def test_label_of_falls_back_for_values_outside_the_list() -> None:
    assert ResponseKind.label_of("waiver") == "放弃陈述、申辩和听证权利"
    assert DeliveryMethod.label_of("fax", "fax") == "fax"
