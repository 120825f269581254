"""get account: GET account, every credential removed, summary balance/currency/username."""

import json

from tests.conftest import API_KEY, BASE_URL, envelope


ACCOUNT_URL = f"{BASE_URL}/account"


def account(**extra):
    data = {
        "user_id": 496596,
        "username": "soc-team@example.com",
        "balance": "42.510000",
        "account_name": "Example SOC",
        "_currency": {"currency_name_short": "AUD", "currency_prefix_d": "$"},
        "_subaccount": {"subaccount_id": 563840, "api_username": "soc-team@example.com", "api_key": API_KEY, "access_sms": 1},
    }
    data.update(extra)
    return data


def test_reads_the_account_and_drops_the_api_key(run, requests_mock):
    requests_mock.get(ACCOUNT_URL, json=envelope(account(), "Here's your account."))
    run("get_account")
    assert run.result["status"] == "success", run.result["message"]
    (request,) = requests_mock.request_history
    assert (request.method, request.url) == ("GET", ACCOUNT_URL)
    expected = account(balance=42.51)  # a number, as the summary and the result table give it
    del expected["_subaccount"]["api_key"]
    assert run.result["data"] == [expected]
    assert run.result["summary"] == {"balance": 42.51, "currency": "AUD", "username": "soc-team@example.com"}
    assert run.result["message"] == "ClickSend account soc-team@example.com (Example SOC) has a balance of 42.51 AUD"
    assert API_KEY not in json.dumps(run.out)


def test_every_credential_like_field_is_removed_at_any_depth(run, requests_mock):
    extra = {
        "password": "p",
        "Secret_Answer": "s",
        "sso_token": "t",
        "integrations": [{"name": "x", "webhook_key": "k", "auth": {"refresh_token": "r", "kept": 1}}],
    }
    requests_mock.get(ACCOUNT_URL, json=envelope(account(**extra)))
    run("get_account")
    item = run.result["data"][0]
    assert "password" not in item and "Secret_Answer" not in item and "sso_token" not in item
    assert item["integrations"] == [{"name": "x", "auth": {"kept": 1}}]
    text = json.dumps(run.out)
    for secret in (API_KEY, '"p"', '"s"', '"t"', '"k"', '"r"'):
        assert secret not in text


def test_an_unreadable_balance_is_reported_as_unknown(run, requests_mock):
    requests_mock.get(ACCOUNT_URL, json=envelope(account(balance=None, account_name=None)))
    run("get_account")
    assert run.result["summary"]["balance"] is None
    assert run.result["message"] == "ClickSend account soc-team@example.com has a balance of an unknown amount"


def test_an_answer_without_an_account_fails(run, requests_mock):
    requests_mock.get(ACCOUNT_URL, json=envelope([]))
    run("get_account")
    assert run.result["status"] == "failed"
    assert run.result["message"] == "ClickSend answered GET account without an account object"


def test_a_wrong_key_is_a_clear_failure(run, requests_mock):
    requests_mock.get(ACCOUNT_URL, status_code=401, json=envelope(None, "Unauthorized", "UNAUTHORIZED", 401))
    run("get_account")
    assert run.result["status"] == "failed"
    assert "HTTP 401" in run.result["message"] and API_KEY not in run.result["message"]


def test_older_answers_with_a_currency_key_give_the_currency(run, requests_mock):
    from tests.conftest import BASE_URL, envelope

    requests_mock.get(f"{BASE_URL}/account", json=envelope({"username": "u", "balance": "3.5", "currency": {"currency_name_short": "USD"}}))
    run("get_account")
    assert run.result["summary"]["currency"] == "USD"
    assert run.result["message"].endswith("has a balance of 3.50 USD")


def test_the_key_echoed_in_any_account_field_is_masked_in_the_result(run, requests_mock):
    requests_mock.get(ACCOUNT_URL, json=envelope(account(notes=f"support ticket mentions {API_KEY} twice: {API_KEY}")))
    run("get_account")
    assert run.result["status"] == "success", run.result["message"]
    assert API_KEY not in json.dumps(run.out)
    assert run.result["data"][0]["notes"] == "support ticket mentions *** twice: ***"
