"""The generic tests of certification's models (yuanqu/generic_tests.py), kept by area in the modules below."""

from .generic_records import *  # noqa: F401,F403
from .generic_rounds import *  # noqa: F401,F403
from .generic_schemes import *  # noqa: F401,F403
