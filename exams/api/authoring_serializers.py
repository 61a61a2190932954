"""Serializers of the authoring API: banks, questions (with keys), imports and exams.

Only authors reach these (see exams.api.authoring); answer keys appear here and nowhere a
student can read.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from courses.models import Course
from organizations.models import Organization
from organizations.serializer_fields import CodeRelatedField

from .. import access, imports, services
from ..grading import KINDS
from ..interop import FORMATS
from ..models import (
    BlueprintRule,
    Exam,
    ExamSection,
    ImportJob,
    Question,
    QuestionBank,
    SkillLevel,
    SkillStandard,
)

NEUTRAL_FIELDS = (
    "kind", "title", "text", "points", "competency", "difficulty", "content", "key", "feedback",
)  # fmt: skip
RULE_KINDS = ("", BlueprintRule.OBJECTIVE, *KINDS)


# --- Banks ----------------------------------------------------------------------------------


class BankSerializer(serializers.ModelSerializer):
    organization = CodeRelatedField(slug_field="code", queryset=Organization.objects.all())
    standard = serializers.PrimaryKeyRelatedField(
        queryset=SkillStandard.objects.all(), required=False, allow_null=True
    )
    question_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = QuestionBank
        fields = ["id", "name", "organization", "standard", "question_count", "created_at"]


# --- Questions ------------------------------------------------------------------------------


class LocalizedTextField(serializers.DictField):
    """{"en": "...", "zh-hans": "..."}"""

    child = serializers.CharField(allow_blank=True)


class QuestionDataSerializer(serializers.Serializer):
    """The neutral question format (exams.grading). Documents the body; grading validates it."""

    kind = serializers.ChoiceField(choices=KINDS)
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)
    text = LocalizedTextField()
    points = serializers.DecimalField(max_digits=7, decimal_places=2)
    competency = serializers.CharField(required=False, allow_blank=True)
    difficulty = serializers.IntegerField(min_value=1, max_value=3)
    content = serializers.JSONField(help_text="Kind-specific content: options, items, limits…")
    key = serializers.JSONField(help_text="Kind-specific answer key (or rubric).")
    feedback = LocalizedTextField(required=False)
    idnumber = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text='Optional, unique within the bank, as Moodle\'s ("" takes it away). It '
        "files the question: changing it makes no new version.",
    )


class QuestionPatchSerializer(QuestionDataSerializer):
    """Any part of the neutral format; the rest is kept from the current version."""

    kind = serializers.CharField(required=False, help_text="Cannot change; omit it.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class QuestionSerializer(serializers.ModelSerializer):
    """A question with its current version's content and key (authors only)."""

    # Plain text here: the kinds are listed once, on QuestionDataRequest (one enum, one name).
    kind = serializers.CharField(read_only=True, help_text="One of the question kinds.")
    version = serializers.IntegerField(source="current_version.number", read_only=True)
    version_id = serializers.IntegerField(source="current_version_id", read_only=True)
    title = serializers.CharField(source="current_version.title", read_only=True)
    text = serializers.JSONField(source="current_version.text", read_only=True)
    points = serializers.DecimalField(
        source="current_version.points", max_digits=7, decimal_places=2, read_only=True
    )
    content = serializers.JSONField(source="current_version.content", read_only=True)
    key = serializers.JSONField(source="current_version.key", read_only=True)
    feedback = serializers.JSONField(source="current_version.feedback", read_only=True)

    class Meta:
        model = Question
        fields = [
            "id", "bank", "idnumber", "kind", "competency", "difficulty", "is_active", "version",
            "version_id", "title", "text", "points", "content", "key", "feedback", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class ProblemsSerializer(serializers.Serializer):
    """A refused write: one readable sentence plus every problem found."""

    detail = serializers.CharField()
    errors = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Absent when the body could not be read at all (then `detail` says why).",
    )


# --- Imports --------------------------------------------------------------------------------


class ImportUploadSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=[(name, str(f.label)) for name, f in FORMATS.items()])
    file = serializers.FileField()
    # Not a ChoiceField: a second "language" enum would collide with the courses API's in the
    # schema's enum names.
    language = serializers.RegexField(
        r"^(en|zh-hans)$",
        required=False,
        help_text="en or zh-hans: the language of text that does not say its own "
        "(default: the request's language).",
    )


class IssueSerializer(serializers.Serializer):
    location = serializers.CharField()
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    errors = IssueSerializer(many=True, default=list)
    warnings = IssueSerializer(many=True, default=list)


class ExportReportSerializer(serializers.Serializer):
    format = serializers.CharField()
    file_name = serializers.CharField()
    warnings = IssueSerializer(
        many=True, help_text="Each question skipped, and each part a question loses, with where."
    )


