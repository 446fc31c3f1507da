"""Generic test classes (collected through test_generic.py)."""
