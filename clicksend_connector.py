#!/usr/bin/env python3
# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Splunk SOAR connector for ClickSend: lifecycle, dispatch and the one place that turns errors into results.

The actions themselves live in the clicksend_actions_* modules; each exports HANDLERS, a table from action
identifier to a handler `handler(connector, params, action_result) -> success message`. A handler raises
ParameterError, ActionFailed or ClickSendError to fail; it never builds a failed result itself.

A run is one action in a fresh process, so the dispatch table names each handler as "module:function" and the
action's module is imported when the action runs: an action never pays for the imports of the others.
"""

import collections
import functools
import importlib
import json
import os
import sys
import threading

import phantom.app as phantom
from phantom.action_result import ActionResult
from phantom.base_connector import BaseConnector

import clicksend_consts as consts
from clicksend_api import Account
from clicksend_client import ClickSendClient
from clicksend_errors import ClickSendError
from clicksend_params import ActionFailed, ParameterError, Params, settings_from_config
from clicksend_state import StateFile


def _table(module, *functions):
    return {name: f"{module}:{name}" for name in functions}


# action identifier -> "module:function" (or a function: tests put stand-ins here)
HANDLERS = {
    **_table("clicksend_actions_messaging", "test_connectivity", "send_message", "send_mms", "send_voice_message", "calculate_price"),
    **_table("clicksend_actions_history", "get_message_status", "cancel_scheduled_message", "get_account"),
    **_table(
        "clicksend_actions_contacts",
        "create_contact",
        "update_contact",
        "delete_contact",
        "create_contact_list",
        "search_contact_lists",
        "search_contact_by_email",
        "search_contact_by_phone",
    ),
    **_table("clicksend_actions_inbound", "list_inbound_messages", "on_poll"),
    **_table("clicksend_actions_reads", "list_messages", "list_senders", "find_contact"),
    **_table("clicksend_actions_twoway", "wait_for_reply", "wait_for_delivery", "configure_polling"),
}


def handler_of(identifier):
    """The handler of an action, its module imported on first use; None for an identifier the app does not know."""
    handler = HANDLERS.get(identifier)
    if handler is None or callable(handler):
        return handler
    module, _, name = handler.partition(":")
    return getattr(importlib.import_module(module), name)


@functools.cache
def _manifest_file_actions():
    """The actions of the app's own clicksend.json, read once per process from beside this module: for a platform
    (or stand-in) that does not serve the manifest, so every platform gets the same parameter declarations."""
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "clicksend.json"), encoding="utf-8") as handle:
        return {action["identifier"]: action for action in json.load(handle)["actions"]}


def _escape(text: str) -> str:
    """The platform runs str.format on status and progress text: keep braces literal."""
    return str(text).replace("{", "{{").replace("}", "}}")


class ClickSendConnector(BaseConnector):
    def __init__(self):
        super().__init__()
        self.client = None
        self.settings = None
        self.account = None  # the account's facts (country, part limit), cached in the state file
        self.state = {}  # the state as this run found it; changes go through state_file, never by writing this copy back
        self.state_file = StateFile(self)
        self.last_params = None  # the Params of the last parameter handled (tests read what a handler asked for)
        self._state_note = ""
        self._actions = None  # identifier -> the manifest's action, from the manifest the platform already read
        # debug lines of the client's worker threads (mark-reads, page reads), printed from the action's own thread:
        # the platform's debug_print is not known to be safe to call from other threads
        self._thread = threading.get_ident()
        self._worker_lines: collections.deque = collections.deque()

    def _manifest_action(self, identifier):
        """The manifest's declaration of an action: the platform parsed the app JSON at start, so it is taken from
        there (one parse per run); from the file beside this module when the platform gives no actions."""
        if self._actions is None:
            try:
                served = self.get_app_json().get("actions")
            except Exception:  # a stand-in platform without the manifest: read the file instead
                served = None
            if isinstance(served, list) and served:
                self._actions = {action.get("identifier"): action for action in served if isinstance(action, dict)}
            else:
                self._actions = _manifest_file_actions()
        return self._actions.get(identifier, {})

    # --- lifecycle ------------------------------------------------------------------------------------------

    def initialize(self):
        self._thread = threading.get_ident()
        try:
            state = self.load_state()
        except Exception:  # the platform's reader should answer None on error; one that raises must not fail every action
            state = None
        if isinstance(state, dict):
            self.state = state
        else:
            self.state = {"app_version": consts.APP_VERSION}
            self._state_note = "the saved state file could not be read, so the app started from a clean state"
            self.debug(self._state_note)
        try:
            self.settings = settings_from_config(self.get_config())
        except ParameterError as err:
            return self.set_status(phantom.APP_ERROR, _escape(err))
        self.client = ClickSendClient(
            self.settings.base_url,
            self.settings.username,
            self.settings.api_key,
            timeout=self.settings.timeout,
            verify=self.settings.verify,
            log=self.debug,
        )
        self.account = Account(self.client, self.state_file, self.settings.default_country)
        return phantom.APP_SUCCESS

    def finalize(self):
        # the state is written where it changes (state_file.update): writing this run's stale copy here would undo
        # what an overlapping run saved meanwhile
        if self.client is not None:
            self.client.close()
        return phantom.APP_SUCCESS

    # --- dispatch -------------------------------------------------------------------------------------------

    def handle_action(self, param):
        try:
            return self._handle(param)
        finally:
            self._flush_worker_lines()

    def _handle(self, param):
        identifier = self.get_action_identifier()
        action_result = self.add_action_result(ActionResult(dict(param)))
        handler = handler_of(identifier)
        if handler is None:
            return action_result.set_status(phantom.APP_ERROR, _escape(consts.ERR_UNKNOWN_ACTION.format(identifier=identifier)))
        self.last_params = Params(param, self._manifest_action(identifier).get("parameters") or {})
        if self.client.tls_warning:
            self.debug(self.client.tls_warning)
            action_result.add_debug_data(self.client.tls_warning)
        try:
            message = handler(self, self.last_params, action_result)
        except (ParameterError, ActionFailed, ClickSendError) as err:
            action_result.update_summary({}).update(getattr(err, "summary", {}))  # a guard rail's refused_by, say
            self._mask_result(action_result)
            return action_result.set_status(phantom.APP_ERROR, _escape(self.client.redact(str(err))))
        except Exception as err:
            # a defect of the app: say what happened without a traceback (the type only: no data, no secrets)
            self.error_print(f"{identifier}: unexpected {type(err).__name__}")
            action = self._manifest_action(identifier).get("action", identifier)
            return action_result.set_status(
                phantom.APP_ERROR, _escape(consts.ERR_UNEXPECTED.format(action=action, error_type=type(err).__name__))
            )
        if self._state_note:
            message = f"{message}; {self._state_note}"
            self._state_note = ""
        self._mask_result(action_result)
        return action_result.set_status(phantom.APP_SUCCESS, _escape(self.client.redact(message)))

    def _mask_result(self, action_result):
        """Whatever ClickSend answered goes into the result with the asset's key masked, whichever field echoed it."""
        data = action_result.get_data()
        data[:] = self.client.redact_data(data)
        summary = action_result.get_summary()
        masked = self.client.redact_data(summary)
        summary.clear()
        summary.update(masked)

    # --- services the handlers use ----------------------------------------------------------------------------

    def progress(self, text):
        self.save_progress(_escape(self._redacted(text)))

    def debug(self, text):
        line = f"ClickSend: {self._redacted(text)}"
        if threading.get_ident() != self._thread:
            self._worker_lines.append(line)
            return
        self._flush_worker_lines()
        self.debug_print(line)

    def _flush_worker_lines(self):
        while self._worker_lines:
            self.debug_print(self._worker_lines.popleft())

    def _redacted(self, text):
        """Progress and debug lines quote ids and names a server chose, which may be the key itself."""
        return self.client.redact(str(text)) if self.client is not None else str(text)


def main(argv=None):
    """Local runner, the SOAR convention: python clicksend_connector.py input.json (needs phantom-sdk-stubs)."""
    import argparse

    parser = argparse.ArgumentParser(description="Run one ClickSend action from a SOAR input JSON file")
    parser.add_argument("input_test_json", help="the platform's input JSON: action, identifier, config, parameters")
    args = parser.parse_args(argv)
    with open(args.input_test_json, encoding="utf-8") as handle:
        in_json = json.load(handle)
    connector = ClickSendConnector()
    connector.print_progress_message = True
    result = connector._handle_action(json.dumps(in_json), None)
    sys.stdout.write(json.dumps(json.loads(result), indent=4) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
