"""Voice history and cancel: GET /v3/voice/history, PUT /v3/voice/{message_id}/cancel (API notes §12).

Rows are the answered VoiceMessage objects of accepted voice sends (``routes_messaging_extra``) with a history
status: ``SUCCESS`` / ``"201"`` / "Delivered" once sent (as in ClickSend's example), ``Scheduled`` / ``"200"`` while
the ``schedule`` is in the future, ``Cancelled`` / ``"301"`` after a cancel. SMS ids are unknown here (404), and
voice ids are unknown to the SMS cancel.
"""

from __future__ import annotations

from .core import ApiError, Ctx, not_found, ok, route
from .delivery import VOICE_CANCELLED
from .routes_sms import history_page


@route("GET", r"/v3/voice/history")
def voice_history(ctx: Ctx):
    return ok(history_page(ctx, ctx.state.voice_history, ctx.state.voice_by_id), "Here is your history.")


@route("PUT", r"/v3/voice/{message_id}/cancel")
def voice_cancel(ctx: Ctx):
    message_id = ctx.params["message_id"].upper()
    row = ctx.state.voice_by_id.get(message_id)
    if row is None or row.get("_api_username") != ctx.username:
        raise not_found(f"Voice message {message_id} not found.")
    if row.get("status") != "Scheduled":
        raise ApiError(400, f"Voice message {message_id} is not scheduled (status {row.get('status')}); it cannot be cancelled.")
    ctx.state.voice_scheduled.pop(message_id, None)
    row.update(VOICE_CANCELLED)
    return ok([], "Voice have been cancelled.")
