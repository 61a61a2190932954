"""Teachers author courses here for now; each sees and edits only their school's courses."""

from django.contrib import admin

from organizations.access import Role, is_platform_admin, organization_ids
from organizations.models import Organization

from . import access
from .models import Cohort, Course, Enrollment, Lesson, Module, Programme


class SchoolScopedAdmin(admin.ModelAdmin):
    """Limit rows to the courses a user may author; `course_path` names the way to the course."""

    course_path = "course"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if is_platform_admin(request.user):
            return qs
        schools = organization_ids(request.user, [Role.TEACHER, Role.ADMIN])
        return qs.filter(**{f"{self.course_path}__school_id__in": schools})

    def has_module_permission(self, request):
        return access.can_author_any(request.user)

    def has_view_permission(self, request, obj=None):
        return access.can_author_any(request.user)

    has_add_permission = has_module_permission

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return access.can_author_any(request.user)
        return access.can_author(request.user, self.course_of(obj))

    has_delete_permission = has_change_permission

    def course_of(self, obj):
        for part in self.course_path.split("__"):
            obj = getattr(obj, part)
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "school" and not is_platform_admin(request.user):
            kwargs["queryset"] = Organization.objects.filter(
                pk__in=organization_ids(request.user, [Role.TEACHER, Role.ADMIN])
            )
        if db_field.name in {"course", "module"} and not is_platform_admin(request.user):
            courses = access.authored_courses(request.user)
            kwargs["queryset"] = (
                courses if db_field.name == "course" else Module.objects.filter(course__in=courses)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0


class LessonInline(admin.StackedInline):
    model = Lesson
    extra = 0
    fields = [
        ("position", "is_required"),
        ("title_en", "title_zh"),
        "body_en",
        "body_zh",
        "video_url",
        "attachment",
    ]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "title_en", "title_zh", "track", "owner"]
    list_filter = ["track"]
    search_fields = ["code", "title_en", "title_zh"]


@admin.register(Course)
class CourseAdmin(SchoolScopedAdmin):
    course_path = ""
    list_display = ["code", "title_en", "title_zh", "school", "is_published", "estimated_hours"]
    list_filter = ["is_published", "programmes__track", "school"]
    search_fields = ["code", "title_en", "title_zh"]
    filter_horizontal = ["partners", "programmes", "prerequisites"]
    inlines = [ModuleInline]

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        return qs if is_platform_admin(request.user) else qs & access.authored_courses(request.user)

    def course_of(self, obj):
        return obj


@admin.register(Module)
class ModuleAdmin(SchoolScopedAdmin):
    list_display = ["title_en", "course", "position"]
    list_filter = ["course"]
    inlines = [LessonInline]


@admin.register(Lesson)
class LessonAdmin(SchoolScopedAdmin):
    course_path = "module__course"
    list_display = ["title_en", "module", "position", "is_required"]
    search_fields = ["title_en", "title_zh"]


@admin.register(Cohort)
class CohortAdmin(SchoolScopedAdmin):
    list_display = ["name", "course", "teacher", "mentor", "starts_on", "ends_on", "capacity"]
    raw_id_fields = ["teacher", "mentor"]


@admin.register(Enrollment)
class EnrollmentAdmin(SchoolScopedAdmin):
    list_display = ["student", "course", "cohort", "status", "enrolled_at", "completed_at"]
    list_filter = ["status"]
    search_fields = ["student__username", "course__code"]
    readonly_fields = ["enrolled_at", "completed_at", "withdrawn_at"]
