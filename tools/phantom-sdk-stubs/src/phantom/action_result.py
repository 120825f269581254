"""Fake of ``phantom.action_result`` (development/tests only)."""

from __future__ import annotations

from phantom import consts, json_keys
from phantom._fmt import join_message, safe_format


__all__ = ["ActionResult", "summary_to_message"]


def summary_to_message(summary):
    """Platform rule for an empty result message: ``"Key: value, Key2: value2"`` from the summary (insertion order).

    ``_`` becomes a space and only the first letter is upper-cased (whether the rest is lower-cased is UNCONFIRMED;
    the fake leaves it unchanged). Values are rendered with ``str()``.
    """
    parts = []
    for key, value in (summary or {}).items():
        label = str(key).replace("_", " ")
        label = label[:1].upper() + label[1:]
        parts.append(f"{label}: {value}")
    return ", ".join(parts)


class ActionResult:
    """One result of one ``handle_action`` call. The default status is *failed* (UNCONFIRMED on the real platform)."""

    def __init__(self, param=None):
        if param is None:
            param = {}
        if not isinstance(param, dict):
            raise TypeError("ActionResult param must be a dict")
        self._param = param
        self._status = consts.APP_ERROR
        self._message = ""
        self._data = []
        self._extra_data = []
        self._debug_data = []
        self._summary = {}
        self._context = {}
        self._result_index = None
        self._base_connector = None

    # --- status and message -------------------------------------------------------------------------------------
    def set_status(self, status_code, status_message="", exception=None, *unnamed_format_args, **named_format_args):
        self._status = status_code
        message = safe_format(status_message, *unnamed_format_args, **named_format_args)
        if exception is not None:
            message = join_message(message, str(exception))
        self._message = message
        return status_code

    def get_status(self):
        return self._status

    def is_success(self):
        return bool(self._status)

    def is_fail(self):
        return not self._status

    def get_message(self):
        return self._message

    def append_to_message(self, message_str):
        self._message = join_message(self._message, message_str)
        return self._status

    def add_exception_details(self, exception):
        self._message = join_message(self._message, str(exception))
        return self._status

    # --- data -----------------------------------------------------------------------------------------------------
    def add_data(self, item):
        self._data.append(item)
        return item

    def update_data(self, items):
        self._data.extend(items)
        return self._data

    def get_data(self):
        return self._data

    def get_data_size(self):
        return len(self._data)

    def set_data_size(self, size):
        return size

    def add_extra_data(self, item):
        self._extra_data.append(item)
        return item

    def update_extra_data(self, items):
        self._extra_data.extend(items)
        return self._extra_data

    def get_extra_data(self):
        return self._extra_data

    def get_extra_data_size(self):
        return len(self._extra_data)

    def set_extra_data_size(self, size):
        return size

    def add_debug_data(self, item):
        self._debug_data.append(str(item))
        return item

    def get_debug_data(self):
        return self._debug_data

    def get_debug_data_size(self):
        return len(self._debug_data)

    def set_debug_data_size(self, size):
        return size

    # --- summary --------------------------------------------------------------------------------------------------
    def update_summary(self, summary):
        """Merge into the internal summary and return the internal (live) dict."""
        if summary:
            self._summary.update(summary)
        return self._summary

    def set_summary(self, summary):
        """Replace the summary and return the dict that was set (live)."""
        self._summary = summary if summary is not None else {}
        return self._summary

    def get_summary(self):
        return self._summary

    # --- parameters -----------------------------------------------------------------------------------------------
    def get_param(self):
        return self._param

    def update_param(self, param_dict):
        self._param.update(param_dict or {})
        return self._param

    def set_param(self, param_dict):
        self._param = param_dict if param_dict is not None else {}
        return self._param

    def set_param_context(self, context):
        self._context = context if context is not None else {}

    def get_param_context(self):
        return self._context

    # --- internal setters seen on the real class ------------------------------------------------------------------
    def set_result_index(self, index):
        self._result_index = index

    def set_base_connector(self, connector):
        self._base_connector = connector

    # --- serialisation --------------------------------------------------------------------------------------------
    def get_dict(self):
        message = self._message
        if not message and self._summary:
            message = summary_to_message(self._summary)
        return {
            json_keys.APP_JSON_DATA: self._data,
            json_keys.APP_JSON_EXTRA_DATA: self._extra_data,
            json_keys.APP_JSON_SUMMARY: self._summary,
            json_keys.APP_JSON_STATUS: consts.APP_SUCCESS_STR if self._status else consts.APP_ERROR_STR,
            json_keys.APP_JSON_MESSAGE: message if message is not None else "",
            json_keys.APP_JSON_RES_PARAMS: self._param,
            "context": self._context,
        }

    def __repr__(self):
        status = consts.APP_SUCCESS_STR if self._status else consts.APP_ERROR_STR
        return f"<ActionResult status={status} message={self._message!r}>"
