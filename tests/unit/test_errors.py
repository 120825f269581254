"""The error hierarchy (clicksend_errors): one sentence each, and what it says of a send's outcome."""

import clicksend_errors as ce


def test_the_outcome_a_text_states_for_a_read_a_send_never_sent_and_a_send_that_may_have_gone():
    assert ce.outcome_text(idempotent=True, never_sent=False) == ""
    assert ce.outcome_text(idempotent=False, never_sent=True) == " (nothing was sent)"
    assert "outcome is unknown" in ce.outcome_text(idempotent=False, never_sent=False)


def test_a_note_goes_before_the_closing_nothing_was_sent():
    err = ce.ClickSendConnectionError("The app could not connect to ClickSend (nothing was sent)", never_sent=True)
    ce.add_note(err, "; gave up after 4 attempts")
    assert str(err) == "The app could not connect to ClickSend; gave up after 4 attempts (nothing was sent)"
    other = ce.ClickSendError("ClickSend refused GET account")
    ce.add_note(other, "; gave up")
    assert str(other) == "ClickSend refused GET account; gave up" and not other.outcome_unknown


def test_an_invalid_path_value_is_both_a_clicksend_error_and_a_value_error_naming_its_field():
    err = ce.InvalidPathValue("message_id '.' cannot be a ClickSend id", field="message_id", value=".")
    assert isinstance(err, ce.ClickSendError) and isinstance(err, ValueError)
    assert (err.field, err.value) == ("message_id", ".")
