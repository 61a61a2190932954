"""Django's own words that its Chinese catalogue does not translate yet.

Django 6.1 labels an empty choice "- Select an option -" (django.db.models.fields
.BLANK_CHOICE_LABEL), and its zh_Hans catalogue has no entry for it, so every form of
ours with a choice field would say it in English. Marked here, `make messages` keeps the
string in this app's catalogue, which Django reads before its own. Drop an entry once
Django ships it.
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = (gettext_noop("- Select an option -"),)
