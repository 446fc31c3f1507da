"""What every part of the demo data draws and stores the same way: days, shares, credit codes, trade names,
search keys and decimals. One copy, used by the demo district (``load_demo``) and the generator
(``generate``) alike.

Credit codes and trade names come in two kinds, for two sizes of data. The demo district draws each one
at random and remembers what it handed out (a few thousand values); the generator hands out millions, so it
walks a permutation of all possible values instead and remembers nothing. Both kinds build a code the same
way (``credit_code``) and take their randomness from the plan's random source.
"""

from __future__ import annotations

import datetime
import functools
import math
import random
from decimal import Decimal

from pypinyin import Style, lazy_pinyin
from stdnum.cn import uscc

from core.reference.search import search_key
from core.reference.validators import check_credit_code, organisation_code_check_char

from . import district as D

DAY = datetime.timedelta(days=1)
CENT = Decimal("0.01")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


# Days ---------------------------------------------------------------------------------------------------


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def months_ago(today: datetime.date, months: int) -> datetime.date:
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    return datetime.date(year, month + 1, min(today.day, 28))


def random_day(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    if last <= first:
        return first
    return first + datetime.timedelta(days=rng.randint(0, (last - first).days))


# Shares -------------------------------------------------------------------------------------------------


def pick(rng: random.Random, weighted: list) -> str:
    """One value of ``[(value, weight), …]``."""
    return rng.choices([c for c, _ in weighted], [w for _, w in weighted])[0]


def apportion(total: int, weights: list) -> list[int]:
    """Split ``total`` in proportion to ``weights`` (largest remainders), in whole numbers."""
    if not weights:
        return []
    s = sum(weights) or len(weights)
    weights = weights if sum(weights) else [1] * len(weights)
    exact = [total * w / s for w in weights]
    parts = [int(x) for x in exact]
    rest = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in rest[: total - sum(parts)]:
        parts[i] += 1
    return parts


# Decimals as the models store them ------------------------------------------------------------------------


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT)


def area(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)  # exact, two places


