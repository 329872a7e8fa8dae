"""The resident identity number (GB 11643-1999): parsing, check character, masking."""

from __future__ import annotations

import pickle
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policylang.io.id_number import (
    REASONS,
    WEIGHTS,
    IdInfo,
    InvalidIdNumber,
    check_character,
    mask_id_number,
    parse_id_number,
)

# Written out by hand (and checked against an independent formula below), so a
# wrong check_character cannot make these tests agree with itself.
VALID = {
    # The standard's own example; its check value is 10, written X.
    "11010519491231002X": IdInfo(date(1949, 12, 31), "F"),
    # 29 February of leap years (2000 is a leap year although divisible by 100).
    "440305200002291232": IdInfo(date(2000, 2, 29), "M"),
    "320106198402290018": IdInfo(date(1984, 2, 29), "M"),
    "510107199912314565": IdInfo(date(1999, 12, 31), "F"),
    "310115202401018884": IdInfo(date(2024, 1, 1), "F"),
}

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def reference_check(first17: str) -> str:
    """The usual published form of MOD 11-2: a lookup table indexed by sum mod 11."""
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    return "10X98765432"[total % 11]


def reason_of(text: str, **kwargs) -> str:
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(text, **kwargs)
    return caught.value.reason


# --- check character -------------------------------------------------------


def test_weights_are_powers_of_two_mod_11():
    assert WEIGHTS == tuple(2 ** (17 - i) % 11 for i in range(17))
    assert WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@pytest.mark.parametrize("number", sorted(VALID))
def test_known_check_characters(number):
    assert check_character(number[:17]) == number[17]
    assert reference_check(number[:17]) == number[17]


def test_check_character_x():
    assert check_character("11010519491231002") == "X"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_character_matches_reference(first17):
    assert check_character(first17) == reference_check(first17)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "length"),
        ("1101051949123100", "length"),
        ("110105194912310021", "length"),
        ("1101051949123100A", "characters"),
        ("１１０１０５１９４９１２３１００２", "characters"),  # taken as is, not normalised
        (" 1101051949123100", "characters"),
    ],
)
def test_check_character_rejects(value, reason):
    with pytest.raises(InvalidIdNumber) as caught:
        check_character(value)
    assert caught.value.reason == reason


# --- valid numbers -------------------------------------------------------


@pytest.mark.parametrize(("number", "info"), sorted(VALID.items()))
def test_known_valid_numbers(number, info):
    assert parse_id_number(number) == info


def test_leap_day_and_x_are_covered():
    assert any(n.endswith("X") for n in VALID)
    assert any(info.birth_date.month == 2 and info.birth_date.day == 29 for info in VALID.values())


@pytest.mark.parametrize(
    "text",
    [
        "11010519491231002x",  # lower-case x
        "  11010519491231002X\t\n",  # surrounding whitespace
        "\u300011010519491231002X\u3000",  # ideographic (full-width) space
        "１１０１０５１９４９１２３１００２Ｘ",  # full-width digits and Ｘ
        "１１０１０５１９４９１２３１００２ｘ",  # full-width lower-case ｘ
        "110105１９４９１２３１002X",  # mixed widths
    ],
)
def test_normalised_forms(text):
    assert parse_id_number(text) == IdInfo(date(1949, 12, 31), "F")
    assert mask_id_number(text) == "110105********002X"


@pytest.mark.parametrize("number", sorted(VALID))
def test_full_width_versions_of_every_valid_number(number):
    assert parse_id_number(number.translate(FULL_WIDTH)) == VALID[number]


def test_born_today_is_fine_born_tomorrow_is_not():
    number = "310115202401018884"
    assert parse_id_number(number, today=date(2024, 1, 1)).birth_date == date(2024, 1, 1)
    assert parse_id_number(number, today=date(2030, 6, 1)).birth_date == date(2024, 1, 1)
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(number, today=date(2023, 12, 31))
    assert caught.value.reason == "birth_date"
    assert "future" in str(caught.value)
    # Without today the clock is not consulted.
    assert parse_id_number(number).birth_date == date(2024, 1, 1)


def test_idinfo_is_frozen():
    info = parse_id_number("11010519491231002X")
    with pytest.raises(AttributeError):
        info.sex = "M"  # type: ignore[misc]


# --- every reason ----------------------------------------------------------


