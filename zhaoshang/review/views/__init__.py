"""Views of the review app, split by concern (standards, reviews, per-mu evaluation, land allocation)."""
