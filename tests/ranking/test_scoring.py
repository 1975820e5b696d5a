"""The scales and the tie-break, without a database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from homecare.ranking import scoring
from homecare.ranking.scoring import Candidate

D = Decimal
EVEN = scoring.normalise({"kpi": D(1), "assessment": D(1), "cqc": D(1), "price": D(1)})


def cand(ref: str, kpi=None, assessment=None, cqc=None, price=None, rate=None) -> Candidate:
    parts = {"kpi": kpi, "assessment": assessment, "cqc": cqc, "price": price}
    return Candidate(
        0, ref, f"Care {ref}", {k: (None if v is None else D(v)) for k, v in parts.items()}, rate
    )


def order(*candidates: Candidate) -> list[str]:
    return [c.ref for c in scoring.rank(list(candidates), EVEN)]


def test_scales():
    assert scoring.kpi_part(["green", "amber", "red", "none"]) == D(50)
    assert scoring.kpi_part(["none"]) is None
    assert scoring.assessment_part("requires_improvement") == D(50)
    assert scoring.assessment_part("") is None
    assert scoring.cqc_part("Inadequate") == D(25)
    assert scoring.price_part(D("25"), D("20")) == D(80)


def test_weights_must_be_non_negative_with_one_positive():
    with pytest.raises(ValueError):
        scoring.normalise({"kpi": D(0), "assessment": D(0), "cqc": D(0), "price": D(0)})
    with pytest.raises(ValueError):
        scoring.normalise({"kpi": D(-1), "assessment": D(2), "cqc": D(0), "price": D(0)})
    assert scoring.normalise({"kpi": D(3), "assessment": D(1), "cqc": D(0), "price": D(0)})[
        "kpi"
    ] == D("0.75")


def test_equal_score_better_kpi_first():
    # Both 75: (100 + 50) / 2 and (50 + 100) / 2.
    assert order(cand("P1", kpi=50, assessment=100), cand("P2", kpi=100, assessment=50)) == [
        "P2",
        "P1",
    ]


def test_equal_score_and_kpi_better_assessment_then_cqc():
    assert order(
        cand("P1", kpi=50, assessment=50, cqc=100), cand("P2", kpi=50, assessment=100, cqc=50)
    ) == [
        "P2",
        "P1",
    ]
    ranked = scoring.rank(
        [cand("P1", kpi=50, cqc=75, price=75), cand("P2", kpi=50, cqc=100, price=50)], EVEN
    )
    assert [c.ref for c in ranked] == ["P2", "P1"]
    assert ranked[1].tie_note == (
        "Same score as Care P2, which comes first on a better CQC rating part "
        "(100.00 against 75.00)."
    )


def test_equal_everything_lower_rate_then_ref():
    ranked = scoring.rank(
        [
            cand("P3", kpi=50, rate=D("21")),
            cand("P2", kpi=50, rate=D("20")),
            cand("P1", kpi=50, rate=D("21")),
        ],
        EVEN,
    )
    assert [c.ref for c in ranked] == ["P2", "P1", "P3"]
    assert "lower hourly rate (£20.00 against £21.00)" in ranked[1].tie_note
    assert ranked[2].tie_note.endswith("its provider ref (P1 before P3).")


def test_a_missing_part_is_left_out_and_no_score_comes_last():
    ranked = scoring.rank([cand("P1"), cand("P2", kpi=60), cand("P3", kpi=50, cqc=100)], EVEN)
    assert [(c.ref, c.score) for c in ranked] == [
        ("P3", D("75.00")),
        ("P2", D("60.00")),
        ("P1", None),
    ]
