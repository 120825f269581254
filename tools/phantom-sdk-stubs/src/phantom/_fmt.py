"""Formatting helpers shared by the fake ``phantom`` modules (not part of the real platform API)."""

from __future__ import annotations


def safe_format(text, *args, **kwargs):
    """Always run ``str.format``; on KeyError/IndexError/ValueError return the raw text (SDK-shim behaviour)."""
    if text is None:
        return ""
    text = str(text)
    try:
        return text.format(*args, **kwargs)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):
        return text


def join_message(message, extra):
    """Append ``extra`` to ``message``. Separator UNCONFIRMED: ". " unless the message already ends with punctuation."""
    extra = "" if extra is None else str(extra)
    message = "" if message is None else str(message)
    if not extra:
        return message
    if not message:
        return extra
    if message.rstrip()[-1:] in (".", ":", "!", "?", ","):
        return f"{message.rstrip()} {extra}"
    return f"{message}. {extra}"
