# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""The benchmark's baseline: the least a connector can do to send one SMS on the same fake platform (no checks, no
retries, no masking). The cold-action ratio compares the app against this."""

import phantom.app as phantom
import requests
from phantom.action_result import ActionResult
from phantom.base_connector import BaseConnector


class TrivialConnector(BaseConnector):
    def handle_action(self, param):
        result = self.add_action_result(ActionResult(dict(param)))
        config = self.get_config()
        body = {"messages": [{"to": param["to"], "body": param["message"], "source": "splunk-soar"}]}
        answer = requests.post(config["base_url"] + "/sms/send", json=body, auth=(config["username"], config["key"]), timeout=30)
        answer.raise_for_status()
        result.add_data(answer.json())
        return result.set_status(phantom.APP_SUCCESS, "Sent")
