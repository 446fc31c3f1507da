"""The share limits in force since 2016-01-01 (DOMAIN §5), written by the data migration and put back by the demo
and by tests after a transactional test's flush has emptied the table: the guidance fund's share of a sub-fund at
most 30% (innovation) or 25% (emerging industries), all public money at most 70%; the required reinvestment ratio
1.5× (15000 bp) is an assumption [assume], the sources giving no figure for the district."""

import datetime

SINCE = datetime.date(2016, 1, 1)
SOURCE = "深圳市政府投资引导基金管理办法；返投比例1.5倍为假设值〔assume〕"
LIMITS = [("innovation", 3000, 7000, 15000), ("emerging", 2500, 7000, 15000)]


def ensure_share_limits(model) -> None:
    """Write the limits of 2016-01-01 where they are missing (``model``: ShareLimit, or its historical model)."""
    for focus, guidance_cap, public_cap, required in LIMITS:
        model.objects.get_or_create(focus=focus, effective_from=SINCE, defaults={
            "guidance_cap_bp": guidance_cap, "public_cap_bp": public_cap, "required_reinvestment_bp": required,
            "source": SOURCE})
