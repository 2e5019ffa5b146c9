"""Portal views: inquiries."""

urlpatterns: list = []
