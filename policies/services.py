"""Every write of policy support beyond plain edits: <entity>_<verb>(*, ..., user), in a transaction, audited.

Money moves only by conditional updates guarded by CHECK constraints (RULES.md point 10)."""


# ===== versions ====

# (end of this part)


# ===== screening ====

# (end of this part)


# ===== awards ====

# (end of this part)


# ===== clawback ====

# (end of this part)


# ===== govspace ====

# (end of this part)
