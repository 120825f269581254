"""SMS length arithmetic matches ClickSend's published part tables."""

import pytest

from clicksend_text import sms_length


@pytest.mark.parametrize(("n", "parts"), [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (918, 6), (919, 7), (1224, 8), (1225, 9)])
def test_gsm_parts(n, parts):
    size = sms_length("a" * n)
    assert (size.encoding, size.length, size.parts, size.limit) == ("GSM-7", n, parts, 918)


@pytest.mark.parametrize(("n", "parts"), [(70, 1), (71, 2), (134, 2), (135, 3), (536, 8), (537, 9)])
def test_unicode_parts(n, parts):
    size = sms_length("é" * 0 + "ж" * n)
    assert (size.encoding, size.length, size.parts, size.limit) == ("Unicode", n, parts, 402)


def test_one_non_gsm_character_makes_the_whole_message_unicode():
    assert sms_length("It’s fine").encoding == "Unicode"  # a curly apostrophe


def test_gsm_extension_characters_count_twice():
    assert sms_length("{}€").length == 6


def test_line_breaks_count_twice():
    assert sms_length("a\nb").length == 4
    assert sms_length("a\r\nb").length == 4


def test_emoji_count_as_two_utf16_units():
    assert sms_length("😀").length == 2


def test_the_limit_follows_the_part_limit_given():
    assert sms_length("a", 8).limit == 1224
    assert sms_length("ж", 8).limit == 536


def test_a_line_break_counts_two_characters_however_it_is_written():
    assert sms_length("a\nb").length == sms_length("a\r\nb").length == sms_length("a\rb").length == 4
