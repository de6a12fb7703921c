"""The people of the synthetic cases (never real ones: names from Faker's zh_CN provider,
ID numbers in province 98, which does not exist) and their identity fields encrypted.

Encryption is the expensive part of generating a million cases: the vault wraps a fresh
data key with the master key for every value. ``Sealer`` makes tokens in the vault's own
format (core.vault.crypto: ``e1.<key id>.<wrapped data key>.<nonce + ciphertext>``,
bound to the column) under one data key per batch of cases, each value with its own
nonce, so the provider wraps once per batch. ``crypto.decrypt`` reads them like any
other. Free text that identifies nobody (notes, reasons, narratives from templates) is
encrypted once per distinct text and the token reused."""

from __future__ import annotations

import base64
import datetime as dt
import os
import random
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from faker import Faker

from lantern.core.vault import crypto
from lantern.core.vault.keys import NONCE, provider

POOL = 4000  # distinct names of each kind; Faker takes ~80 µs a name
PLATFORMS = ("微信", "QQ", "抖音", "快手", "陌陌", "探探", "Soul")
MOBILE_PREFIXES = ("138", "139", "150", "151", "152", "158", "159", "186", "187", "188", "135", "136", "137", "182",
                   "183", "199", "177", "176")
RELATIONS = ("母亲", "父亲", "本人", "班主任", "姑姑", "舅舅", "奶奶", "姐姐")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
PLACES = ("网吧", "宾馆房间", "出租屋", "学校附近的小路", "公园", "KTV包间", "被害人家中", "嫌疑人车内", "村口废弃房屋")
MEETINGS = ("通过交友软件认识", "在网络游戏中认识", "系邻居", "系被害人的老师", "系亲属", "系同学的哥哥", "素不相识")
NOTES = ("已完成，见卷宗。", "已按要求办理，材料已附卷。", "已询问并制作笔录。", "已调取并封存。", "已送检，结果附卷。",
         "已核实，情况属实。")


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@cache
def context(model: type, field: str) -> str:
    """The associated data an encrypted column binds its values to (fields._Encrypted)."""
    return model._meta.get_field(field).context()  # type: ignore[attr-defined]


class Sealer:
    """Tokens for one batch, under one data key wrapped once. Synthetic data only: the
    application encrypts every value under a data key of its own (crypto.encrypt)."""

    def __init__(self) -> None:
        data_key = os.urandom(32)
        key_id, wrapped = provider().wrap(data_key)
        self._aes = AESGCM(data_key)
        self._head = f"{crypto.PREFIX}.{key_id}.{_b64(wrapped)}."
        self._shared: dict[tuple[str, str], str] = {}

    def seal(self, text: str, ctx: str) -> str:
        if not text:
            return text  # emptiness is not secret (fields._Encrypted)
        nonce = os.urandom(NONCE)
        return self._head + _b64(nonce + self._aes.encrypt(nonce, text.encode(), ctx.encode()))

    def shared(self, text: str, ctx: str) -> str:
        """The same token for the same text: for text that identifies nobody."""
        key = (text, ctx)
        if key not in self._shared:
            self._shared[key] = self.seal(text, ctx)
        return self._shared[key]


def id_number(region: str, born: dt.date, serial: int) -> str:
    """A resident ID number (GB 11643) with a valid check digit."""
    body = f"{region}{born:%Y%m%d}{serial % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, ID_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


class People:
    """Pools of made-up names and the unique identifiers of person number ``n``."""

    def __init__(self, seed: int) -> None:
        fake = Faker("zh_CN")
        fake.seed_instance(seed)
        self.female = [fake.name_female() for _ in range(POOL)]
        self.male = [fake.name_male() for _ in range(POOL)]
        self.handles = [fake.user_name() for _ in range(POOL // 4)]
        self.seed = seed

    def phone(self, n: int) -> str:
        """Distinct for every ``n`` below 10^8 (7919 is prime to 10^8)."""
        body = (n * 7919 + self.seed * 104729) % 10**8
        return f"{MOBILE_PREFIXES[n % len(MOBILE_PREFIXES)]}{body:08d}"

    def account(self, n: int) -> dict[str, str]:
        return {"platform": PLATFORMS[n % len(PLATFORMS)], "handle": f"{self.handles[n % len(self.handles)]}{n}"}


def narrative(rng: random.Random, pseudonym: str, offence: dt.date) -> str:
    """A short account from templates; the people in it by pseudonym and role only."""
    return (f"（合成数据）{offence:%Y年%m月%d日}，被害人{pseudonym}在{rng.choice(PLACES)}遭受性侵害。"
            f"嫌疑人{rng.choice(MEETINGS)}。报案人陈述了事发经过，现场及相关证据有待调取。")


def note(rng: random.Random) -> str:
    return rng.choice(NOTES)
