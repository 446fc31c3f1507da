"""Unified social credit codes (GB 32100-2015) and the embedded organisation code (GB 11714)."""

import pytest
from stdnum.cn import uscc

from core.reference.validators import check_credit_code, organisation_code_check_char


@pytest.mark.parametrize("code", ["914403001922038216", "91350200776049653A", "91440101MA5CJQ4N59"])
def test_valid_codes_pass(code):
    assert check_credit_code(code).ok


def test_full_width_and_spaces_are_normalised():
    result = check_credit_code(" ９１４４０３００１９２２０３８２１６ ")
    assert result.ok and result.code == "914403001922038216"


def test_lower_case_is_accepted():
    assert check_credit_code("91440101ma5cjq4n59").ok


def test_wrong_final_check_character():
    result = check_credit_code("914403001922038217")
    assert not result.ok and "校验" in result.message


def test_wrong_length():
    result = check_credit_code("91440300192203821")
    assert not result.ok and "18" in result.message


@pytest.mark.parametrize("bad", ["91440300192203821I", "9144030019220382O6"])
def test_forbidden_letters(bad):
    assert not check_credit_code(bad).ok


def test_organisation_code_failure_that_stdnum_misses():
    # Change one character of the organisation code and recompute the final check character:
    # stdnum accepts it, but the GB 11714 check on characters 9-17 does not.
    body = "9144030019220382"  # 16 characters, organisation code body "19220382" + check "1"
    tampered = body[:8] + "19220383" + "1"
    code = tampered + uscc.calc_check_digit(tampered)
    assert uscc.is_valid(code)
    result = check_credit_code(code)
    assert not result.ok and "9" in result.message and "组织机构代码" in result.message


def test_organisation_check_character_rules():
    # GB 11714: C = 11 - (sum mod 11), 10 → X, 11 → 0.
    assert organisation_code_check_char("19220382") == "1"
    assert organisation_code_check_char("77604965") == "3"