def with_check(first17: str) -> str:
    return first17 + reference_check(first17)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "length"),
        ("   ", "length"),
        ("11010519491231002", "length"),  # check character missing
        ("11010519491231002X0", "length"),
        ("110105194912310", "length"),  # old 15-digit number
        ("110105 19491231 002X", "length"),  # inner spaces are not removed
        ("11010519491231002\u200bX", "length"),  # zero-width space is not whitespace
        ("1101051949123100XX", "characters"),  # X only in the last place
        ("11010519491231002Y", "characters"),
        ("A1010519491231002X", "characters"),
        ("110105-19491231-02", "characters"),
        ("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", "characters"),  # Arabic-Indic digits: not ASCII after NFKC
        (with_check("11010519491331002"), "birth_date"),  # month 13
        (with_check("11010519490230002"), "birth_date"),  # 30 February
        (with_check("11010519000229002"), "birth_date"),  # 1900 is not a leap year
        (with_check("11010521000229002"), "birth_date"),  # nor is 2100
        (with_check("11010500000101002"), "birth_date"),  # year 0
        (with_check("11010519490000002"), "birth_date"),
        ("110105194912310021", "check_digit"),
        ("110105194912310020", "check_digit"),
        ("44030520000229123X", "check_digit"),
    ],
)
def test_every_reason(text, reason):
    assert reason_of(text) == reason


def test_fifteen_digit_numbers_are_refused_with_an_explanation():
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number("110105491231002")
    error = caught.value
    assert error.reason == "length"
    assert "15" in str(error) and "1999" in str(error)
    assert "15 位" in error.message_zh


def test_first_failing_check_is_reported():
    # Wrong length wins over bad characters, characters over the date, the date
    # over the check character.
    assert reason_of("ABC") == "length"
    assert reason_of("11010519491331002Y") == "characters"
    assert reason_of("110105194913310020") == "birth_date"


def test_today_does_not_hide_other_errors():
    assert reason_of("110105194912310021", today=date(2000, 1, 1)) == "check_digit"
    assert reason_of("310115202401018880", today=date(2023, 1, 1)) == "birth_date"


def test_reasons_are_a_closed_bilingual_set():
    assert set(REASONS) == {"length", "characters", "birth_date", "check_digit"}
    for english, chinese in REASONS.values():
        assert english and english.isascii()
        assert chinese and not chinese.isascii()
    assert REASONS["length"] == ("must have 18 characters", "应为 18 位")
    with pytest.raises(ValueError):
        InvalidIdNumber("typo")


def test_error_is_a_value_error_with_both_languages():
    with pytest.raises(ValueError) as caught:
        parse_id_number("110105194912310021")
    error = caught.value
    assert isinstance(error, InvalidIdNumber)
    assert REASONS["check_digit"][0] in str(error)
    assert error.message == str(error)
    assert REASONS["check_digit"][1] in error.message_zh
    assert error.message_zh.startswith("身份证号码无效")


@pytest.mark.parametrize(
    "text",
    ["110105194912310021", "11010519491331002X", "110105491231002", "11010519491231002Y"],
)
def test_messages_never_contain_the_number(text):
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(text)
    error = caught.value
    for message in (str(error), error.message_zh, repr(error)):
        assert text not in message
        assert text[6:14] not in message  # the birth date
        assert "19491231" not in message


def test_error_pickles_with_its_reason():
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number("110105491231002")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert copy.reason == "length"
    assert str(copy) == str(caught.value)
    assert copy.message_zh == caught.value.message_zh


@pytest.mark.parametrize("bad", [None, 110105194912310021, b"11010519491231002X"])
def test_non_strings_are_a_type_error(bad):
    for function in (parse_id_number, mask_id_number, check_character):
        with pytest.raises(TypeError):
            function(bad)


# --- masking ---------------------------------------------------------------


@pytest.mark.parametrize("number", sorted(VALID))
def test_mask_valid(number):
    masked = mask_id_number(number)
    assert masked == number[:6] + "********" + number[14:]
    assert len(masked) == 18


def test_mask_example():
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("11010519491231002x") == "110105********002X"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ""),
        ("   ", ""),
        ("110105194912310021", "*" * 18),  # check character wrong: likely a typo of a real number
        ("11010519491331002X", "*" * 18),
        ("110105491231002", "*" * 15),
        ("  1101051949123100  ", "*" * 16),
        ("１１０１０５１９４９１２３１００２", "*" * 17),
        ("n/a", "***"),
    ],
)
def test_mask_malformed_is_fully_masked(text, expected):
    assert mask_id_number(text) == expected


