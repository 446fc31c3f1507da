"""The generic tests of policy support's models (yuanqu/generic_tests.py), kept by part in the modules below."""

from .generic_awards import *  # noqa: F401,F403
from .generic_clawback import *  # noqa: F401,F403
from .generic_govspace import *  # noqa: F401,F403
from .generic_screening import *  # noqa: F401,F403
from .generic_versions import *  # noqa: F401,F403
