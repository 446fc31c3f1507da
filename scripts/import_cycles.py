"""Import cycles among core's modules, every import counted (the allowed ones too); --top: module level only.

    python scripts/import_cycles.py [--top]

Prints each cycle (a strongly connected component of the import graph) with its size; core/tests/test_layers.py
fails on any cycle that does not pass through an allowed import.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.tests.test_layers import cycles, graph  # noqa: E402

found = cycles(graph(top="--top" in sys.argv), allowed={})
for component in found:
    print(len(component), component)
print(f"{len(found)} cycle(s)")
