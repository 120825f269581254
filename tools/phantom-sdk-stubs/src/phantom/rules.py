"""Minimal fake of ``phantom.rules`` (the playbook API some apps import; development/tests only)."""

from __future__ import annotations

from phantom.vault import Vault, _platform


def vault_add(container=None, file_location=None, file_name=None, metadata=None, trace=False):
    """Return ``(success, message, vault_id)``."""
    container_id = container.get("id") if isinstance(container, dict) else container
    result = Vault.add_attachment(file_location, container_id, file_name=file_name, metadata=metadata)
    return result["succeeded"], result["message"], result.get("vault_id")


def vault_info(vault_id=None, file_name=None, container_id=None, trace=False):
    """Return ``(success, message, info_list)``."""
    infos = Vault.get_file_info(vault_id=vault_id, file_name=file_name, container_id=container_id)
    if not infos:
        return False, "No vault items found", []
    return True, f"{len(infos)} vault items found", infos


def vault_delete(vault_id=None, file_name=None, container_id=None, remove_all=False, trace=False):
    """Return ``(success, message, deleted_file_names)``."""
    deleted = _platform()._vault_delete(vault_id, file_name, container_id)
    if not deleted:
        return False, "No vault items deleted", []
    return True, f"{len(deleted)} vault items deleted", deleted
