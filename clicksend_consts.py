# Copyright (c) 2026 The ClickSend app for Splunk SOAR authors
# SPDX-License-Identifier: Apache-2.0
"""Constants of the ClickSend app: endpoints, limits, defaults and user-facing messages."""

APP_VERSION = "2.2.0"
USER_AGENT = f"splunk-soar-clicksend/{APP_VERSION}"
MESSAGE_SOURCE = "splunk-soar"  # the `source` field ClickSend records for every message the app sends

# Endpoints (relative to the asset's base_url, which ends in /v3)
EP_ACCOUNT = "account"
EP_SMS_SEND = "sms/send"
EP_SMS_PRICE = "sms/price"
EP_SMS_HISTORY = "sms/history"
EP_SMS_CANCEL = "sms/{message_id}/cancel"
EP_VOICE_CANCEL = "voice/{message_id}/cancel"
EP_SMS_INBOUND = "sms/inbound"
EP_SMS_INBOUND_READ = "sms/inbound-read/{message_id}"
EP_MMS_SEND = "mms/send"
EP_VOICE_SEND = "voice/send"
EP_INBOUND_RULES = "automations/sms/inbound"
EP_LISTS = "lists"
EP_LIST = "lists/{list_id}"
EP_LIST_CONTACTS = "lists/{list_id}/contacts"
EP_LIST_CONTACT = "lists/{list_id}/contacts/{contact_id}"

# Contacts: action parameter -> ClickSend's contact field (the parameter names are the app's; the API's differ)
CONTACT_PARAM_FIELDS = (
    ("phone_number", "phone_number"),
    ("email", "email"),
    ("first_name", "first_name"),
    ("last_name", "last_name"),
    ("company_name", "organization_name"),
    ("address_line_1", "address_line_1"),
    ("address_line_2", "address_line_2"),
    ("city", "address_city"),
    ("state", "address_state"),
    ("postal_code", "address_postal_code"),
    ("country", "address_country"),
    ("fax_number", "fax_number"),
    ("custom_1", "custom_1"),
    ("custom_2", "custom_2"),
    ("custom_3", "custom_3"),
    ("custom_4", "custom_4"),
)
# every field of a ClickSend contact a client may write (update contact PUTs all of them that hold a value)
CONTACT_WRITABLE_FIELDS = (
    "phone_number",
    "email",
    "fax_number",
    "first_name",
    "last_name",
    "organization_name",
    "address_line_1",
    "address_line_2",
    "address_city",
    "address_state",
    "address_postal_code",
    "address_country",
    "custom_1",
    "custom_2",
    "custom_3",
    "custom_4",
)
CODE_ALREADY_EXISTS = "ALREADY_EXISTS"

# Asset configuration defaults
DEFAULT_BASE_URL = "https://rest.clicksend.com/v3"
DEFAULT_TIMEOUT = 30  # seconds; one value for connect and read, as the asset's `timeout` field documents
MAX_TIMEOUT = 300
DEFAULT_MAX_MESSAGES_PER_POLL = 100
LOOPBACK_HOSTS = ("localhost",)  # plus every 127.0.0.0/8 and ::1 address, checked with ipaddress
# The regions phonenumbers reads numbers of (its SUPPORTED_REGIONS, for the pinned wheel; a test keeps the two equal):
# asset and parameter country codes are checked against this copy, so an action that reads no number never imports it.
PHONE_REGIONS = frozenset(
    """
    AC AD AE AF AG AI AL AM AO AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BW BY BZ CA CC
    CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB
    GD GE GF GG GH GI GL GM GN GP GQ GR GT GU GW GY HK HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH
    KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
    MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PR PS PT PW PY QA RE RO RS RU RW SA SB
    SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TA TC TD TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG US
    UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW
    """.split()
)

# Retries: only requests that cannot send or change anything twice are retried
RETRY_STATUSES = (429, 502, 503, 504)
RETRY_MAX_ATTEMPTS = 4  # the first try and three retries
RETRY_BACKOFF_BASE = 1.0  # seconds; doubled per retry, plus jitter
RETRY_MAX_WAIT = 30.0  # a longer Retry-After is not waited for
RETRY_TOTAL_BUDGET = 60.0  # seconds of waiting across all retries of one request

