"""All simulator state, guarded by one lock (``State.lock``)."""

from __future__ import annotations

import random
import string
import threading
import time
from typing import Any

from .core import new_message_id


DEFAULT_USERNAME = "soc-team@example.com"
DEFAULT_API_KEY = "SIM-0000-KEY"
TEST_KEY = "D83DED51-9E35-4D42-9BB9-0E34B7CA85AE"

#: ``status`` values an account can have.
ACCOUNT_STATUSES = ("active", "nocredit", "notactive", "banned")

CURRENCIES: dict[str, dict[str, str]] = {
    "AUD": {"currency_name_short": "AUD", "currency_prefix_d": "$", "currency_prefix_c": "c", "currency_name_long": "Australian Dollars"},
    "USD": {"currency_name_short": "USD", "currency_prefix_d": "$", "currency_prefix_c": "c", "currency_name_long": "US Dollars"},
    "GBP": {"currency_name_short": "GBP", "currency_prefix_d": "£", "currency_prefix_c": "p", "currency_name_long": "British Pounds"},
    "EUR": {"currency_name_short": "EUR", "currency_prefix_d": "€", "currency_prefix_c": "c", "currency_name_long": "Euros"},
    "NZD": {"currency_name_short": "NZD", "currency_prefix_d": "$", "currency_prefix_c": "c", "currency_name_long": "New Zealand Dollars"},
}

CONTACT_FIELDS = (
    "phone_number", "email", "fax_number", "first_name", "last_name", "organization_name",
    "address_line_1", "address_line_2", "address_city", "address_state", "address_postal_code",
    "address_country", "custom_1", "custom_2", "custom_3", "custom_4",
)


def currency_object(code: str) -> dict[str, str]:
    cur = dict(CURRENCIES.get(code, {"currency_name_short": code, "currency_prefix_d": "$", "currency_prefix_c": "c",
                                    "currency_name_long": code}))
    cur["min_recharge_amount"] = "20.00"
    cur["max_recharge_amount"] = "10000.00"
    return cur


