"""Unified social credit codes (GB 32100-2015), with the organisation-code check python-stdnum lacks."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class CreditCodeCheck:
    code: str
    ok: bool
    message: str = ""


def organisation_code_check_char(body: str) -> str:
    """GB 11714: the check character of an 8-character organisation code body."""
    total = sum(ORG_CODE_ALPHABET.index(c) * w for c, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


def normalise_credit_code(value: str) -> str:
    table = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９ＡＢＣＤＥＦＧＨＪＫＬＭＮＰＱＲＴＵＷＸＹａｂｃｄｅｆｇｈｊｋｌｍｎｐｑｒｔｕｗｘｙ"}
    return "".join((value or "").translate(table).split()).upper()


def check_credit_code(value: str) -> CreditCodeCheck:
    """Check structure, the final check character (stdnum) and the embedded organisation code."""
    code = normalise_credit_code(value)
    if len(code) != 18:
        return CreditCodeCheck(code, False, _("must have 18 characters (has %(n)d).") % {"n": len(code)})
    try:
        uscc.validate(code)
    except stdnum_exceptions.InvalidChecksum:
        return CreditCodeCheck(code, False, _("the last (check) character is wrong."))
    except stdnum_exceptions.ValidationError:
        return CreditCodeCheck(
            code, False, _("contains characters a credit code cannot have (I, O, S, V, Z or symbols).")
        )
    org = code[8:17]
    if any(c not in ORG_CODE_ALPHABET for c in org[:8]):
        return CreditCodeCheck(code, False, _("the organisation code part (characters 9–17) is malformed."))
    if organisation_code_check_char(org[:8]) != org[8]:
        return CreditCodeCheck(
            code, False, _("the embedded organisation code (characters 9–17) fails its check.")
        )
    return CreditCodeCheck(code, True)
