from django import template

from enterprises.choices import IndustryLevel
from enterprises.models import IndustryCategory

register = template.Library()


@register.simple_tag
def industry_classes():
    return IndustryCategory.objects.filter(level=IndustryLevel.CLASS).only("code", "name").order_by("code")
