"""Scenarios for get message status, cancel scheduled message and get account."""

import requests

from tests.contract.scenarios import Scenario


UNKNOWN_ID = "00000000-0000-0000-0000-000000000000"


def _send(sim, **fields):
    """Send one SMS straight to the simulator; returns its message id.

    History is per account: send as the most recently added active account, the one the asset uses (the simulator's
    default, or an account a test added for itself, such as the fault matrix's sentinel account).
    """
    with sim.state.lock:
        account = [a for a in sim.state.accounts.values() if a["status"] == "active"][-1]
        auth = (account["username"], account["key"])
    message = dict({"to": "+61411111111", "body": "Alert 123", "from": "+61431111112"}, **fields)
    answer = requests.post(f"{sim.url}/sms/send", json={"messages": [message]}, auth=auth, timeout=10).json()
    return answer["data"]["messages"][0]["message_id"]


def _sent(sim):
    return {"message_id": _send(sim)}


def _scheduled(sim):
    return {"message_id": _send(sim, schedule=4070908800)}


def _referrer(sim):
    # a referred account: ClickSend's _referrer_chosen is an object then (null otherwise)
    sim.add_account(sim.username, sim.api_key, _referrer_chosen={"id": 12, "name": "Google"})


SCENARIOS = [
    Scenario("get_message_status", "delivered", setup=_sent),
    Scenario("get_message_status", "scheduled", setup=_scheduled),
    Scenario("get_message_status", "unknown id", params={"message_id": UNKNOWN_ID}, expect="failed"),
    Scenario("cancel_scheduled_message", "scheduled", setup=_scheduled),
    Scenario("cancel_scheduled_message", "already sent", setup=_sent, expect="failed"),
    Scenario("cancel_scheduled_message", "unknown id", params={"message_id": UNKNOWN_ID}, expect="failed"),
    Scenario("get_account", "referred account", setup=_referrer),
]
