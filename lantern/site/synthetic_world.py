"""The synthetic province the generated cases happen in: prefectures with their counties
and police stations, the procuratorates that mirror them, a discipline commission per
prefecture, and the people who work there. Place names are made up and division codes
start with 98, which no province has (GB/T 2260), so nothing points at a real place.

Units are created through accounts.actions.create_unit (audited like any other); the
staff in bulk, all with the demo password and the demo second factor, so that a person
trying the generated database can sign in as any of them (README, "Demo accounts")."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker

from lantern.access.roles import Role
from lantern.accounts import actions
from lantern.accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from lantern.accounts.models import Unit, User, UserRole
from lantern.accounts.models.units import Branch, Level
from lantern.audit.events import Event
from lantern.audit.services import record

PROVINCE = "98"
COUNTIES_PER_PREFECTURE = 5
STATIONS_PER_COUNTY = 3
INVESTIGATORS_PER_COUNTY = 8
SHORT = {Role.INTAKE_OFFICER: "intake", Role.INVESTIGATOR: "inv", Role.SUPERVISOR: "sup", Role.UNIT_HEAD: "head",
         Role.PROSECUTOR: "pros", Role.DISCIPLINE_INSPECTOR: "insp", Role.CAMPAIGN_ANALYST: "analyst"}
# Made-up syllables for place names (州 prefectures, 县 counties).
SYLLABLES = "云石临青白东南北长永兴安宁平清河山林泉溪桥湖岭川阳峰"


@dataclass
class County:
    bureau: Unit
    brigade: Unit
    stations: list[Unit]
    procuratorate: Unit
    minors_office: Unit
    staff: dict[str, list[User]] = field(default_factory=dict)  # role key -> people

    def people(self, key: str) -> list[User]:
        return self.staff.get(key, [])


@dataclass
class Prefecture:
    bureau: Unit
    procuratorate: Unit
    commission: Unit
    counties: list[County]
    staff: dict[str, list[User]] = field(default_factory=dict)


@dataclass
class World:
    prefectures: list[Prefecture]

    @property
    def counties(self) -> list[County]:
        return [c for p in self.prefectures for c in p.counties]


def _place(n: int, suffix: str) -> str:
    k = len(SYLLABLES)
    return SYLLABLES[n % k] + SYLLABLES[(n * 7 + 3) % k] + suffix


class Builder:
    """Creates what is missing (units by code, staff by username) and finds the rest, so
    generating again on the same database reuses the province."""

    def __init__(self, seed: int) -> None:
        self.units = {u.code: u for u in Unit.objects.filter(code__startswith="SY")}
        self.users = {u.username: u for u in User.objects.filter(username__startswith="sy")}
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.new_users: list[tuple[User, Role]] = []
        self.password = make_password(DEMO_PASSWORD)

    def unit(self, code: str, name: str, branch: str, level: str, division: str, parent: Unit | None,
             minors: bool = False) -> Unit:
        if code not in self.units:
            self.units[code] = actions.create_unit(
                actor=None, code=code, name=name, branch=branch, level=level, division_code=division,
                parent=parent, handles_minors=minors, name_en=f"Synthetic {code}")
        return self.units[code]

    def people(self, prefix: str, role: Role, unit: Unit, n: int) -> list[User]:
        found = []
        for i in range(1, n + 1):
            username = f"{prefix}-{SHORT[role]}{i}"
            if username not in self.users:
                user = User(username=username, unit=unit, first_name=self.fake.name(), password=self.password,
                            totp_secret=DEMO_TOTP_SECRET, totp_confirmed_at=timezone.now(),
                            email=f"{username}@synthetic.lantern.invalid")
                self.users[username] = user
                self.new_users.append((user, role))
            found.append(self.users[username])
        return found

    def save_people(self) -> None:
        users = [u for u, _role in self.new_users]
        User.objects.bulk_create(users)
        UserRole.objects.bulk_create([UserRole(user=u, role=role) for u, role in self.new_users])
        for user, role in self.new_users:
            record(actor=None, action=Event.USER_CREATED, obj=user, details={"roles": [role.value]})
        self.new_users.clear()


def _county(b: Builder, p: int, c: int, prefecture: Unit, procuratorate: Unit) -> County:
    code, division, name = f"SY{p:02d}{c:02d}", f"{PROVINCE}{p:02d}{c:02d}", _place(p * 10 + c, "县")
    bureau = b.unit(f"{code}-GAJ", f"{name}公安局", Branch.POLICE, Level.COUNTY, division, prefecture)
    jcy = b.unit(f"{code}-JCY", f"{name}人民检察院", Branch.PROCURATORATE, Level.COUNTY, division, procuratorate)
    county = County(
        bureau=bureau,
        brigade=b.unit(f"{code}-XZDD", f"{name}公安局刑事侦查大队", Branch.POLICE, Level.DEPARTMENT, division, bureau),
        stations=[b.unit(f"{code}-PCS{s}", f"{name}公安局第{s}派出所", Branch.POLICE, Level.STATION, division, bureau)
                  for s in range(1, STATIONS_PER_COUNTY + 1)],
        procuratorate=jcy,
        minors_office=b.unit(f"{code}-JCY-WJ", f"{name}人民检察院未成年人检察办公室", Branch.PROCURATORATE,
                             Level.DEPARTMENT, division, jcy, minors=True))
    prefix = f"sy{p:02d}{c:02d}"
    county.staff = {
        "intake": [u for i, s in enumerate(county.stations)
                   for u in b.people(f"{prefix}s{i + 1}", Role.INTAKE_OFFICER, s, 2)],
        "investigator": b.people(prefix, Role.INVESTIGATOR, county.brigade, INVESTIGATORS_PER_COUNTY),
        "supervisor": b.people(prefix, Role.SUPERVISOR, county.brigade, 2),
        "head": b.people(prefix, Role.UNIT_HEAD, bureau, 1),
        "prosecutor": b.people(prefix, Role.PROSECUTOR, county.procuratorate, 2),
        "minors_prosecutor": b.people(f"{prefix}wj", Role.PROSECUTOR, county.minors_office, 1),
    }
    return county


def _prefecture(b: Builder, p: int, province: Unit, procuratorate: Unit) -> Prefecture:
    code, division, name = f"SY{p:02d}", f"{PROVINCE}{p:02d}00", _place(p, "州")
    bureau = b.unit(f"{code}-GAJ", f"{name}公安局", Branch.POLICE, Level.PREFECTURE, division, province)
    jcy = b.unit(f"{code}-JCY", f"{name}人民检察院", Branch.PROCURATORATE, Level.PREFECTURE, division, procuratorate)
    commission = b.unit(f"{code}-JW", f"{name}纪委监委", Branch.DISCIPLINE, Level.PREFECTURE, division, None)
    counties = [_county(b, p, c, bureau, jcy) for c in range(1, COUNTIES_PER_PREFECTURE + 1)]
    prefix = f"sy{p:02d}"
    staff = {"head": b.people(prefix, Role.UNIT_HEAD, bureau, 1),
             "prosecutor": b.people(prefix, Role.PROSECUTOR, jcy, 1),
             "inspector": b.people(prefix, Role.DISCIPLINE_INSPECTOR, commission, 1),
             "analyst": b.people(prefix, Role.CAMPAIGN_ANALYST, bureau, 1)}
    return Prefecture(bureau, jcy, commission, counties, staff)


def ensure(*, prefectures: int, seed: int = 1) -> World:
    """The province with ``prefectures`` prefectures (created where missing)."""
    b = Builder(seed)
    with transaction.atomic():
        province = b.unit("SY-GAT", "云石省公安厅", Branch.POLICE, Level.PROVINCE, f"{PROVINCE}0000", None)
        procuratorate = b.unit("SY-JCY", "云石省人民检察院", Branch.PROCURATORATE, Level.PROVINCE,
                               f"{PROVINCE}0000", None)
        world = World([_prefecture(b, p, province, procuratorate) for p in range(1, prefectures + 1)])
        b.save_people()
    return world
