"""The documents an enterprise keeps on the platform: its business licence (营业执照), uploaded once and attached
again wherever it is asked for, and the certificates of its qualifications (registered in EnterprisesConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from core.attachments.registry import register_attachable, register_kind
from core.reference.choices import Role

BUSINESS_LICENCE = register_kind("business_licence", _("Business licence"), reusable=True)
QUALIFICATION_CERTIFICATE = register_kind("qualification_certificate", _("Qualification certificate"), reusable=True)


def enterprise_user(user, record) -> bool:
    """An enterprise's own users attach its licence and its certificates (the record is already within their
    scope: their enterprise, its qualifications), although they may not edit the records themselves."""
    return user.role == Role.ENTERPRISE


def register():
    register_attachable("enterprises.enterprise", kinds=[BUSINESS_LICENCE], owner=lambda enterprise: enterprise,
                        owner_model="enterprises.enterprise", also_attach=enterprise_user)
    register_attachable("enterprises.qualification", kinds=[QUALIFICATION_CERTIFICATE],
                        owner=lambda qualification: qualification.enterprise, owner_model="enterprises.enterprise",
                        also_attach=enterprise_user)
