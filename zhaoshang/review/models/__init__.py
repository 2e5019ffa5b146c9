"""Models of the review app, split by concern: standards (versioned rules), cases (reviews and their workflow)."""

from .cases import Assignment, Commitment, Criterion, Review, ReviewEvent, Score, YearResult
from .standards import CodeMapping, RejectionEntry, SourceDocument, StandardSet, Threshold, Zone

__all__ = [
    "Assignment",
    "CodeMapping",
    "Commitment",
    "Criterion",
    "RejectionEntry",
    "Review",
    "ReviewEvent",
    "Score",
    "SourceDocument",
    "StandardSet",
    "Threshold",
    "YearResult",
    "Zone",
]
