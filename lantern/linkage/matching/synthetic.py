"""Synthetic persons for tests and the benchmark, with the truth (a cluster id per record).

Names are drawn, never taken from people: a surname by Faker zh_CN's frequency table and a
given name of one or two characters from common name characters. A duplicate record of a
person carries the errors seen in case files: a homophone character in the given name (the
homophone table is built with pypinyin over the same characters), a mistyped character, a
date of birth with day and month transposed or two adjacent digits swapped or one digit
wrong, an old phone number, a field missing; more rarely a homophone surname, a moved
place, the wrong sex or a mistyped ID number."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache

from faker import Faker
from faker.providers.person.zh_CN import Provider as ChinesePersons

from lantern.linkage.matching.names import COMPOUND_SURNAMES, pinyin
from lantern.linkage.matching.records import PersonRecord

# Characters common in given names (a few hundred, so that drawn names collide about as
# often as real ones do without being anyone's in particular).
NAME_CHARACTERS = (
    "伟强磊洋勇军杰涛超明刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢佳阳建亮成峰国晨瑞志兵雷东博彬坤岩"
    "文利楠红霞芳娜敏静秀英丽艳娟兰燕玲桂丹萍玉梅莉珍婷凤晶颖雪慧倩琴畅云洁柳淑春海冬荣莹琳欣香芝金"
    "瑜璐薇维玮炜蔚韦卫巍威微为唯惟伟嘉家佳加珈迦嘉怡宜仪毅艺益逸翼义奕依一亦易忆"
    "思斯丝诗世士仕师时石实诗子梓紫自孜资姿浩昊皓豪好涵晗寒韩翰瀚函含悦月越跃岳乐玥钰雨语宇羽禹"
    "晓小筱潇萧啸笑孝若瑞睿蕊锐芮欣馨新心鑫昕辛信星兴杏幸婧静晶菁京靖敬景竞俊军君钧峻骏隽"
    "晨辰臣琛宸尘澄成诚承程丞泽则择哲喆浙振真祯臻震正政铮峥争雅亚娅芽涯永勇咏泳涌俊博波柏伯泊"
    "欢环焕桓凡帆璠繁梵宁凝柠茜倩芊谦骞乾婉宛琬菀畹万蔓曼嫚漫满慧惠蕙晖辉卉徽荟"
)


@dataclass(frozen=True)
class Truth:
    record: PersonRecord
    cluster: str


@cache
def name_characters() -> tuple[str, ...]:
    return tuple(dict.fromkeys(NAME_CHARACTERS))


@cache
def homophones() -> dict[str, tuple[str, ...]]:
    """Each name character's homophones among the others (same pinyin without tones)."""
    by_sound: dict[str, list[str]] = defaultdict(list)
    for ch in name_characters():
        by_sound[pinyin(ch)].append(ch)
    return {ch: tuple(o for o in by_sound[pinyin(ch)] if o != ch) for ch in name_characters()}


@cache
def _places() -> tuple[tuple[str, ...], tuple[str, ...]]:
    fake = Faker("zh_CN")
    fake.seed_instance(14)
    places = tuple(dict.fromkeys(f"{fake.province()}{fake.city_name()}市" for _ in range(600)))
    addresses = tuple(fake.street_address() for _ in range(20000))
    return places, addresses


def _surnames() -> tuple[list[str], list[float]]:
    table = ChinesePersons.last_names
    names = list(table) + sorted(COMPOUND_SURNAMES - set(table))
    weights = [float(table.get(n, 0.01)) for n in names]
    return names, weights


def _id_number(rng: random.Random, born: dt.date, sex: str) -> str:
    """A resident ID of the right form (GB 11643-1999 check digit) with a made-up area code."""
    sequence = rng.randrange(0, 500) * 2 + (1 if sex == "male" else 0)
    body = f"{rng.randrange(110000, 660000):06d}{born:%Y%m%d}{sequence:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]
    return body + check


def _phone(rng: random.Random) -> str:
    return rng.choice(("13", "15", "17", "18", "19")) + f"{rng.randrange(10**9):09d}"


