from tests.contract.scenarios import Scenario


def _unread(sim):
    """Two POLL rules (every message listed twice), a new SMS and a reply carrying a container marker."""
    sim.add_inbound_rule(action="POLL", enabled=1)
    sim.add_inbound_rule(action="POLL", enabled=1, rule_name="second")
    sim.add_inbound_message("+61411111111", "Is this phishing?", timestamp=1721099039)
    sim.add_inbound_message(
        "+61422222222",
        "YES",
        original_message_id="1EF54639-F16D-681E-947A-4F4FCDFD2B87",
        original_body="Isolate host? Reply YES",
        custom_string="ticket-42",
        timestamp=1721099000,
    )


def _no_poll_rule(sim):
    sim.add_inbound_rule(action="URL", enabled=1, action_address="https://example.com/hook")
    sim.add_inbound_message("+61411111111", "hello")


SCENARIOS = [
    Scenario("list_inbound_messages", "defaults, two POLL rules", setup=_unread),
    Scenario("list_inbound_messages", "limit 1 and mark read", params={"limit": 1, "mark_read": True}, setup=_unread),
    Scenario("list_inbound_messages", "no POLL rule", params={"mark_read": True}, setup=_no_poll_rule, expect="failed"),
    Scenario("on_poll", "scheduled poll", params={"container_count": 4294967295, "artifact_count": 4294967295}, setup=_unread),
    Scenario(
        "on_poll",
        "poll now",
        params={"container_count": 1, "artifact_count": 10, "start_time": 1721000000000, "end_time": 1721100000000},
        setup=_unread,
        poll_now=True,
    ),
    Scenario("on_poll", "no POLL rule", setup=_no_poll_rule, expect="failed", poll_now=True),
]