# ClickSend limits
EMAIL_MAX = 254  # RFC 5321's longest address; longer input is refused before any pattern looks at it
URL_MAX = 2048  # the longest media_url (or other URL parameter) accepted
MAX_LISTED = 10  # numbers or messages named one by one in a message to the user; the rest are counted
SEND_BATCH_SIZE = 1000  # messages per send call
# A send to more recipients than this keeps a compact result: per call ClickSend's totals and the messages it did not
# queue (whole); data.queued (every send) lists those it queued (see clicksend_delivery). Up to this many, the result
# holds ClickSend's answers whole, as 1.0.x did.
COMPACT_SEND_THRESHOLD = SEND_BATCH_SIZE
PAGE_LIMIT = 100  # the largest page ClickSend serves
MAX_PAGES = 500  # a list read stops with an error after this many pages (50 000 items)
# Requests in flight at once when the app reads pages or marks messages read (clicksend_parallel.Workers.map_ordered): one
# requests.Session whose connection pool has this many connections; halved (down to 1) each time ClickSend answers 429.
# Sends never overlap: the calls of one send go one after another.
MAX_IN_FLIGHT = 8
GSM_SINGLE_PART = 160
GSM_MULTI_PART = 153
UNICODE_SINGLE_PART = 70
UNICODE_MULTI_PART = 67
SMS_DEFAULT_PARTS = 6  # ClickSend truncates an SMS beyond the account's part limit (6 unless ClickSend set it otherwise)
SMS_MAX_PARTS = 8  # the most an account can be set to; the asset's sms_part_limit may raise the app's limit up to this
ALPHA_TAG_MIN = 3
ALPHA_TAG_MAX = 11
SHORT_CODE_MIN = 3  # a dedicated short code: a numeric sender of 3-8 digits, sent unchanged
SHORT_CODE_MAX = 8
SCHEDULE_MAX_AHEAD = 366 * 86400  # seconds; a schedule further ahead is refused as a likely mistake
ERROR_EXCERPT_CHARS = 200

# ClickSend per-message status that means "accepted and queued"
STATUS_QUEUED = "SUCCESS"
# Per-message codes that stop a message for its recipient, sender or content, at the price and at the send alike: a
# price answer may leave such a message unpriced, and the spend cap counts it as 0. Codes that may pass a moment
# later (THROTTLED, INSUFFICIENT_CREDIT, INTERNAL_ERROR, SOMETHING_IS_WRONG...) or that no price answer should give are
# not among them: an unpriced message with one of those leaves the cost unknown and the send is refused.
UNBILLED_REJECTIONS = frozenset(
    (
        "INVALID_RECIPIENT", "INVALID_SENDER_ID", "COUNTRY_NOT_ENABLED", "REGISTRATION_NEEDED", "EMPTY_MESSAGE",
        "MISSING_REQUIRED_FIELDS", "INVALID_SCHEDULE", "NOT_ENOUGH_PERMISSION_TO_LIST_ID", "INVALID_LANG", "INVALID_VOICE",
        "SUBJECT_REQUIRED", "INVALID_MEDIA_FILE",
    )
)  # fmt: skip