def coordinate(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


# Search keys --------------------------------------------------------------------------------------------


def searchable(obj):
    """``obj`` with its search key filled (``bulk_create`` skips the ``save()`` that fills it)."""
    obj.refresh_search_text()
    return obj


@functools.lru_cache(maxsize=4096)
def _pinyin(text: str) -> tuple[str, str]:
    full = "".join(lazy_pinyin(text, errors="default")).lower().replace(" ", "")
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")).lower().replace(" ", "")
    return full, initials


@functools.lru_cache(maxsize=4096)
def cached_search_key(text: str) -> str:
    """``core.reference.search.search_key(text)`` for values that repeat (unit codes, floor labels)."""
    return search_key(text)


def composed_search_key(prefix: str, trade: str, word: str, suffix: str, code: str) -> str:
    """``core.reference.search.search_key(name, code)`` for the name ``prefix + trade + word + suffix``, from cached
    pieces (pypinyin would take most of the run at city scale).

    The trade name is read character by character and each other part as a whole, so where a phrase
    spans two parts the reading can differ from pypinyin's reading of the whole name (about one name in
    ten thousand); the name itself is always there as written.
    """
    full, initials = [], []
    for part in (prefix, *trade, word, suffix):
        f, i = _pinyin(part)
        full.append(f)
        initials.append(i)
    lower = code.lower()
    name = prefix + trade + word + suffix
    return f"{name.lower()} {''.join(full)} {''.join(initials)} {lower} {lower} {lower}"


# Unique values ------------------------------------------------------------------------------------------


class Permutation:
    """A bijection of range(n) that looks random: i → (a·i + b) mod n, a coprime with n."""

    def __init__(self, n: int, rng: random.Random):
        self.n = n
        a = int(n * rng.uniform(0.55, 0.65)) | 1
        while math.gcd(a, n) != 1:
            a += 2
        self.a, self.b = a, rng.randrange(n)

    def __call__(self, i: int) -> int:
        if i >= self.n:
            raise OverflowError("permutation exhausted")
        return (self.a * i + self.b) % self.n


def credit_code(prefix: str, division: str, body: str) -> str:
    """A unified social credit code that passes both checks: registration authority and kind (``prefix``,
    "91" for a company), administrative division, the eight-character body, the body's organisation-code
    check character, and the final check character."""
    head = prefix + division + body + organisation_code_check_char(body)
    return head + uscc.calc_check_digit(head)


class CreditCodes:
    """Credit codes drawn at random, each handed out once (the demo district: thousands of codes).

    Bodies are ``MA5`` and five characters for organisations registered since 2015, as Shenzhen's are, and
    eight digits (an old organisation code) before.
    """

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def new(self, established: datetime.date, division: str | None = None, prefix: str = "91") -> str:
        rng = self.rng
        if division is None:
            r = rng.random()
            division = "440304" if r < 0.70 else "440300" if r < 0.95 else rng.choice(["440303", "440305", "440306"])
        for _ in range(1000):
            if established.year >= 2015:
                body = "MA5" + "".join(rng.choice(USCC_ALPHABET) for _ in range(5))
            else:
                body = str(rng.randint(1, 7)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
            code = credit_code(prefix, division, body)
            if code not in self.used:
                assert check_credit_code(code).ok, code
                self.used.add(code)
                return code
        raise RuntimeError("could not find an unused credit code")

    def broken(self, code: str, *, organisation: bool) -> str:
        """``code`` as a registry may hold it, failing the check: a wrong embedded organisation check
        character, or (``organisation=False``) a wrong final check character. Replaces ``code``."""
        self.used.discard(code)
        for _ in range(100):
            if organisation:
                wrong = self.rng.choice([c for c in "0123456789X" if c != code[16]])
                head = code[:16] + wrong
                bad = head + uscc.calc_check_digit(head)
            else:
                bad = code[:17] + self.rng.choice([c for c in USCC_ALPHABET if c != code[17]])
            if bad not in self.used and not check_credit_code(bad).ok:
                self.used.add(bad)
                return bad
        raise RuntimeError("could not break a credit code")


class PermutedCreditCodes:
    """Valid credit codes, unique by construction and unlike any in ``taken`` (the generator: millions).

    Each kind of body (``MA5`` + five characters, or eight digits) is drawn from a permutation of all its
    values, so no body repeats whatever the division or prefix, and no set of used codes is kept. The two
    permutations are drawn from ``rng`` when the object is made.
    """

    MA_SPACE = len(USCC_ALPHABET) ** 5
    OLD_SPACE = 7 * 10**7

    def __init__(self, rng: random.Random, taken=frozenset()):
        self.rng = rng
        self.taken = taken
        self.ma = Permutation(self.MA_SPACE, rng)
        self.old = Permutation(self.OLD_SPACE, rng)
        self.i_ma = self.i_old = 0

    def next(self, year: int, division: str, prefix: str = "91") -> str:
        while True:
            if year >= 2015:
                p = self.ma(self.i_ma)
                self.i_ma += 1
                chars = []
                for _ in range(5):
                    p, r = divmod(p, len(USCC_ALPHABET))
                    chars.append(USCC_ALPHABET[r])
                body = "MA5" + "".join(chars)
            else:
                p = self.old(self.i_old)
                self.i_old += 1
                body = f"{p // 10**7 + 1}{p % 10**7:07d}"
            code = credit_code(prefix, division, body)
            if code not in self.taken:
                return code


class TradeNames:
    """Trade names (字号) of characters from ``district.TRADE_NAME_CHARS``.

    ``draw()`` gives two different characters at random (the caller keeps the whole names unique);
    ``next(key)`` gives names of two characters, then of three, each used once per key, from permutations
    drawn when a key is first used.
    """

    def __init__(self, rng: random.Random, chars: str = D.TRADE_NAME_CHARS):
        self.rng = rng
        self.chars = chars
        self.k = len(chars)
        self.n2 = self.k * (self.k - 1)
        self.n3 = self.n2 * (self.k - 2)
        self.counters: dict = {}
        self.perms: dict = {}

    def draw(self) -> str:
        a, b = self.rng.sample(self.chars, 2)
        return a + b

    def next(self, key) -> str:
        i = self.counters.get(key, 0)
        self.counters[key] = i + 1
        perms = self.perms.get(key)
        if perms is None:
            perms = self.perms[key] = (Permutation(self.n2, self.rng), Permutation(self.n3, self.rng))
        if i < self.n2:
            p = perms[0](i)
            a, b = divmod(p, self.k - 1)
            return self.chars[a] + self.chars[b + (b >= a)]
        p = perms[1](i - self.n2)
        a, rest = divmod(p, (self.k - 1) * (self.k - 2))
        b, c = divmod(rest, self.k - 2)
        b += b >= a
        lo, hi = min(a, b), max(a, b)
        c += c >= lo
        c += c >= hi
        return self.chars[a] + self.chars[b] + self.chars[c]
