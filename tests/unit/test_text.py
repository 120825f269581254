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


# --- counts in messages: "1 number", never "1 numbers" or "number(s)" (issue 24) ---------------------------------

import pathlib  # noqa: E402
import re  # noqa: E402

from clicksend_text import none_of, of_total, plural  # noqa: E402


def test_counts_agree_with_their_noun():
    assert (plural(1, "number"), plural(0, "number"), plural(2, "number")) == ("1 number", "0 numbers", "2 numbers")
    assert (of_total(1, 1, "message"), of_total(1, 3, "voice message")) == ("1 of 1 message", "1 of 3 voice messages")
    assert none_of(1, "MMS message") == "did not accept the MMS message"
    assert none_of(2, "message") == "accepted none of the 2 messages"
    assert none_of(1, "message", would=True) == "would not accept the message"


def test_the_guard_rails_sentence_counts_one_recipient_right():
    from types import SimpleNamespace

    from clicksend_guards import describe

    assert describe(SimpleNamespace(max_recipients_per_action=1)).endswith("a send reaches at most 1 recipient (max_recipients_per_action)")


def test_no_app_module_builds_a_plural_by_hand():
    """Counts go through plural/of_total/none_of (or agree by construction): no "(s)", no `'s' if n != 1`."""
    root = pathlib.Path(__file__).resolve().parents[2]
    hand_built = re.compile(r"""\w\(s\)|['"]s['"] if |else ['"]s['"]""")
    found = {}
    for path in sorted(root.glob("clicksend_*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if hand_built.search(line.replace("http(s)", "http")) and not line.lstrip().startswith("#"):
                found[f"{path.name}:{number}"] = line.strip()
    assert found == {}
