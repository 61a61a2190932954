from django.utils.translation import gettext as _
from rest_framework import serializers

from organizations.models import Organization
from organizations.serializer_fields import CodeRelatedField

from .. import completion
from ..markup import render_markdown
from ..models import Course, Enrollment, Lesson, Module, Programme


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["code", "track", "title_en", "title_zh"]


class LessonSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Lesson
        fields = ["id", "position", "title_en", "title_zh", "is_required"]


class ModuleSerializer(serializers.ModelSerializer):
    lessons = LessonSummarySerializer(many=True, read_only=True)

    class Meta:
        model = Module
        fields = ["id", "position", "title_en", "title_zh", "lessons"]


class CourseSerializer(serializers.ModelSerializer):
    school = CodeRelatedField(
        slug_field="code", queryset=Organization.objects.filter(kind="school")
    )
    partners = CodeRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=Organization.objects.filter(kind="enterprise"),
    )
    programmes = ProgrammeSerializer(many=True, read_only=True)
    prerequisites = CodeRelatedField(
        slug_field="code", many=True, required=False, queryset=Course.objects.all()
    )

    class Meta:
        model = Course
        fields = [
            "code", "title_en", "title_zh", "summary_en", "summary_zh", "school", "partners",
            "programmes", "language", "is_published", "estimated_hours", "prerequisites",
            "self_enrolment", "min_lesson_minutes", "requires_assessment",
        ]  # fmt: skip

    def validate(self, attrs):
        attrs = super().validate(attrs)
        merged = {
            name: attrs.get(name, getattr(self.instance, name, None))
            for name in ("min_lesson_minutes", "requires_assessment")
        }
        course = Course(
            min_lesson_minutes=merged["min_lesson_minutes"]
            if merged["min_lesson_minutes"] is not None
            else Course._meta.get_field("min_lesson_minutes").default,
            requires_assessment=bool(merged["requires_assessment"]),
        )
        if course.requires_assessment and not completion.can_require_assessment():
            raise serializers.ValidationError(
                {"requires_assessment": _("No exam or quiz app is installed here.")}
            )
        if not course.asks_for_evidence:
            raise serializers.ValidationError(
                {
                    "min_lesson_minutes": _(
                        "Set a minimum time on lessons or require an exam or quiz: ticking "
                        "every lesson is not evidence that a student did the course."
                    )
                }
            )
        return attrs


class CourseDetailSerializer(CourseSerializer):
    modules = ModuleSerializer(many=True, read_only=True)

    class Meta(CourseSerializer.Meta):
        fields = [*CourseSerializer.Meta.fields, "modules"]


class ModuleWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Module
        fields = ["id", "position", "title_en", "title_zh"]


class LessonSerializer(serializers.ModelSerializer):
    body_html = serializers.SerializerMethodField()

    class Meta:
        model = Lesson
        fields = [
            "id", "module", "position", "title_en", "title_zh", "body_en", "body_zh",
            "body_html", "video_url", "is_required",
        ]  # fmt: skip
        read_only_fields = ["module"]

    def get_body_html(self, lesson: Lesson) -> str:
        return str(render_markdown(lesson.body))


class EnrollmentSerializer(serializers.ModelSerializer):
    course = serializers.SlugRelatedField(slug_field="code", read_only=True)
    cohort = serializers.StringRelatedField(allow_null=True)  # null: enrolled without a cohort
    required_lessons = serializers.IntegerField(read_only=True)
    completed_lessons = serializers.IntegerField(read_only=True)
    progress_percent = serializers.IntegerField(read_only=True)
    seconds_on_lessons = serializers.IntegerField(
        read_only=True, help_text="Time on the course's lessons, as the server measured it."
    )

    class Meta:
        model = Enrollment
        fields = [
            "id", "course", "cohort", "status", "enrolled_at", "completed_at",
            "required_lessons", "completed_lessons", "progress_percent", "seconds_on_lessons",
        ]  # fmt: skip


class RefusalSerializer(serializers.Serializer):
    """A request the rules refuse: why, and a code a client can act on."""

    detail = serializers.CharField()
    code = serializers.CharField(
        allow_null=True, required=False, help_text="Present when the course's rules refused."
    )
