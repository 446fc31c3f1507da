from django import template

from finance import display

register = template.Library()

register.filter("yuan_large", display.yuan_large)
register.filter("fen_large", display.fen_large)
register.filter("bp_percent", display.bp_percent)
register.filter("times", display.times)
