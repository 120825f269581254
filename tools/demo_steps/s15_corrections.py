"""What the real ClickSend needs and an admin upgrading from 1.0.x meets: short codes, big lists, the part limit,
forged thread markers, an asset without default_country, one bad number in a page-out."""


def run(demo):
    demo.action(
        "Send from a dedicated short code (3-8 digits, sent unchanged)",
        "send_message",
        {"to": "+61411111111", "message": "Short code test", "from": "12345"},
    )

    staff = demo.sim.add_list("All staff", contacts=[{"phone_number": f"+6141{n:07d}", "first_name": f"Staff {n}"} for n in range(1500)])
    out = demo.action(
        "Page out a 1500-contact list: every contact gets exactly one SMS, no call carries more than 1000 recipients",
        "send_message",
        {"contact_list_id": staff["list_id"], "message": "All staff: building evacuation drill at 10:00"},
    )
    calls = [r for r in demo.sim.requests if r["path"] == "/v3/sms/send"][-2:]
    print(f"      ClickSend saw {len(calls)} send calls of {', '.join(str(len(c['json']['messages'])) for c in calls)} recipients")
    _ = out

    demo.action(
        "Refuse an SMS longer than the account's 6 parts (919 characters; ClickSend would cut it silently)",
        "send_message",
        {"to": "+61411111111", "message": "x" * 919},
        expect="failed",
    )
    demo.action(
        "Refuse a custom_string forged to look like a reply-thread marker (it would file replies into container 42)",
        "send_message",
        {"to": "+61411111111", "message": "Approve?", "custom_string": "soar:42:0123456789abcdef0123"},
        container_id=7,
        expect="failed",
    )
    demo.action(
        "An upgraded 1.0.x asset with no default_country on an Australian account: national numbers follow the account",
        "send_message",
        {"to": "0411 111 111", "message": "Upgrade check"},
        config={"default_country": None},
    )
    demo.action(
        "Page out with one bad number under invalid_numbers = skip: the valid numbers get the SMS, the bad one is named",
        "send_message",
        {"to": "+61411111111,+6141111,+61422222222", "message": "On-call page: P1 incident", "invalid_numbers": "skip"},
    )
