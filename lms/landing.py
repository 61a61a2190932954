"""Where a person lands after logging in: their workspace, one section per role."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .workspace import sections_for


@login_required
def landing(request):
    """Teachers, mentors, verifiers, regulators, administrators and students each see their
    own section (several, for several roles): no role lands on another role's pages."""
    return render(request, "lms/workspace.html", {"sections": sections_for(request.user)})
