"""Sessions in the database, as Django keeps them, but a cookie can only name a key Django could have made.

Django makes session keys of 32 lowercase letters and digits and looks up whatever the session cookie says.
A cookie holding a NUL (a quoted cookie may write it as \\000) reached that lookup, and PostgreSQL refuses NUL
in text: any visitor could make any page answer 500. A key of other characters, or of a length the table
cannot hold, names no session and is never looked up; the visitor is simply not signed in.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

KEY_CHARACTERS = frozenset(VALID_KEY_CHARS)
LONGEST_KEY = 40  # django_session.session_key


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return bool(super()._validate_session_key(key)) and len(key) <= LONGEST_KEY and set(key) <= KEY_CHARACTERS
