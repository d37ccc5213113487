"""Compatibility APIs: other projects' APIs served over Tubestash's services.

Each layer is a package here (``tubearchivist/``, ``ytdlp_host/``, ``offlinetube/``) with
its routes and one ``Layer`` declaration (``layer``), listed in ``layers.LAYERS``;
``mount`` serves every declared layer under its prefix on the main port and, when its
port setting is on, at the root of a port of its own.
"""
