from zhaoshang.industry.models import Enterprise
from zhaoshang.industry.tests.factories import EnterpriseFactory


def test_officer_cannot_see_other_outposts_enterprise(officer_a, officer_b, outpost_b, client_for):
    prospect = EnterpriseFactory(owner_team=outpost_b)
    assert not Enterprise.objects.restrict(officer_a).filter(pk=prospect.pk).exists()
    assert client_for(officer_a).get(prospect.get_absolute_url()).status_code == 404
    assert client_for(officer_b).get(prospect.get_absolute_url()).status_code == 200