class ImportJobSerializer(serializers.ModelSerializer):
    done = serializers.SerializerMethodField()
    report = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    page_url = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id", "bank", "format", "language", "file_name", "status", "total", "done",
            "report", "created_at", "finished_at", "url", "page_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_done(self, job: ImportJob) -> int:
        return imports.import_progress(job)["done"]

    @extend_schema_field(ImportReportSerializer)
    def get_report(self, job: ImportJob) -> dict:
        return {"errors": job.errors, "warnings": job.warnings}

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, job: ImportJob) -> str:
        return self._absolute(reverse("exams_authoring_api:import-detail", args=[job.pk]))

    def get_page_url(self, job: ImportJob) -> str:
        return self._absolute(reverse("exams:import_job", args=[job.pk]))


# --- Exams ----------------------------------------------------------------------------------


class RuleSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(
        choices=RULE_KINDS,
        required=False,
        allow_blank=True,
        default="",
        help_text="Empty: any kind; 'objective': any automatically graded kind.",
    )

    class Meta:
        model = BlueprintRule
        fields = ["competency", "difficulty", "kind", "count"]


class SectionSerializer(serializers.ModelSerializer):
    rules = RuleSerializer(many=True)

    class Meta:
        model = ExamSection
        fields = ["part", "rules"]


class ExamSerializer(serializers.ModelSerializer):
    """An exam with its blueprint; `sections`, when sent, replaces the whole blueprint."""

    organization = CodeRelatedField(slug_field="code", queryset=Organization.objects.all())
    course = CodeRelatedField(
        slug_field="code", queryset=Course.objects.all(), required=False, allow_null=True
    )
    skill_level = serializers.PrimaryKeyRelatedField(
        queryset=SkillLevel.objects.all(), required=False, allow_null=True
    )
    banks = serializers.PrimaryKeyRelatedField(
        queryset=QuestionBank.objects.all(), many=True, required=False
    )
    sections = SectionSerializer(many=True, required=False)

    class Meta:
        model = Exam
        fields = [
            "id", "title_en", "title_zh", "instructions_en", "instructions_zh", "organization",
            "skill_level", "course", "banks", "time_limit_minutes", "opens_at", "closes_at",
            "attempts_allowed", "attempt_delay_minutes", "shuffle_questions", "shuffle_options",
            "review", "release_results", "is_published", "sections", "created_at",
        ]  # fmt: skip
        read_only_fields = ["created_at"]

    @property
    def _user(self):
        return self.context["request"].user

    def validate_organization(self, organization: Organization) -> Organization:
        if not access.can_author_exam(self._user, Exam(organization=organization)):
            raise serializers.ValidationError(_("You do not author exams for this organisation."))
        return organization

    def validate_banks(self, banks: list[QuestionBank]) -> list[QuestionBank]:
        for bank in banks:
            if not access.can_author_bank(self._user, bank):
                raise serializers.ValidationError(
                    _("You cannot use question bank %(id)s.") % {"id": bank.pk}
                )
        return banks

    def validate_sections(self, sections: list[dict]) -> list[dict]:
        # A PATCH makes nested fields optional, but a section means nothing without them.
        for section in sections:
            if "part" not in section or "rules" not in section:
                raise serializers.ValidationError(_("Each section needs its part and its rules."))
        parts = [section["part"] for section in sections]
        if len(set(parts)) != len(parts):
            raise serializers.ValidationError(_("Each part may appear once."))
        return sections

    def validate(self, attrs: dict) -> dict:
        instance = self.instance or Exam()
        organization = attrs.get("organization", getattr(instance, "organization", None))
        course = attrs.get("course", instance.course if instance.course_id else None)
        if course is not None and organization is not None and course.school_id != organization.pk:
            raise serializers.ValidationError(
                {"course": _("The course must belong to the organising school.")}
            )
        opens = attrs.get("opens_at", instance.opens_at)
        closes = attrs.get("closes_at", instance.closes_at)
        if opens and closes and closes <= opens:
            raise serializers.ValidationError(
                {"closes_at": _("The exam must close after it opens.")}
            )
        return attrs

    def create(self, validated_data: dict) -> Exam:
        banks = validated_data.pop("banks", [])
        sections = validated_data.pop("sections", None)
        return self._save(None, validated_data, banks, sections)

    def update(self, exam: Exam, validated_data: dict) -> Exam:
        banks = validated_data.pop("banks", None)
        sections = validated_data.pop("sections", None)
        return self._save(exam, validated_data, banks, sections)

    def _save(self, exam, fields, banks, sections) -> Exam:
        try:
            return services.exam_save(
                exam=exam, fields=fields, banks=banks, sections=sections, by=self._user
            )
        except services.ExamError as exc:
            # exam_save is atomic: nothing was written. Say why it cannot be published.
            raise serializers.ValidationError({"is_published": exc.messages}) from exc


class RuleDepthSerializer(serializers.Serializer):
    part = serializers.CharField()
    competency = serializers.CharField()
    difficulty = serializers.IntegerField()
    wanted = serializers.IntegerField()
    available = serializers.IntegerField()
    enough = serializers.BooleanField()
    spare = serializers.IntegerField()