# MMS, voice, delivery status and account (issue 3)
MMS_DIRECT_EXTENSIONS = ("jpg", "gif")  # ClickSend sends these directly; other images must be converted by its upload endpoint
MMS_CONVERT_EXTENSIONS = ("jpeg", "png", "bmp", "webp", "tif", "tiff", "heic")
MMS_DIRECT_TYPES = ("image/jpeg", "image/gif")  # Content-Type of a URL without an image extension
MMS_MAX_MEDIA_BYTES = 250_000  # ClickSend: "a single attachment with a size of up to 250 kB"
MSG_MEDIA_TOO_BIG = (
    "is {size} bytes (about {kb} kB) by its Content-Length; ClickSend takes one MMS attachment of at most 250 kB "
    "(250000 bytes), so nothing was sent: give a smaller image"
)
MMS_MEDIA_ADVICE = "ClickSend sends only .jpg and .gif images directly, so convert the image to one of those and give its URL"
VOICE_REFERENCE_PREFIX = "soar-ref-"  # custom_string of a voice message sent outside a container (ClickSend's API requires one)
MMS_SUBJECT_MAX = 20  # ClickSend's MMS subject limit; the default subject is the message's start, cut to this
MMS_MAX_GSM = 1500  # ClickSend truncates an MMS body beyond these; the app refuses it instead
MMS_MAX_UNICODE = 500
VOICE_MAX_GSM = 1200  # 4 voice parts; ClickSend truncates beyond these
VOICE_MAX_UNICODE = 600
DEFAULT_VOICE = "female"
DEFAULT_LANGUAGE = "en-us"
# The languages ClickSend's voice service lists (GET voice/lang) and the voices each offers
VOICE_LANGUAGES = {
    "en-us": ("female", "male"),
    "en-au": ("female", "male"),
    "en-gb": ("female", "male"),
    "en-in": ("female",),
    "en-gb-wls": ("female", "male"),
    "cy-gb-wls": ("female", "male"),
    "de-de": ("female", "male"),
    "es-es": ("female", "male"),
    "es-us": ("female", "male"),
    "fr-ca": ("female",),
    "fr-fr": ("female", "male"),
    "is-is": ("female", "male"),
    "it-it": ("female", "male"),
    "da-dk": ("female", "male"),
    "nl-nl": ("female", "male"),
    "nb-no": ("female",),
    "pl-pl": ("female", "male"),
    "pt-pt": ("male",),
    "pt-br": ("female", "male"),
    "ro-ro": ("female",),
    "ru-ru": ("female", "male"),
    "sv-se": ("female",),
    "tr-tr": ("female",),
}
MESSAGE_ID_PATTERN = r"^[A-Za-z0-9-]{1,64}$"  # ClickSend ids are GUIDs; ',' and ':' would break the history filter
DELIVERED_CODE = "201"
FINAL_STATUS_CODES = ("201", "301")  # delivered; failed for good (cancelled messages carry 301 too)
# history status words that are final although the row carries no status code (null or ""): content refused by
# ClickSend's staff. Compared case-insensitively. ("Completed" without a code is queued for delivery: not final.)
FINAL_STATUS_WORDS_WITHOUT_CODE = ("cancelledafterreview",)
CONFLICTING_CODE = "300"  # permanent per ClickSend's legacy API description, temporary and retried per its help centre
STATUS_300_READING = (
    "ClickSend's sources disagree on status code 300 (a permanent failure, or a temporary network error that ClickSend "
    "retries): the app follows ClickSend's help centre and reads it as temporary"
)
CREDENTIAL_WORDS = ("key", "password", "secret", "token")  # account fields whose name contains one are never returned

# Inbound SMS: on poll and list inbound messages (issue 5)
LIST_INBOUND_DEFAULT_LIMIT = 100
LIST_INBOUND_MAX_LIMIT = 1000
INBOUND_ARTIFACT_LABEL = "sms"
INBOUND_ARTIFACT_TYPE = "sms"
INBOUND_CONTAINER_DESCRIPTION = "Inbound SMS received by ClickSend"
# How the platform words a duplicate: save_container says "Duplicate container found"; save_artifact's wording for a
# duplicate artifact is undocumented ("already exists" from the SDK, "duplicate" from the REST layer)
DUPLICATE_CONTAINER_WORDS = "duplicate container found"
DUPLICATE_ARTIFACT_WORDS = ("already exists", "duplicate")
INBOUND_CEF_TYPES = {
    "from": ["phone number"],
    "to": ["phone number"],
    "message_id": ["clicksend message id"],
    "original_message_id": ["clicksend message id"],
}

# Messages
MSG_TEST_PASSED = "Test Connectivity Passed"
MSG_TEST_FAILED = "Test Connectivity Failed"
MSG_POLL_RULE_MISSING = (
    "Inbound polling needs an enabled inbound SMS automation rule with action POLL in ClickSend "
    "(Automations > Inbound SMS Rules); without one ClickSend lists no inbound messages: run the configure polling action "
    "to create it (and the delivery receipt rule)"
)
MSG_INBOUND_UNUSABLE_ID = (
    "{count} without a usable message_id (missing, or not letters, digits and '-'), which the app can neither ingest "
    "safely nor mark read: they stay unread at ClickSend"
)
MSG_INBOUND_UNEXPECTED = "the app met an unexpected {error_type} while saving it (a defect of the app: please report it)"
MSG_INBOUND_RETRY = "every message not ingested stays unread at ClickSend, so the next poll retries it without creating duplicates"
ERR_UNKNOWN_ACTION = "Unknown action identifier '{identifier}': this app has no handler for it"
ERR_UNEXPECTED = "Unexpected error while running '{action}': {error_type}"

