"""The generic tests of policy support's models (yuanqu/generic_tests.py), kept by part in the modules below."""

from .generic_clawback import *  # noqa: F401,F403
