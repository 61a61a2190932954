"""Write paths for exams, one module per topic; this package is what other apps call.

attempts (eligibility, start, answers, submit, results), marking (dual marking and
adjudication), questions (versions), regrades and regrading (key corrections), exams
(blueprints, publishing, accreditation in force) and standards (publishing, versions,
accrediting schools). Tasks call the module that does the work (regrading, attempts);
the modules that queue a task import it, never the other way round.
"""

from .attempts import (
    answer_file_save,
    answer_save,
    attempt_expire_if_overdue,
    attempt_start,
    attempt_submit,
    deadline_grace,
    eligibility_problems,
    expire_overdue_attempts,
    flag_set,
    part_points,
    unanswered_positions,
)
from .banks import bank_create, question_duplicate, questions_move, questions_set_active
from .errors import AttemptClosed, ExamError
from .exams import (
    attempt_accreditation,
    exam_accreditation,
    exam_publish_problems,
    exam_save,
    exam_set_published,
    school_may_assess,
)
from .marking import mark_record
from .media import MediaBatch, bank_media_files, media_add
from .questions import (
    idnumber_holder,
    question_create,
    question_filing_set,
    question_idnumber_set,
    question_tag_merge,
    question_tag_rename,
    question_tags_set,
    question_update,
    questions_tag,
)
from .regrades import question_correct_key
from .regrading import regrade_run
from .standards import (
    accreditation_grant,
    accreditation_set_status,
    accreditations_for_attempts,
    accreditations_grant,
    level_delete,
    level_save,
    standard_create,
    standard_new_version,
    standard_problems,
    standard_publish,
    standard_update,
)

__all__ = [
    "AttemptClosed",
    "ExamError",
    "MediaBatch",
    "accreditation_grant",
    "accreditation_set_status",
    "accreditations_for_attempts",
    "accreditations_grant",
    "answer_file_save",
    "answer_save",
    "bank_create",
    "attempt_accreditation",
    "attempt_expire_if_overdue",
    "attempt_start",
    "attempt_submit",
    "bank_media_files",
    "deadline_grace",
    "eligibility_problems",
    "exam_accreditation",
    "exam_publish_problems",
    "exam_save",
    "exam_set_published",
    "expire_overdue_attempts",
    "flag_set",
    "level_delete",
    "level_save",
    "mark_record",
    "media_add",
    "part_points",
    "question_correct_key",
    "question_create",
    "question_filing_set",
    "question_idnumber_set",
    "idnumber_holder",
    "question_tag_merge",
    "question_tag_rename",
    "question_tags_set",
    "questions_tag",
    "question_duplicate",
    "questions_move",
    "questions_set_active",
    "question_update",
    "regrade_run",
    "school_may_assess",
    "standard_create",
    "standard_new_version",
    "standard_problems",
    "standard_publish",
    "standard_update",
    "unanswered_positions",
]