class Generator:
    """Persons and their duplicates, reproducible from a seed."""

    def __init__(self, seed: int = 14) -> None:
        self.rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)
        self.surnames, self.surname_weights = _surnames()
        self.places, self.addresses = _places()
        self.characters = name_characters()
        self.character_weights = [1 / (rank + 10) for rank in range(len(self.characters))]
        self.place_weights = [1 / (rank + 5) for rank in range(len(self.places))]
        sounds: dict[str, list[str]] = defaultdict(list)
        for surname in self.surnames:
            sounds[pinyin(surname)].append(surname)
        self.surname_sounds = {n: [o for o in sounds[pinyin(n)] if o != n] for n in self.surnames}

    def given_name(self) -> str:
        """A popular given name (Faker's list) for a third of persons, else characters drawn
        by a Zipf-like frequency: names collide as unevenly as real ones (many 伟, few 骞)."""
        if self.rng.random() < 0.3:
            return self.rng.choice(ChinesePersons.first_names)
        k = 1 if self.rng.random() < 0.25 else 2
        return "".join(self.rng.choices(self.characters, self.character_weights, k=k))

    def person(self, pid: str) -> PersonRecord:
        rng = self.rng
        sex = rng.choice(("male", "female"))
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(365 * 58))
        surname = rng.choices(self.surnames, self.surname_weights)[0]
        return PersonRecord(
            id=pid, name=surname + self.given_name(), date_of_birth=born if rng.random() < 0.9 else None,
            sex=sex if rng.random() < 0.95 else "",
            place=rng.choices(self.places, self.place_weights)[0] if rng.random() < 0.85 else "",
            address=rng.choice(self.addresses) if rng.random() < 0.5 else "",
            phone=_phone(rng) if rng.random() < 0.8 else "",
            id_number=_id_number(rng, born, sex) if rng.random() < 0.35 else "")

    # -- errors of a duplicate record ------------------------------------------------------
    def _homophone(self, name: str) -> str:
        spots = [i for i, ch in enumerate(name) if i > 0 and homophones().get(ch)]
        if not spots:
            return name
        i = self.rng.choice(spots)
        return name[:i] + self.rng.choice(homophones()[name[i]]) + name[i + 1:]

    def _surname_homophone(self, name: str) -> str:
        for cut in (2, 1):
            others = self.surname_sounds.get(name[:cut])
            if others and (cut == 1 or name[:2] in COMPOUND_SURNAMES):
                return self.rng.choice(others) + name[cut:]
        return name

    def _typo(self, name: str) -> str:
        i = self.rng.randrange(1, len(name)) if len(name) > 1 else 0
        return name[:i] + self.rng.choice(self.characters) + name[i + 1:]

    def _date(self, born: dt.date) -> dt.date:
        rng, text = self.rng, born.strftime("%Y%m%d")
        if born.day <= 12 and born.day != born.month and rng.random() < 0.5:
            return born.replace(month=born.day, day=born.month)
        for _ in range(10):
            i = rng.randrange(2, 7)
            if rng.random() < 0.5:
                text2 = text[:i] + text[i + 1] + text[i] + text[i + 2:]
            else:
                text2 = text[:i] + str(rng.randrange(10)) + text[i + 1:]
            try:
                wrong = dt.datetime.strptime(text2, "%Y%m%d").date()
            except ValueError:
                continue
            if wrong != born:
                return wrong
        return born

    def duplicate(self, person: PersonRecord, rid: str) -> PersonRecord:
        rng, dup = self.rng, replace(person, id=rid)
        if rng.random() < 0.3:
            dup = replace(dup, name=self._homophone(dup.name))
        elif rng.random() < 0.05:
            dup = replace(dup, name=self._typo(dup.name))
        if rng.random() < 0.03:  # 章 for 张, 汪 for 王
            dup = replace(dup, name=self._surname_homophone(dup.name))
        if dup.sex and rng.random() < 0.01:
            dup = replace(dup, sex="female" if dup.sex == "male" else "male")
        if dup.place and rng.random() < 0.1:
            dup = replace(dup, place=rng.choice(self.places))  # moved, or the place of another record
        if dup.id_number and rng.random() < 0.03:
            i = rng.randrange(14, 17)
            dup = replace(dup, id_number=dup.id_number[:i] + str(rng.randrange(10)) + dup.id_number[i + 1:])
        if dup.date_of_birth and rng.random() < 0.2:
            dup = replace(dup, date_of_birth=self._date(dup.date_of_birth))
        if dup.phone and rng.random() < 0.3:
            dup = replace(dup, phone=_phone(rng))  # an old (or newer) number
        if rng.random() < 0.3:
            dup = replace(dup, address=rng.choice(self.addresses) if rng.random() < 0.5 else "")
        missing = rng.choice(("date_of_birth", "sex", "place", "phone", "id_number", None, None, None))
        if missing:
            dup = replace(dup, **{missing: None if missing == "date_of_birth" else ""})
        return dup


def persons(n: int, *, duplicate_share: float = 0.3, seed: int = 14) -> Iterator[Truth]:
    """About ``n`` records: persons, of whom ``duplicate_share`` have one to three more
    records with errors. Record ids are "r<number>", cluster ids "p<number>"."""
    gen = Generator(seed)
    made = person_no = 0
    while made < n:
        person_no += 1
        cluster = f"p{person_no}"
        first = gen.person(f"r{made}")
        yield Truth(first, cluster)
        made += 1
        if gen.rng.random() < duplicate_share:
            for _ in range(min(gen.rng.choice((1, 1, 1, 2, 3)), n - made)):
                yield Truth(gen.duplicate(first, f"r{made}"), cluster)
                made += 1


def true_pairs(truths: list[Truth]) -> set[tuple[str, str]]:
    """Every pair of records of one person, (smaller id, larger id)."""
    by_cluster: dict[str, list[str]] = defaultdict(list)
    for t in truths:
        by_cluster[t.cluster].append(t.record.id)
    pairs = set()
    for ids in by_cluster.values():
        pairs |= {(a, b) if a < b else (b, a) for i, a in enumerate(ids) for b in ids[i + 1:]}
    return pairs
