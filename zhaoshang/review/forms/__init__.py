"""Forms of the review app, split by concern: standards and figures, reviews, allocation, per-mu evaluation."""
