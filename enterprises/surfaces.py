from django.utils.translation import gettext_lazy as _

from core.surfaces import Column, Surface, register

from . import filters, forms, services
from .models import Contact, Enterprise, Qualification


def enterprise_context(request, enterprise):
    return {
        "qualifications": Qualification.objects.for_user(request.user).filter(enterprise=enterprise),
        "contacts": Contact.objects.for_user(request.user).filter(enterprise=enterprise),
    }


enterprise = register(Surface(
    model=Enterprise, filterset=filters.EnterpriseFilterSet, form=forms.EnterpriseForm, slug="enterprises",
    columns=[Column("name", link=True), Column("credit_code", template="enterprises/cells/credit_code.html"),
             Column("industry", order_by="industry__code"), Column("established_on"),
             Column("registered_capital")],
    select_related=("industry",), default_sort="name", extra_context=enterprise_context,
    create=services.enterprise_create,
))

qualification = register(Surface(
    model=Qualification, filterset=filters.QualificationFilterSet, form=forms.QualificationForm,
    slug="qualifications",
    columns=[Column("enterprise", order_by="enterprise__name", link=True),
             Column("kind", template="core/cells/choice.html"), Column("level"),
             Column("certificate_number"), Column("issued_on"), Column("valid_until")],
    select_related=("enterprise",),
    create=services.qualification_create, update=services.qualification_update,
))

contact = register(Surface(
    model=Contact, filterset=filters.ContactFilterSet, form=forms.ContactForm, slug="contacts",
    columns=[Column("masked_name", label=_("name"), order_by="name", link=True),
             Column("enterprise", order_by="enterprise__name"), Column("title"),
             Column("masked_mobile", label=_("mobile"), order_by=None)],
    select_related=("enterprise",),
))
