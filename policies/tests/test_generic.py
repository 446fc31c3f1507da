"""Generic tests of policy support's surfaces (ADR 0018): one class per model, in each part's generic_*.py."""

from .generic_awards import *  # noqa: F401,F403
from .generic_clawback import *  # noqa: F401,F403
