"""Entry point: ``python main.py`` starts Tubestash with settings from the environment."""

from __future__ import annotations

import sys


def main() -> int:
    # Imports live here: download children re-run this file as ``__mp_main__``, and
    # keeping its top level empty keeps their start-up free.
    import asyncio
    import logging

    from pydantic import ValidationError

    from app import keys
    from app.run import serve
    from app.server import StartupError, create_app
    from app.settings import Settings, describe_error
    from app.workers import prefork
    from app.ytdlp.jobs import PRELOAD

    try:
        settings = Settings()
    except ValidationError as error:
        print(f"tubestash: {describe_error(error)}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if not settings.auth_enabled and settings.host not in ("127.0.0.1", "localhost", "::1"):
        logging.getLogger("tubestash").warning(
            "listening on %s without authentication: anyone who can reach this address "
            "can use Tubestash (set YTP_AUTH_USERNAME and YTP_AUTH_PASSWORD)%s",
            settings.host,
            ""
            if settings.allowed_hosts
            else "; pages on other sites can reach it by DNS rebinding unless "
            "YTP_ALLOWED_HOSTS names the hosts it is reached by",
        )
    try:
        app = create_app(settings)
        # Now: every import is done and the app is built (the workers' forkserver shares
        # them), and no thread or loop exists yet (a fork is only safe then).
        forks = prefork.start([PRELOAD])
        if forks is not None:
            app[keys.FORKS] = forks
        asyncio.run(serve(app, settings))
    except StartupError as error:
        print(f"tubestash: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
