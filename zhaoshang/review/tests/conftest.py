import pytest


@pytest.fixture
def own_standards(db):
    """Standard sets of the tests' own, in place of those the data migration seeds."""
    from zhaoshang.review.models import StandardSet

    StandardSet.objects.all().delete()
