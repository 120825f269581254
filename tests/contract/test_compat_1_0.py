"""Assets and playbooks written for the 1.0.x app keep working: its fields, action and data paths still exist."""

from tests.conftest import ACTIONS, MANIFEST


V1_SEND_MESSAGE_PATHS = """
action_result.parameter.to action_result.parameter.message action_result.status action_result.message
summary.total_objects summary.total_objects_successful action_result.data.*.response_code action_result.data.*.data.total_count
action_result.data.*.data._currency.currency_prefix_d action_result.data.*.data._currency.currency_name_long
action_result.data.*.data._currency.currency_name_short action_result.data.*.data._currency.currency_prefix_c
action_result.data.*.data.messages.*.body action_result.data.*.data.messages.*.status action_result.data.*.data.messages.*.direction
action_result.data.*.data.messages.*.message_parts action_result.data.*.data.messages.*.from action_result.data.*.data.messages.*.schedule
action_result.data.*.data.messages.*.country action_result.data.*.data.messages.*.custom_string action_result.data.*.data.messages.*.contact_id
action_result.data.*.data.messages.*.from_email action_result.data.*.data.messages.*.to action_result.data.*.data.messages.*.carrier
action_result.data.*.data.messages.*.subaccount_id action_result.data.*.data.messages.*.list_id action_result.data.*.data.messages.*.date
action_result.data.*.data.messages.*.user_id action_result.data.*.data.messages.*.message_price action_result.data.*.data.messages.*.message_id
action_result.data.*.data.total_price action_result.data.*.data.queued_count action_result.data.*.http_code action_result.data.*.response_msg
action_result.summary.response_message
""".split()


def test_v1_asset_fields_still_exist_with_their_types():
    config = MANIFEST["configuration"]
    assert config["base_url"]["data_type"] == "string"
    assert config["username"]["data_type"] == "string"
    assert config["key"]["data_type"] == "password"
    assert config["to"]["data_type"] == "string" and not config["to"]["required"]


def test_v1_send_message_parameters_and_paths_still_exist():
    action = ACTIONS["send_message"]
    assert action["action"] == "send message"
    assert {"to", "message"} <= set(action["parameters"])
    declared = {o["data_path"] for o in action["output"]}
    missing = [p for p in V1_SEND_MESSAGE_PATHS if p not in declared]
    assert not missing


def test_config_order_is_sequential_from_zero():
    orders = sorted(field["order"] for field in MANIFEST["configuration"].values())
    assert orders == list(range(len(orders)))
