"""The Telegram adapter: the only package that imports `telegram`. It parses updates, asks the core and
sends what the core rendered (`handlers`), assembles and runs the application (`app`), keeps Telegram's flood
limits (`limits`), fans reminders out (`reminders`), retries what the network dropped (`retry`) and keeps the
token out of the logs (`logs`)."""