# HTTP layer limits (clicksend_transport, clicksend_client, clicksend_masking)
# The largest legitimate answer: a send of SEND_BATCH_SIZE (1000) messages, each with an 8-part Unicode body of
# 8 x 67 = 536 UTF-16 units that ClickSend JSON-escapes as \uXXXX (6 bytes each: 3216 bytes), plus the message's other
# fields: 3.7 MB as compact JSON, 4.1 MB pretty-printed (measured with ClickSend's documented message object). The cap
# leaves about 4x headroom.
MAX_BODY_BYTES = 16 * 1024 * 1024  # an answer (after gzip/deflate decoding) larger than this fails the request
BODY_CHUNK_BYTES = 64 * 1024  # answers are read in chunks of this size, the deadline checked between chunks
ERROR_SCAN_CHARS = 16 * 1024  # an error excerpt looks at no more of a body than this
SECRET_FRAGMENT_MIN = 4  # after a cut, a trailing fragment this long that starts a secret is masked too
BASE64_CORE_MIN = 8  # the key inside other base64 text is looked for only by cores this long: shorter ones mask words
REDIRECT_LOCATION_CHARS = 120  # a redirect's Location is quoted in the error at most this long
MSG_NOT_IN_HISTORY = (
    "ClickSend's SMS history has no message with id {message_id} (it keeps about 4 months of SMS; MMS and voice messages are "
    "not in it)"
)
MSG_WAIT_CANCELLED = "The wait was cancelled after {waited}, before anything was found"
MSG_DELIVERY_WAIT_CANCELLED = "The wait was cancelled after {waited}, before a final status; the last status read was {status} ({code})"
MSG_TLS_VERIFY_OFF = "TLS certificate verification is off (asset field verify_server_cert)"

# Guard rails and the read actions: list messages, list senders, find contact (issue 7)
EP_MMS_PRICE = "mms/price"
EP_VOICE_PRICE = "voice/price"
EP_NUMBERS = "numbers"  # dedicated numbers: the standard envelope, page numbers
EP_OWN_NUMBERS = "own-numbers"  # own (verified) numbers and alpha tags: no envelope, cursor pagination
EP_ALPHA_TAGS = "alpha-tags"
OWN_NUMBERS_PAGE_SIZE = 500  # the largest page each cursor-paginated service serves
ALPHA_TAGS_PAGE_SIZE = 1000
# Test connectivity's check of default_from (clicksend_senders.reply_check): can replies come back to it? (issue 24)
MSG_SENDER_NOT_THE_ACCOUNTS = (
    "WARNING: default_from {sender} is none of the account's dedicated numbers, own numbers or alpha tags: ClickSend may "
    "refuse it or send from another number, and replies to it cannot be counted on"
)
MSG_SENDER_NOT_APPROVED = (
    "WARNING: default_from {sender} is an {kind} of the account that ClickSend has not approved ({status}): ClickSend does "
    "not send from it until it is approved"
)
MSG_SENDER_ALPHA_TAG = (
    "default_from {sender} is an alpha tag of the account: recipients cannot reply to it, so wait for reply and approvals "
    "by SMS need a dedicated number as the sender"
)
MSG_SENDER_OWN_NUMBER = (
    "default_from {sender} is an own number of the account: replies go to that phone, not to ClickSend, so wait for reply "
    "and approvals by SMS need a dedicated number as the sender"
)
MSG_SENDER_REPLIES_READY = (
    "default_from {sender} is a dedicated number of the account and a POLL rule captures its replies: approvals by SMS can work"
)
MSG_SENDER_REPLIES_SOME = (
    "WARNING: default_from {sender} is a dedicated number of the account, but its POLL rules capture only some replies "
    "({scopes}): other answers never reach SOAR"
)
MSG_SENDER_REPLIES_NONE = (
    "WARNING: default_from {sender} is a dedicated number of the account, but no POLL rule captures its replies: run "
    "configure polling, or add an inbound POLL rule for all numbers or for {sender}"
)
MSG_SENDER_RULES_UNKNOWN = (
    "default_from {sender} is a dedicated number of the account; whether a POLL rule captures its replies could not be checked"
)
MSG_SENDER_UNCHECKED = "default_from {sender} could not be checked against the account's senders ({error})"

