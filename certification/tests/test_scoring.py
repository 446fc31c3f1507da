"""The assessment's arithmetic (certification/scoring.py): points, totals, grades at, below and above each band,
missing data, adjustments and the ranking."""

import pytest

from certification import scoring

BANDS = [{"grade": "A", "min": 90}, {"grade": "B", "min": 75}, {"grade": "C", "min": 60}, {"grade": "D", "min": 0}]
INCUBATEES = {"code": "Q1", "label": "在孵企业数量", "kind": "quantitative", "fact": "subject.incubatee_count",
              "weight": 15, "full_at": 50}
SERVICES = {"code": "E1", "label": "服务体系与团队", "kind": "qualitative", "weight": 20}


@pytest.mark.parametrize(("a", "b", "expected"), [
    (5, 2, 3), (7, 2, 4), (4, 3, 1), (5, 3, 2), (-5, 2, -3), (-4, 3, -1), (0, 7, 0), (1, 3, 0), (3, 2, 2),
])
def test_div_half_up_rounds_halves_away_from_zero(a, b, expected):
    assert scoring.div_half_up(a, b) == expected


@pytest.mark.parametrize(("value", "points"), [
    (0, 0), (1, 30), (42, 1260), (49, 1470), (50, 1500), (51, 1500), (500, 1500),
])
def test_quantitative_points_grow_with_the_value_up_to_full_marks(value, points):
    item = scoring.indicator_points(INCUBATEES, value=value)
    assert (item.points, item.missing) == (points, False)


def test_quantitative_sentence_names_value_standard_and_points():
    item = scoring.indicator_points(INCUBATEES, value=42, describe=lambda fact, v: f"{v} 家")
    assert item.sentence == "在孵企业数量 42 家，未达满分标准 50 家，得 12.60 分（满分 15 分）"
    assert "60，达到满分标准 50，得 15.00 分" in scoring.indicator_points(INCUBATEES, value=60).sentence


def test_a_third_of_a_point_is_rounded_half_up_once_per_indicator():
    # 10 × 1/3 = 3.333… → 3.33; 10 × 2/3 = 6.666… → 6.67; 7 × 1/8 = 0.875 → 0.88 (half-up, not to even).
    third = {**INCUBATEES, "weight": 10, "full_at": 3}
    assert scoring.indicator_points(third, value=1).points == 333
    assert scoring.indicator_points(third, value=2).points == 667
    eighth = {**INCUBATEES, "weight": 7, "full_at": 8}
    assert scoring.indicator_points(eighth, value=1).points == 88


def test_missing_value_is_named_and_scored_zero_not_hidden():
    item = scoring.indicator_points(INCUBATEES, value=None)
    assert item.missing and item.points == 0
    assert item.sentence == "在孵企业数量：数据缺失，得 0 分"
    zero = scoring.indicator_points(INCUBATEES, value=0)
    assert not zero.missing and "数据缺失" not in zero.sentence


def test_qualitative_points_are_the_weight_times_the_experts_mean():
    item = scoring.indicator_points(SERVICES, scores=[8000, 9000, 8500])
    assert item.points == 1700 and not item.missing
    assert item.sentence == "服务体系与团队：3 位专家平均 85.00 分，得 17.00 分（满分 20 分）"
    # 20 × (8000 + 8001) / 2 / 10000 = 16.001 → 16.00
    assert scoring.indicator_points(SERVICES, scores=[8000, 8001]).points == 1600


def test_qualitative_without_scores_is_missing_and_zero():
    item = scoring.indicator_points(SERVICES, scores=[])
    assert item.missing and item.points == 0 and "数据缺失" in item.sentence


def test_a_score_above_100_is_refused():
    with pytest.raises(ValueError):
        scoring.indicator_points(SERVICES, scores=[10001])


def _total(points: int) -> scoring.Result:
    """A result whose subtotal is exactly ``points`` hundredths: one quantitative indicator of weight 100."""
    whole = {"code": "Q", "label": "综合", "kind": "quantitative", "fact": "f", "weight": 100, "full_at": 10000}
    return scoring.score([whole], values={"f": points}, scores={}, bands=BANDS)


