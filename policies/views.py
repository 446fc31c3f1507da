"""Pages of policy support: thin, calling selectors and services."""


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
