"""Guard rails (allowed destinations, spend cap, recipient cap) and the read actions: list messages, list senders,
find contact."""


def run(demo):
    sim = demo.sim
    demo.action(
        "Test connectivity shows the asset's guard rails",
        "test_connectivity",
        config={"allowed_destinations": "+61, NZ", "max_cost_per_action": 1, "max_recipients_per_action": 500},
    )
    demo.action(
        "The allow-list (+61, NZ) refuses a US number before anything reaches ClickSend, naming it",
        "send_message",
        {"to": "+61411111111, +14155550100", "message": "Alert 130: host isolated"},
        expect="failed",
        config={"allowed_destinations": "+61, NZ"},
    )
    on_call = sim.add_list("Night shift (demo)", contacts=[{"phone_number": "0422 222 222"}, {"phone_number": "+61433333333"}])
    demo.action(
        "A contact list is read by the app, checked number by number against the allow-list, and sent to as those numbers; "
        "a number also in 'to' gets one SMS, and data.queued names the list and contact of each",
        "send_message",
        {"to": "+61433333333", "contact_list_id": on_call["list_id"], "message": "Alert 131: night shift check-in"},
        config={"allowed_destinations": "AU"},
    )
    demo.action(
        "The spend cap (0.20 AUD) prices the send first and refuses it: three SMS cost 0.2376 AUD; a playbook branches on "
        "summary.refused_by",
        "send_message",
        {"to": "+61411111111, +61422222222, +61433333333", "message": "Alert 132: disk full"},
        expect="failed",
        config={"max_cost_per_action": 0.2},
    )
    demo.action(
        "Under the cap the send goes out after the price check (a parameter cannot raise the cap)",
        "send_message",
        {"to": "+61411111111", "message": "Alert 133: disk full", "max_cost_per_action": 1000},
        config={"max_cost_per_action": 0.2},
    )
    demo.action(
        "The recipient cap (2) refuses a send to three numbers",
        "send_message",
        {"to": "+61411111111, +61422222222, +61433333333", "message": "Alert 134"},
        expect="failed",
        config={"max_recipients_per_action": 2},
    )
    demo.action(
        "The recipient cap counts distinct numbers: 'to' and the two-number list share one, so three people are reached (cap 3)",
        "send_message",
        {"to": "+61411111111, +61433333333", "contact_list_id": on_call["list_id"], "message": "Alert 135"},
        config={"max_recipients_per_action": 3},
    )
    demo.action("List the SMS sent to one number, newest first", "list_messages", {"to": "0411 111 111", "limit": 5})
    demo.action(
        "List delivered SMS only (status code 201) since yesterday", "list_messages", {"status": "201", "date_from": _yesterday(), "limit": 10}
    )
    # the demo asset's default_from, +61431111112, and the alpha tag SOCTeam are the account's since the first step
    sim.add_own_number("+61455555555", label="SOC lead's mobile")
    sim.add_alpha_tag("SOCAlerts", status="PENDING")
    demo.action("List every sender the account can use; the asset's default_from is marked", "list_senders")
    sim.add_list("Escalation (demo)", contacts=[{"phone_number": "+61477777777", "email": "jane@example.com", "first_name": "Jane"}])
    sim.add_list("Contractors (demo)", contacts=[{"phone_number": "0477 777 777", "first_name": "Jane", "last_name": "Citizen"}])
    demo.action(
        "Find a contact by phone or e-mail across every contact list (no list id needed)",
        "find_contact",
        {"phone_number": "+61477777777", "email": "JANE@example.com"},
    )


def _yesterday():
    import time
    from datetime import datetime, timezone

    return datetime.fromtimestamp(time.time() - 86400, tz=timezone.utc).strftime("%Y-%m-%d")
