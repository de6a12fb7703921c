"""Gunicorn's settings for `make run` (gunicorn reads ./gunicorn.conf.py by itself).

Request lines: Lantern answers an address longer than 4,094 characters itself (414 in the
API's error shape, or a page; lantern.core.middleware.MAX_TARGET_LENGTH), so gunicorn's
own limit is raised to its maximum, 8,190: only a longer request line meets gunicorn's
plain-text 414, which it writes before any application code runs and cannot be shaped.

Access log: the path without its query string, and no Referer. A query string can carry
what an officer typed into the search box (a phone, an ID number, a handle; /search/?q=),
and gunicorn's access log passes none of Lantern's redaction filters.
"""

limit_request_line = 8190
limit_request_field_size = 8190
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s "%(a)s"'
