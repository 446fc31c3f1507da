"""Chinese search keys: a name is findable by its characters, full pinyin and pinyin initials."""

from pypinyin import Style, lazy_pinyin


def search_key(*texts: str) -> str:
    """``荣耀终端`` → ``荣耀终端 rongyaozhongduan ryzd`` (lower case, so a search is one icontains)."""
    parts = []
    for text in texts:
        if not text:
            continue
        parts.append(text.lower())
        syllables = lazy_pinyin(text, errors="default")
        parts.append("".join(syllables).lower().replace(" ", ""))
        initials = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
        parts.append("".join(initials).lower().replace(" ", ""))
    return " ".join(parts)