# --- properties ------------------------------------------------------------

@st.composite
def valid_numbers(draw):
    """(number, birth date, sex) for any address code, any date 0001-9999, any sequence."""
    address = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    born = draw(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))
    sequence = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    first17 = f"{address}{born.year:04d}{born.month:02d}{born.day:02d}{sequence}"
    sex = "M" if int(sequence[-1]) % 2 else "F"
    return first17 + check_character(first17), born, sex


@given(valid_numbers())
def test_round_trip(case):
    number, born, sex = case
    assert parse_id_number(number) == IdInfo(born, sex)
    assert parse_id_number(number, today=born) == IdInfo(born, sex)
    assert parse_id_number(number.lower().translate(FULL_WIDTH)) == IdInfo(born, sex)
    if born > date.min:
        with pytest.raises(InvalidIdNumber) as caught:
            parse_id_number(number, today=born - timedelta(days=1))
        assert caught.value.reason == "birth_date"


def _is_date(yyyymmdd: str) -> bool:
    try:
        date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return True


@given(valid_numbers())
def test_every_single_character_change_is_detected(case):
    number, _born, _sex = case
    for position in range(18):
        alphabet = "0123456789X" if position == 17 else "0123456789"
        for replacement in alphabet:
            if replacement == number[position]:
                continue
            changed = number[:position] + replacement + number[position + 1 :]
            # The MOD 11-2 property itself: the check character no longer fits.
            assert check_character(changed[:17]) != changed[17]
            # And so parsing always fails: on the check character, or earlier
            # when the change made the birth date impossible.
            with pytest.raises(InvalidIdNumber) as caught:
                parse_id_number(changed)
            if _is_date(changed[6:14]):
                assert caught.value.reason == "check_digit"
            else:
                assert caught.value.reason == "birth_date"


def test_single_digit_detection_argument():
    # Why the property above holds: a change by delta (1..9 in absolute value)
    # at a position of weight w moves the sum by w*delta, never 0 mod 11.
    for weight in WEIGHTS:
        for delta in range(1, 10):
            assert weight * delta % 11 != 0


@given(valid_numbers())
def test_mask_never_reveals_the_middle(case):
    number, _born, _sex = case
    masked = mask_id_number(number)
    assert masked[:6] == number[:6]
    assert masked[6:14] == "********"
    assert masked[14:] == number[14:]


@given(st.text(max_size=30))
def test_mask_of_anything_is_all_stars_or_the_usual_form(text):
    masked = mask_id_number(text)
    try:
        parse_id_number(text)
    except InvalidIdNumber:
        assert masked == "*" * len(text.strip())
    else:
        assert len(masked) == 18
        assert masked[6:14] == "********"
        assert set(masked) <= set("0123456789X*")


