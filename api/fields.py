"""DRF fields that apply the desk's input rules (``tickets.validators``) to every API
payload and query: dates in range, ISO 4217 currencies, plain-text display names."""

from rest_framework import serializers

from tickets.validators import (
    validate_currency,
    validate_date_in_range,
    validate_datetime_in_range,
    validate_plain_text,
)


class DateTimeField(serializers.DateTimeField):
    """ISO 8601, between 2000-01-01 and 2099-12-31 (a year 9999 is a 400, not an overflow)."""

    default_validators = [validate_datetime_in_range]


class DateField(serializers.DateField):
    """``YYYY-MM-DD``, between 2000-01-01 and 2099-12-31."""

    default_validators = [validate_date_in_range]


class CurrencyField(serializers.CharField):
    """An ISO 4217 code such as ``USD``."""

    default_validators = [validate_currency]

    def __init__(self, **kwargs):
        kwargs.setdefault("min_length", 3)
        kwargs.setdefault("max_length", 3)
        super().__init__(**kwargs)


class PlainTextField(serializers.CharField):
    """One line of plain text: no HTML tags or entities, no control characters."""

    default_validators = [validate_plain_text]
