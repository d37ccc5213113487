"""Who may do what: API keys (stored hashed), roles and permission sets, rate limits.

Every door asks the same ``Access`` object: the native API (``X-API-Key``, next to the
Basic-auth user, who is an admin), ``/ws`` and socket.io, and the compatibility layers
(yt-dlp-host's ``X-API-Key``, TubeArchivist's ``Token``) through ``authenticate_key``.
"""
