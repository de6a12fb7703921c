"""Pseudonyms: how a victim is named on every page and in every document that leaves
the police. Chinese judgments write "surname + 某" (张某); where the surname itself would
point to the family (a rare or compound surname, in a county where few carry it), a
generated alias stands instead, marked as one (小禾（化名）)."""

from __future__ import annotations

import secrets

# The hundred most common surnames of the mainland (household-register statistics): a
# surname among them identifies no one on its own.
COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
ALIAS_CHARACTERS = "禾苗雨竹安宁晴朵溪言悦青"


def pseudonym_for(name: str) -> str:
    surname = name.strip()[:1]
    if surname and surname in COMMON_SURNAMES:
        return f"{surname}某"
    return f"小{secrets.choice(ALIAS_CHARACTERS)}（化名）"
