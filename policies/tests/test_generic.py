"""The generic tests of policy support's models (yuanqu/generic_tests.py), kept by part in the modules below."""

# ===== versions ====
from .generic_versions import *  # noqa: F401,F403

# (end of this part)


# ===== awards ====
# isort: split
from .generic_awards import *  # noqa: F401,F403

# (end of this part)
