from django.utils.translation import gettext_lazy as _

from core.importing.spec import ImportColumn, ImportSpec
from core.reference.validators import normalise_credit_code
from core.surfaces import Column, Surface, register

from . import filters, forms, services
from .choices import QualificationKind
from .models import Contact, Enterprise, FinancialYear, Qualification

CREDIT_CODE_ALIASES = ("统一社会信用代码", "信用代码", "社会信用代码", "企业信用代码", "USCC")


def first_credit_code_or_name(value) -> str:
    """"91440300… 某某公司" or a bare code: the code, normalised; otherwise the name as written."""
    from core.importing import values

    words = str(value).split()
    if words and len(normalise_credit_code(words[0])) == 18 and normalise_credit_code(words[0]).isalnum():
        return normalise_credit_code(words[0])
    return values.text(value)


ENTERPRISE = ImportColumn(match=("credit_code", "name"), parse=first_credit_code_or_name,
                          aliases=("企业", "企业信用代码", *CREDIT_CODE_ALIASES),
                          help=_("The enterprise's unified social credit code (or its exact name)"))


def enterprise_context(request, enterprise):
    return {
        "qualifications": Qualification.objects.for_user(request.user).filter(enterprise=enterprise),
        "contacts": Contact.objects.for_user(request.user).filter(enterprise=enterprise),
    }


enterprise = register(Surface(
    model=Enterprise, filterset=filters.EnterpriseFilterSet, form=forms.EnterpriseForm, slug="enterprises",
    columns=[Column("name", link=True), Column("credit_code", template="enterprises/cells/credit_code.html"),
             Column("industry", order_by="industry__code"), Column("established_on"),
             Column("registered_capital"), Column("moved_in_on"), Column("moved_out_on")],
    select_related=("industry",), default_sort="name", extra_context=enterprise_context,
    api_read_only=("credit_code_exception",),
    create=services.enterprise_create, bulk_fields=("industry", "registered_by"),
    importer=ImportSpec(
        key=("credit_code",),
        columns={"name": ImportColumn(aliases=("企业名称", "公司名称", "单位名称", "名称")),
                 "credit_code": ImportColumn(parse=normalise_credit_code, aliases=CREDIT_CODE_ALIASES),
                 "industry": ImportColumn(aliases=("行业", "所属行业", "国民经济行业", "行业代码"),
                                          help=_("A GB/T 4754-2017 class: 4-digit code (6513) or name (应用软件开发)")),
                 "established_on": ImportColumn(aliases=("成立日期", "成立时间")),
                 "registered_capital": ImportColumn(unit_scale=10000, aliases=("注册资本", "注册资本（万元）"),
                                                    help=_("In 万元; 500万, 1.2亿 and 5,000,000元 are understood")),
                 "address": ImportColumn(aliases=("注册地址", "地址", "住所")),
                 "moved_in_on": ImportColumn(aliases=("落户日期", "落户本区日期", "迁入日期", "入区日期")),
                 "moved_out_on": ImportColumn(aliases=("迁出日期", "迁出本区日期", "离区日期"))},
        example={"name": "深圳示例科技有限公司", "credit_code": "91440300MA5DEXAM87", "industry": "6513",
                 "established_on": "2019-03-15", "registered_capital": "1000"},
        bulk=True,
        prepare=lambda cleaned, stored, user: {} if stored else services.enterprise_defaults(cleaned, user),
    ),
))

qualification = register(Surface(
    model=Qualification, filterset=filters.QualificationFilterSet, form=forms.QualificationForm,
    slug="qualifications",
    columns=[Column("enterprise", order_by="enterprise__name", link=True),
             Column("kind", template="core/cells/choice.html"), Column("level"),
             Column("certificate_number"), Column("issued_on"), Column("valid_until")],
    select_related=("enterprise",),
    create=services.qualification_create, update=services.qualification_update,
    bulk_fields=("kind", "level", "valid_until"),
    importer=ImportSpec(
        key=("enterprise", "kind", "issued_on"),
        columns={"enterprise": ENTERPRISE, "kind": ImportColumn(aliases=("资质", "资质类型", "认定类型")),
                 "level": ImportColumn(aliases=("级别", "认定级别")),
                 "certificate_number": ImportColumn(aliases=("证书号", "证书编号")),
                 "issued_on": ImportColumn(aliases=("发证日期", "认定日期", "发证时间")),
                 "valid_until": ImportColumn(aliases=("有效期至", "有效期", "到期日"))},
        example={"enterprise": "91440300MA5DEXAM87", "kind": QualificationKind.HIGH_TECH.label,
                 "certificate_number": "GR202344200001", "issued_on": "2023-11-15"},
        bulk=True,
        prepare=lambda cleaned, stored, user: services.qualification_defaults(cleaned),
    ),
))

contact = register(Surface(
    model=Contact, filterset=filters.ContactFilterSet, form=forms.ContactForm, slug="contacts",
    columns=[Column("masked_name", label=_("name"), order_by="name", link=True),
             Column("enterprise", order_by="enterprise__name"), Column("title"),
             Column("masked_mobile", label=_("mobile"), order_by=None)],
    select_related=("enterprise",), bulk_fields=("title",),
))

financial_year = register(Surface(
    model=FinancialYear, filterset=filters.FinancialYearFilterSet, form=forms.FinancialYearForm,
    slug="financial-years",
    columns=[Column("enterprise", order_by="enterprise__name", link=True), Column("year"), Column("revenue"),
             Column("rd_expense"), Column("tax_paid"), Column("source")],
    select_related=("enterprise",), default_sort="-year", bulk_fields=("source",),
    importer=ImportSpec(
        key=("enterprise", "year"),
        columns={"enterprise": ENTERPRISE,
                 "year": ImportColumn(aliases=("年度", "年份", "所属年度", "会计年度")),
                 "revenue": ImportColumn(aliases=("营业收入", "营收", "主营业务收入", "营业收入（元）")),
                 "rd_expense": ImportColumn(aliases=("研发投入", "研发费用", "研发经费", "研发投入（元）")),
                 "tax_paid": ImportColumn(aliases=("纳税额", "纳税总额", "缴纳税款", "实缴税额")),
                 "source": ImportColumn(aliases=("数据来源", "来源"))},
        example={"enterprise": "91440300MA5DEXAM87", "year": "2025", "revenue": "12500000", "rd_expense": "1800000",
                 "tax_paid": "650000", "source": "年度审计报告"},
        bulk=True,
    ),
))
