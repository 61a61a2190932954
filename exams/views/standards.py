"""The standards workspace of a government body: its skill standards, their versions and the
schools accredited to assess them.

Regulators and administrators of the owning body (and platform administrators) write
drafts, publish them, start new versions, compare versions and accredit, suspend,
reinstate or withdraw assessment centres. Everyone else gets a 403 for the workspace and a
404 for a standard of another body. Writes go through exams.services; the rules are in
exams.access. Every list costs a fixed number of queries, whatever its length.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from .. import access, services, usage
from ..models import Accreditation, Attempt, Competency, Exam, SkillLevel, SkillStandard
from ..standards_diff import compare
from ..standards_forms import (
    AccreditationStatusForm,
    AccreditForm,
    CompetencyFormSet,
    SkillLevelForm,
    StandardForm,
    competency_initial,
)

ACCREDITATIONS_PER_PAGE = 100
STATUS_CHANGED = {
    "suspend": _lazy("The accreditation is suspended: no new sitting may start under it."),
    "reinstate": _lazy("The accreditation is reinstated."),
    "withdraw": _lazy("The accreditation is withdrawn."),
}


def _require_workspace(user) -> None:
    if not access.can_manage_standards_any(user):
        raise PermissionDenied(
            _("The standards workspace is for regulators and administrators of a government body.")
        )


def _standard_for(user, standard_id: int, queryset=None) -> SkillStandard:
    """A standard the user manages, or 404 (another body's standards are not shown)."""
    _require_workspace(user)
    if queryset is None:
        queryset = SkillStandard.objects.select_related("owner", "previous")
    standard = get_object_or_404(queryset, pk=standard_id)
    if not access.can_manage_standard(user, standard):
        raise Http404(_("No such skill standard."))
    return standard


def _with_levels(standards):
    """Standards with their levels, competencies and prerequisites (three queries)."""
    levels = SkillLevel.objects.select_related(
        "prerequisite_level", "prerequisite_course"
    ).prefetch_related(Prefetch("competencies", queryset=Competency.objects.order_by("code")))
    return standards.prefetch_related(Prefetch("levels", queryset=levels))


def _versions(standard: SkillStandard) -> list[SkillStandard]:
    return list(
        SkillStandard.objects.filter(code=standard.code, owner_id=standard.owner_id).order_by(
            "-version"
        )
    )


def _latest_published(versions: list[SkillStandard]) -> SkillStandard | None:
    return next((v for v in versions if v.status == SkillStandard.Status.PUBLISHED), None)


# --- Home -----------------------------------------------------------------------------------


@login_required
def standards_home(request):
    """The body's standards, one group per code with every version, and what uses each."""
    user = request.user
    _require_workspace(user)
    standards = list(
        access.managed_standards(user)
        .select_related("owner")
        .annotate(level_count=Count("levels"))
        .order_by("code", "-version")
    )
    ids = [standard.pk for standard in standards]
    exams = dict(
        Exam.objects.filter(skill_level__standard_id__in=ids)
        .values_list("skill_level__standard_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    accredited = {
        (code, owner): n
        for code, owner, n in Accreditation.objects.in_force()
        .filter(standard__in=access.managed_standards(user))
        .values_list("standard__code", "standard__owner_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    counted = usage.counts(ids)
    groups: dict[tuple, dict] = {}
    for standard in standards:
        group = groups.setdefault(
            (standard.code, standard.owner_id),
            {
                "latest": standard,
                "versions": [],
                "accreditations": accredited.get((standard.code, standard.owner_id), 0),
            },
        )
        standard.exam_count = exams.get(standard.pk, 0)
        standard.usage = [
            (counter.label, sum(n for (sid, _lv), n in counted[key].items() if sid == standard.pk))
            for key, counter in usage.COUNTERS.items()
        ]
        group["versions"].append(standard)
    context = {"groups": list(groups.values()), "usage_labels": usage.COUNTERS.values()}
    return render(request, "exams/standards/home.html", context)


# --- Drafts ---------------------------------------------------------------------------------


@login_required
def standard_new(request):
    user = request.user
    _require_workspace(user)
    owners = access.standard_owners(user)
    form = StandardForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            standard = services.standard_create(
                owner=data["owner"],
                code=data["code"],
                name_en=data["name_en"],
                name_zh=data["name_zh"],
                description_en=data["description_en"],
                description_zh=data["description_zh"],
                by=user,
            )
        except services.ExamError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The draft is saved. Add its levels next."))
            return redirect("exams:standard_detail", standard.pk)
    return render(request, "exams/standards/standard_form.html", {"form": form, "standard": None})


def _draft_or_redirect(request, standard: SkillStandard):
    if standard.is_editable:
        return None
    messages.error(
        request,
        _("A published version is read-only: start a new version to change the standard."),
    )
    return redirect("exams:standard_detail", standard.pk)


@login_required
def standard_edit(request, standard_id: int):
    standard = _standard_for(request.user, standard_id)
    if refused := _draft_or_redirect(request, standard):
        return refused
    form = StandardForm(request.POST or None, instance=standard)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.standard_update(
                standard=standard,
                name_en=data["name_en"],
                name_zh=data["name_zh"],
                description_en=data["description_en"],
                description_zh=data["description_zh"],
                by=request.user,
            )
        except services.ExamError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("exams:standard_detail", standard.pk)
    context = {"form": form, "standard": standard}
    return render(request, "exams/standards/standard_form.html", context)


@login_required
def level_edit(request, standard_id: int, level_id: int | None = None):
    """A level of a draft and its competencies, on one page, saved together."""
    standard = _standard_for(request.user, standard_id)
    if refused := _draft_or_redirect(request, standard):
        return refused
    level = None
    if level_id is not None:
        level = get_object_or_404(
            SkillLevel.objects.prefetch_related("competencies"), pk=level_id, standard=standard
        )
    data = request.POST if request.method == "POST" else None
    form = SkillLevelForm(data, instance=level, standard=standard)
    formset = CompetencyFormSet(data, initial=competency_initial(level), prefix="competencies")
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            saved = services.level_save(
                standard=standard,
                level=level,
                fields=form.level_fields(),
                competencies=formset.rows(),
                by=request.user,
            )
        except services.ExamError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request, _("%(level)s is saved.") % {"level": saved.get_level_display()}
            )
            return redirect("exams:standard_detail", standard.pk)
    context = {"standard": standard, "level": level, "form": form, "formset": formset}
    return render(request, "exams/standards/level_form.html", context)


@login_required
@require_POST
def level_delete(request, standard_id: int, level_id: int):
    standard = _standard_for(request.user, standard_id)
    level = get_object_or_404(SkillLevel, pk=level_id, standard=standard)
    try:
        services.level_delete(level=level, by=request.user)
    except services.ExamError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The level is removed from the draft."))
    return redirect("exams:standard_detail", standard.pk)


# --- A version: read, publish, new version, compare -----------------------------------------


def _level_usage(standard: SkillStandard) -> dict[int, dict]:
    """Per level number: accreditations in force for it, exams and registered counts."""
    today = timezone.localdate()
    in_force = dict(
        Accreditation.objects.in_force(today)
        .filter(standard__code=standard.code, standard__owner_id=standard.owner_id)
        .values_list("level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    exams = dict(
        Exam.objects.filter(skill_level__standard=standard)
        .values_list("skill_level__level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counted = usage.counts([standard.pk])
    numbers = [level.level for level in standard.levels.all()]
    return {
        number: {
            "accreditations": in_force.get(number, 0),
            "exams": exams.get(number, 0),
            "counts": [
                (counter.label, counted[key].get((standard.pk, number), 0))
                for key, counter in usage.COUNTERS.items()
            ],
        }
        for number in numbers
    }


@login_required
def standard_detail(request, standard_id: int):
    standard = _standard_for(
        request.user,
        standard_id,
        _with_levels(SkillStandard.objects.select_related("owner", "previous")),
    )
    versions = _versions(standard)
    exams = list(
        Exam.objects.filter(skill_level__standard=standard)
        .select_related("organization", "skill_level")
        .annotate(
            # Not "sittings": that is Exam's relation to its scheduled sittings.
            attempts_sat=Count("attempts", filter=~Q(attempts__status=Attempt.Status.IN_PROGRESS))
        )
        .order_by("skill_level__level", "organization__name_en", "pk")
    )
    for exam in exams:
        exam.may_open = access.can_author_exam(request.user, exam)
    level_usage = _level_usage(standard)
    levels = [(level, level_usage[level.level]) for level in standard.levels.all()]
    context = {
        "standard": standard,
        "levels": levels,
        "versions": versions,
        "exams": exams,
        "problems": services.standard_problems(standard) if standard.is_editable else [],
        "open_draft": next((v for v in versions if v.is_editable), None),
        "usage_labels": usage.COUNTERS.values(),
    }
    return render(request, "exams/standards/standard_detail.html", context)


@login_required
@require_POST
def standard_publish(request, standard_id: int):
    standard = _standard_for(request.user, standard_id)
    try:
        services.standard_publish(standard=standard, by=request.user)
    except services.ExamError as exc:
        for problem in exc.messages:
            messages.error(request, problem)
    else:
        messages.success(
            request,
            _("Version %(version)s is published: it can no longer change.")
            % {"version": standard.version},
        )
    return redirect("exams:standard_detail", standard.pk)


@login_required
@require_POST
def standard_new_version(request, standard_id: int):
    standard = _standard_for(request.user, standard_id)
    try:
        draft = services.standard_new_version(standard=standard, by=request.user)
    except services.ExamError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("exams:standard_detail", standard.pk)
    messages.success(
        request,
        _("Version %(version)s is a new draft, copied from version %(previous)s.")
        % {"version": draft.version, "previous": standard.version},
    )
    return redirect("exams:standard_detail", draft.pk)


@login_required
def standard_compare(request, standard_id: int):
    """This version beside another of the same standard (by default the one before it)."""
    standard = _standard_for(request.user, standard_id)
    versions = _versions(standard)
    others = [v for v in versions if v.pk != standard.pk]
    wanted = request.GET.get("with", "")
    other = next((v for v in others if str(v.pk) == wanted), None)
    if other is None:
        other = next((v for v in others if v.pk == standard.previous_id), None)
    if other is None and others:
        other = others[0]
    diff = None
    if other is not None:
        pair = {
            s.pk: s
            for s in _with_levels(SkillStandard.objects).filter(pk__in=[standard.pk, other.pk])
        }
        old, new = sorted(pair.values(), key=lambda s: s.version)
        diff = compare(old, new)
    context = {"standard": standard, "others": others, "other": other, "diff": diff}
    return render(request, "exams/standards/compare.html", context)


# --- Accredited assessment centres ----------------------------------------------------------


@login_required
def accreditation_list(request, standard_id: int):
    """Every accreditation of the standard (all its versions), newest period first."""
    standard = _standard_for(request.user, standard_id)
    rows = (
        Accreditation.objects.filter(
            standard__code=standard.code, standard__owner_id=standard.owner_id
        )
        .select_related("school", "enterprise_partner", "standard")
        .order_by("school__name_en", "level", "-valid_from", "-pk")
    )
    page = Paginator(rows, ACCREDITATIONS_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for accreditation in page:
        accreditation.in_force = (
            accreditation.status == Accreditation.Status.ACTIVE
            and accreditation.valid_from <= today
            and (accreditation.valid_until is None or accreditation.valid_until >= today)
        )
    versions = _versions(standard)
    context = {"standard": standard, "page": page, "target": _latest_published(versions)}
    return render(request, "exams/standards/accreditation_list.html", context)


@login_required
def accreditation_new(request, standard_id: int):
    """Accredit a school for levels of the standard's latest published version."""
    standard = _standard_for(request.user, standard_id)
    target = _latest_published(_versions(standard))
    if target is None:
        messages.error(request, _("Publish a version of this standard before accrediting."))
        return redirect("exams:accreditation_list", standard.pk)
    target = _with_levels(SkillStandard.objects.select_related("owner")).get(pk=target.pk)
    source = request.POST if request.method == "POST" else request.GET
    search = source.get("q", "")
    if request.method == "POST":
        form = AccreditForm(request.POST, standard=target, search=search)
        if form.is_valid():
            data = form.cleaned_data
            try:
                granted = services.accreditations_grant(
                    school=data["school"],
                    standard=target,
                    levels=data["levels"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    enterprise_partner=data["enterprise_partner"],
                    note=data["note"],
                    by=request.user,
                )
            except services.ExamError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    _("%(school)s is accredited for %(levels)s.")
                    % {
                        "school": data["school"].name,
                        "levels": ", ".join(str(a.get_level_display()) for a in granted),
                    },
                )
                return redirect("exams:accreditation_list", standard.pk)
    else:
        form = AccreditForm(standard=target, search=search)
    context = {"standard": standard, "target": target, "form": form, "search": search}
    return render(request, "exams/standards/accreditation_form.html", context)


@login_required
def accreditation_detail(request, accreditation_id: int):
    """One accreditation, its note, and the forms to suspend, reinstate or withdraw it."""
    _require_workspace(request.user)
    accreditation = get_object_or_404(
        Accreditation.objects.select_related("school", "enterprise_partner", "standard__owner"),
        pk=accreditation_id,
    )
    if not access.can_manage_standard(request.user, accreditation.standard):
        raise Http404(_("No such accreditation."))
    posted = None
    if request.method == "POST":
        action = request.POST.get("action")
        prefix = action if action in AccreditationStatusForm.ACTIONS else "status"
        posted = AccreditationStatusForm(request.POST, auto_id=f"id_{prefix}_%s")
        if posted.is_valid():
            try:
                services.accreditation_set_status(
                    accreditation=accreditation,
                    status=posted.new_status(),
                    reason=posted.cleaned_data["reason"],
                    by=request.user,
                )
            except services.ExamError as exc:
                posted.add_error(None, exc.messages)
            else:
                messages.success(request, STATUS_CHANGED[posted.cleaned_data["action"]])
                return redirect("exams:accreditation_detail", accreditation.pk)
    actions = {
        Accreditation.Status.ACTIVE: ["suspend", "withdraw"],
        Accreditation.Status.SUSPENDED: ["reinstate", "withdraw"],
        Accreditation.Status.WITHDRAWN: [],
    }[accreditation.status]
    forms = []
    for action in actions:
        if posted is not None and posted.data.get("action") == action:
            forms.append((action, posted))
        else:
            blank = AccreditationStatusForm(initial={"action": action}, auto_id=f"id_{action}_%s")
            forms.append((action, blank))
    # A page of its own standard: the version the accreditation was granted under.
    context = {
        "accreditation": accreditation,
        "standard": accreditation.standard,
        "forms": forms,
        "note_lines": [line for line in accreditation.note.splitlines() if line.strip()],
    }
    return render(request, "exams/standards/accreditation_detail.html", context)
