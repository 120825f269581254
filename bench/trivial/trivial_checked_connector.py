# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""The benchmark's baseline for the cold-action target: the trivial connector, but checking its one recipient with
phonenumbers as the contract requires of any app (parse with the default country, validate, format in E.164) before
the same POST. The app's own cost is what it takes beyond this; the bare trivial connector stays as information."""

import phonenumbers
from trivial_connector import TrivialConnector


class CheckedTrivialConnector(TrivialConnector):
    def handle_action(self, param):
        number = phonenumbers.parse(param["to"], self.get_config().get("default_country") or None)
        if not phonenumbers.is_valid_number(number):
            raise ValueError("not a valid phone number")
        return super().handle_action(dict(param, to=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)))
