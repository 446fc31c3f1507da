"""Writes of certification beyond plain CRUD: each a service, audited; the steps people take are actions."""


# ===== schemes and their versions ==========================================================================
# (end of this part)


# ===== incubatees, service records, applications and certifications ========================================
# (end of this part)


# ===== yearly assessment rounds, experts and scores ========================================================
# (end of this part)


# ===== facts computed from the records, and their evidence =================================================
# (end of this part)
