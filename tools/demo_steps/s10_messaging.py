"""Test connectivity and send message."""


def run(demo):
    demo.sim.add_dedicated_number("+61431111112")  # the demo asset's default_from
    demo.sim.add_alpha_tag("SOCTeam", countries=["AU", "NZ"])
    demo.action(
        "Test connectivity before any inbound rule exists (read-only, nothing sent): a warning that replies cannot come back",
        "test_connectivity",
    )
    demo.sim.add_inbound_rule(action="POLL", enabled=1)
    demo.action("Test connectivity with an inbound POLL rule: replies to default_from reach SOAR", "test_connectivity")
    demo.action(
        "Test connectivity with an alpha tag as default_from: recipients cannot reply to it (a note)",
        "test_connectivity",
        config={"default_from": "SOCTeam"},
    )
    demo.sim.set_recipient_status("+61400000001", "COUNTRY_NOT_ENABLED")
    demo.action(
        "Send an SMS from container 42 to three numbers (one written locally, one duplicate, one rejected by ClickSend)",
        "send_message",
        {"to": "0411 111 111, +61411111111, +61422222222, +61400000001", "message": "Alert 123: host isolated. Reply YES to approve."},
        container_id=42,
    )
    demo.action(
        "Schedule an SMS for later with your own reference",
        "send_message",
        {
            "to": "+61433333333",
            "message": "Maintenance window starts in 1 hour",
            "schedule": demo.later,
            "custom_string": "change-77",
        },
    )
    demo.action(
        "Refuse a message ClickSend would cut short (nothing is sent)",
        "send_message",
        {"to": "+61411111111", "message": "x" * 1300},
        expect="failed",
    )
