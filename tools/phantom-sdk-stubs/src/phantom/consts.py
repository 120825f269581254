"""Status, message and default constants of the SOAR platform (values as on a real install; fake for dev/tests only)."""

# Status
APP_SUCCESS = True
APP_ERROR = False
APP_SUCCESS_STR = "success"
APP_ERROR_STR = "failed"
APP_SUCC_PROGRESS = 1
APP_SUCC_PROGRESS_STR = "running"
APP_SUCC_STOP = 2
APP_SUCC_STOP_STR = "stop"

# Action identifiers
ACTION_ID_TEST_ASSET_CONNECTIVITY = "test_asset_connectivity"
ACTION_ID_INGEST_ON_POLL = "on_poll"
ACTION_ID_INGEST_ON_RECEIVE = "on_receive"
APP_INGEST_ACTIONS = ["on_poll", "poll_now"]

# Progress
APP_PROG_CONNECTING_TO_ELLIPSES = "Connecting to {}..."
APP_PROG_CONNECTED_TO_SERVER = "Connected to server: '{server}'"
APP_PROG_CONNECTING_WITH_URL = "URL = '{}'"
APP_PROG_ADDING_TO_VAULT = "Adding file to vault"

# Success messages
APP_SUCC_CMD_EXEC = "Action execution succeeded"
APP_SUCC_ALL_CMDS = "100% of action executions succeeded"
APP_SUCC_SOME_CMDS = "Errors: {total_failures}"
APP_SUCC_CONN_RUN = "Connector run successful"

# Failure messages
APP_ERR_CMD_EXEC = "Action execution failed"
APP_ERR_ALL_CMDS = "100% of action executions failed"
APP_ERR_CONN_RUN = "Connector run failed"
APP_NO_CMDS_FOUND = "No action executions found"

# Lifecycle and manifest errors
APP_ERR_UNK_CMD = "Unknown Action: {action_identifier}"
APP_ERR_ACTION_DICT_NOT_FOUND = "Unknown action. Unable to find action info for '{action_id}' in App JSON"
APP_ERR_APP_JSON_LOAD = "Failed to load the app JSON"
APP_INITIALIZE_RETURNED_ERROR = "{classname}::initialize() returned error"
APP_ERR_INITIALIZE_DID_NOT_RETURN_A_VALUE = "{classname}::initialize() did not return a 'mandotary' status code"
APP_ERR_DECRYPT_KEY = "Unable to decrypt {dict_name} key '{key}'"
APP_ERR_EXCEPTION_OCCURED = "Exception Occurred"

# Vault
APP_ERR_FILE_ADD_TO_VAULT = "Failed to add file to vault"
APP_SUCC_FILE_ADD_TO_VAULT = "File added to vault"

# Defaults
APP_DEFAULT_CONTAINER_LABEL = "incident"
APP_DEFAULT_ARTIFACT_LABEL = "artifact"
APP_DEFAULT_ARTIFACT_TYPE = "network"
SEVERITY_LIST = ["low", "medium", "high"]
SENSITIVITY_LIST = ["red", "amber", "green", "white"]
KILL_CHAIN_LIST = [
    "reconnaissance",
    "weaponization",
    "delivery",
    "exploitation",
    "installation",
    "cnc",
    "actions_on_objectives",
]
MAX_COUNT_VALUE = 4294967295
ARTIFACT_BATCH_SIZE = 100
DEFAULT_LOCK_TIMEOUT = 1200
ENCRYPTED_DATA_TYPE = ["password"]

# Paths (values of one real install; the fake computes its own from the active FakePlatform home)
PHANTOM_HOME = "/home/phantomuser/phantom"
APPS_STATE_PATH = PHANTOM_HOME + "/local_data/app_states"
PHANTOM_APP_STATES = APPS_STATE_PATH
PHANTOM_BASE_URL = "https://localhost:8443"
REST_BASE_URL = "https://localhost:8443/rest/"

DATA_PATH_MAP = {
    "action_result.data": "result_data.*.data",
    "action_result.summary": "result_data.*.summary",
    "action_result.parameter": "result_data.*.parameter",
    "action_result.message": "result_data.*.message",
    "action_result.status": "result_data.*.status",
    "action_result.context": "result_data.*.context",
    "summary": "result_summary",
}