MSG_MORE_ALPHA_TAGS = (
    "; ClickSend says the account has more than {size} alpha tags, but GET alpha-tags documents no way to ask for the page "
    "after its first, so only the first {size} were read"
)
DEFAULT_MAX_RECIPIENTS_PER_ACTION = 10_000
MAX_RECIPIENTS_PER_ACTION = 1_000_000  # the most the asset field may allow
LIST_MESSAGES_DEFAULT_LIMIT = 100
LIST_MESSAGES_MAX_LIMIT = 10_000
LIST_MESSAGES_MAX_PAGES = 200  # history pages one list messages reads at most (it filters a status code itself)
MSG_HISTORY_PAGES = (
    "; the read stopped at {pages} pages, the most one listing reads, so older messages may match too: narrow the dates "
    "(a status code is filtered by the app, which reads every message of the dates to find it)"
)
FIND_CONTACT_DEFAULT_LIMIT = 10
FIND_CONTACT_MAX_LIMIT = 1000
FIND_CONTACT_MAX_PAGES = 200  # pages (of lists and of contacts) one find contact reads at most: 20 000 contacts

# Two-way SMS: wait for reply, wait for delivery, configure polling, delivery receipts, indicators (issue 6)
EP_SMS_REPLY = "sms/inbound/{message_id}"  # the first reply to an outbound message, read or not
EP_SMS_RECEIPTS = "sms/receipts"
EP_SMS_RECEIPTS_READ = "sms/receipts-read"
EP_RECEIPT_RULES = "automations/sms/receipts"
EP_INBOUND_RULE = "automations/sms/inbound/{rule_id}"
EP_RECEIPT_RULE = "automations/sms/receipts/{rule_id}"
WAIT_DEFAULT_MINUTES = 5
WAIT_MAX_MINUTES = 60
# Seconds between two checks of a wait: the first check at once, then these pauses, the last one repeated. A wait of
# 60 minutes checks at most 2 + 240 times for a reply and 3 + 120 times for a delivery status.
REPLY_CHECK_PAUSES = (5.0, 10.0, 15.0)
DELIVERY_CHECK_PAUSES = (5.0, 10.0, 20.0, 30.0)
# A message sent moments ago may not be in ClickSend's SMS history yet: the waits look for it again, every
# HISTORY_LAG_PAUSE seconds, for up to HISTORY_LAG_SECONDS (within the wait's own time) before they give up on the id.
HISTORY_LAG_SECONDS = 60
HISTORY_LAG_PAUSE = (5.0,)
# checks failing in a row (after the first succeeded) that end a wait as failed
WAIT_FAILED_CHECKS = 3
REPLY_SUPERSEDED_EVERY = 60.0  # seconds between two history look-ups for a later message to the same number (clicksend_replies)
WAIT_REPLY_MAX_MESSAGES = 20  # message ids one wait for reply may watch
OUTCOME_ANSWERED = "answered"  # wait for reply's summary.outcome
OUTCOME_UNEXPECTED = "unexpected_reply"
OUTCOME_NO_REPLY = "no_reply"
OUTCOME_SUPERSEDED = "superseded"
MSG_ALPHA_TAG_NO_REPLIES = (
    "Message {message_id} was sent from the alpha tag {sender!r}, which recipients cannot reply to; send from a dedicated "
    "number (from, or the asset's default_from) to get replies through ClickSend"
)
MSG_OWN_NUMBER_NO_REPLIES = (
    "Message {message_id} was sent from {sender}, one of the account's own numbers: replies to it go straight to that phone, "
    "never to ClickSend, so no reply can be waited for; send from a dedicated number (from, or the asset's default_from) to "
    "get replies through ClickSend"
)
EXPECTED_ANSWERS_MAX = 20
EXPECTED_ANSWER_MAX_LENGTH = 40
RECEIPTS_SAVE_MAX = 1000  # receipts one poll saves (those sent first); the whole listing is read, the rest wait
RECEIPT_SETTLE_SECONDS = 300  # see clicksend_receipts: a second this old can gain no new receipt (clock skew included)
MSG_RECEIPTS_BUSY = (
    "delivery receipts were left to another poll of this asset that is reading them now (ClickSend marks receipts read "
    "only all at once, so two polls never read them together)"
)
MSG_RECEIPTS_CHANGED = (
    "the unread delivery receipts changed while the poll read them (another poll, or another client of the ClickSend "
    "account, marked receipts read), so the poll cannot tell which it passed over and marked none read; those read are "
    "saved and the next poll marks them read. If other systems read this account's receipts, give SOAR its own sub-account"
)
MSG_RECEIPTS_TOO_MANY = (
    "ClickSend lists more than {pages} pages ({count}) of unread delivery receipts, more than one poll can read, so none "
    "can be marked read safely; mark the old ones read in ClickSend (PUT sms/receipts-read with a date_before) or give SOAR "
    "its own sub-account"
)
RECEIPT_ARTIFACT_NAME = "Delivery receipt"
RECEIPT_ARTIFACT_LABEL = "sms"
RECEIPT_ARTIFACT_TYPE = "receipt"
RECEIPT_CEF_TYPES = {"message_id": ["clicksend message id"]}
INBOUND_RULE_NAME = "SOAR inbound SMS (ClickSend app)"
RECEIPT_RULE_NAME = "SOAR delivery receipts (ClickSend app)"
MSG_RECEIPT_RULE_MISSING = (
    "delivery receipts are not polled: that needs an enabled delivery receipt automation rule with action POLL in ClickSend "
    "(Automations > Delivery Receipt Rules, or the configure polling action)"
)
INDICATOR_SCAN_CHARS = 2000  # indicators are looked for in this much of an SMS body (hostile input stays cheap)
INDICATORS_MAX = 50  # indicators (artifacts) per message at most
INDICATOR_ARTIFACT_LABEL = "sms"
URL_SHORTENERS = frozenset(
    (
        "bit.ly", "bitly.com", "t.co", "tinyurl.com", "goo.gl", "ow.ly", "is.gd", "v.gd", "buff.ly", "rebrand.ly", "cutt.ly",
        "rb.gy", "t.ly", "tiny.cc", "shorturl.at", "s.id", "bl.ink", "lnkd.in", "qrco.de", "short.io", "shorturl.com",
        "tiny.one", "x.co", "u.to", "clck.ru", "bit.do", "surl.li", "urlz.fr", "2u.pw", "ln.run", "did.li", "gg.gg", "soo.gd",
    )
)  # fmt: skip


