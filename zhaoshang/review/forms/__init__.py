"""Forms of the review app, split by concern like its models, views and services."""