@pytest.mark.parametrize("text, masked", [
    ("110105198003010028", "110105********0028"),
    ("110105 19800301 0028", "110105********0028"),  # typed in its three parts, to read it back
    ("110105-19800301-0028", "110105********0028"),
    ("１１０１０５１９８００３０１００２８", "110105********0028"),
    ("110105198003010029", "*" * 18),  # a wrong check character: a typo'd number, still a person's
    ("调出 110105198002300028", "调出 " + "*" * 18),  # a date mistyped (02-30, month 13): 17 digits still theirs
    ("110105198013010028", "*" * 18),
    ("身份证 1.10105E+17 有误", "身份证 " + "*" * 11 + " 有误"),  # as short as a spreadsheet shows it
    ("号码 1.10105198003010E+17 已调出", "号码 " + "*" * 20 + " 已调出"),  # as a number cell shows it
    # no birth date in it: a school's 18-digit code (统一社会信用代码) or zeros, which a problem must show
    ("学校代码“320102200100000002”，是否应为“320102200100000001”", None),
    ("12320102466002818X", None),
    ("000000000000000000", None),
    ("1101051980030100281", None),  # 19 digits: an account number
    # a first-generation 15-digit number (YYMMDD, no check character): masked entirely, as the column refuses it
    ("张三110105800301002.xlsx", "张三" + "*" * 15 + ".xlsx"),
    ("旧证 110105 800301 002", "旧证 " + "*" * 15),
    ("１１０１０５８００３０１００２", "*" * 15),
    ("110105801330002", "*" * 15),  # a digit mistyped in its date (month 13)
    ("学校代码“110105000001002”", None),  # month 00: a school's old 15-digit code, no birth date
    ("13912345678", None),  # a mobile number has 11 digits
    ("6222021001122334", None),  # a bank card 16 to 19: no 15 digits inside a longer run
    ("“0.123456010112345”不是整数", None),  # a float's 15 decimals
    # a file's SHA-256 as the 说明 sheet names it: 374157860601793 between its letters is no number
    ("t.csv (SHA-256 255ac64f2a9b374157860601793d61491c561c29df77cbf82d4610772937ce59)", None),
    ("张三110105800301002abc.csv", "张三" + "*" * 15 + "abc.csv"),  # letters beside it, no digest
    # the parts as a spreadsheet's cell holds them: full-width spaces, dashes, dots, underscores, slashes
    ("110105\u300019800301\u30000028", "110105********0028"),
    ("110105－19800301－0028", "110105********0028"),
    ("110105—19800301—0028", "110105********0028"),
    ("110105‐19800301‐0028", "110105********0028"),
    ("110105 - 19800301 - 0028", "110105********0028"),
    ("110105.19800301.0028", "110105********0028"),
    ("110105_19800301_0028", "110105********0028"),
    ("110105/19800301/0028", "110105********0028"),
    ("11010519491231002x", "110105********002X"),  # a lower-case check character
    ("１１０１０５１９４９１２３１００２ｘ", "110105********002X"),
    ("320102-20010000-0001", None),  # a school's code in parts still shows
    # a number ending in X ends its run of digits: one after it starts another (review rv30: the number showed
    # whole beside a 1.1E+17, masked only when the text was masked a second time)
    ("11010519491231002X1.10105E+17", "110105********002X" + "*" * 11),
    ("11010519491231002X350102", "110105********002X350102"),
])
def test_what_looks_like_an_id_number_is_masked_and_nothing_else(text, masked):
    from policylang.io.id_number import holds_id_number, masked_in_text

    assert masked_in_text(text) == (text if masked is None else masked)
    assert holds_id_number(text) is (masked is not None)
    assert masked_in_text(masked_in_text(text)) == masked_in_text(text)  # masked once is masked


# no digit beside the number, nor a point before it (a float's 15 decimals are no number: 0.123456010112345),
# and too little to make a digest of it with letters a-f (32 hexadecimal characters in a row are none)
_AROUND = st.text(st.characters(blacklist_categories=("Nd", "Cs"), blacklist_characters=".．"), max_size=6)
_GAPS = st.sampled_from(["", " ", "-", "\u3000", "－", "—", "‐", " - ", ".", "_", "/", "／"])


@st.composite
def _a_number_as_typed(draw):
    """A person's number in a form the rule accepts, and the digits it stands for: 18 characters whose
    date is real (a wrong check character too) or a 15-digit one, whole or in parts, half- or full-width."""
    born = draw(st.dates(date(1900, 1, 1), date(2099, 12, 31)))
    area, sequence = draw(st.from_regex(r"\A[0-9]{6}\Z")), draw(st.from_regex(r"\A[0-9]{3}\Z"))
    if draw(st.booleans()):
        parts = [area, born.strftime("%y%m%d"), sequence]
    else:
        check = draw(st.sampled_from([check_character(area + born.strftime("%Y%m%d") + sequence), "0", "x"]))
        parts = [area, born.strftime("%Y%m%d"), sequence + check]
    typed = draw(_GAPS).join(parts[:2]) + draw(_GAPS) + parts[2]
    return (typed.translate(FULL_WIDTH) if draw(st.booleans()) else typed), "".join(parts)


@given(_a_number_as_typed(), _AROUND, _AROUND)
def test_a_number_as_typed_is_never_in_a_problem(typed_digits, before, after):
    """Whatever the form, a problem quoting the number (as its file, column, value or message) shows at
    most the area code and the last four characters of a valid number, and nothing of any other."""
    from policylang.io.roster.model import RosterProblem

    typed, digits = typed_digits
    text = before + typed + after
    problem = RosterProblem(file=f"{text}.csv", row=2, column=text, value=text, code="R002",
                            message_en=f"`{text}` is not a date", message_zh=f"“{text}”不是有效日期")
    shown = mask_id_number(digits)
    assert shown in {"*" * len(digits), digits[:6] + "*" * 8 + digits[14:].upper()}
    for said in (problem.file, problem.column, problem.value, problem.message_en, problem.message_zh):
        assert typed not in said and before + shown + after in said
