"""Portal API: inquiries."""

urlpatterns: list = []
