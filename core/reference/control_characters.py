"""Control characters: invisible, meaningless in a name or an address, and harmful where a value goes next —
PostgreSQL refuses NUL in text, openpyxl refuses the C0 controls in a worksheet (one such name made every
export of its list fail), a lone surrogate cannot be encoded at all.

What is refused, everywhere a value comes in (forms: ``core.surfaces.forms.BaseModelForm``; the API, which feeds the
same forms; imports: ``core.importing.engine``; query parameters: ``core.runtime.middleware``):

- C0 controls except tab, line feed and carriage return (U+0000–U+0008, U+000B, U+000C, U+000E–U+001F), DEL
  (U+007F) and the C1 controls (U+0080–U+009F, mojibake of a wrongly decoded file);
- lone surrogates (U+D800–U+DFFF) and the non-characters U+FFFE and U+FFFF;
- in a single-line field, also tab, line feed and carriage return inside the value (a browser's one-line input
  cannot send them; a field's ends are trimmed as before).

Where a stored value goes out (exports, error workbooks: ``core.reference.spreadsheets``), the same characters are
removed, so data stored before this rule cannot break a file.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ALWAYS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_REFUSED = re.compile(f"[{_ALWAYS}]")
_LINE_BREAKS_AND_TABS = re.compile("[\t\n\r]")


def code_point(char: str) -> str:
    return f"U+{ord(char):04X}"


def first_refused(text: str, *, multiline: bool = True) -> str | None:
    """The first character of ``text`` that may not be stored, or None."""
    found = _REFUSED.search(text)
    if found:
        return found.group()
    if not multiline:
        found = _LINE_BREAKS_AND_TABS.search(text.strip())
        if found:
            return found.group()
    return None


def strings_in(value):
    """Every string in a value as a field receives or returns it: a string, a list of them, or parsed JSON."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings_in(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)


def refuse(value, *, multiline: bool = True) -> None:
    """ValidationError (in the user's language, naming the character) if ``value`` holds a refused character."""
    for text in strings_in(value):
        char = first_refused(text, multiline=multiline)
        if char is None:
            continue
        if char in "\t\n\r":
            raise ValidationError(
                _("Write this on one line: it contains a line break or tab (%(code)s)."),
                code="control_character", params={"code": code_point(char)})
        raise ValidationError(
            _("Contains an invisible control character (%(code)s): remove it."),
            code="control_character", params={"code": code_point(char)})


def removed(text: str) -> str:
    """``text`` without the characters that are refused everywhere (tabs and line breaks stay)."""
    return _REFUSED.sub("", text)
