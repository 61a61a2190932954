"""The audit trail page: filter, page through and export the entries a person may read.

An organisation's administrators read its entries; a government body's regulators (and
administrators) the entries about its standards; platform administrators all. Everybody
else is refused (403). The CSV export holds exactly the filtered entries, every page.
"""

import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from . import spreadsheets
from .access import is_platform_admin
from .audit import Action, audited_organization_ids, can_view_audit, visible_entries
from .models import AuditEntry, Organization

PAGE_SIZE = 50


class AuditFilterForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        required=False,
        queryset=Organization.objects.none(),
        to_field_name="code",
        empty_label=gettext_lazy("All of mine"),
    )
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        required=False,
        choices=[("", gettext_lazy("Any action")), *Action.choices],
    )
    actor = forms.CharField(label=gettext_lazy("Actor"), required=False, max_length=150)
    date_from = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(
        label=gettext_lazy("Object"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("A serial, a name, a code or words of the note."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The organisations whose trail the reader may read; a single one needs no choice.
        if is_platform_admin(user):
            readable = Organization.objects.all()
        else:
            administered, bodies = audited_organization_ids(user)
            readable = Organization.objects.filter(pk__in=administered | bodies)
        self.fields["organization"].queryset = readable.order_by("kind", "name_en")
        if not is_platform_admin(user) and readable.count() < 2:
            del self.fields["organization"]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def apply(self, entries):
        """The entries that match the (valid) filters."""
        data = self.cleaned_data
        if data.get("organization"):
            chosen = data["organization"]
            entries = entries.filter(Q(organization=chosen) | Q(authority=chosen))
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("actor"):
            entries = entries.filter(actor_label__icontains=data["actor"].strip())
        if data.get("date_from"):
            entries = entries.filter(created_at__date__gte=data["date_from"])
        if data.get("date_to"):
            entries = entries.filter(created_at__date__lte=data["date_to"])
        if data.get("q"):
            words = data["q"].strip()
            entries = entries.filter(
                Q(object_label__icontains=words) | Q(note__icontains=words) | Q(object_id=words)
            )
        return entries


def _value(value) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def changes(entry: AuditEntry) -> list[dict]:
    """What the entry changed, field by field: [{"field", "before", "after"}]."""
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    rows = []
    for name in [*before, *(k for k in after if k not in before)]:
        rows.append(
            {
                "field": name,
                "before": _value(before[name]) if name in before else None,
                "after": _value(after[name]) if name in after else None,
            }
        )
    return rows


def actor_name(entry: AuditEntry) -> str:
    return entry.actor_label or _("System")


@login_required
@require_GET
def audit_log(request):
    if not can_view_audit(request.user):
        raise PermissionDenied(
            _("The audit trail is for organisation administrators and regulators.")
        )
    form = AuditFilterForm(request.GET or None, user=request.user)
    entries = visible_entries(request.user)
    status = 200
    if form.is_bound:
        if form.is_valid():
            entries = form.apply(entries)
        else:
            entries, status = entries.none(), 400
    if request.GET.get("format") == "csv" and status == 200:
        return _csv(entries)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"entry": entry, "actor": actor_name(entry), "changes": changes(entry)} for entry in page
    ]
    return render(
        request,
        "organizations/audit_log.html",
        {"form": form, "page": page, "rows": rows},
        status=status,
    )


CSV_HEADER = [
    "time",
    "action",
    "action_label",
    "actor",
    "object_type",
    "object_id",
    "object",
    "organisation",
    "government_body",
    "before",
    "after",
    "note",
]


def _csv_rows(entries):
    """The header, then one row per entry (formula-safe when written)."""
    yield CSV_HEADER
    for entry in entries.select_related("object_type").iterator(chunk_size=1000):
        yield [
            timezone.localtime(entry.created_at).isoformat(timespec="seconds"),
            entry.action,
            entry.get_action_display(),
            actor_name(entry),
            entry.object_type.model if entry.object_type_id and entry.object_type else "",
            entry.object_id,
            entry.object_label,
            entry.organization.code if entry.organization_id and entry.organization else "",
            entry.authority.code if entry.authority_id and entry.authority else "",
            json.dumps(entry.before, ensure_ascii=False, sort_keys=True),
            json.dumps(entry.after, ensure_ascii=False, sort_keys=True),
            entry.note,
        ]


def _csv(entries) -> StreamingHttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return spreadsheets.streaming_csv(_csv_rows(entries), filename=f"audit-trail-{stamp}.csv")
