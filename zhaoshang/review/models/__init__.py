"""Models of the review app, split by concern: standards (versioned rules), cases (reviews and their workflow)."""

from .allocation import SavedAllocation
from .cases import Assignment, Commitment, Criterion, Review, ReviewEvent, Score, YearResult
from .permu import EnterpriseYear, EvaluationMethod, EvaluationResult, EvaluationRun, MethodIndicator
from .standards import CodeMapping, RejectionEntry, SourceDocument, StandardSet, Threshold, Zone

__all__ = [
    "Assignment",
    "CodeMapping",
    "Commitment",
    "Criterion",
    "EnterpriseYear",
    "EvaluationMethod",
    "EvaluationResult",
    "EvaluationRun",
    "MethodIndicator",
    "RejectionEntry",
    "Review",
    "SavedAllocation",
    "ReviewEvent",
    "Score",
    "SourceDocument",
    "StandardSet",
    "Threshold",
    "YearResult",
    "Zone",
]
