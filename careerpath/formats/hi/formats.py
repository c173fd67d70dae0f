"""Hindi: Django's own Hindi formats, with Indian digit grouping (12,34,567: thousands, then pairs)."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "g:i A"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d-m-Y"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = (3, 2, 0)
