#!/usr/bin/env python3
"""Insert or replace actions in clicksend.json from a JSON file holding a list of action objects.

    python tools/manifest_upsert.py my_actions.json

Actions are matched by identifier and kept in the contract's order. The file is locked while it is rewritten,
so several people can upsert their own actions at the same time.
"""

import fcntl
import json
import pathlib
import sys


ROOT = pathlib.Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "clicksend.json"
ORDER = [
    "test_connectivity",
    "send_message",
    "send_mms",
    "send_voice_message",
    "calculate_price",
    "get_message_status",
    "wait_for_delivery",
    "cancel_scheduled_message",
    "list_messages",
    "list_inbound_messages",
    "wait_for_reply",
    "configure_polling",
    "get_account",
    "list_senders",
    "create_contact",
    "update_contact",
    "delete_contact",
    "create_contact_list",
    "search_contact_lists",
    "search_contact_by_email",
    "search_contact_by_phone",
    "find_contact",
    "on_poll",
]


def upsert(actions: list) -> None:
    with open(MANIFEST, "r+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        manifest = json.load(handle)
        by_id = {action["identifier"]: action for action in manifest["actions"]}
        for action in actions:
            by_id[action["identifier"]] = action
        rank = {identifier: index for index, identifier in enumerate(ORDER)}
        manifest["actions"] = sorted(by_id.values(), key=lambda action: rank.get(action["identifier"], len(ORDER)))
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(manifest, indent=4, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    for path in sys.argv[1:]:
        data = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
        upsert(data if isinstance(data, list) else [data])
