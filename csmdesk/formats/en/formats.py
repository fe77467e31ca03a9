# Every moment the admin prints carries its zone ("Dec. 5, 2026, 9:30 a.m. CET"): the admin
# shows each manager's own zone (tickets.middleware), so a time without it would be ambiguous.
DATETIME_FORMAT = "N j, Y, P T"
SHORT_DATETIME_FORMAT = "m/d/Y P T"
