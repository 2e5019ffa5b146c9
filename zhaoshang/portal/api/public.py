"""Portal API: public."""

urlpatterns: list = []
