"""The generic tests of policy support's models (yuanqu/generic_tests.py), kept by part in the modules below."""

# ===== govspace ====
from .generic_govspace import *  # noqa: F401,F403

# (end of this part)
