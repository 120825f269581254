from __future__ import annotations

import os

import phantom.rules as ph_rules
from phantom.vault import Vault


def test_vault_create_info_delete(platform, tmp_path):
    cid = platform.add_container({"name": "c"})
    created = Vault.create_attachment("hello", cid, file_name="hello.txt", metadata={"contains": ["text"]})
    assert created["succeeded"] is True and len(created["vault_id"]) == 40
    (info,) = Vault.get_file_info(vault_id=created["vault_id"])
    assert info["name"] == "hello.txt" and info["container_id"] == cid and os.path.isfile(info["path"])
    assert info["metadata"]["size"] == 5 and info["metadata"]["contains"] == ["text"]
    assert Vault.get_vault_tmp_dir().startswith(platform.home)

    source = tmp_path / "file.bin"
    source.write_bytes(b"\x00\x01")
    ok, _msg, vault_id = ph_rules.vault_add(container=cid, file_location=str(source), file_name="file.bin")
    assert ok is True
    ok, _msg, infos = ph_rules.vault_info(container_id=cid)
    assert ok is True and {i["name"] for i in infos} == {"hello.txt", "file.bin"}
    ok, _msg, deleted = ph_rules.vault_delete(vault_id=vault_id)
    assert ok is True and deleted == ["file.bin"]
    assert ph_rules.vault_info(vault_id=vault_id)[0] is False
