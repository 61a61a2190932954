"""Exams in the admin, scoped to the user's organisations; writes that version go through services.

Standards are edited by regulators of the owning government body while they are drafts and
are read-only once published; questions are saved through question_create/question_update so
that an edit to a question some attempt has seen becomes a new version.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.access import authored_courses
from organizations.access import is_platform_admin, organization_ids
from organizations.models import Organization

from . import access, kinds, services
from .forms import QuestionAdminForm
from .models import (
    Accreditation,
    Attempt,
    AttemptQuestion,
    BlueprintRule,
    Competency,
    Exam,
    ExamSection,
    Question,
    QuestionBank,
    QuestionVersion,
    RegradeJob,
    RegradeRecord,
    SkillLevel,
    SkillStandard,
)
from .services.standards import accreditation_grant_problems, status_change_problem


class ParentScopedInline:
    """Inline rows follow the parent row's permissions (people hold roles, not Django perms)."""

    def _parent(self) -> admin.ModelAdmin:
        return self.admin_site.get_model_admin(self.parent_model)

    def has_view_permission(self, request, obj=None):
        return self._parent().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        parent = self._parent()
        return (
            parent.has_change_permission(request, obj)
            if obj
            else parent.has_add_permission(request)
        )

    def has_change_permission(self, request, obj=None):
        return self._parent().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._parent().has_change_permission(request, obj)


