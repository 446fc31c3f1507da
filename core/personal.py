"""Masking of personal data (PIPL: minimise, mask by default)."""


def mask_name(name: str) -> str:
    """张三丰 → 张**."""
    return (name[0] + "*" * max(1, len(name) - 1)) if name else ""


def mask_mobile(mobile: str) -> str:
    """13812345678 → 138****5678."""
    digits = "".join(c for c in mobile if c.isdigit())
    if len(digits) == 11:
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * len(mobile) if mobile else ""
