"""Portal views: staff."""

urlpatterns: list = []
