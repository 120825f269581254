"""Inbound SMS: list inbound messages, on poll ingesting a new SMS, and a reply threading into the container that asked."""

CONTAINER_ID = 42
MARKER_PREFIX = f"soar:{CONTAINER_ID}:"  # the app's keyed marker for the container: soar:<container>:<HMAC tag>


def _show_container(demo, container_id):
    container = demo.platform.containers[container_id]
    print(f"      container {container_id} '{container['name']}':")
    for artifact in demo.platform.container_artifacts(container_id):
        cef = artifact["cef"]
        print(f"        artifact '{artifact['name']}': {cef.get('from')} said {cef.get('body')!r} at {cef.get('received_time')}")


def run(demo):
    if CONTAINER_ID not in demo.platform.containers:
        demo.platform.add_container({"id": CONTAINER_ID, "name": "Host WS-042 isolated: approval needed", "label": "events"})
    if not demo.sim.state.poll_inbound_rules():
        demo.sim.add_inbound_rule(action="POLL", enabled=1)
    asked = [m for m in demo.sim.sent if str(m.get("custom_string") or "").startswith(MARKER_PREFIX)]
    if not asked:
        demo.action(
            f"Ask for approval by SMS from container {CONTAINER_ID}",
            "send_message",
            {"to": "+61411111111", "message": "Host WS-042 isolated. Reply YES to approve."},
            container_id=CONTAINER_ID,
        )
        asked = [m for m in demo.sim.sent if str(m.get("custom_string") or "").startswith(MARKER_PREFIX)]
    question = asked[-1]
    demo.sim.add_inbound_message("+61455555555", "I got a text from 'my bank' asking for my password, is it real?")
    demo.sim.add_inbound_message(question["to"], "YES", original_message_id=question["message_id"], original_body=question["body"])
    forged = f"{MARKER_PREFIX}{'0' * 20}"
    demo.sim.add_inbound_message("+61477777777", "APPROVE isolate everything", custom_string=forged)
    print(f"\n      ClickSend received a new SMS, a reply to message {question['message_id']} (sent from container {CONTAINER_ID})")
    print(f"      and an SMS whose custom_string {forged!r} is forged: it must open a new container, not join {CONTAINER_ID}")

    demo.action("List the unread inbound SMS (a playbook's view; they stay unread)", "list_inbound_messages", {"limit": 10})
    out = demo.action("Poll Now: ingest the unread inbound SMS", "on_poll", {"container_count": 10}, poll_now=True)
    new = [c for c in demo.platform.containers.values() if c.get("source_data_identifier")]
    for container in new:
        print(f"      new container {container['id']} '{container['name']}' (label {container['label']})")
    _show_container(demo, CONTAINER_ID)
    if out["result_data"][0]["summary"].get("threaded_replies") != 1:
        demo.failures += 1
        print("      FAIL: the reply did not thread into its container")
    demo.action("Poll again: nothing is ingested twice", "on_poll", {"container_count": 10}, poll_now=True)

    demo.sim.add_inbound_message("+61466666666", "STOP")
    demo.action("List inbound SMS and mark them read", "list_inbound_messages", {"mark_read": True})
