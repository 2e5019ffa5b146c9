"""Demo teams and logins of Jiangmen (demo data, not code: the city is data everywhere else)."""

from zhaoshang.core.demo import DEMO_PASSWORD

from .choices import Role, TeamKind
from .models import Membership, Team, User

CENTRE = ("江门市投资促进中心", "Jiangmen Investment Promotion Centre")
DISTRICT_BUREAUS = [
    ("440703", "蓬江区投资促进局", "Pengjiang District Investment Promotion Bureau"),
    ("440704", "江海区投资促进局", "Jianghai District Investment Promotion Bureau"),
    ("440705", "新会区投资促进局", "Xinhui District Investment Promotion Bureau"),
    ("440781", "台山市投资促进局", "Taishan Investment Promotion Bureau"),
    ("440783", "开平市投资促进局", "Kaiping Investment Promotion Bureau"),
    ("440784", "鹤山市投资促进局", "Heshan Investment Promotion Bureau"),
    ("440785", "恩平市投资促进局", "Enping Investment Promotion Bureau"),
]
# 15 outposts (驻点) in other cities.
OUTPOSTS = [
    ("北京", "Beijing"),
    ("上海", "Shanghai"),
    ("深圳", "Shenzhen"),
    ("广州", "Guangzhou"),
    ("香港", "Hong Kong"),
    ("澳门", "Macao"),
    ("杭州", "Hangzhou"),
    ("苏州", "Suzhou"),
    ("南京", "Nanjing"),
    ("成都", "Chengdu"),
    ("武汉", "Wuhan"),
    ("西安", "Xi'an"),
    ("天津", "Tianjin"),
    ("厦门", "Xiamen"),
    ("长沙", "Changsha"),
]
# 10 joint task forces serving the 15 key chains (the chains name their task force in industry/demo.py).
TASK_FORCES = [
    ("silicon", "硅能源产业链专班", "Silicon energy chain task force"),
    ("battery", "新能源电池产业链专班", "New-energy battery chain task force"),
    ("ict", "新一代信息技术产业链专班", "Next-generation IT chain task force"),
    ("equipment", "智能装备与机床产业链专班", "Intelligent equipment and machine tools task force"),
    ("hardware", "五金卫浴产业链专班", "Hardware and sanitary ware task force"),
    ("appliance", "智能家电产业链专班", "Smart home appliances task force"),
    ("food", "食品与生物医药产业链专班", "Food and biomedicine task force"),
    ("auto", "汽车零部件产业链专班", "Auto parts task force"),
    ("materials", "新材料产业链专班", "New materials task force"),
    ("emergency", "安全应急与轻工产业链专班", "Safety, emergency and light industry task force"),
]
PARTNERS = [
    ("江门市产业发展研究院（示例）", "Jiangmen Industrial Development Institute (demo)"),
    ("粤港澳大湾区招商服务机构（示例）", "Greater Bay Area Investment Services Agency (demo)"),
]

# (user name, full name, team key, role, who they are)
LOGINS = [
    ("admin", "系统管理员", "centre", Role.ADMIN, "administrator"),
    ("leader", "王市长（示例）", "centre", Role.LEADER, "city leader, reads everything"),
    ("centre", "陈招商", "centre", Role.OFFICER, "officer of the centre"),
    ("centre_lead", "李科长", "centre", Role.TEAM_LEAD, "team lead of the centre"),
    ("reviewer", "周评审", "centre", Role.REVIEWER, "admission reviewer"),
    ("pengjiang", "黄蓬江", "district:440703", Role.OFFICER, "officer of the Pengjiang district bureau"),
    ("xinhui", "梁新会", "district:440705", Role.OFFICER, "officer of the Xinhui district bureau"),
    ("beijing", "赵北京", "outpost:北京", Role.OFFICER, "officer of the Beijing outpost"),
    ("shanghai", "钱上海", "outpost:上海", Role.OFFICER, "officer of the Shanghai outpost"),
    ("shenzhen", "孙深圳", "outpost:深圳", Role.OFFICER, "officer of the Shenzhen outpost"),
    ("silicon", "吴硅能", "task_force:silicon", Role.OFFICER, "officer of the silicon-energy task force"),
    ("partner", "郑智库", "partner:0", Role.OFFICER, "partner agency"),
]


def load(ctx):
    teams = {}
    teams["centre"] = Team.objects.create(
        name=CENTRE[0], name_en=CENTRE[1], kind=TeamKind.CENTRE, phone="0750-3500000", email="invest@example.cn"
    )
    for adcode, name, name_en in DISTRICT_BUREAUS:
        teams[f"district:{adcode}"] = Team.objects.create(
            name=name, name_en=name_en, kind=TeamKind.DISTRICT, adcode=adcode
        )
    for city, city_en in OUTPOSTS:
        teams[f"outpost:{city}"] = Team.objects.create(
            name=f"江门驻{city}招商联络处",
            name_en=f"Jiangmen investment outpost in {city_en}",
            kind=TeamKind.OUTPOST,
            stationed_city=city,
            stationed_city_en=city_en,
        )
    for key, name, name_en in TASK_FORCES:
        teams[f"task_force:{key}"] = Team.objects.create(name=name, name_en=name_en, kind=TeamKind.TASK_FORCE)
    for index, (name, name_en) in enumerate(PARTNERS):
        teams[f"partner:{index}"] = Team.objects.create(name=name, name_en=name_en, kind=TeamKind.PARTNER)

    users = {}
    for username, full_name, team_key, role, _who in LOGINS:
        user = User(username=username, full_name=full_name, email=f"{username}@example.cn")
        user.is_staff = role == Role.ADMIN
        user.is_superuser = role == Role.ADMIN
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.create(user=user, team=teams[team_key], role=role)
        users[username] = user
    ctx.data["teams"] = teams
    ctx.data["users"] = users


def logins():
    return [(username, DEMO_PASSWORD, who) for username, _name, _team, _role, who in LOGINS]
