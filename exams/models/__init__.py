from .accreditation import Accreditation
from .attempts import Attempt, AttemptQuestion
from .bank import Question, QuestionBank, QuestionTag, QuestionVersion
from .exams import BlueprintRule, Exam, ExamSection
from .marketplaces import MarketplaceRules
from .marking import Mark, RegradeJob, RegradeRecord
from .media import QuestionMedia
from .standards import Competency, SkillLevel, SkillStandard

__all__ = [
    "Accreditation",
    "Attempt",
    "AttemptQuestion",
    "BlueprintRule",
    "Competency",
    "Exam",
    "ExamSection",
    "Mark",
    "MarketplaceRules",
    "Question",
    "QuestionBank",
    "QuestionTag",
    "QuestionMedia",
    "QuestionVersion",
    "RegradeJob",
    "RegradeRecord",
    "SkillLevel",
    "SkillStandard",
]
from .imports import ImportJob  # noqa: E402, F401
from .overrides import ExamOverride  # noqa: E402, F401
from .sittings import Accommodation, Sitting, SittingPaper  # noqa: E402, F401
