"""Scenarios for list messages, list senders and find contact, and for the asset's guard rails on the send actions."""

import time
from datetime import datetime, timezone

from tests.contract.scenarios import Scenario
from tests.contract.scenarios.contacts import JANE
from tests.contract.scenarios.history import _send


def _media(sim):
    """An MMS image on the simulator's stand-in media host (the app asks every media URL its size)."""
    return {"media_url": sim.media_url("evidence.jpg")}


def _history(sim):
    """Three SMS of the asset's account: two to Jane's number (one with a custom string), one to Bob's."""
    _send(sim, to="+61411111111", body="Alert 123: host isolated", custom_string="case-9")
    _send(sim, to="+61422222222", body="Alert 124: disk full")
    _send(sim, to="+61411111111", body="Alert 125: all clear")


YESTERDAY = datetime.fromtimestamp(time.time() - 86400, tz=timezone.utc).strftime("%Y-%m-%d")
TOMORROW = str(int(time.time()) + 86400)


def _senders(sim):
    sim.add_dedicated_number("+61431111112")  # the asset's default_from below
    sim.add_own_number("+61422222222", label="SOC lead")
    sim.add_own_number("+61433333333", status="PENDING")  # not verified yet: not a usable sender
    sim.add_alpha_tag("SOCTeam", countries=["AU", "NZ"])
    sim.add_alpha_tag("SOCAlerts")  # no countries: global


def _contact_lists(sim):
    """An empty list, Jane's list, and a second list holding Jane's e-mail under another number."""
    sim.add_list("Marketing newsletter")
    sim.add_list("SOC on-call", contacts=[JANE, {"phone_number": "+61422222222", "email": "bob@example.com"}])
    sim.add_list("Escalation", contacts=[{"phone_number": "+61433333333", "email": "JANE@example.com", "first_name": "Jane"}])


def _list_of_two(sim):
    listing = sim.add_list("SOC on-call", contacts=[{"phone_number": "+61411111111"}, {"phone_number": "+61422222222"}])
    return {"contact_list_id": listing["list_id"]}


SCENARIOS = [
    Scenario(
        "list_messages",
        "every filter, newest first",
        params={"to": "0411 111 111", "status": "Sent", "date_from": YESTERDAY, "date_to": TOMORROW, "limit": 10},
        setup=_history,
    ),
    Scenario("list_messages", "stopped at the limit", params={"limit": 1}, setup=_history),
    Scenario("list_messages", "by delivery status code", params={"status": "201"}, setup=_history),
    Scenario("list_messages", "date_to before date_from", params={"date_from": "2026-12-02", "date_to": "2026-12-01"}, expect="failed"),
    Scenario("list_senders", "every kind, default_from marked", setup=_senders, config={"default_from": "0431 111 112"}),
    Scenario("list_senders", "no senders"),
    Scenario(
        "find_contact",
        "phone or e-mail across every list",
        params={"phone_number": "+61411111111", "email": "jane@EXAMPLE.com"},
        setup=_contact_lists,
    ),
    Scenario("find_contact", "stopped at the limit", params={"email": "jane@example.com", "limit": 1}, setup=_contact_lists),
    Scenario("find_contact", "no match", params={"phone_number": "+61499999999"}, setup=_contact_lists),
    Scenario("find_contact", "nothing to look for", expect="failed"),
]

# --- the guard rails on sends (asset fields allowed_destinations, max_cost_per_action, max_recipients_per_action) -----

SCENARIOS += [
    Scenario("test_connectivity", "guard rails set", config={"allowed_destinations": "+61, NZ", "max_cost_per_action": 5}),
    Scenario(
        "send_message",
        "refused by allowed_destinations",
        params={"to": "+61411111111,+14155550100", "message": "Alert 123"},
        config={"allowed_destinations": "AU"},
        expect="failed",
    ),
    Scenario(
        "send_message",
        "list read for allowed_destinations, under the spend cap",
        params={"message": "On-call test"},
        setup=_list_of_two,
        config={"allowed_destinations": "+61", "max_cost_per_action": 1},
    ),
    Scenario(
        "send_message",
        "over the spend cap",
        params={"to": "+61411111111,+61422222222", "message": "Alert 123"},
        config={"max_cost_per_action": 0.1},
        expect="failed",
    ),
    Scenario(
        "send_message",
        "over max_recipients_per_action",
        params={"message": "On-call test"},
        setup=_list_of_two,
        config={"max_recipients_per_action": 1},
        expect="failed",
    ),
    Scenario(
        "send_mms",
        "over the spend cap",
        params={"to": "+61411111111", "message": "Badge photo", "from": "SOCTeam"},
        setup=_media,
        config={"max_cost_per_action": 0.25},
        expect="failed",
    ),
    Scenario(
        "send_voice_message",
        "under the spend cap",
        params={"to": "+61411111111", "message": "Alert 123. Press 1."},
        config={"max_cost_per_action": 1, "allowed_destinations": "AU"},
    ),
    Scenario(
        "send_voice_message",
        "over the spend cap",
        params={"to": "+61411111111", "message": "Alert 123. Press 1."},
        config={"max_cost_per_action": 0.01},
        expect="failed",
    ),
    Scenario(
        "calculate_price",
        "refused by allowed_destinations",
        params={"to": "+447911123456", "message": "x"},
        config={"allowed_destinations": "+61"},
        expect="failed",
    ),
]
