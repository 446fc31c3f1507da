"""The demo district's policy support: the five policies of DOMAIN.md §3 with budgets, and records that show every step."""


# ===== versions ====

# (end of this part)


# ===== screening ====
# The facts the policies read, in the synthetic data of ``manage.py generate`` (policies.generate). The part is
# the app's one ``part``: made here unless a section above made it.
from demo.parts import Part  # noqa: E402

from . import generate as _generate  # noqa: E402

part = globals().get("part") or Part("policies")
_generate.register(part)

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====

# (end of this part)
