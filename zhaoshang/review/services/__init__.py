"""Domain logic of the review app, split by concern (indicators, workflow, per-mu evaluation, allocation)."""
