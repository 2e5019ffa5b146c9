import random

import factory

from zhaoshang.industry.choices import SegmentPosition
from zhaoshang.industry.models import Chain, ChainNode, ChainSegment, Enterprise, IndustryCode
from zhaoshang.industry.validators import make_uscc

_rng = random.Random(4754)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试{n}号科技有限公司")
    uscc = factory.LazyFunction(lambda: make_uscc(_rng))
    industry = factory.LazyFunction(lambda: IndustryCode.objects.get(code="38"))

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class ChainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chain

    name = factory.Sequence(lambda n: f"测试产业链{n}")
    name_en = factory.Sequence(lambda n: f"Test chain {n}")


def credit_code(serial: str) -> str:
    """A valid unified social credit code (GB 32100-2015 check character) numbered by ``serial``."""
    from zhaoshang.industry.validators import uscc_check_character

    first = f"91440703MA{serial:0>7}"[:17]
    return first + uscc_check_character(first)


class ChainSegmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChainSegment

    chain = factory.SubFactory(ChainFactory)
    position = SegmentPosition.MIDSTREAM
    name = factory.Sequence(lambda n: f"测试环节{n}")
    name_en = factory.Sequence(lambda n: f"Test segment {n}")


class ChainNodeFactory(factory.django.DjangoModelFactory):
    """A node of a chain; ``codes=["38"]`` gives it industry codes."""

    class Meta:
        model = ChainNode
        skip_postgeneration_save = True

    segment = factory.SubFactory(ChainSegmentFactory)
    chain = factory.SelfAttribute("segment.chain")
    name = factory.Sequence(lambda n: f"测试节点{n}")
    name_en = factory.Sequence(lambda n: f"Test node {n}")

    @factory.post_generation
    def codes(self, create, extracted, **kwargs):
        if create and extracted:
            self.industry_codes.set(IndustryCode.objects.filter(code__in=extracted))
