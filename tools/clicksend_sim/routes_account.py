"""Account: GET /v3/account (API notes §4)."""

from __future__ import annotations

from .core import Ctx, ok, route


@route("GET", r"/v3/account")
def account_get(ctx: Ctx):
    # Like the real API, the answer includes _subaccount.api_key: the app must strip it.
    return ok(ctx.state.account_object(ctx.account), "Here's your account.")
