"""MMS, voice, price, delivery status, cancelling a scheduled SMS and the account."""


def run(demo):
    demo.action(
        "Price an SMS to two numbers before sending it (nothing is sent)",
        "calculate_price",
        {"to": "+61411111111, +61422222222", "message": "Alert 123: host isolated. " * 7},
    )
    picture = demo.sim.media_url("visitor.jpg")  # 20 kB on the simulator's stand-in web server
    demo.action(
        "Price the same message as an MMS with a picture (message_type mms, priced at mms/price)",
        "calculate_price",
        {"to": "+61411111111", "message": "Alert 123: badge photo of the visitor", "message_type": "mms", "media_url": picture},
    )
    demo.action(
        "Send an MMS with a picture; the subject defaults to the start of the message; the summary names the account's "
        "currency though ClickSend's MMS answer names none",
        "send_mms",
        {"to": "+61411111111", "message": "Alert 123: badge photo of the visitor", "media_url": picture},
        container_id=42,
    )
    demo.action(
        "Refuse an MMS whose picture is over ClickSend's 250 kB (its host says 400 kB when asked; nothing is sent)",
        "send_mms",
        {"to": "+61411111111", "message": "x", "media_url": demo.sim.media_url("poster.jpg", size=400_000)},
        expect="failed",
    )
    demo.action(
        "Refuse an MMS whose picture is not an http(s) URL (nothing is sent)",
        "send_mms",
        {"to": "+61411111111", "message": "x", "media_url": "file:///etc/passwd"},
        expect="failed",
    )
    demo.action(
        "Call the on-call engineer and read the alert out (male voice, Australian English, ask for a key press)",
        "send_voice_message",
        {
            "to": "+61422222222",
            "message": "Alert 123. Host isolated. Press 1 to acknowledge.",
            "voice": "male",
            "language": "en-au",
            "require_input": True,
        },
    )
    demo.action(
        "Price that call first (message_type voice, priced at voice/price)",
        "calculate_price",
        {"to": "+61422222222", "message": "Alert 123. Host isolated. Press 1 to acknowledge.", "message_type": "voice", "voice": "male",
         "language": "en-au"},
    )  # fmt: skip
    demo.action(
        "Refuse a voice the language does not offer (en-in has a female voice only)",
        "send_voice_message",
        {"to": "+61422222222", "message": "x", "voice": "male", "language": "en-in"},
        expect="failed",
    )
    sent = demo.action("Send an SMS to look up afterwards", "send_message", {"to": "+61433333333", "message": "Alert 124: disk full"})
    delivered_id = sent["result_data"][0]["summary"]["message_ids"][0]
    demo.action("Read its delivery status from ClickSend's SMS history", "get_message_status", {"message_id": delivered_id})
    later = demo.action(
        "Schedule an SMS for later",
        "send_message",
        {"to": "+61433333333", "message": "Reminder: change window", "schedule": demo.later},
    )
    scheduled_id = later["result_data"][0]["summary"]["message_ids"][0]
    demo.action("Its status is Scheduled (not final)", "get_message_status", {"message_id": scheduled_id})
    demo.action("Cancel the scheduled SMS", "cancel_scheduled_message", {"message_id": scheduled_id})
    demo.action("Its status is now Cancelled (final)", "get_message_status", {"message_id": scheduled_id})
    demo.action("Cancelling it again fails with ClickSend's answer", "cancel_scheduled_message", {"message_id": scheduled_id}, expect="failed")
    demo.action("Cancelling a message already sent fails too", "cancel_scheduled_message", {"message_id": delivered_id}, expect="failed")
    demo.action(
        "An id ClickSend does not know fails, naming the id",
        "get_message_status",
        {"message_id": "00000000-0000-0000-0000-000000000000"},
        expect="failed",
    )
    demo.action("Read the account: balance, currency and username (the API key is never returned)", "get_account")
