import factory

from zhaoshang.accounts.choices import Role, TeamKind
from zhaoshang.accounts.models import Membership, Team, User

PASSWORD = "test-pass-2026"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"测试团队{n}")
    name_en = factory.Sequence(lambda n: f"Test team {n}")
    kind = TeamKind.OUTPOST
    stationed_city = factory.Maybe(factory.LazyAttribute(lambda t: t.kind == TeamKind.OUTPOST), "深圳", "")
    adcode = factory.Maybe(factory.LazyAttribute(lambda t: t.kind == TeamKind.DISTRICT), "440703", "")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.cn")
    password = factory.django.Password(PASSWORD)


def member(team: Team, role: str = Role.OFFICER, **user_fields) -> User:
    """A new user with one role in ``team``."""
    user = UserFactory(**user_fields)
    Membership.objects.create(user=user, team=team, role=role)
    return user
