"""The demo district's policy support: the five policies of DOMAIN.md §3 with budgets, and records that show every step."""


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
