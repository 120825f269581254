"""Time in the simulator: scheduled messages, delivery progress, delivery receipts and replies (API notes §7, §8, §9).

Nothing runs in the background. :func:`advance` brings the state up to a moment (now by default); the server
calls it before every API request and the ``ClickSendSimulator`` readers call it too, so every change appears
exactly when it is due ("lazily on reads"). Call with ``state.lock`` held.

An accepted SMS goes Scheduled (future ``schedule``) -> Queued ("200", for ``settings["delivery_delay"]`` seconds
after it is sent) -> final: Sent / "201" (delivered to the handset) or the number's forced outcome
(``set_delivery_outcome``). When it becomes final a receipt is created if an enabled POLL receipt rule existed when
the message was sent, and a handset with an ``auto_reply`` answers ``delay`` seconds after delivery. A reply is filed
under the latest message sent to the handset's number from the same sender when it arrives (:func:`filed_under`).
"""

from __future__ import annotations

import time
from typing import Any, Optional

from .textrules import is_alpha_tag


DELIVERED = {"status": "Sent", "status_code": "201", "status_text": "Success: Message received on handset.",
             "error_code": None, "error_text": None}
QUEUED = {"status": "Queued", "status_code": "200", "status_text": "Queued for delivery.", "error_code": None,
          "error_text": None}
SCHEDULED = {"status": "Scheduled", "status_code": "200", "status_text": "Scheduled for delivery.", "error_code": None,
             "error_text": None}
CANCELLED = {"status": "Cancelled", "status_code": "301", "status_text": "Cancelled by the user.", "error_code": "5",
             "error_text": "Cancelled"}
#: default texts of a forced failure (HELP gateway error code 8: unknown subscriber).
FAILED_DEFAULT = {"status_text": "Failed: the recipient's number is inactive or invalid.", "error_code": "8",
                  "error_text": "Unknown subscriber"}
VOICE_DELIVERED = {"status": "SUCCESS", "status_code": "201", "status_text": "Delivered"}
VOICE_SCHEDULED = {"status": "Scheduled", "status_code": "200", "status_text": "Scheduled for delivery."}
VOICE_CANCELLED = {"status": "Cancelled", "status_code": "301", "status_text": "Cancelled by the user."}

#: private keys of history rows and receipts (never answered).
PRIVATE_PREFIX = "_sim_"


def public(rec: dict[str, Any]) -> dict[str, Any]:
    """A stored row without the simulator's private keys (``_seq``, ``_sim_*``)."""
    return {k: v for k, v in rec.items() if k != "_seq" and not k.startswith(PRIVATE_PREFIX)}


def outcome_status(status_code: str) -> str:
    """The history ``status`` word of a forced outcome."""
    if status_code == "201":
        return "Sent"
    if status_code == "200":
        return "Queued"
    return "Failed"


def on_sent(state: Any, row: dict[str, Any], sent_at: float) -> None:
    """An accepted SMS leaves for the network at ``sent_at``: Queued until the delivery delay has passed."""
    delay = float(state.settings.get("delivery_delay") or 0.0)
    row.update(QUEUED)
    if delay <= 0:
        finalize(state, row, sent_at)
        return
    row["_sim_due"] = sent_at + delay
    state.pending[row["message_id"]] = row


def finalize(state: Any, row: dict[str, Any], at: float) -> None:
    """The delivery outcome of ``row`` is known at ``at``: update history, create the receipt, schedule a reply."""
    forced = state.delivery_outcomes.get(row["to"])
    if forced is None:
        row.update(DELIVERED)
    elif forced["status_code"] == "200":
        return  # stays Queued for ever: no receipt, no reply
    else:
        row.update(status=outcome_status(forced["status_code"]), **forced)
    if row.get("_sim_receipt"):
        state.receipts.append({
            "timestamp_send": int(row["date"]), "timestamp": int(at), "message_id": row["message_id"],
            "status_code": row["status_code"], "status_text": row["status_text"], "error_code": row["error_code"],
            "error_text": row["error_text"], "custom_string": row["custom_string"], "subaccount_id": row["subaccount_id"],
            "message_type": "sms", "digits": None, "_sim_user": row["_api_username"],
        })
    if row["status_code"] == "201":
        _schedule_reply(state, row, at)


def _schedule_reply(state: Any, row: dict[str, Any], delivered_at: float) -> None:
    rule = state.auto_replies.get(row["to"])
    if rule is None or is_alpha_tag(row["from"]):
        return  # nobody answers, or the sender is an alpha tag (recipients cannot reply to one)
    if rule["times"] is not None:
        rule["times"] -= 1
        if rule["times"] <= 0:
            del state.auto_replies[row["to"]]
    state.pending_replies.append({"due": delivered_at + rule["delay"], "row": row, "from_": row["to"], "body": rule["body"]})


def reply_fields(row: dict[str, Any], from_: str, body: str) -> dict[str, Any]:
    """``add_inbound_message`` arguments of a reply to the outbound SMS ``row``."""
    return {"from_": from_, "body": body, "to": row["from"], "original_message_id": row["message_id"],
            "original_body": row["body"], "custom_string": row.get("custom_string") or ""}


def filed_under(state: Any, row: dict[str, Any], at: float) -> dict[str, Any]:
    """The outbound SMS a reply to ``row`` is filed under when it arrives at ``at``: as ClickSend does, the latest
    message sent to that number from that sender by then (``row`` itself unless a later one went out); a message
    still scheduled or cancelled was never sent and takes no replies (API notes §9)."""
    latest = row
    for other in state.history:
        if (other.get("to") == row.get("to") and other.get("from") == row.get("from")
                and other.get("_api_username") == row.get("_api_username")
                and str(other.get("status")) not in ("Scheduled", "Cancelled")
                and int(other.get("date") or 0) <= at
                and (int(other.get("date") or 0), other.get("_seq", 0)) > (int(latest.get("date") or 0), latest.get("_seq", 0))):
            latest = other
    return latest


def advance(state: Any, now: Optional[float] = None) -> None:
    """Everything due by ``now`` (Unix seconds, default the current time) happens, in time order."""
    now = time.time() if now is None else now
    for mid, row in list(state.scheduled.items()):
        if int(row["schedule"]) <= now:
            del state.scheduled[mid]
            if row["status"] == "Scheduled":
                on_sent(state, row, float(row["schedule"]))
    for mid, row in sorted(state.pending.items(), key=lambda item: item[1]["_sim_due"]):
        if row["_sim_due"] <= now:
            del state.pending[mid]
            finalize(state, row, row["_sim_due"])
    if state.pending_replies:
        due = sorted((r for r in state.pending_replies if r["due"] <= now), key=lambda r: r["due"])
        state.pending_replies[:] = [r for r in state.pending_replies if r["due"] > now]
        for reply in due:
            row = filed_under(state, reply["row"], reply["due"])
            state.add_inbound_message(timestamp=int(reply["due"]), **reply_fields(row, reply["from_"], reply["body"]))
    for mid, row in list(state.voice_scheduled.items()):
        if int(row["schedule"]) <= now:
            del state.voice_scheduled[mid]
            row.update(VOICE_DELIVERED)
