"""Values that need nothing else of core: choice sets, checks of a value (credit codes, control characters),
search keys, geometry, spreadsheets, and the reference data the platform ships with (departments)."""
