"""Fake of ``phantom.base_connector`` (development/tests only; never shipped in the app).

``BaseConnector._handle_action`` follows the lifecycle of the real platform (platform notes §4, in the repository's
docs/soar-platform-notes.md): parse the input JSON, load the app JSON next to the connector module, reject an
unknown identifier, decrypt password config fields, apply environment variables, ``initialize()`` once, per
parameter dict validate ``contains`` and call ``handle_action``, ``finalize()`` once, and return the result JSON
string.

Platform services (state files, containers/artifacts, progress and log capture) are provided by the active
:class:`phantom_sdk_stubs.FakePlatform`.
"""

from __future__ import annotations

import glob
import hashlib
import inspect
import json
import os
import pprint
import traceback

import encryption_helper

from phantom import consts, json_keys, utils
from phantom._fmt import join_message, safe_format
from phantom.action_result import ActionResult


__all__ = ["BaseConnector", "connector_obj", "find_app_json"]

# Module-level global of the real module; tests on real nodes reset it between runs.
connector_obj = None

_INGEST_COUNTER_KEYS = (
    json_keys.APP_JSON_CONT_SUCC,
    json_keys.APP_JSON_CONT_FAIL,
    json_keys.APP_JSON_CONT_DUP,
    json_keys.APP_JSON_ART_SUCC,
    json_keys.APP_JSON_ART_FAIL,
    json_keys.APP_JSON_ART_DUP,
)


def _platform():
    from phantom_sdk_stubs import get_active_platform

    return get_active_platform()


def _module_stem(path):
    return os.path.splitext(os.path.basename(str(path)))[0]


def _candidate_files(connector_cls):
    files = []
    for klass in inspect.getmro(connector_cls):
        if klass is BaseConnector or klass is object:
            continue
        try:
            path = inspect.getfile(klass)
        except TypeError:
            continue
        if path not in files:
            files.append(path)
    return files


def find_app_json(connector_cls):
    """Return ``(app_json_dict, app_dir, json_path)`` for a connector class, or ``(None, None, None)``.

    Like the real loader: look in the directory of the connector's module for a ``*.json`` file whose
    ``main_module`` base name matches the module file's base name. Subclasses defined elsewhere (e.g. in tests)
    fall back to their base classes' modules.
    """
    for module_file in _candidate_files(connector_cls):
        app_dir = os.path.dirname(os.path.abspath(module_file))
        stem = _module_stem(module_file)
        for json_path in sorted(glob.glob(os.path.join(app_dir, "*.json"))):
            try:
                with open(json_path, encoding="utf-8") as handle:
                    data = json.load(handle)
            except (OSError, ValueError):
                continue
            if isinstance(data, dict) and data.get(json_keys.APP_JSON_CONNECTOR) and _module_stem(data["main_module"]) == stem:
                return data, app_dir, json_path
    return None, None, None


def _render_log(tag, dump_object):
    text = "" if tag is None else str(tag)
    if dump_object is None or (isinstance(dump_object, str) and dump_object == ""):
        return text
    rendered = pprint.pformat(dump_object) if isinstance(dump_object, (dict, list, tuple, set)) else str(dump_object)
    return f"{text} {rendered}" if text else rendered


