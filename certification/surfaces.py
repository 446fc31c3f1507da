"""One surface per certification model: list, detail, edit, API, export and import."""


# ===== schemes and their versions ==========================================================================
# (end of this part)


# ===== incubatees, service records, applications and certifications ========================================
# (end of this part)


# ===== yearly assessment rounds, experts and scores ========================================================
# (end of this part)


# ===== facts computed from the records, and their evidence =================================================
# (end of this part)