class State:
    """Accounts, SMS history, lists/contacts, inbound messages and rules, receipts, read flags.

    Every route handler runs with ``lock`` held, so handlers may read and write freely. Code outside
    a handler (tests, the ``ClickSendSimulator`` helpers) must take ``with state.lock:``.
    ``clear()`` empties everything except accounts and id counters (ids never repeat).
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.accounts: dict[str, dict[str, Any]] = {}
        self._counters: dict[str, int] = {
            "user": 496596, "subaccount": 563840, "list": 1876543, "contact": 552786,
            "inbound_rule": 101, "receipt_rule": 201, "template": 301, "seq": 0, "campaign": 700,
        }
        self.clear()
        self.add_account(DEFAULT_USERNAME, DEFAULT_API_KEY)
        for name in ("nocredit", "notactive", "banned"):
            self.add_account(name, TEST_KEY, status=name)

    # -- housekeeping -------------------------------------------------------
    def clear(self) -> None:
        with self.lock:
            #: outbound (and any other) history rows, oldest first; each has a private "_seq".
            self.history: list[dict[str, Any]] = []
            self.history_by_id: dict[str, dict[str, Any]] = {}
            #: message_id -> history row still "Scheduled" (released to Sent when due, removed on cancel).
            self.scheduled: dict[str, dict[str, Any]] = {}
            #: message dicts accepted by POST /sms/send (what the API answered), in order.
            self.sent: list[dict[str, Any]] = []
            self.lists: dict[int, dict[str, Any]] = {}
            #: list_id -> {contact_id: contact}, insertion ordered.
            self.contacts: dict[int, dict[int, dict[str, Any]]] = {}
            self.inbound: list[dict[str, Any]] = []
            self.inbound_read: set = set()
            self.inbound_rules: dict[int, dict[str, Any]] = {}
            self.receipts: list[dict[str, Any]] = []
            self.receipts_read: set = set()
            self.receipt_rules: dict[int, dict[str, Any]] = {}
            #: E.164 number -> forced application status for send/price (test hook).
            self.recipient_status: dict[str, str] = {}
            #: free storage for future API areas (mms, voice, templates...).
            self.extra: dict[str, Any] = {}
            #: behaviour switches (``reset()`` restores these defaults).
            self.settings: dict[str, Any] = {
                "delivery_delay": 0.0, "bare_list_contacts": False, "mms_currency": False,
                # receipts: listing order and the stamp PUT sms/receipts-read compares (both UNCONFIRMED at ClickSend)
                "receipts_newest_first": False, "receipts_read_by": "timestamp",
            }
            #: media file name -> {"size", "content_type", "status"}: what /_sim/media/<name> answers (a stand-in for the
            #: web server that hosts an MMS image; unset names get MEDIA_DEFAULT_SIZE bytes and a type by extension).
            self.media: dict[str, dict[str, Any]] = {}
            #: message_id -> SMS history row sent but not final yet ("Queued" until its delivery time).
            self.pending: dict[str, dict[str, Any]] = {}
            #: E.164 number -> forced delivery outcome {"status_code", "status_text", "error_code", "error_text"}.
            self.delivery_outcomes: dict[str, dict[str, Any]] = {}
            #: number -> {"body", "delay", "times"}: that handset answers every SMS it receives.
            self.auto_replies: dict[str, dict[str, Any]] = {}
            #: replies not arrived yet: {"due": unix float, "fields": add_inbound_message kwargs}.
            self.pending_replies: list[dict[str, Any]] = []
            #: inbound message_id -> ids of the POLL rules that captured it when it arrived.
            self.inbound_capture: dict[str, tuple[int, ...]] = {}
            #: voice messages (rows with the VoiceMessage keys), oldest first, and the ones still scheduled.
            self.voice_history: list[dict[str, Any]] = []
            self.voice_by_id: dict[str, dict[str, Any]] = {}
            self.voice_scheduled: dict[str, dict[str, Any]] = {}
            #: senders: GET /numbers, /own-numbers, /alpha-tags items (shared by all accounts).
            self.dedicated_numbers: list[dict[str, Any]] = []
            self.own_numbers: list[dict[str, Any]] = []
            self.alpha_tags: list[dict[str, Any]] = []
            #: sms_campaign_id -> SmsCampaign object.
            self.campaigns: dict[int, dict[str, Any]] = {}

    def next_id(self, kind: str) -> int:
        with self.lock:
            self._counters[kind] = self._counters.get(kind, 0) + 1
            return self._counters[kind]

    # -- accounts -----------------------------------------------------------
    def add_account(
        self,
        username: str,
        key: str,
        balance: str = "42.510000",
        currency: str = "AUD",
        status: str = "active",
        **fields: Any,
    ) -> dict[str, Any]:
        """Add (or replace) an account. ``status``: active | nocredit | notactive | banned.
        ``fields`` override keys of the Account object returned by GET /account."""
        if status not in ACCOUNT_STATUSES:
            raise ValueError(f"status must be one of {ACCOUNT_STATUSES}")
        with self.lock:
            old = self.accounts.get(username)
            acct = {
                "username": username,
                "key": key,
                "balance": balance,
                "currency": currency,
                "status": status,
                "user_id": old["user_id"] if old else self.next_id("user") - 1,
                "subaccount_id": old["subaccount_id"] if old else self.next_id("subaccount") - 1,
                "fields": dict(fields),
            }
            self.accounts[username] = acct
            return acct

    def account_object(self, acct: dict[str, Any]) -> dict[str, Any]:
        """The Account object of GET /account (includes ``_subaccount.api_key``, like the real API)."""
        email = acct["username"] if "@" in acct["username"] else f"{acct['username']}@example.com"
        status = acct["status"]
        obj: dict[str, Any] = {
            "user_id": acct["user_id"], "username": acct["username"], "user_email": email,
            "active": 0 if status == "notactive" else 1, "banned": 1 if status == "banned" else 0,
            "date_sign_up": 1690000000, "balance": "0.000000" if status == "nocredit" else acct["balance"],
            "user_phone": "+61411111111", "reply_to": "originalemail", "delivery_to": None,
            "user_first_name": "Sim", "user_last_name": "Operator", "account": acct["user_id"],
            "account_name": "Example SOC", "account_billing_email": email, "account_billing_mobile": "+61411111111",
            "priority": 0, "country": "AU", "country_ip": "AU", "default_country_sms": "AU",
            "auto_recharge": 0, "auto_recharge_amount": "20.00", "low_credit_amount": "5.00",
            "setting_unicode_sms": 0, "setting_email_sms_subject": 0, "setting_fix_sender_id": 0,
            "setting_sms_message_char_limit": 6, "old_dashboard": 0, "balance_commission": "0.000000",
            "timezone": "Australia/Melbourne", "price_rate": 0, "private_uploads": 0, "fax_quality": 0,
            "setting_sms_hide_your_number": 0, "setting_sms_hide_business_name": 0, "pricing_variant": 0,
            "on_trial": 0, "trial_expiry": None,
            "_currency": currency_object(acct["currency"]),
            "_subaccount": {
                "subaccount_id": acct["subaccount_id"], "api_username": acct["username"], "email": email,
                "phone_number": "+61411111111", "first_name": "Sim", "last_name": "Operator",
                "api_key": acct["key"],
                "access_smpp": 0, "access_users": 1, "access_billing": 1, "access_reporting": 1,
                "access_contacts": 1, "access_settings": 1, "access_sms": 1, "access_email": 1,
                "access_voice": 1, "access_fax": 1, "access_post": 1, "access_reseller": 0,
                "access_global_sending": 1, "access_mms": 1, "hide_pricing": 0, "share_campaigns": 0,
                "notes": None, "is_main": 1, "sign_up_type": "web",
            },
            "_referrer_chosen": None,
        }
        obj.update(acct["fields"])
        return obj

    # -- history ------------------------------------------------------------
    def add_history(self, record: dict[str, Any]) -> dict[str, Any]:
        """Append a history row (the caller builds the public keys)."""
        with self.lock:
            record["_seq"] = self.next_id("seq")
            self.history.append(record)
            self.history_by_id[record["message_id"]] = record
            return record

    # -- lists and contacts -------------------------------------------------
    def add_list(self, list_name: str) -> dict[str, Any]:
        with self.lock:
            list_id = self.next_id("list")
            token = "".join(random.choice(string.ascii_uppercase + string.digits) for _ in range(16))
            self.lists[list_id] = {"list_id": list_id, "list_name": list_name, "list_email_id": token,
                                   "_import_in_progress": 0, "_optout_in_progress": 0}
            self.contacts[list_id] = {}
            return self.list_object(list_id)

    def list_object(self, list_id: int) -> dict[str, Any]:
        """The public ContactList object (with ``_contacts_count``)."""
        with self.lock:
            lst = dict(self.lists[list_id])
            lst["_contacts_count"] = len(self.contacts.get(list_id, {}))
            return lst

    def add_contact(self, list_id: int, **fields: Any) -> dict[str, Any]:
        """Add a contact to an existing list; unknown keys are ignored. Returns the stored dict."""
        with self.lock:
            if list_id not in self.lists:
                raise KeyError(f"no list {list_id}")
            now = int(time.time())
            contact: dict[str, Any] = {"contact_id": self.next_id("contact"), "list_id": list_id}
            for name in CONTACT_FIELDS:
                contact[name] = "" if name.startswith("custom_") else None
            contact.update({k: v for k, v in fields.items() if k in CONTACT_FIELDS})
            contact["date_added"] = now
            contact["date_updated"] = now
            contact["_list_name"] = self.lists[list_id]["list_name"]
            self.contacts[list_id][contact["contact_id"]] = contact
            return contact

    def list_contacts(self, list_id: int) -> list[dict[str, Any]]:
        with self.lock:
            return list(self.contacts.get(list_id, {}).values())

    # -- automation rules ---------------------------------------------------
    def add_inbound_rule(
        self,
        action: str = "POLL",
        enabled: int = 1,
        dedicated_number: str = "*",
        rule_name: str = "SOAR poll",
        message_search_type: int = 0,
        message_search_term: str = "",
        action_address: str = "",
        webhook_type: str | None = None,
        body: str | None = None,
    ) -> dict[str, Any]:
        with self.lock:
            rule_id = self.next_id("inbound_rule")
            rule = {
                "inbound_rule_id": rule_id, "dedicated_number": dedicated_number, "rule_name": rule_name,
                "message_search_type": message_search_type, "message_search_term": message_search_term,
                "action": action, "action_address": action_address, "body": body if body is not None else "",
                "enabled": enabled, "webhook_type": webhook_type or "post",
            }
            self.inbound_rules[rule_id] = rule
            return rule

    def poll_inbound_rules(self) -> list[dict[str, Any]]:
        """Enabled inbound rules with action POLL (ClickSend lists inbound SMS once per such rule)."""
        with self.lock:
            return [r for r in self.inbound_rules.values() if _is_enabled_poll(r)]

    def poll_receipt_rules(self) -> list[dict[str, Any]]:
        """Enabled delivery-receipt rules with action POLL (receipts are kept only while one exists)."""
        with self.lock:
            return [r for r in self.receipt_rules.values() if _is_enabled_poll(r)]

    # -- inbound messages (for the inbound-SMS route module) ----------------
    def add_inbound_message(
        self,
        from_: str,
        body: str,
        to: str = "+61447254068",
        original_message_id: str = "",
        original_body: str = "",
        custom_string: str = "",
        timestamp: int | None = None,
        message_id: str | None = None,
    ) -> dict[str, Any]:
        """Store an inbound SMS with the real field names (API notes §9). It arrives now: the enabled POLL rules
        that exist now and match it (number and search) capture it; rules created later never list it."""
        with self.lock:
            msg = {
                "timestamp": int(time.time()) if timestamp is None else int(timestamp),
                "from": from_, "body": body, "original_body": original_body,
                "original_message_id": original_message_id, "to": to, "custom_string": custom_string,
                "message_id": message_id or new_message_id(),
                "_keyword": (body.split() or [""])[0].lower(),
            }
            self.inbound.append(msg)
            self.inbound_capture[msg["message_id"]] = tuple(
                r["inbound_rule_id"] for r in self.poll_inbound_rules() if inbound_rule_matches(r, msg)
            )
            return msg


def _is_enabled_poll(rule: dict[str, Any]) -> bool:
    try:
        return rule.get("action") == "POLL" and int(rule.get("enabled") or 0) == 1
    except (TypeError, ValueError):
        return False


def inbound_rule_matches(rule: dict[str, Any], msg: dict[str, Any]) -> bool:
    """Does an inbound rule apply to a message? ``dedicated_number`` "*" or equal to the message's ``to``;
    ``message_search_type`` 0 any, 1 starts with, 2 contains, 3 does not contain the term (case-insensitive)."""
    number = str(rule.get("dedicated_number") or "")
    if number != "*" and number != str(msg.get("to") or ""):
        return False
    term = str(rule.get("message_search_term") or "").casefold()
    body = str(msg.get("body") or "").casefold()
    kind = str(rule.get("message_search_type") or "0").strip()
    if kind == "1":
        return body.startswith(term)
    if kind == "2":
        return term in body
    if kind == "3":
        return term not in body
    return True


def sms_part_limit(acct: dict[str, Any] | None) -> int:
    """The account's ``setting_sms_message_char_limit`` (parts beyond which ClickSend truncates; default 6)."""
    value = (acct or {}).get("fields", {}).get("setting_sms_message_char_limit", 6)
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 6


def default_country(acct: dict[str, Any] | None) -> str:
    """The account's ``default_country_sms`` (used to format national recipient numbers; default AU)."""
    return str((acct or {}).get("fields", {}).get("default_country_sms") or "AU")
