"""The service's own log: a rotating file under the config path, read page by page, and a
live feed of new lines for the Logs page."""
