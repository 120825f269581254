"""Fake ``phantom`` package of the Splunk SOAR platform (development/tests only; never shipped in the app)."""

from phantom import app as app
