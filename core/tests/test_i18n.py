"""Chinese is the default and its catalogue is complete; the compiled catalogue matches the source."""

from pathlib import Path

import polib
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_catalogue_is_complete():
    catalogue = polib.pofile(str(PO))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert len(catalogue.translated_entries()) > 300


def test_compiled_catalogue_matches_the_source():
    source = {(e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in polib.pofile(str(PO)).translated_entries()}
    compiled = {(e.msgid, e.msgstr or e.msgstr_plural.get(0, "")) for e in polib.mofile(str(PO.with_suffix(".mo")))
                if e.msgid}
    assert source == compiled, "run: uv run python manage.py compilemessages -l zh_Hans --ignore=.venv"


def test_default_language_is_simplified_chinese(client):
    page = client.get("/login/").content.decode()
    assert 'lang="zh-hans"' in page and "登录" in page