class BaseConnector:
    """Base class of classic SOAR connectors (fake)."""

    def __init__(self):
        global connector_obj
        connector_obj = self
        self._bc_setup()

    # ------------------------------------------------------------------------------------------------------------
    # internal setup
    # ------------------------------------------------------------------------------------------------------------
    def _bc_setup(self):
        self._bc_initialised = True
        self._bc_platform = _platform()
        self.print_progress_message = getattr(self, "print_progress_message", False)
        self.poll_now = getattr(self, "poll_now", False)
        self._bc_in = {}
        self._bc_handle = None
        self._bc_app_json = None
        self._bc_app_dir = None
        self._bc_action_dict = None
        self._bc_config = {}
        self._bc_results = []
        self._bc_status = consts.APP_ERROR
        self._bc_message = ""
        self._bc_summary = {}
        self._bc_state = None
        self._bc_validators = {}
        self._bc_current_param = None
        self._bc_exception_occured = False
        self._bc_counters = dict.fromkeys(_INGEST_COUNTER_KEYS, 0)
        self._bc_csrf = None

    def _bc_ensure(self):
        if not self.__dict__.get("_bc_initialised"):
            self._bc_setup()

    def _bc_load_app_json(self):
        if self._bc_app_json is None:
            data, app_dir, _path = find_app_json(type(self))
            self._bc_app_json = data
            self._bc_app_dir = app_dir
        return self._bc_app_json

    # ------------------------------------------------------------------------------------------------------------
    # lifecycle methods overridden by apps
    # ------------------------------------------------------------------------------------------------------------
    def initialize(self):
        return consts.APP_SUCCESS

    def finalize(self):
        return consts.APP_SUCCESS

    def handle_action(self, param):
        raise NotImplementedError("handle_action() must be implemented by the connector")

    def handle_exception(self, exception):
        return None

    def handle_cancel(self):
        return None

    # ------------------------------------------------------------------------------------------------------------
    # entry point
    # ------------------------------------------------------------------------------------------------------------
    def _handle_action(self, in_json, handle):
        self._bc_ensure()
        self._bc_handle = handle
        try:
            in_dict = json.loads(in_json) if isinstance(in_json, (str, bytes, bytearray)) else dict(in_json)
            if not isinstance(in_dict, dict):
                raise ValueError("input JSON is not an object")
        except (TypeError, ValueError) as exc:
            self.set_status(consts.APP_ERROR, "Unable to parse the input JSON", exc)
            return self._bc_finish(None)
        self._bc_in = in_dict

        app_json = self._bc_load_app_json()
        if app_json is None:
            self.set_status(consts.APP_ERROR, consts.APP_ERR_APP_JSON_LOAD)
            return self._bc_finish(None)

        identifier = self.get_action_identifier()
        action_dict = None
        for action in app_json.get(json_keys.APP_JSON_ACTIONS) or []:
            if isinstance(action, dict) and action.get("identifier") == identifier:
                action_dict = action
                break
        if action_dict is None:
            self.set_status(consts.APP_ERROR, consts.APP_ERR_ACTION_DICT_NOT_FOUND, action_id=identifier)
            return self._bc_finish(None)
        self._bc_action_dict = action_dict

        if not self._bc_apply_config(in_dict, app_json):
            return self._bc_finish(action_dict)
        self._bc_apply_environment_variables(in_dict.get(json_keys.APP_JSON_ENV_VARS))

        classname = type(self).__name__
        try:
            ret_val = self.initialize()
        except Exception as exc:
            self._bc_exception_occured = True
            self._bc_log_exception("initialize", exc)
            self.set_status(consts.APP_ERROR, consts.APP_ERR_EXCEPTION_OCCURED, _exc_text(exc))
            return self._bc_finish(action_dict)
        if ret_val is None:
            self.set_status(consts.APP_ERROR, consts.APP_ERR_INITIALIZE_DID_NOT_RETURN_A_VALUE, classname=classname)
            return self._bc_after_failed_initialize(action_dict)
        if utils.is_fail(ret_val):
            message = self._bc_message or safe_format(consts.APP_INITIALIZE_RETURNED_ERROR, classname=classname)
            self._bc_status = consts.APP_ERROR
            self._bc_message = message
            return self._bc_after_failed_initialize(action_dict)

        parameters = in_dict.get(json_keys.APP_JSON_PARAMETERS)
        if parameters is None:
            parameters = [{}]
        elif isinstance(parameters, dict):
            parameters = [parameters]
        for param in parameters:
            self._bc_run_one(param)

        self._bc_call_finalize()
        return self._bc_finish(action_dict)

    def _bc_after_failed_initialize(self, action_dict):
        # UNCONFIRMED whether the real platform calls finalize() after a failed initialize(); the fake does not,
        # unless FakePlatform.finalize_after_failed_initialize is set.
        if getattr(self._bc_platform, "finalize_after_failed_initialize", False):
            self._bc_call_finalize()
        return self._bc_finish(action_dict)

    def _bc_call_finalize(self):
        try:
            self.finalize()
        except Exception as exc:
            self._bc_exception_occured = True
            self._bc_log_exception("finalize", exc)

    def _bc_run_one(self, param):
        self._bc_current_param = param
        before = len(self._bc_results)
        if utils.is_fail(self.validate_parameters(param)):
            if len(self._bc_results) == before:
                result = self.add_action_result(ActionResult(dict(param)))
                result.set_status(consts.APP_ERROR, "Parameter validation failed")
            return
        try:
            self.handle_action(param)
        except Exception as exc:
            self._bc_exception_occured = True
            self._bc_log_exception("handle_action", exc)
            try:
                self.handle_exception(exc)
            except Exception as inner:
                self._bc_log_exception("handle_exception", inner)
            if len(self._bc_results) == before:
                result = self.add_action_result(ActionResult(dict(param)))
                result.set_status(consts.APP_ERROR, consts.APP_ERR_EXCEPTION_OCCURED, _exc_text(exc))

    def _bc_apply_config(self, in_dict, app_json):
        config = dict(in_dict.get(json_keys.APP_JSON_CONFIG) or {})
        dec_key = in_dict.get(json_keys.APP_JSON_DEC_KEY)
        if dec_key is not None and dec_key != "":
            for name, spec in (app_json.get(json_keys.APP_JSON_CONFIGURATION) or {}).items():
                if not isinstance(spec, dict) or spec.get(json_keys.APP_JSON_DATA_TYPE) not in consts.ENCRYPTED_DATA_TYPE:
                    continue
                value = config.get(name)
                if value is None or value == "":
                    continue
                try:
                    config[name] = encryption_helper.decrypt(value, dec_key)
                except Exception:
                    self.set_status(consts.APP_ERROR, consts.APP_ERR_DECRYPT_KEY, dict_name="asset config", key=name)
                    return False
        config.setdefault("appname", "-")
        config.setdefault("directory", os.path.basename(self._bc_app_dir or ""))
        config.setdefault("main_module", app_json.get("main_module"))
        config.setdefault("app_version", app_json.get("app_version"))
        self._bc_config = config
        return True

    @staticmethod
    def _bc_apply_environment_variables(env_vars):
        if not isinstance(env_vars, dict):
            return
        for name, spec in env_vars.items():
            value = spec.get("value") if isinstance(spec, dict) else spec
            if value is None:
                continue
            os.environ[str(name)] = str(value)

    def _bc_log_exception(self, where, exc):
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self.error_print(f"Exception in {where}():", text)

    def _bc_finish(self, action_dict):
        results = self._bc_results
        result_data = [result.get_dict() for result in results]
        total = len(results)
        successful = sum(1 for result in results if result.is_success())
        summary = {
            json_keys.APP_JSON_TOTAL_OBJECTS_TO_ACT_ON: total,
            json_keys.APP_JSON_TOTAL_OBJECTS_SUCCESS: successful,
        }
        summary.update(self._bc_summary)
        if action_dict is not None and action_dict.get("type") == "ingest":
            summary.update(self._bc_counters)

        if total:
            # UNCONFIRMED rule for several results: success if at least one succeeded.
            status = consts.APP_SUCCESS_STR if successful else consts.APP_ERROR_STR
            message = _run_message(successful, total - successful)
        else:
            status = consts.APP_SUCCESS_STR if self._bc_status else consts.APP_ERROR_STR
            message = self._bc_message or (consts.APP_SUCC_CONN_RUN if self._bc_status else consts.APP_ERR_CONN_RUN)

        for result in results:
            if result.is_fail():
                for item in result.get_debug_data():
                    self.debug_print("Debug data of a failed action result:", item)

        output = {
            json_keys.APP_JSON_ACTION_IDENTIFIER: self._bc_in.get(json_keys.APP_JSON_ACTION_IDENTIFIER),
            json_keys.APP_JSON_RESULT_DATA: result_data,
            json_keys.APP_JSON_RESULT_SUMMARY: summary,
            json_keys.APP_JSON_STATUS: status,
            json_keys.APP_JSON_MESSAGE: message,
            json_keys.APP_JSON_EXCEPTION_OCCURED: bool(self._bc_exception_occured),
            json_keys.APP_JSON_ACTION_CANCELLED: False,
        }
        text = json.dumps(output)
        self._bc_platform._record_run(text)
        return text

    # ------------------------------------------------------------------------------------------------------------
    # identity and context
    # ------------------------------------------------------------------------------------------------------------
    def get_action_identifier(self):
        return self._bc_in.get(json_keys.APP_JSON_ACTION_IDENTIFIER)

    def get_action_name(self):
        return self._bc_in.get(json_keys.APP_JSON_ACTION_NAME)

    def get_app_run_id(self):
        return self._bc_in.get(json_keys.APP_JSON_APP_RUN_ID, self._bc_in.get(json_keys.APP_JSON_IPC_APP_RUN_ID))

    def get_current_param(self):
        return self._bc_current_param

    def get_current_param_context(self):
        param = self._bc_current_param or {}
        return param.get(json_keys.APP_JSON_PARAM_CONTEXT)

    def get_config(self):
        return self._bc_config

    def get_app_config(self):
        return self._bc_in.get(json_keys.APP_JSON_APP_CONFIG)

    def get_app_json(self):
        return self._bc_load_app_json() or {}

    def get_app_id(self):
        return self.get_app_json().get(json_keys.APP_JSON_APP_ID)

    def get_connector_id(self):
        return self.get_app_id()

    def get_product_name(self):
        return self.get_app_json().get(json_keys.APP_JSON_PRODUCT_NAME)

    def get_product_vendor(self):
        return self.get_app_json().get(json_keys.APP_JSON_PRODUCT_VENDOR)

    def get_product_version_regex(self):
        return self.get_app_json().get(json_keys.APP_JSON_PRODUCT_VERSION_REGEX)

    def get_asset_id(self):
        asset_id = self._bc_in.get(json_keys.APP_JSON_ASSET_ID)
        return None if asset_id is None else str(asset_id)

    def get_container_id(self):
        return self._bc_in.get(json_keys.APP_JSON_CONTAINER_ID)

    def get_product_version(self):
        return self._bc_platform.product_version

    def get_product_installation_id(self):
        return hashlib.sha256(f"fake-soar-node:{self._bc_platform.home}".encode()).hexdigest()

    def is_poll_now(self):
        return bool(self.poll_now)

    def is_action_cancelled(self):
        return False

    # ------------------------------------------------------------------------------------------------------------
    # results, status, summary
    # ------------------------------------------------------------------------------------------------------------
    def add_action_result(self, action_result):
        action_result.set_result_index(len(self._bc_results))
        action_result.set_base_connector(self)
        self._bc_results.append(action_result)
        return action_result

    def remove_action_result(self, action_result):
        if action_result in self._bc_results:
            self._bc_results.remove(action_result)
        return action_result

    def get_action_results(self):
        return self._bc_results

    def set_status(self, status_code, status_message="", exception=None, *unnamed_format_args, **named_format_args):
        message = safe_format(status_message, *unnamed_format_args, **named_format_args)
        if exception is not None:
            message = join_message(message, str(exception))
        self._bc_status = status_code
        self._bc_message = message
        return status_code

    def set_status_save_progress(self, status_code, status_message="", exception=None, *unnamed_format_args, **named_format_args):
        self.set_status(status_code, status_message, exception, *unnamed_format_args, **named_format_args)
        self._bc_progress(self._bc_message)
        return status_code

    def get_status(self):
        return self._bc_status

    def get_status_message(self):
        return self._bc_message

    def is_success(self):
        return bool(self._bc_status)

    def is_fail(self):
        return not self._bc_status

    def append_to_message(self, message):
        self._bc_message = join_message(self._bc_message, message)
        return self._bc_status

    def update_summary(self, summary):
        """Merge into the connector-level summary (merged into ``result_summary``); returns the live dict."""
        if summary:
            self._bc_summary.update(summary)
        return self._bc_summary

    def get_summary(self):
        return self._bc_summary

    # ------------------------------------------------------------------------------------------------------------
    # progress and logging
    # ------------------------------------------------------------------------------------------------------------
    def _bc_progress(self, text):
        self._bc_platform._record_progress(text)
        if self.print_progress_message:
            print(text)

    def save_progress(self, progress_str_const, *unnamed_format_args, **named_format_args):
        self._bc_progress(safe_format(progress_str_const, *unnamed_format_args, **named_format_args))

    def send_progress(self, progress_str_const, *unnamed_format_args, **named_format_args):
        self._bc_progress(safe_format(progress_str_const, *unnamed_format_args, **named_format_args))

    def debug_print(self, tag, dump_object=""):
        self._bc_platform._record_log(_render_log(tag, dump_object), error=False)

    def error_print(self, tag, dump_object=""):
        self._bc_platform._record_log(_render_log(tag, dump_object), error=True)

    def telemetry_print(self, *args, **kwargs):
        return None

    # ------------------------------------------------------------------------------------------------------------
    # parameter validation
    # ------------------------------------------------------------------------------------------------------------
    def set_validator(self, contains, validator):
        self._bc_validators[contains] = validator
        return consts.APP_SUCCESS, ""

    def validate_parameters(self, param):
        """Check parameters whose manifest ``contains`` has a validator; on failure add a failed ActionResult."""
        action_dict = self._bc_action_dict or {}
        validators = dict(utils.CONTAINS_VALIDATORS)
        validators.update(self._bc_validators)
        for name, spec in (action_dict.get("parameters") or {}).items():
            if not isinstance(spec, dict) or not isinstance(param, dict):
                continue
            contains = spec.get(json_keys.APP_JSON_CONTAINS) or []
            checks = [validators[item] for item in contains if validators.get(item)]
            value = param.get(name)
            if not checks or value is None or value == "":
                continue
            if spec.get(json_keys.APP_JSON_ALLOW_LIST) and isinstance(value, str):
                values = utils.get_list_from_string(value)
            else:
                values = [value]
            for item in values:
                text = item if isinstance(item, str) else str(item)
                if not any(check(text) for check in checks):
                    message = f"Parameter '{name}' failed validation (expected contains: {', '.join(contains)})"
                    result = self.add_action_result(ActionResult(dict(param)))
                    result.set_status(consts.APP_ERROR, message.replace("{", "{{").replace("}", "}}"))
                    return consts.APP_ERROR
        return consts.APP_SUCCESS

    # ------------------------------------------------------------------------------------------------------------
    # state
    # ------------------------------------------------------------------------------------------------------------
    def get_state_dir(self):
        return self._bc_platform._state_dir(self.get_app_id())

    def get_state_file_path(self):
        return self._bc_platform.state_path(self.get_asset_id(), self.get_app_id())

    def load_state(self):
        """Load the state file. Missing file: create it with ``{"app_version": ...}``. Unreadable/corrupt: ``None``."""
        path = self.get_state_file_path()
        if not os.path.exists(path):
            state = {"app_version": self.get_app_json().get("app_version")}
            self._bc_write_state(path, state)
            self._bc_state = state
            return state
        try:
            with open(path, encoding="utf-8") as handle:
                state = json.load(handle)
        except (OSError, ValueError) as exc:
            self.error_print("Unable to load the state file:", str(exc))
            self._bc_state = None
            return None
        if not isinstance(state, dict):
            self.error_print("The state file does not contain a JSON object")
            self._bc_state = None
            return None
        self._bc_state = state
        return state

    def save_state(self, state):
        """Replace the whole state file with ``state`` plus the current ``app_version``."""
        data = dict(state or {})
        data["app_version"] = self.get_app_json().get("app_version")
        self._bc_write_state(self.get_state_file_path(), data)
        self._bc_state = data
        return consts.APP_SUCCESS

    @staticmethod
    def _bc_write_state(path, state):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(state, handle)

    def get_state(self):
        return self._bc_state

    # ------------------------------------------------------------------------------------------------------------
    # ingestion
    # ------------------------------------------------------------------------------------------------------------
    def _bc_ingest_defaults(self):
        ingest = (self._bc_config or {}).get("ingest") or {}
        label = ingest.get("container_label") if isinstance(ingest, dict) else None
        return {"asset_id": self.get_asset_id(), "label": label, "ingest_app_id": self.get_app_id()}

    def save_container(self, container, fail_on_duplicate=False):
        return self._bc_platform._save_container_call(container, fail_on_duplicate, self._bc_ingest_defaults(), self._bc_counters)

    def save_containers(self, containers, fail_on_duplicate=False):
        outcomes = []
        for container in containers or []:
            status, message, container_id = self.save_container(container, fail_on_duplicate=fail_on_duplicate)
            outcomes.append({"success": bool(status), "message": message, "id": container_id})
        succeeded = sum(1 for item in outcomes if item["success"])
        status = consts.APP_SUCCESS if succeeded else consts.APP_ERROR
        return status, f"{succeeded} of {len(outcomes)} containers saved", outcomes

    def save_artifact(self, artifact):
        return self._bc_platform._save_artifact_call(artifact, self._bc_ingest_defaults(), self._bc_counters, None)

    def save_artifacts(self, artifacts):
        artifacts = list(artifacts or [])
        ids = []
        failed = 0
        for index, artifact in enumerate(artifacts):
            last = index == len(artifacts) - 1
            status, _message, artifact_id = self._bc_platform._save_artifact_call(artifact, self._bc_ingest_defaults(), self._bc_counters, last)
            if not status:
                failed += 1
            ids.append(artifact_id)
        if failed:
            return consts.APP_ERROR, f"Failed to save {failed} of {len(artifacts)} artifacts", ids
        return consts.APP_SUCCESS, f"{len(artifacts)} artifacts saved", ids

    def get_container_info(self, container_id=None):
        if container_id is None:
            container_id = self.get_container_id()
        container = self._bc_platform._get_container(container_id)
        if container is None:
            return False, f"Container {container_id} not found", 404
        return True, container, 200

    # ------------------------------------------------------------------------------------------------------------
    # platform locations
    # ------------------------------------------------------------------------------------------------------------
    @staticmethod
    def _get_phantom_base_url():
        return _platform().base_url

    def get_phantom_base_url(self):
        return self._bc_platform.base_url

    def get_phantom_home(self):
        return self._bc_platform.home

    def get_app_dir(self):
        self._bc_load_app_json()
        return self._bc_app_dir

    def get_ca_bundle(self):
        return self._bc_platform.ca_bundle()

    def _set_csrf_info(self, csrftoken, referer):
        self._bc_csrf = {"csrftoken": csrftoken, "referer": referer}

    def lock(self, *args, **kwargs):
        return consts.APP_SUCCESS

    def unlock(self, *args, **kwargs):
        return consts.APP_SUCCESS


def _exc_text(exc):
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _run_message(succeeded, failed):
    """Connector-run message. Only "1 action succeeded" is confirmed; the other wordings are UNCONFIRMED."""

    def plural(count):
        return "action" if count == 1 else "actions"

    if succeeded and not failed:
        return f"{succeeded} {plural(succeeded)} succeeded"
    if failed and not succeeded:
        return f"{failed} {plural(failed)} failed"
    return f"{succeeded} {plural(succeeded)} succeeded, {failed} failed"
