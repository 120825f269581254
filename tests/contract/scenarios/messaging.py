from tests.contract.scenarios import Scenario


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
        params={"to": "0422 222 222", "message": "Maintenance tonight", "schedule": "2099-01-01T00:00:00Z", "custom_string": "change-77"},
    ),
    Scenario("send_message", "contact list", params={"message": "On-call test"}, setup=_list_of_two),
    Scenario(
        "send_message",
        "second batch refused by ClickSend (its list expands past 1000)",
        params={"to": ",".join(f"+614{n:08d}" for n in range(10000000, 10001000)), "message": "Big broadcast"},
        setup=_big_list,
    ),
    Scenario("send_message", "all rejected", params={"to": "+61400000001", "message": "x"}, setup=_reject_one, expect="failed"),
]


# --- send mms, send voice message, calculate price ------------------------------------------------------------

MEDIA = "https://example.com/evidence.jpg"

SCENARIOS += [
    Scenario(
        "send_mms",
        "two numbers, one rejected, default subject, from a container",
        params={"to": "+61411111111, +61400000001", "message": "Alert 123: suspicious login from 203.0.113.7", "media_url": MEDIA},
        setup=_reject_one,
        container_id=42,
    ),
    Scenario(
        "send_mms",
        "contact list, own subject, sender, schedule and custom string",
        params={
            "message": "Badge photo of the visitor",
            "media_url": MEDIA,
            "subject": "Visitor",
            "from": "SOCTeam",
            "schedule": "2099-01-01T00:00:00Z",
            "custom_string": "case-9",
        },
        setup=_list_of_two,
    ),
    Scenario(
        "send_mms",
        "second batch refused by ClickSend (its list expands past 1000)",
        params={"to": ",".join(f"+614{n:08d}" for n in range(10000000, 10001000)), "message": "Big broadcast", "media_url": MEDIA},
        setup=_big_list,
    ),
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
        params={"message": "On-call test call", "schedule": "2099-01-01T00:00:00Z"},
        setup=_list_of_two,
    ),
    Scenario(
        "send_voice_message",
        "second batch refused by ClickSend (its list expands past 1000)",
        params={"to": ",".join(f"+614{n:08d}" for n in range(10000000, 10001000)), "message": "Big broadcast"},
        setup=_big_list,
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
    Scenario("calculate_price", "all rejected", params={"to": "+61400000001", "message": "x"}, setup=_reject_one, expect="failed"),
]
