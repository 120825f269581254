"""Fake of ``phantom.app`` (development/tests only; never shipped in the app).

Apps import it as ``import phantom.app as phantom``. It re-exports the constants, JSON keys, validators and
helpers, plus ``BaseConnector`` and ``ActionResult``.
"""

from phantom.action_result import ActionResult as ActionResult
from phantom.base_connector import BaseConnector as BaseConnector
from phantom.consts import *  # noqa: F403
from phantom.json_keys import *  # noqa: F403
from phantom.utils import (
    CEF_JSON as CEF_JSON,
)
from phantom.utils import (
    CEF_NAME_MAPPING as CEF_NAME_MAPPING,
)
from phantom.utils import (
    CONTAINS_VALIDATORS as CONTAINS_VALIDATORS,
)
from phantom.utils import (
    bytes_to_human_readable_size_str as bytes_to_human_readable_size_str,
)
from phantom.utils import (
    get_file_name_from_url as get_file_name_from_url,
)
from phantom.utils import (
    get_host_from_url as get_host_from_url,
)
from phantom.utils import (
    get_list_from_string as get_list_from_string,
)
from phantom.utils import (
    get_phantom_strict_tls as get_phantom_strict_tls,
)
from phantom.utils import (
    get_random_chars as get_random_chars,
)
from phantom.utils import (
    get_req_value as get_req_value,
)
from phantom.utils import (
    get_str_val as get_str_val,
)
from phantom.utils import (
    get_value as get_value,
)
from phantom.utils import (
    is_cloud_install as is_cloud_install,
)
from phantom.utils import (
    is_domain as is_domain,
)
from phantom.utils import (
    is_email as is_email,
)
from phantom.utils import (
    is_fail as is_fail,
)
from phantom.utils import (
    is_hash as is_hash,
)
from phantom.utils import (
    is_hostname as is_hostname,
)
from phantom.utils import (
    is_ip as is_ip,
)
from phantom.utils import (
    is_mac as is_mac,
)
from phantom.utils import (
    is_md5 as is_md5,
)
from phantom.utils import (
    is_sha1 as is_sha1,
)
from phantom.utils import (
    is_sha256 as is_sha256,
)
from phantom.utils import (
    is_sha512 as is_sha512,
)
from phantom.utils import (
    is_success as is_success,
)
from phantom.utils import (
    is_url as is_url,
)
from phantom.utils import (
    is_windows_path as is_windows_path,
)
from phantom.utils import (
    remove_none_values as remove_none_values,
)
from phantom.utils import (
    safe_int as safe_int,
)
from phantom.utils import (
    to_bool as to_bool,
)
