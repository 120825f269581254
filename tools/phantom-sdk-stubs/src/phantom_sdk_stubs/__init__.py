"""Test harness for the fake SOAR platform (development/tests only; never shipped in the app).

Usage::

    from phantom_sdk_stubs import FakePlatform, ProcessKilled

    platform = FakePlatform(home=tmp_path)
    result = platform.run(MyConnector, "send_message", parameters={"to": "+61411111111"}, config={...})

See README.md of the ``phantom-sdk-stubs`` package for the full API.
"""

from __future__ import annotations

import copy
import glob
import hashlib
import json
import os
import tempfile
import uuid

from phantom import consts, json_keys


__all__ = ["FakePlatform", "ProcessKilled", "get_active_platform"]

_OPERATIONS = ("save_container", "save_artifact")
_ACTIVE = None


class ProcessKilled(BaseException):
    """Simulates the action process being killed. A BaseException, so connectors' ``except Exception`` miss it."""


def get_active_platform():
    """The active :class:`FakePlatform`; a throw-away one (temporary home) is created when none is active."""
    global _ACTIVE
    if _ACTIVE is None:
        _ACTIVE = FakePlatform(tempfile.mkdtemp(prefix="fake-phantom-home-"))
    return _ACTIVE


def _content_key(artifact):
    fields = {name: artifact.get(name) for name in ("cef", "name", "label", "type", "data")}
    return json.dumps(fields, sort_keys=True, default=str)


