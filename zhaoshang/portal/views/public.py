"""Portal views: public."""

urlpatterns: list = []
