"""The matching catalogue: a code for every rule, count and decided status the domain names."""

from __future__ import annotations

import pytest

from mentorship.lib.messages import word
from mentorship.matching.messages import MATCHING, cannot_take
from mentorship.matching.problem import Constraint
from mentorship.matching.states import ProposalStatus


@pytest.mark.parametrize("constraint", list(Constraint))
def test_every_rule_has_a_count_in_both_numbers_and_a_sentence(constraint: Constraint) -> None:
    for name in (f"excluded.{constraint.value}", f"excluded.{constraint.value}.one"):
        assert "{count}" in MATCHING.wordings[name]
    assert f"rule.{constraint.value}" in MATCHING.wordings


@pytest.mark.parametrize(
    "status",
    [s for s in ProposalStatus if s not in (ProposalStatus.PENDING, ProposalStatus.SUPERSEDED)],
)
def test_every_decided_status_refuses_a_second_decision_in_words(status: ProposalStatus) -> None:
    assert word(MATCHING(f"already_decided.{status.value}")) == (
        f"this proposal was already {status.value}"
    )


def test_a_refused_pair_names_every_broken_rule_in_order() -> None:
    refusal = cannot_take("Lena Park", [Constraint.CAPACITY, Constraint.TRAVEL], 45)
    assert word(refusal) == (
        "Lena Park cannot take it: the mentor has no free capacity for this request; the sites"
        " are more than 45 min apart or have no route on the site graph"
    )
    rules = refusal.params["rules"]
    assert isinstance(rules, tuple)
    assert [rule.code for rule in rules] == ["matching.rule.capacity", "matching.rule.travel"]
