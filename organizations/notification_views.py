"""A person's inbox, their notification choices, and the unsubscribe link of every email.

The inbox shows only the signed-in person's own entries (another's id is a 404). The
unsubscribe page needs no login: its signed token names the person and the kind; GET asks,
POST turns that kind's email off (mail scanners that open links change nothing).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import notifications
from .models import Notification

PAGE_SIZE = 30


@login_required
def inbox(request):
    entries = Notification.objects.filter(user=request.user)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for entry in page.object_list:
        title, body = notifications.render(entry.kind, entry.params)
        rows.append({"entry": entry, "title": title, "body": body})
    return render(
        request,
        "organizations/inbox.html",
        {"page": page, "rows": rows, "unread": notifications.unread_count(request.user)},
    )


@login_required
@require_POST
def inbox_read(request, notification_id: int):
    """Mark an entry read and follow its link (or come back to the inbox)."""
    entry = notifications.mark_read(request.user, notification_id)
    if entry is None:
        raise Http404(_("No such notification."))
    if (
        request.POST.get("open")
        and entry.url
        and url_has_allowed_host_and_scheme(
            entry.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return redirect(entry.url)
    return redirect("organizations:inbox")


@login_required
@require_POST
def inbox_read_all(request):
    count = notifications.mark_all_read(request.user)
    messages.success(request, _("%(count)s notification(s) marked read.") % {"count": count})
    return redirect("organizations:inbox")


class PreferencesForm(forms.Form):
    """Two checkboxes per kind: <kind>-email and <kind>-inbox."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            for channel in ("email", "inbox"):
                self.fields[f"{row['kind']}-{channel}"] = forms.BooleanField(
                    required=False, initial=row[channel]
                )

    def choices(self) -> dict[str, tuple[bool, bool]]:
        data = self.cleaned_data
        return {
            r["kind"]: (data[f"{r['kind']}-email"], data[f"{r['kind']}-inbox"]) for r in self.rows
        }

    def table(self) -> list[dict]:
        return [
            {
                "label": r["label"],
                "email": self[f"{r['kind']}-email"],
                "inbox": self[f"{r['kind']}-inbox"],
            }
            for r in self.rows
        ]


@login_required
def preferences(request):
    rows = notifications.preferences(request.user)
    form = PreferencesForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        notifications.preferences_save(request.user, form.choices())
        messages.success(request, _("Your notification choices are saved."))
        return redirect("organizations:notification_preferences")
    return render(request, "organizations/notification_preferences.html", {"form": form})


def unsubscribe(request, token: str):
    try:
        user, kind = notifications.unsubscribe_user_kind(token)
    except signing.BadSignature:
        return render(request, "organizations/unsubscribe.html", {"invalid": True}, status=400)
    label = notifications.Kind(kind).label
    done = False
    if request.method == "POST":
        notifications.unsubscribe(user, kind)
        done = True
    return render(
        request,
        "organizations/unsubscribe.html",
        {"label": label, "done": done, "token": token},
    )
