"""Portal views: matching."""

urlpatterns: list = []
