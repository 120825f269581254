"""Scenarios for wait for reply, wait for delivery, configure polling, and the indicators list inbound messages reports.

Each scenario ends without waiting: the reply or the final status is there at the first check (the waits' pauses are
covered with a fake clock in tests/unit and tests/e2e).
"""

from tests.contract.scenarios import Scenario
from tests.contract.scenarios.history import UNKNOWN_ID, _send


SMISHING = "Your parcel is held: pay at HXXPS://evil[.]example/pay or bit.ly/3xYz, questions to help@evil.example or call 1300 123 456."


def _replied(sim):
    message_id = _send(sim, body="Isolate host WS-042? Reply YES or NO")
    sim.add_reply(message_id, None, "Yes!")
    return {"message_id": message_id}


def _replied_otherwise(sim):
    message_id = _send(sim, body="Isolate host WS-042? Reply YES or NO")
    sim.add_reply(message_id, None, "maybe later")
    return {"message_id": message_id}


def _delivered(sim):
    return {"message_id": _send(sim)}


def _failed_for_good(sim):
    sim.set_delivery_outcome("+61411111111", "301")
    return {"message_id": _send(sim)}


def _alpha_sender(sim):
    return {"message_id": _send(sim, **{"from": "SOCTeam"})}


def _no_rules(sim):
    sim.add_inbound_rule(action="URL", enabled=1, action_address="https://example.com/hook")


def _rules_exist(sim):
    sim.add_inbound_rule(action="POLL", enabled=1, dedicated_number="*", rule_name="SOAR")
    sim.add_inbound_rule(action="POLL", enabled=1, dedicated_number="+61431111112", rule_name="one number")
    sim.add_receipt_rule(action="POLL", enabled=1, rule_name="receipts")


def _rules_disabled(sim):
    sim.add_inbound_rule(action="POLL", enabled=0, dedicated_number="*", rule_name="SOAR")
    sim.add_receipt_rule(action="POLL", enabled=0, rule_name="receipts")


def _smishing(sim):
    sim.add_inbound_rule(action="POLL", enabled=1)
    sim.add_inbound_message("+61455555555", SMISHING)


def _receipts_and_smishing(sim):
    sim.add_inbound_rule(action="POLL", enabled=1)
    sim.add_receipt_rule(action="POLL", enabled=1)
    _send(sim)  # delivered at once: its receipt waits unread (sent outside a container: counted, not a container)
    sim.add_inbound_message("+61455555555", SMISHING)


SCENARIOS = [
    Scenario("wait_for_reply", "reply already there", params={"timeout_minutes": 1, "expected_answers": "YES,NO"}, setup=_replied),
    Scenario("wait_for_reply", "a reply that is no expected answer", params={"expected_answers": "yes, no"}, setup=_replied_otherwise),
    Scenario("wait_for_reply", "unknown id", params={"message_id": UNKNOWN_ID}, expect="failed"),
    Scenario("wait_for_reply", "sent from an alpha tag", setup=_alpha_sender, expect="failed"),
    Scenario("wait_for_reply", "timeout out of range", params={"message_id": UNKNOWN_ID, "timeout_minutes": 61}, expect="failed"),
    Scenario("wait_for_delivery", "delivered", params={"timeout_minutes": 1}, setup=_delivered),
    Scenario("wait_for_delivery", "failed for good", setup=_failed_for_good),
    Scenario("wait_for_delivery", "unknown id", params={"message_id": UNKNOWN_ID}, expect="failed"),
    Scenario("configure_polling", "nothing there: both rules created", setup=_no_rules),
    Scenario("configure_polling", "both there: nothing created", setup=_rules_exist),
    Scenario("configure_polling", "both disabled: enabled", setup=_rules_disabled),
    Scenario("list_inbound_messages", "a smishing report", setup=_smishing),
    Scenario("list_inbound_messages", "extraction off", setup=_smishing, config={"extract_indicators": False}),
    Scenario("on_poll", "receipts and a smishing report", setup=_receipts_and_smishing, poll_now=True),
]
