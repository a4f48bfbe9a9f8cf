"""The Litestar application: routes, security plumbing and start-up."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import CacheControlHeader, State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig
from litestar.types import ControllerRouterHandler

from mentorship import __version__
from mentorship.access.guards import PUBLIC, access, access_guard
from mentorship.accounts.passwords import (
    TEST_HASHER,
    PasswordHashing,
    configure_hashing,
    get_hashing,
)
from mentorship.audit.middleware import AuditedReadsMiddleware
from mentorship.auth.middleware import SessionAuthenticationMiddleware
from mentorship.config import Settings, get_settings
from mentorship.domains import DOMAINS, MENU, compose
from mentorship.health import health
from mentorship.lib import db
from mentorship.lib.http import RequestContextMiddleware, handle_exception, make_response_hook
from mentorship.lib.logs import configure_logging
from mentorship.web import templating
from mentorship.web.render import FLASH_COOKIE, clear_notice_header

PACKAGE_DIR = Path(__file__).parent
API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None, *, connection_pool: bool = True) -> Litestar:
    """Build the application for the given (default: environment) settings.

    `connection_pool=False` opens a connection per query on PostgreSQL instead of a pool; the
    test client needs that because it runs start-up on a different event loop than requests,
    and an asyncpg pool only works on the loop that created it.
    """
    settings = settings or get_settings()
    _configure_process(settings)
    on_startup, on_shutdown = _database_lifecycle(connection_pool)

    def provide_settings() -> Settings:
        return settings

    compose()
    return Litestar(
        route_handlers=_routes(),
        guards=[access_guard],
        middleware=[
            RequestContextMiddleware,
            SessionAuthenticationMiddleware,
            AuditedReadsMiddleware,
        ],
        before_send=[
            make_response_hook(
                hsts=settings.cookie_secure,
                notice_cookie=FLASH_COOKIE,
                clear_notice=clear_notice_header(settings.cookie_secure),
            )
        ],
        exception_handlers={Exception: handle_exception},
        dependencies={"settings": Provide(provide_settings, sync_to_thread=False)},
        csrf_config=_csrf(settings),
        template_config=_templates(),
        openapi_config=_openapi(),
        on_startup=[on_startup],
        on_shutdown=[on_shutdown],
        state=State({"settings": settings, "menu": MENU}),
        debug=False,
        # Logging is configured by configure_logging; Litestar's default would log twice.
        logging_config=None,
    )


def _configure_process(settings: Settings) -> None:
    """What the settings decide for the whole process: logging and password hashing."""
    configure_logging(settings.log_level)
    configure_hashing(
        PasswordHashing(
            hasher=TEST_HASHER
            if settings.password_hash_profile == "test"  # noqa: S105 (a profile name)
            else get_hashing().hasher,
            concurrency=settings.password_hash_concurrency,
        )
    )


def _database_lifecycle(
    connection_pool: bool,
) -> tuple[Callable[[], Awaitable[None]], Callable[[], Awaitable[None]]]:
    """The start-up (prepare the database, open the pool) and shut-down (close it) hooks."""
    engine = db.get_engine()

    async def on_startup() -> None:
        await db.prepare_database(engine)
        if connection_pool:
            await db.start_pool(engine)

    async def on_shutdown() -> None:
        if connection_pool:
            await db.close_pool(engine)

    return on_startup, on_shutdown


def _csrf(settings: Settings) -> CSRFConfig:
    """CSRF protection for every form and API write, its cookie named like the session's."""
    return CSRFConfig(
        secret=settings.secret_key,
        cookie_name=settings.csrf_cookie_name,
        cookie_secure=settings.cookie_secure,
        cookie_samesite="lax",
    )


def _routes() -> list[ControllerRouterHandler]:
    """Every domain's API under /api/v1 and its pages at the root; health; static files."""
    api = Router(
        path=API_PREFIX, route_handlers=[handler for domain in DOMAINS for handler in domain.api]
    )
    static = create_static_files_router(
        path="/static",
        directories=[PACKAGE_DIR / "static"],
        opt=access(PUBLIC),
        cache_control=CacheControlHeader(max_age=3600, public=True),
    )
    return [api, health, static, *(handler for domain in DOMAINS for handler in domain.pages)]


def _templates() -> TemplateConfig[JinjaTemplateEngine]:
    """Jinja over the shared layout and macros, then each domain's own pages (the `templates`
    folder in its own folder, where it has pages)."""
    return TemplateConfig(
        directory=[
            PACKAGE_DIR / "templates",
            *(
                folder
                for domain in DOMAINS
                if (folder := PACKAGE_DIR / domain.name / "templates").is_dir()
            ),
        ],
        engine=JinjaTemplateEngine,
        engine_callback=templating.configure,
    )


def _openapi() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="mentorship API",
        version=__version__,
        description="Peer-assistance program: accounts, matching, cases. Sign in with "
        "POST /api/v1/auth/login; send the returned csrf_token as X-CSRFToken on writes.",
        path="/api/schema",
        render_plugins=[JsonRenderPlugin(path="/openapi.json")],
        openapi_router=Router(path="/api/schema", route_handlers=[], opt=access(PUBLIC)),
    )
