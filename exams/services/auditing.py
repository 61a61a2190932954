"""Where exams' privileged actions are filed in the audit trail (organizations.audit)."""

from organizations import audit

from ..models import Exam, SkillLevel


def exam_scope(exam: Exam) -> dict:
    """The organisations an exam's entries concern: the school that holds it and, for a
    skill-level exam, the government body that owns the standard (so its regulators see it)."""
    authority = None
    if exam.skill_level_id is not None:
        if "skill_level" in exam._state.fields_cache and "standard" in (
            exam.skill_level._state.fields_cache
        ):
            authority = exam.skill_level.standard.owner_id
        else:
            authority = (
                SkillLevel.objects.filter(pk=exam.skill_level_id)
                .values_list("standard__owner_id", flat=True)
                .first()
            )
    return {"organization": exam.organization_id, "authority": authority}


__all__ = ["audit", "exam_scope"]