# State file
STATE_READ_ATTEMPTS = 6  # a file caught half-written by an overlapping run reads as unreadable: try again for about a second,
STATE_READ_PAUSE = 0.2  # then take it as unreadable (never written over: clicksend_state)
MSG_STATE_UNREADABLE = (
    "The app's state file{where} exists but cannot be read ({why}), so on poll and sends from a container stop rather "
    "than lose the reply-thread secret it holds; the SOAR administrator must make it a readable JSON file owned by the "
    "SOAR user, or delete it if it is damaged (replies to messages sent from containers before then are no longer threaded)"
)

# Thread markers (clicksend_marker)
MARKER_STATE_KEY = "thread_marker_secret"  # state key of the asset's secret
MARKER_PREFIX = "soar:"  # a caller's custom_string starting with this is refused: it would look like a marker
MARKER_TAG_HEX = 20  # hex digits of the HMAC tag in a marker: soar:<container id>:<tag>
MARKER_SECRET_MIN_HEX = 32  # a stored secret shorter than this (or not text) is not used: a new one is made

# The CEF keys of on poll's artifacts: ClickSend's field names, kept as they are
INBOUND_CEF_FIELDS = ("from", "to", "body", "message_id", "original_message_id", "original_body", "custom_string")
RECEIPT_CEF_FIELDS = ("message_id", "status_code", "status_text", "error_code", "error_text", "custom_string")

SENDER_APPROVED = "APPROVED"  # the status of an own number or alpha tag ClickSend approved
