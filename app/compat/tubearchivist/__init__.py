"""The TubeArchivist API (``seeds/tubearchivist-api*.md``, COMPAT.md's wire facts) over
the library, the downloads and the tasks: its browser extension, CLI tools and media
server plugins work against Tubestash unmodified.

Declared in ``layer.py``; its handlers reach the services through one ``Context``
(``context.py``) that the server builds, since this layer sits below the app keys.
"""
