import time
from datetime import datetime, timezone

from tests.contract.scenarios import Scenario


SOON = datetime.fromtimestamp(time.time() + 7 * 86400, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")  # within the 1-year horizon


def _reject_one(sim):
    sim.set_recipient_status("+61400000001", "COUNTRY_NOT_ENABLED")


def _poll_rule(sim):
    sim.add_inbound_rule(action="POLL", enabled=1)


def _list_of_two(sim):
    listing = sim.add_list("SOC on-call", contacts=[{"phone_number": "+61411111111"}, {"phone_number": "+61422222222"}])
    return {"contact_list_id": listing["list_id"]}


def _big_list(sim):
    numbers = [{"phone_number": f"+614{n:08d}"} for n in range(20000000, 20001001)]
    return {"contact_list_id": sim.add_list("Everyone", contacts=numbers)["list_id"]}


def _second_call_fails(path):
    def setup(sim):
        sim.add_fault("POST", path, status=503, skip=1)  # the first call goes through, the second is refused

    return setup


MANY = ",".join(f"+614{n:08d}" for n in range(10000000, 10001001))  # 1001 numbers: two calls


SCENARIOS = [
    Scenario("test_connectivity", "account only"),
    Scenario("test_connectivity", "with test number and poll rule", setup=_poll_rule, config={"to": "0411 111 111"}),
    Scenario(
        "send_message",
        "two numbers, one rejected, from a container",
        params={"to": "+61411111111, +61400000001", "message": "Alert 123: host isolated", "from": "SOCTeam"},
        setup=_reject_one,
        container_id=42,
    ),
    Scenario(
        "send_message",
        "scheduled with custom string",
        params={"to": "0422 222 222", "message": "Maintenance tonight", "schedule": SOON, "custom_string": "change-77"},
    ),
    Scenario("send_message", "contact list", params={"message": "On-call test"}, setup=_list_of_two),
    Scenario("send_message", "a list over 1000 contacts, read by the app", params={"message": "Big broadcast"}, setup=_big_list),
    Scenario(
        "send_message",
        "second batch refused by ClickSend",
        params={"to": MANY, "message": "Big broadcast"},
        setup=_second_call_fails("/v3/sms/send"),
    ),
    Scenario(
        "send_message",
        "over 1000 recipients, one rejected: the compact result (data.queued)",
        params={"to": MANY + ",+61400000001", "message": "Big broadcast"},
        setup=_reject_one,
    ),
    Scenario(
        "send_message",
        "one bad number skipped, from a short code",
        params={"to": "+61411111111,+6141111", "message": "Page-out", "from": "12345", "invalid_numbers": "skip"},
    ),
    Scenario("send_message", "all rejected", params={"to": "+61400000001", "message": "x"}, setup=_reject_one, expect="failed"),
]


# --- send mms, send voice message, calculate price ------------------------------------------------------------


def _media(then=None, currency=False):
    """An MMS image on the simulator's stand-in media host (the app asks every media URL its size), after `then`;
    `currency`: MMS answers carry _currency (ClickSend documents none, so the simulator leaves it out by default)."""

    def setup(sim):
        sim.mms_currency = currency
        return dict((then(sim) if then else None) or {}, media_url=sim.media_url("evidence.jpg"))

    return setup


SCENARIOS += [
    Scenario(
        "send_mms",
        "two numbers, one rejected, default subject, from a container",
        params={
            "to": "+61411111111, +61400000001",
            "message": "Alert 123: suspicious login from 203.0.113.7",
            "from": "+61431111112",
            "invalid_numbers": "fail",
        },
        setup=_media(_reject_one, currency=True),  # an answer with _currency, as SMS and voice answers have
        container_id=42,
    ),
    Scenario(
        "send_mms",
        "contact list, own subject, sender, schedule and custom string",
        params={
            "message": "Badge photo of the visitor",
            "subject": "Visitor",
            "from": "SOCTeam",
            "schedule": SOON,
            "custom_string": "case-9",
        },
        setup=_media(_list_of_two),
    ),
    Scenario(
        "send_mms",
        "second batch refused by ClickSend, one bad number skipped",
        params={"to": MANY + ",+6141111", "message": "Big broadcast", "from": "SOCTeam", "invalid_numbers": "skip"},
        setup=_media(_second_call_fails("/v3/mms/send")),
    ),
    Scenario("send_mms", "no sender", params={"to": "+61411111111", "message": "x"}, setup=_media(), expect="failed"),
    Scenario("send_mms", "media_url not http(s)", params={"to": "+61411111111", "message": "x", "media_url": "ftp://x/y.jpg"}, expect="failed"),
    Scenario(
        "send_voice_message",
        "two numbers, one rejected, male voice with input and machine detection",
        params={
            "to": "+61411111111,+61400000001",
            "message": "Alert 123. Press 1 to acknowledge.",
            "voice": "male",
            "language": "en-au",
            "require_input": True,
            "machine_detection": True,
            "custom_string": "case-9",
        },
        setup=_reject_one,
    ),
    Scenario(
        "send_voice_message",
        "contact list, scheduled, defaults",
        params={"message": "On-call test call", "schedule": SOON},
        setup=_list_of_two,
    ),
    Scenario(
        "send_voice_message",
        "second batch refused by ClickSend, one bad number skipped",
        params={"to": MANY + ",+6141111", "message": "Big broadcast", "invalid_numbers": "skip"},
        setup=_second_call_fails("/v3/voice/send"),
    ),
    Scenario(
        "send_voice_message",
        "female voice for pt-pt",
        params={"to": "+61411111111", "message": "x", "voice": "female", "language": "pt-pt"},
        expect="failed",
    ),
    Scenario(
        "calculate_price",
        "two numbers and a list, one rejected",
        params={"to": "+61411111111,+61400000001", "message": "a" * 161, "from": "SOCTeam"},
        setup=lambda sim: dict(_reject_one(sim) or {}, **_list_of_two(sim)),
    ),
    Scenario(
        "calculate_price",
        "one bad number skipped",
        params={"to": "+61411111111,+6141111", "message": "x", "invalid_numbers": "skip"},
    ),
    Scenario("calculate_price", "all rejected", params={"to": "+61400000001", "message": "x"}, setup=_reject_one, expect="failed"),
    Scenario(
        "calculate_price",
        "an MMS to a list, with its subject",
        params={"message": "Badge photo", "message_type": "mms", "subject": "Visitor", "from": "SOCTeam"},
        setup=_media(_list_of_two),
    ),
    Scenario(
        "calculate_price",
        "a voice call",
        params={"to": "+61411111111", "message": "Alert 123", "message_type": "voice", "voice": "male", "language": "en-au"},
    ),
]
