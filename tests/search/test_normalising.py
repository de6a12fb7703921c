"""However a phone or an ID number is typed into the box (spaces, dashes, brackets, +86
or 0086, full-width digits, a lower-case check letter), the search hashes the form
intake hashed: the same digest, or nothing at all for text that is not one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from lantern.cases.matchers import SearchText
from lantern.core.vault.blind import IdKind, digest
from lantern.search.matchers import id_number_digest, phone_digest

FULL_WIDTH = {str(d): chr(0xFF10 + d) for d in range(10)}
mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
separators = st.sampled_from(["", " ", "-", "\u3000", "  "])


@st.composite
def typed(draw, number: str) -> str:
    groups = [number[:3], number[3:7], number[7:]]
    sep = draw(separators)
    text = sep.join(groups)
    if draw(st.booleans()):
        text = "".join(FULL_WIDTH.get(c, c) for c in text)
    prefix = draw(st.sampled_from(["", "+86 ", "+86", "0086-", "86", "(+86) "]))
    return f"{draw(st.sampled_from(['', ' ']))}{prefix}{text}{draw(st.sampled_from(['', ' ', '　']))}"


@given(st.data(), mobiles)
def test_a_mobile_number_typed_any_usual_way_has_the_digest_intake_stored(data, number):
    assert phone_digest(SearchText.of(data.draw(typed(number)))) == digest(IdKind.PHONE, number)


@given(st.from_regex(r"[0-9]{17}[0-9Xx]", fullmatch=True), st.booleans(), separators)
def test_an_id_number_typed_any_usual_way_has_the_digest_intake_stored(number, wide, sep):
    text = sep.join([number[:6], number[6:14], number[14:]])
    if wide:
        text = "".join(FULL_WIDTH.get(c, c) for c in text)
    assert id_number_digest(SearchText.of(text)) == digest(IdKind.ID_NUMBER, number.upper())


@given(st.text(alphabet="abcdefgXYZ张某:@ ", max_size=20))
def test_text_without_digits_is_never_a_phone_or_an_id_number(text):
    assert phone_digest(SearchText.of(text)) is None and id_number_digest(SearchText.of(text)) is None
