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
