"""Input rules shared by every channel that takes data from outside (the REST API, the
admin): the sane range of dates, ISO 4217 currencies, and plain-text display names."""

import re
from datetime import UTC, date, datetime

import pycountry
from django.core.exceptions import ValidationError

# Every date the desk takes (an order's purchase, an event, a claim's filing, a deadline, a
# metrics as-of day) lies between Amazon's marketplaces opening to sellers and the end of
# the century. Beyond that, the calendar arithmetic of the SLA clock, the ODR window and
# time-zone conversion overflows Python's datetime (year 1 to 9999): a 500, not a 400.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)
_EARLIEST = datetime.combine(EARLIEST_DATE, datetime.min.time(), tzinfo=UTC)
_LATEST = datetime.combine(LATEST_DATE, datetime.max.time(), tzinfo=UTC)
DATE_RANGE_MESSAGE = f"Dates must lie between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}."


def datetime_in_range(value: datetime) -> bool:
    """Whether an aware (or UTC-naive) datetime lies in the desk's range of dates."""
    moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return _EARLIEST <= moment <= _LATEST


def validate_datetime_in_range(value: datetime) -> None:
    if not datetime_in_range(value):
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range")


def validate_date_in_range(value: date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range")


# ISO 4217 from pycountry's copy of the standard (kept up to date by its maintainers).
CURRENCY_CODES = frozenset(currency.alpha_3 for currency in pycountry.currencies)


def validate_currency(value: str) -> None:
    if value not in CURRENCY_CODES:
        raise ValidationError(f"{value!r} is not an ISO 4217 currency code.", code="currency")


# Text an integration supplies that the desk shows and puts into buyer messages (a seller
# account's name, a product's title, a buyer's name, a carrier): plain text, one line. The
# compliance guard refuses HTML tags and entities in a message, so a name holding them
# would get every message that names it refused; "Tom & Jerry <3" is plain text and fine.
# Stricter than the guard: any "<" that starts a tag-like token, any named or numeric entity.
_MARKUP = re.compile(r"<\s*[a-z/!?]|&(?:[a-z][a-z0-9]*|#\d+|#x[0-9a-f]+);", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
PLAIN_TEXT_MESSAGE = "Plain text only: no HTML tags or entities, no control characters or line breaks."


def is_plain_text(value: str) -> bool:
    return not (_MARKUP.search(value) or _CONTROL.search(value))


def validate_plain_text(value: str) -> None:
    if not is_plain_text(value):
        raise ValidationError(PLAIN_TEXT_MESSAGE, code="plain_text")
