"""Factories of projects and their records. Stage dates are set through the services in tests that test them;
``ProjectFactory`` makes a project at the lead stage with its opening history row, like ``create_project``."""

from datetime import timedelta

import factory
from django.utils import timezone

from zhaoshang.accounts.tests.factories import TeamFactory
from zhaoshang.industry.tests.factories import EnterpriseFactory
from zhaoshang.projects.choices import ActivityKind, LeadSource, Stage, TransitionKind
from zhaoshang.projects.models import Activity, Contact, Milestone, Project, StageTransition


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试项目{n}")
    enterprise = factory.SubFactory(EnterpriseFactory)
    owner_team = factory.SubFactory(TeamFactory)
    source = LeadSource.OUTPOST
    stage = Stage.LEAD
    lead_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=400))

    @factory.post_generation
    def opened(self, create, extracted, **kwargs):
        """The opening row of the stage history, as create_project writes it."""
        if create:
            StageTransition.objects.create(
                project=self, kind=TransitionKind.OPEN, from_stage="", to_stage=Stage.LEAD, happened_on=self.lead_on
            )

    @factory.post_generation
    def supporting_teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.supporting_teams.set(extracted)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    project = factory.SubFactory(ProjectFactory)
    kind = ActivityKind.VISIT
    happened_on = factory.LazyFunction(timezone.localdate)
    summary = "拜访企业总部，介绍园区政策"


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    name = "土地挂牌"
    planned_on = factory.LazyFunction(timezone.localdate)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    project = factory.SubFactory(ProjectFactory)
    name = "张经理"
    position = "投资总监"