class FakePlatform:
    """In-memory SOAR node: containers, artifacts, vault, progress/log capture, state files under ``home``."""

    def __init__(self, home, activate=True):
        self.home = os.path.abspath(str(home))
        os.makedirs(self.home, exist_ok=True)
        self.base_url = "https://127.0.0.1/"
        self.product_version = "6.4.0.1"
        # UNCONFIRMED on the real platform: whether finalize() runs after initialize() failed. Default: no.
        self.finalize_after_failed_initialize = False
        self.reset()
        if activate:
            self.activate()

    # ------------------------------------------------------------------------------------------------------------
    def activate(self):
        """Make this the platform that BaseConnector instances created from now on use."""
        global _ACTIVE
        _ACTIVE = self
        return self

    def reset(self):
        """Clear containers, artifacts, vault, progress, logs, run results and faults. Keeps ``home`` (state files)."""
        self.containers = {}
        self.artifacts = {}
        self._container_by_sdi = {}  # (asset_id, source_data_identifier) -> container id: dedupe without a scan
        self._artifact_ids_by_container = {}  # container id -> artifact ids, in order
        self.vault = []
        self.progress = []
        self.debug_log = []
        self.error_log = []
        self.results = []
        self.run_outputs = []
        self.last_connector = None
        self.last_in_json = None
        self._next_container_id = 1
        self._next_artifact_id = 1
        self._run_counter = 0
        self._faults = {}
        self._kills = {}

    # ------------------------------------------------------------------------------------------------------------
    # running a connector
    # ------------------------------------------------------------------------------------------------------------
    def build_in_json(
        self,
        connector_class,
        identifier,
        parameters=None,
        config=None,
        asset_id="1",
        container_id=None,
        ingest_label="events",
        environment_variables=None,
    ):
        """Build the input JSON the platform passes to ``_handle_action`` (platform notes §5)."""
        import encryption_helper
        from phantom.base_connector import find_app_json

        app_json, app_dir, _path = find_app_json(connector_class)
        app_json = app_json or {}
        action_name = identifier
        for action in app_json.get("actions") or []:
            if isinstance(action, dict) and action.get("identifier") == identifier:
                action_name = action.get("action", identifier)
                break
        asset_id = str(asset_id)

        cfg = copy.deepcopy(config or {})
        for name, spec in (app_json.get("configuration") or {}).items():
            if isinstance(spec, dict) and spec.get("data_type") in consts.ENCRYPTED_DATA_TYPE:
                value = cfg.get(name)
                if value is not None and value != "":
                    cfg[name] = encryption_helper.encrypt(str(value), asset_id)
        cfg.setdefault("appname", "-")
        cfg.setdefault("directory", os.path.basename(app_dir or ""))
        cfg.setdefault("main_module", app_json.get("main_module"))
        cfg.setdefault("app_version", app_json.get("app_version"))
        if ingest_label is not None:
            cfg.setdefault(
                "ingest",
                {"container_label": ingest_label, "interval_mins": "60", "poll": True, "start_time_epoch_utc": None},
            )

        if parameters is None:
            parameters = [{}]
        elif isinstance(parameters, dict):
            parameters = [parameters]
        params = []
        for param in parameters:
            item = copy.deepcopy(dict(param))
            item.setdefault("context", {"artifact_id": 0, "guid": str(uuid.uuid4()), "parent_action_run": []})
            params.append(item)

        self._run_counter += 1
        run_id = self._run_counter
        return {
            json_keys.APP_JSON_ACTION_NAME: action_name,
            json_keys.APP_JSON_ACTION_IDENTIFIER: identifier,
            json_keys.APP_JSON_ASSET_ID: asset_id,
            json_keys.APP_JSON_CONTAINER_ID: container_id,
            json_keys.APP_JSON_IPC_ACTION_RUN_ID: run_id,
            json_keys.APP_JSON_IPC_APP_RUN_ID: run_id,
            json_keys.APP_JSON_APP_RUN_ID: run_id,
            json_keys.APP_JSON_APP_CONFIG: None,
            json_keys.APP_JSON_CONFIG: cfg,
            json_keys.APP_JSON_PARAMETERS: params,
            json_keys.APP_JSON_DEBUG_LEVEL: 3,
            json_keys.APP_JSON_DEC_KEY: asset_id,
            json_keys.APP_JSON_ENV_VARS: copy.deepcopy(environment_variables or {}),
        }

    def run(
        self,
        connector_class,
        identifier,
        parameters=None,
        config=None,
        asset_id="1",
        container_id=None,
        poll_now=False,
        ingest_label="events",
        environment_variables=None,
    ):
        """Run one action like the platform does and return the parsed result JSON (a dict).

        ``os.environ`` is snapshotted and restored around the run (the real run is a separate process), and
        ``PHANTOM_HOME`` points at ``home`` during the run. ``ProcessKilled`` propagates out of this method.
        """
        in_json = self.build_in_json(
            connector_class,
            identifier,
            parameters=parameters,
            config=config,
            asset_id=asset_id,
            container_id=container_id,
            ingest_label=ingest_label,
            environment_variables=environment_variables,
        )
        self.last_in_json = in_json
        self.activate()
        saved_env = dict(os.environ)
        os.environ["PHANTOM_HOME"] = self.home
        try:
            connector = connector_class()
            connector.poll_now = bool(poll_now)
            self.last_connector = connector
            output = connector._handle_action(json.dumps(in_json), None)
        finally:
            os.environ.clear()
            os.environ.update(saved_env)
        return json.loads(output)

    # ------------------------------------------------------------------------------------------------------------
    # capture
    # ------------------------------------------------------------------------------------------------------------
    def _record_progress(self, text):
        self.progress.append(text)

    def _record_log(self, text, error=False):
        self.debug_log.append(text)
        if error:
            self.error_log.append(text)

    def _record_run(self, text):
        self.run_outputs.append(text)
        self.results.append(json.loads(text))

    def all_output(self):
        """Progress + debug log + every run's result JSON + every state file's text, joined (for leak sweeps)."""
        parts = list(self.progress) + list(self.debug_log) + list(self.run_outputs)
        pattern = os.path.join(self.home, "local_data", "app_states", "**", "*")
        for path in sorted(glob.glob(pattern, recursive=True)):
            if os.path.isfile(path):
                with open(path, encoding="utf-8", errors="replace") as handle:
                    parts.append(handle.read())
        return "\n".join(str(part) for part in parts)

    # ------------------------------------------------------------------------------------------------------------
    # state files
    # ------------------------------------------------------------------------------------------------------------
    def _state_dir(self, appid):
        return os.path.join(self.home, "local_data", "app_states", str(appid)) + os.sep

    def state_path(self, asset_id, appid):
        return os.path.join(self._state_dir(appid), f"{asset_id}_state.json")

    def read_state(self, asset_id, appid):
        """The state file as a dict; ``None`` when it is missing, unparsable or not a JSON object."""
        path = self.state_path(asset_id, appid)
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def write_state(self, asset_id, appid, data):
        """Seed a state file: a dict is written as JSON, a str is written raw (e.g. corrupt JSON)."""
        path = self.state_path(asset_id, appid)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        text = data if isinstance(data, str) else json.dumps(data)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path

    # ------------------------------------------------------------------------------------------------------------
    # fault injection
    # ------------------------------------------------------------------------------------------------------------
    @staticmethod
    def _check_operation(operation):
        if operation not in _OPERATIONS:
            raise ValueError(f"operation must be one of {_OPERATIONS}, not {operation!r}")

    def fail_next(self, operation, times=1, message="Simulated platform failure"):
        """The next ``times`` calls of ``operation`` return ``(False, message, None)`` without saving."""
        self._check_operation(operation)
        self._faults[operation] = {"times": int(times), "message": message}

    def kill_on(self, operation, after=0):
        """The (after+1)-th call of ``operation`` from now saves, then raises :class:`ProcessKilled`."""
        self._check_operation(operation)
        self._kills[operation] = int(after)

    def _take_fault(self, operation):
        fault = self._faults.get(operation)
        if not fault or fault["times"] <= 0:
            return None
        fault["times"] -= 1
        if fault["times"] <= 0:
            del self._faults[operation]
        return fault["message"]

    def _tick_kill(self, operation):
        if operation not in self._kills:
            return False
        if self._kills[operation] <= 0:
            del self._kills[operation]
            return True
        self._kills[operation] -= 1
        return False

    # ------------------------------------------------------------------------------------------------------------
    # containers and artifacts
    # ------------------------------------------------------------------------------------------------------------
    def container_artifacts(self, container_id):
        return [self.artifacts[aid] for aid in self._artifact_ids_by_container.get(int(container_id), ())]

    def add_container(self, container):
        """Seed a container directly (no counters, no faults). An explicit ``id`` is kept. Returns the id."""
        counters = dict.fromkeys(("containers_successful", "containers_failed", "containers_duplicate"), 0)
        counters.update(dict.fromkeys(("artifacts_successful", "artifacts_failed", "artifacts_duplicate"), 0))
        defaults = {"asset_id": None, "label": None, "ingest_app_id": None}
        return self._store_container(container, False, defaults, counters, keep_id=True)[2]

    def _get_container(self, container_id):
        try:
            container = self.containers.get(int(container_id))
        except (TypeError, ValueError):
            return None
        return copy.deepcopy(container) if container is not None else None

    def _save_container_call(self, container, fail_on_duplicate, defaults, counters):
        kill = self._tick_kill("save_container")
        message = self._take_fault("save_container")
        if message is not None:
            counters[json_keys.APP_JSON_CONT_FAIL] += 1
            result = (consts.APP_ERROR, message, None)
        else:
            result = self._store_container(container, fail_on_duplicate, defaults, counters)
        if kill:
            raise ProcessKilled("process killed after save_container")
        return result

    def _save_artifact_call(self, artifact, defaults, counters, last_of_batch):
        kill = self._tick_kill("save_artifact")
        message = self._take_fault("save_artifact")
        if message is not None:
            counters[json_keys.APP_JSON_ART_FAIL] += 1
            result = (consts.APP_ERROR, message, None)
        else:
            if isinstance(artifact, dict):
                artifact = dict(artifact)
                if last_of_batch is False:
                    artifact["run_automation"] = False
                elif last_of_batch is True:
                    artifact.setdefault("run_automation", True)
            result = self._store_artifact(artifact, defaults, counters)
        if kill:
            raise ProcessKilled("process killed after save_artifact")
        return result

    def _store_container(self, container, fail_on_duplicate, defaults, counters, keep_id=False):
        if not isinstance(container, dict):
            counters[json_keys.APP_JSON_CONT_FAIL] += 1
            return consts.APP_ERROR, "Invalid container: a dictionary is required", None
        data = copy.deepcopy({key: value for key, value in container.items() if key != "artifacts"})
        artifacts = container.get("artifacts") or []
        if data.get("asset_id") is None and defaults.get("asset_id") is not None:
            data["asset_id"] = defaults["asset_id"]
        if not data.get("label"):
            data["label"] = defaults.get("label") or consts.APP_DEFAULT_CONTAINER_LABEL
        if data.get("ingest_app_id") is None and defaults.get("ingest_app_id") is not None:
            data["ingest_app_id"] = defaults["ingest_app_id"]
        data.setdefault("run_automation", False)

        sdi = data.get("source_data_identifier")
        dedupe_key = (str(data.get("asset_id")), json.dumps(sdi, sort_keys=True, default=str))
        if sdi is not None and self._container_by_sdi.get(dedupe_key) in self.containers:
            counters[json_keys.APP_JSON_CONT_DUP] += 1
            status = consts.APP_ERROR if fail_on_duplicate else consts.APP_SUCCESS
            return status, "Duplicate container found", self._container_by_sdi[dedupe_key]

        if keep_id and data.get("id") is not None:
            container_id = int(data["id"])
        else:
            container_id = self._next_container_id
        self._next_container_id = max(self._next_container_id, container_id + 1)
        data["id"] = container_id
        self.containers[container_id] = data
        if sdi is not None:
            self._container_by_sdi[dedupe_key] = container_id
        counters[json_keys.APP_JSON_CONT_SUCC] += 1

        last = len(artifacts) - 1
        for index, artifact in enumerate(artifacts):
            if isinstance(artifact, dict):
                artifact = dict(artifact)
                artifact["container_id"] = container_id
                if index < last:
                    artifact["run_automation"] = False
                else:
                    artifact.setdefault("run_automation", True)
            self._store_artifact(artifact, defaults, counters)
        return consts.APP_SUCCESS, "Successfully added container", container_id

    def _store_artifact(self, artifact, defaults, counters):
        if not isinstance(artifact, dict):
            counters[json_keys.APP_JSON_ART_FAIL] += 1
            return consts.APP_ERROR, "Invalid artifact: a dictionary is required", None
        data = copy.deepcopy(artifact)
        try:
            container_id = int(data.get("container_id"))
        except (TypeError, ValueError):
            container_id = None
        if container_id is None or container_id not in self.containers:
            counters[json_keys.APP_JSON_ART_FAIL] += 1
            return consts.APP_ERROR, f"Invalid container_id: {data.get('container_id')!r}", None
        data["container_id"] = container_id
        if not data.get("label"):
            data["label"] = consts.APP_DEFAULT_ARTIFACT_LABEL
        if not data.get("type"):
            data["type"] = consts.APP_DEFAULT_ARTIFACT_TYPE
        if data.get("ingest_app_id") is None and defaults.get("ingest_app_id") is not None:
            data["ingest_app_id"] = defaults["ingest_app_id"]
        data.setdefault("run_automation", False)

        sdi = data.get("source_data_identifier")
        key = _content_key(data)
        for existing_id in self._artifact_ids_by_container.get(container_id, ()):
            existing = self.artifacts[existing_id]
            if sdi is not None:
                duplicate = existing.get("source_data_identifier") == sdi
            else:
                duplicate = _content_key(existing) == key
            if duplicate:
                counters[json_keys.APP_JSON_ART_DUP] += 1
                return consts.APP_SUCCESS, "Artifact already exists", existing["id"]

        artifact_id = self._next_artifact_id
        self._next_artifact_id += 1
        data["id"] = artifact_id
        self.artifacts[artifact_id] = data
        self._artifact_ids_by_container.setdefault(container_id, []).append(artifact_id)
        counters[json_keys.APP_JSON_ART_SUCC] += 1
        return consts.APP_SUCCESS, "Successfully added artifact", artifact_id

    # ------------------------------------------------------------------------------------------------------------
    # vault and TLS
    # ------------------------------------------------------------------------------------------------------------
    def _vault_add(self, data, container_id, file_name, metadata):
        if container_id is None:
            raise ValueError("A container id is required")
        vault_id = hashlib.sha1(data, usedforsecurity=False).hexdigest()
        folder = os.path.join(self.home, "vault")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, vault_id)
        with open(path, "wb") as handle:
            handle.write(data)
        meta = {"sha1": vault_id, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        meta.update(metadata or {})
        info = {
            "vault_id": vault_id,
            "name": file_name or vault_id,
            "path": path,
            "size": len(data),
            "container_id": container_id,
            "container": container_id,
            "metadata": meta,
        }
        self.vault.append(info)
        return copy.deepcopy(info)

    def _vault_matches(self, info, vault_id, file_name, container_id):
        if vault_id is not None and info["vault_id"] != vault_id:
            return False
        if file_name is not None and info["name"] != file_name:
            return False
        return container_id is None or str(info["container_id"]) == str(container_id)

    def _vault_find(self, vault_id=None, file_name=None, container_id=None):
        return [copy.deepcopy(info) for info in self.vault if self._vault_matches(info, vault_id, file_name, container_id)]

    def _vault_delete(self, vault_id=None, file_name=None, container_id=None):
        deleted = [info for info in self.vault if self._vault_matches(info, vault_id, file_name, container_id)]
        self.vault = [info for info in self.vault if info not in deleted]
        return [info["name"] for info in deleted]

    def ca_bundle(self):
        """REQUESTS_CA_BUNDLE if set, else certifi's bundle when installed, else ``<home>/etc/cacerts.pem``."""
        env = os.environ.get("REQUESTS_CA_BUNDLE")
        if env:
            return env
        try:
            import certifi
        except ImportError:
            return os.path.join(self.home, "etc", "cacerts.pem")
        return certifi.where()
