"""Minimal fake of ``phantom.vault`` (development/tests only). Files live under ``<PHANTOM_HOME>/vault``."""

from __future__ import annotations

import os

from phantom import consts


def _platform():
    from phantom_sdk_stubs import get_active_platform

    return get_active_platform()


class Vault:
    @staticmethod
    def get_vault_tmp_dir():
        path = os.path.join(_platform().home, "vault", "tmp")
        os.makedirs(path, exist_ok=True)
        return path

    @staticmethod
    def create_attachment(file_content, container_id, file_name=None, metadata=None):
        data = file_content.encode("utf-8") if isinstance(file_content, str) else bytes(file_content)
        try:
            info = _platform()._vault_add(data, container_id, file_name, metadata)
        except ValueError as exc:
            return {"succeeded": False, "vault_id": None, "message": f"{consts.APP_ERR_FILE_ADD_TO_VAULT}. {exc}"}
        return {"succeeded": True, "vault_id": info["vault_id"], "hash": info["vault_id"], "message": consts.APP_SUCC_FILE_ADD_TO_VAULT}

    @staticmethod
    def add_attachment(file_location, container_id, file_name=None, metadata=None):
        try:
            with open(file_location, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            return {"succeeded": False, "vault_id": None, "message": f"{consts.APP_ERR_FILE_ADD_TO_VAULT}. {exc}"}
        return Vault.create_attachment(data, container_id, file_name or os.path.basename(file_location), metadata)

    @staticmethod
    def get_file_info(vault_id=None, file_name=None, container_id=None):
        return _platform()._vault_find(vault_id, file_name, container_id)
