"""The facts about an enterprise that policies decide by, computed from the records as of a day for a period.

``CATALOGUE`` (declared in ``policies.catalogue``, pure) names them; ``compute`` answers them for many
enterprises with a fixed number of queries.
"""

from .catalogue import CATALOGUE, HISTORY

__all__ = ["CATALOGUE", "HISTORY"]
