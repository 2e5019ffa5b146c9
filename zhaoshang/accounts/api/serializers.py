from rest_framework import serializers

from ..models import Membership, Team, User


class TeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "name_en",
            "kind",
            "adcode",
            "stationed_city",
            "stationed_city_en",
            "phone",
            "email",
            "active",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    team = TeamSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["team", "role"]


class MeSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "phone", "memberships"]
