"""Two-way SMS: an approval round trip (send, the approver replies YES, wait for reply -> answer YES), delivery tracking,
delivery receipts in on poll, and a forwarded smishing text turned into URL and domain artifacts."""

import clicksend_consts as consts


CONTAINER_ID = 45
APPROVER = "+61422222222"
SMISHING = "FWD from a customer: 'AusPost: your parcel is held. Pay the fee at hxxps://auspost-fee[.]example/pay or bit.ly/3xYzAb' real?"


def _show(demo, container_id, title):
    print(f"      {title} (container {container_id}):")
    for artifact in demo.platform.container_artifacts(container_id):
        cef = {key: value for key, value in artifact["cef"].items() if key != "message_id"}
        shown = {key: cef[key] for key in list(cef)[:4]}
        print(f"        artifact '{artifact['name']}' (run_automation {artifact.get('run_automation')}): {shown}")


def _expect(demo, ok, what):
    if not ok:
        demo.failures += 1
        print(f"      FAIL: {what}")


def run(demo):
    if CONTAINER_ID not in demo.platform.containers:
        demo.platform.add_container({"id": CONTAINER_ID, "name": "Host WS-045 beaconing: approval needed", "label": "events"})
    demo.action("Configure polling: find or create the POLL rules for inbound SMS and delivery receipts", "configure_polling")
    demo.action("Configure polling again: both rules are found, nothing is created twice", "configure_polling")

    demo.sim.auto_reply(APPROVER, "Yes, isolate it", delay=0, times=1)
    sent = demo.action(
        f"Ask the approver by SMS from container {CONTAINER_ID} (sent from the asset's dedicated number, so it can be answered)",
        "send_message",
        {"to": APPROVER, "message": "Host WS-045 is beaconing. Isolate it? Reply YES or NO"},
        container_id=CONTAINER_ID,
    )
    message_id = sent["result_data"][0]["summary"]["message_ids"][0]
    demo.action(
        "Wait for delivery: the question reached the approver's phone", "wait_for_delivery", {"message_id": message_id, "timeout_minutes": 1}
    )
    print(f"      the approver answered {APPROVER}: 'Yes, isolate it'")
    waited = demo.action(
        "Wait for reply: the playbook branches on the answer",
        "wait_for_reply",
        {"message_id": message_id, "timeout_minutes": 1, "expected_answers": "YES,NO"},
    )
    _expect(demo, waited["result_data"][0]["summary"].get("answer") == "YES", "wait for reply did not give the answer YES")
    _expect(demo, waited["result_data"][0]["summary"].get("outcome") == "answered", "wait for reply's outcome is not answered")

    # two questions to the same approver from the same container: ClickSend files the answer under the later one
    first = demo.action(
        "Ask a first question: reset the password of j.doe?",
        "send_message",
        {"to": APPROVER, "message": "Reset the password of j.doe? Reply YES or NO"},
        container_id=CONTAINER_ID,
    )["result_data"][0]["summary"]["message_ids"][0]
    later = demo.action(
        "Ask a second question before the first is answered: wipe laptop WS-045?",
        "send_message",
        {"to": APPROVER, "message": "Wipe laptop WS-045? Reply YES or NO"},
        container_id=CONTAINER_ID,
    )["result_data"][0]["summary"]["message_ids"][0]
    demo.sim.add_reply(first, None, "YES")
    print(f"      the approver answered {APPROVER}: 'YES' (ClickSend files it under the latest question, the wipe)")
    superseded = demo.action(
        "Wait for reply on the first question: superseded at once, so the YES to the wipe never approves the reset",
        "wait_for_reply",
        {"message_id": first, "timeout_minutes": 1, "expected_answers": "YES,NO"},
    )["result_data"][0]["summary"]
    ended = (superseded.get("outcome"), superseded.get("superseded_by"))
    _expect(demo, ended == ("superseded", later), "the first question was not superseded")
    answered = demo.action(
        "Wait for reply on the second question: the YES answers it",
        "wait_for_reply",
        {"message_id": later, "timeout_minutes": 1, "expected_answers": "YES,NO"},
    )["result_data"][0]["summary"]
    _expect(demo, (answered.get("outcome"), answered.get("answer")) == ("answered", "YES"), "the second question got no YES")
    # a wait gives ClickSend's history a minute to list a message sent moments ago; the demo shortens that to 5 s
    lag, consts.HISTORY_LAG_SECONDS = consts.HISTORY_LAG_SECONDS, 5
    try:
        demo.action(
            "Wait for reply on an id ClickSend does not know fails once history has had time to list it (5 s here, a minute "
            "in the app), so a playbook cannot mistake it for 'no answer'",
            "wait_for_reply",
            {"message_id": "00000000-0000-0000-0000-000000000000", "timeout_minutes": 1},
            expect="failed",
        )
    finally:
        consts.HISTORY_LAG_SECONDS = lag

    reported = demo.sim.add_inbound_message("+61488888888", SMISHING)
    print(f"\n      a customer forwarded a suspicious text to the SOC's number: {SMISHING!r}")
    demo.action(
        "Poll Now: the approval threads into its container with its delivery receipt; the smishing report becomes a container with indicators",
        "on_poll",
        {"container_count": 10},
        poll_now=True,
    )
    _show(demo, CONTAINER_ID, "the approval thread")
    names = [a["name"] for a in demo.platform.container_artifacts(CONTAINER_ID)]
    _expect(demo, "Reply from " + APPROVER in names and "Delivery receipt" in names, "the reply or the receipt did not join the container")
    reruns = [a["name"] for a in demo.platform.container_artifacts(CONTAINER_ID) if a.get("run_automation")]
    _expect(demo, reruns == [], "an artifact added to the existing container would re-run its playbooks")
    report = next((c for c in demo.platform.containers.values() if c.get("source_data_identifier") == reported["message_id"]), None)
    _expect(demo, report is not None, "the smishing report got no container")
    if report is not None:
        _show(demo, report["id"], "the smishing report")
        cef = [a["cef"] for a in demo.platform.container_artifacts(report["id"])]
        _expect(demo, any(c.get("requestURL") == "https://auspost-fee.example/pay" for c in cef), "no URL artifact")
        _expect(demo, any(c.get("destinationDnsDomain") == "auspost-fee.example" for c in cef), "no domain artifact")