class ReadOnlyInline(ParentScopedInline, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Standards ------------------------------------------------------------------------------


def _standard_editable(request, standard: SkillStandard | None) -> bool:
    if standard is None:
        return access.can_manage_standards_any(request.user)
    return standard.is_editable and access.can_publish_standard(request.user, standard)


class SkillLevelInline(ParentScopedInline, admin.StackedInline):
    model = SkillLevel
    extra = 0
    show_change_link = True
    fk_name = "standard"
    fields = [
        ("level", "name_en", "name_zh"),
        ("theory_weight", "theory_minimum"),
        ("practical_weight", "practical_minimum"),
        ("total_minimum", "marking_tolerance", "validity_years"),
        ("prerequisite_level", "prerequisite_course"),
    ]


class CompetencyInline(ParentScopedInline, admin.TabularInline):
    model = Competency
    extra = 0


class StandardScopedAdmin(admin.ModelAdmin):
    """Regulators and admins of the owning body; rows of published standards are read-only."""

    def standard_of(self, obj) -> SkillStandard:
        return obj

    def get_queryset(self, request):
        standards = access.managed_standards(request.user)
        qs = super().get_queryset(request)
        if self.model is SkillStandard:
            return qs.filter(pk__in=standards)
        return qs.filter(standard__in=standards)

    def has_module_permission(self, request):
        return access.can_manage_standards_any(request.user)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return access.can_manage_standards_any(request.user)
        return access.can_publish_standard(request.user, self.standard_of(obj))

    def has_add_permission(self, request):
        return access.can_manage_standards_any(request.user)

    def has_change_permission(self, request, obj=None):
        return _standard_editable(request, self.standard_of(obj) if obj else None)

    has_delete_permission = has_change_permission


class AccreditationAdminForm(forms.ModelForm):
    """Refuses as a form error what the services would refuse: a grant they would not make
    (an overlapping period, an unpublished standard), any change to a withdrawn one."""

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if self.instance.pk:  # self.instance still holds the stored status here
            problem = status_change_problem(self.instance.status, cleaned.get("status"))
            if problem:
                self.add_error("status", problem)
            return cleaned
        fields = ("school", "standard", "level", "valid_from", "valid_until")
        provisional = Accreditation(**{name: cleaned.get(name) for name in fields})
        for problem in accreditation_grant_problems(provisional):
            self.add_error(None, problem)
        return cleaned


@admin.register(Accreditation)
class AccreditationAdmin(StandardScopedAdmin):
    """Regulators of the standard's owning body accredit schools (the standards workspace's
    pages are to replace this); granting and status changes go through the services."""

    list_display = ["school", "standard", "level", "enterprise_partner", "valid_from",
                    "valid_until", "status"]  # fmt: skip
    list_filter = ["status", "level", "standard__code"]
    list_select_related = ["school", "standard", "enterprise_partner"]
    readonly_fields = ["granted_by", "created_at"]
    form = AccreditationAdminForm

    def standard_of(self, obj) -> SkillStandard:
        return obj.standard

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return access.can_manage_standards_any(request.user)
        return access.can_publish_standard(request.user, obj.standard)

    def has_delete_permission(self, request, obj=None):
        return False  # withdraw instead: certificates name the accreditation they were sat under

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        # Who, what and since when stay as granted; the period's end and the status change.
        return [*self.readonly_fields, "school", "standard", "level", "valid_from"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "standard":
            kwargs["queryset"] = access.managed_standards(request.user).filter(
                status=SkillStandard.Status.PUBLISHED
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["valid_until", "enterprise_partner", "note"])
            if "status" in form.changed_data:
                services.accreditation_set_status(
                    accreditation=obj, status=obj.status, by=request.user
                )
            return
        created = services.accreditation_grant(
            school=obj.school,
            standard=obj.standard,
            level=obj.level,
            valid_from=obj.valid_from,
            valid_until=obj.valid_until,
            enterprise_partner=obj.enterprise_partner,
            by=request.user,
            note=obj.note,
        )
        obj.__dict__.update({k: v for k, v in created.__dict__.items() if not k.startswith("_")})
        obj._state.adding = False


@admin.register(SkillStandard)
class SkillStandardAdmin(StandardScopedAdmin):
    list_display = ["code", "version", "name_en", "name_zh", "owner", "status", "published_at"]
    list_filter = ["status", "owner"]
    search_fields = ["code", "name_en", "name_zh"]
    readonly_fields = ["status", "published_at", "published_by", "previous"]
    inlines = [SkillLevelInline]
    actions = ["publish", "new_version"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner" and not is_platform_admin(request.user):
            kwargs["queryset"] = Organization.objects.filter(
                kind=Organization.Kind.GOVERNMENT,
                pk__in=organization_ids(request.user, access.STANDARD_ROLES),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_publish_permission(self, request):
        return access.can_manage_standards_any(request.user)

    @admin.action(description=_("Publish the selected draft standards"), permissions=["publish"])
    def publish(self, request, queryset):
        for standard in queryset:
            if not access.can_publish_standard(request.user, standard):
                self.message_user(
                    request,
                    gettext("You may not publish %(standard)s.") % {"standard": standard},
                    messages.ERROR,
                )
                continue
            try:
                services.standard_publish(standard=standard, by=request.user)
            except services.ExamError as exc:
                self.message_user(request, f"{standard}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(
                    request, gettext("Published %(standard)s.") % {"standard": standard}
                )

    @admin.action(
        description=_("Start a new draft version of the selected standards"),
        permissions=["publish"],
    )
    def new_version(self, request, queryset):
        for standard in queryset:
            if not access.can_publish_standard(request.user, standard):
                self.message_user(
                    request,
                    gettext("You may not change %(standard)s.") % {"standard": standard},
                    messages.ERROR,
                )
                continue
            draft = services.standard_new_version(standard=standard, by=request.user)
            link = reverse("admin:exams_skillstandard_change", args=[draft.pk])
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>', gettext("New draft version:"), link, str(draft)
                ),
            )


@admin.register(SkillLevel)
class SkillLevelAdmin(StandardScopedAdmin):
    """Reached from a standard's level ("change" link) to edit its competencies."""

    list_display = ["standard", "level", "name_en", "total_minimum", "marking_tolerance"]
    inlines = [CompetencyInline]

    def standard_of(self, obj) -> SkillStandard:
        return obj.standard

    def has_module_permission(self, request):
        return False

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["standard"] if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "prerequisite_level":
            kwargs["queryset"] = SkillLevel.objects.filter(
                standard__status=SkillStandard.Status.PUBLISHED
            ).select_related("standard")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- Banks, questions and exams -------------------------------------------------------------


class OrganizationScopedAdmin(admin.ModelAdmin):
    """Rows of the organisations where the user is a teacher or admin; `org_path` leads there."""

    org_path = "organization"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if is_platform_admin(request.user):
            return qs
        orgs = access.author_school_ids(request.user)
        return qs.filter(**{f"{self.org_path}_id__in": orgs})

    def organization_id_of(self, obj) -> int:
        *path, last = self.org_path.split("__")
        for part in path:
            obj = getattr(obj, part)
        return getattr(obj, f"{last}_id")

    def has_module_permission(self, request):
        return access.can_author_any(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def has_add_permission(self, request, *args):
        return access.can_author_any(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return access.can_author_any(request.user)
        return access.can_author_for(request.user, self.organization_id_of(obj))

    has_delete_permission = has_change_permission

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if db_field.name == "organization" and not is_platform_admin(user):
            kwargs["queryset"] = Organization.objects.filter(pk__in=access.author_school_ids(user))
        elif db_field.name == "bank":
            kwargs["queryset"] = access.authored_banks(user).select_related("organization")
        elif db_field.name == "standard":
            kwargs["queryset"] = SkillStandard.objects.published()
        elif db_field.name == "skill_level":
            kwargs["queryset"] = SkillLevel.objects.filter(
                standard__status=SkillStandard.Status.PUBLISHED
            ).select_related("standard")
        elif db_field.name == "course" and not is_platform_admin(user):
            kwargs["queryset"] = authored_courses(user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(QuestionBank)
class QuestionBankAdmin(OrganizationScopedAdmin):
    list_display = ["name", "organization", "standard", "created_at"]
    list_filter = ["organization"]
    search_fields = ["name"]

    def view_on_site(self, obj):
        return reverse("exams:bank_detail", args=[obj.pk])


class QuestionVersionInline(ReadOnlyInline):
    model = QuestionVersion
    fields = ["number", "title", "points", "created_at"]
    readonly_fields = fields
    ordering = ["-number"]


@admin.register(Question)
class QuestionAdmin(OrganizationScopedAdmin):
    org_path = "bank__organization"
    form = QuestionAdminForm
    list_display = [
        "pk",
        "title",
        "kind",
        "bank",
        "competency",
        "difficulty",
        "version",
        "is_active",
    ]
    list_select_related = ["bank", "current_version"]
    list_filter = ["kind", "difficulty", "is_active", "bank"]
    search_fields = ["competency", "idnumber", "current_version__title"]
    # The form of the question's kind (options, blanks, rubric…) follows the fieldsets.
    change_form_template = "exams/admin/question_change_form.html"
    fieldsets = [
        (None, {"fields": ["bank", "kind", ("competency", "difficulty"), "is_active"]}),
        (
            _("Current version"),
            {
                "description": _(
                    "Once an attempt has used the current version, saving a change here "
                    "makes a new version; attempts keep the one they saw."
                ),
                "fields": [
                    "title",
                    ("text_en", "text_zh"),
                    ("feedback_en", "feedback_zh"),
                    "points",
                ],
            },
        ),
    ]

    @admin.display(description=_("title"))
    def title(self, obj):
        return obj.current_version.title if obj.current_version_id else ""

    @admin.display(description=_("version"))
    def version(self, obj):
        return obj.current_version.number if obj.current_version_id else ""

    def get_inlines(self, request, obj):
        return [QuestionVersionInline] if obj else []

    def get_readonly_fields(self, request, obj=None):
        # A question's kind never changes; moving it would drag its statistics along.
        return ["bank", "kind"] if obj else []

    def add_view(self, request, form_url="", extra_context=None):
        """First the kind, then the form: each kind has its own fields for its answers."""
        if request.method == "GET" and request.GET.get("kind") not in kinds.REGISTRY:
            if not self.has_add_permission(request):
                raise PermissionDenied
            choices = []
            for name, kind in kinds.REGISTRY.items():
                query = request.GET.copy()
                query["kind"] = name
                choices.append((kind.label, f"?{query.urlencode()}"))
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("Add a question: choose its kind"),
                "choices": choices,
            }
            return TemplateResponse(request, "exams/admin/question_choose_kind.html", context)
        return super().add_view(request, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if change:
            if form.version_changed():
                services.question_update(question=obj, data=form.question_data(), by=request.user)
            obj.save(update_fields=["competency", "difficulty", "is_active"])
            return
        created = services.question_create(
            bank=obj.bank, data=form.question_data(), by=request.user
        )
        if not obj.is_active:
            created.is_active = False
            created.save(update_fields=["is_active"])
        # The admin goes on with `obj` (messages, log, redirect): make it the saved row.
        obj.__dict__.update({k: v for k, v in created.__dict__.items() if not k.startswith("_")})
        obj._state.adding, obj._state.db = False, created._state.db


class ExamSectionInline(ParentScopedInline, admin.TabularInline):
    """A published exam's blueprint is read-only: unpublish, edit, publish (rules rechecked)."""

    model = ExamSection
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return not (obj and obj.is_published) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.is_published) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.is_published) and super().has_delete_permission(request, obj)


class BlueprintRuleInline(ParentScopedInline, admin.TabularInline):
    model = BlueprintRule
    extra = 1


@admin.register(Exam)
class ExamAdmin(OrganizationScopedAdmin):
    list_display = ["title_en", "organization", "skill_level", "is_published", "opens_at"]
    list_filter = ["is_published", "organization"]
    list_select_related = ["organization", "skill_level__standard"]
    search_fields = ["title_en", "title_zh"]
    filter_horizontal = ["banks"]
    # Publishing goes through the service's checks (accreditation, blueprint), as actions.
    readonly_fields = ["created_by", "is_published"]
    inlines = [ExamSectionInline]
    actions = ["publish", "unpublish"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "banks":
            kwargs["queryset"] = access.authored_banks(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.action(description=_("Publish the selected exams"))
    def publish(self, request, queryset):
        self._set_published(request, queryset, True)

    @admin.action(description=_("Unpublish the selected exams"))
    def unpublish(self, request, queryset):
        self._set_published(request, queryset, False)

    def _set_published(self, request, queryset, published: bool) -> None:
        for exam in queryset.select_related("organization", "skill_level__standard"):
            try:
                services.exam_save(exam=exam, fields={"is_published": published}, by=request.user)
            except services.ExamError as exc:
                for problem in exc.messages:
                    self.message_user(request, f"{exam}: {problem}", messages.ERROR)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        # One write path: the form has set the fields; the service saves and rechecks.
        services.exam_save(exam=obj, fields={}, by=request.user)


@admin.register(ExamSection)
class ExamSectionAdmin(OrganizationScopedAdmin):
    """Reached from an exam's section ("change" link) to edit its blueprint rules."""

    org_path = "exam__organization"
    list_display = ["exam", "part", "position"]
    inlines = [BlueprintRuleInline]

    def has_module_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.exam.is_published:
            return False  # the rules of a published exam were checked when it was published
        return super().has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "exam":
            kwargs["queryset"] = access.authored_exams(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- Attempts and regrades: read-only ---------------------------------------------------------


class ReadOnlyAdmin(OrganizationScopedAdmin):
    def has_add_permission(self, request, *args):
        return False

    def has_view_permission(self, request, obj=None):
        return OrganizationScopedAdmin.has_change_permission(self, request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AttemptQuestionInline(ReadOnlyInline):
    model = AttemptQuestion
    fields = ["position", "part", "version", "max_points", "points", "needs_marking"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version__question")


@admin.register(Attempt)
class AttemptAdmin(ReadOnlyAdmin):
    org_path = "exam__organization"
    list_display = ["exam", "student", "number", "status", "total_percent", "passed"]
    list_filter = ["status", "passed"]
    list_select_related = ["exam", "student"]
    search_fields = ["student__username"]
    inlines = [AttemptQuestionInline]


class RegradeRecordInline(ReadOnlyInline):
    model = RegradeRecord
    fields = [
        "attempt",
        "old_points",
        "new_points",
        "old_total",
        "new_total",
        "old_passed",
        "new_passed",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("attempt__exam", "attempt__student")


@admin.register(RegradeJob)
class RegradeJobAdmin(ReadOnlyAdmin):
    org_path = "version__question__bank__organization"
    list_display = ["version", "status", "done", "total", "requested_by", "created_at"]
    list_select_related = ["version__question__current_version", "requested_by"]
    inlines = [RegradeRecordInline]
