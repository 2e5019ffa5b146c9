"""Portal API: matching."""

urlpatterns: list = []
