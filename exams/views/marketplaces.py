"""The marketplace rules pages: the current rules of each marketplace, and an edit page that
saves a new version and shows every earlier one. Access: exams.access.can_edit_marketplace_rules.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import access
from ..marketplace_forms import MarketplaceRulesForm
from ..models import MarketplaceRules
from ..services.errors import ExamError
from ..services.marketplaces import RULE_FIELDS, marketplace_rules_save


def _require_editor(user) -> None:
    if not access.can_edit_marketplace_rules(user):
        raise PermissionDenied(_("Marketplace rules are edited by teachers and school staff."))


@login_required
def marketplace_rules(request):
    _require_editor(request.user)
    current = MarketplaceRules.objects.current().select_related("created_by")
    return render(request, "exams/staff/marketplace_rules.html", {"rules": current})


@login_required
def marketplace_rules_edit(request, code: str | None = None):
    """Edit a marketplace's rules (saved as its next version), or add a marketplace."""
    _require_editor(request.user)
    versions = list(MarketplaceRules.objects.of(code).select_related("created_by")) if code else []
    if code and not versions:
        raise Http404(_("No such marketplace."))
    current = versions[0] if versions else None
    initial = {}
    if current is not None:
        initial = {name: getattr(current, name) for name in RULE_FIELDS}
        initial["banned_words"] = "\n".join(current.banned_words)
    form = MarketplaceRulesForm(request.POST or None, initial=initial, new=current is None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = marketplace_rules_save(
                    code=code or form.cleaned_data["code"],
                    fields=form.rules_fields(),
                    by=request.user,
                )
            except ExamError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    _("%(name)s: saved as version %(n)d. Questions written before keep theirs.")
                    % {"name": saved.name, "n": saved.version},
                )
                return redirect("exams:marketplace_rules_edit", saved.code)
        status = 400
    context = {"form": form, "current": current, "versions": versions}
    return render(request, "exams/staff/marketplace_rules_edit.html", context, status=status)