@pytest.mark.parametrize(("hundredths", "grade"), [
    (10000, "A"), (9001, "A"), (9000, "A"), (8999, "B"),
    (7501, "B"), (7500, "B"), (7499, "C"),
    (6001, "C"), (6000, "C"), (5999, "D"),
    (1, "D"), (0, "D"),
])
def test_grade_at_below_and_above_each_band(hundredths, grade):
    result = _total(hundredths)
    assert (result.total, result.grade) == (hundredths, grade)


def test_grade_bands_in_any_order_and_with_half_points():
    bands = [{"grade": "D", "min": 0}, {"grade": "C", "min": 59.5}, {"grade": "A", "min": 90}]
    assert scoring.grade_for(5950, bands) == "C"
    assert scoring.grade_for(5949, bands) == "D"
    assert scoring.grade_for(9000, bands) == "A"


def test_total_is_the_sum_of_the_rounded_points_plus_the_adjustment():
    indicators = [INCUBATEES, SERVICES,
                  {"code": "Q2", "label": "出租率", "kind": "quantitative", "fact": "subject.occupancy",
                   "weight": 65, "full_at": 9000}]
    result = scoring.score(indicators, values={"subject.incubatee_count": 42, "subject.occupancy": 8100},
                           scores={"E1": [9000]}, bands=BANDS, adjustment=-250)
    assert [i.points for i in result.items] == [1260, 1800, 5850]
    assert result.subtotal == 8910
    assert (result.total, result.grade) == (8660, "B")


def test_an_adjustment_crosses_a_band_and_the_total_stays_within_0_and_100():
    assert _total(8950).grade == "B"
    whole = {"code": "Q", "label": "综合", "kind": "quantitative", "fact": "f", "weight": 100, "full_at": 10000}
    raised = scoring.score([whole], values={"f": 8950}, scores={}, bands=BANDS, adjustment=50)
    assert (raised.total, raised.grade) == (9000, "A")
    top = scoring.score([whole], values={"f": 9800}, scores={}, bands=BANDS, adjustment=1000)
    assert top.total == 10000
    bottom = scoring.score([whole], values={"f": 300}, scores={}, bands=BANDS, adjustment=-1000)
    assert bottom.total == 0


@pytest.mark.parametrize("adjustment", [1001, -1001])
def test_an_adjustment_beyond_ten_points_is_refused(adjustment):
    with pytest.raises(ValueError):
        scoring.score([], values={}, scores={}, bands=BANDS, adjustment=adjustment)


def test_missing_data_lower_the_total_and_are_listed():
    result = scoring.score([INCUBATEES, SERVICES], values={}, scores={}, bands=BANDS)
    assert result.total == 0 and result.grade == "D"
    assert [i.code for i in result.missing] == ["Q1", "E1"]


def test_ties_share_a_rank_and_the_next_rank_skips():
    assert scoring.ranking({"a": 9000, "b": 8000, "c": 8000, "d": 7000, "e": 9500}) == {
        "e": 1, "a": 2, "b": 3, "c": 3, "d": 5}
    assert scoring.ranking({"x": 5000, "y": 5000, "z": 5000}) == {"x": 1, "y": 1, "z": 1}
    assert scoring.ranking({}) == {}


def test_indicators_are_checked_before_they_are_scored():
    assert scoring.check_indicators([INCUBATEES, {**SERVICES, "weight": 85}]) == []
    errors = scoring.check_indicators([INCUBATEES, {**SERVICES, "code": "Q1"}, {"code": "X", "kind": "other",
                                                                                "weight": 1}])
    assert "指标 Q1：编号重复" in errors
    assert "指标 X：类型应为定量或定性" in errors
    assert any("合计 36" in e for e in errors)
    assert scoring.check_indicators([{**INCUBATEES, "full_at": 0, "weight": 100}]) == ["指标 Q1：满分标准应为正整数"]


def test_points_text():
    assert [scoring.points_text(v) for v in (0, 5, 1260, 10000, -250)] == ["0.00", "0.05", "12.60", "100.00", "-2.50"]
