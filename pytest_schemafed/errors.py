"""One exception tree for everything pytest-schemafed raises on purpose.

::

    SchemafedError
    ├── ConfigError              the configuration file or an option is wrong
    ├── SchemaParseError         a schema text cannot be parsed (path, line)
    ├── LocalSchemaError         a local file parses, but cannot be compared with what a backend holds
    └── BackendError             a backend cannot answer (backend id, url)
        ├── BackendUnavailable   network down, DNS, TLS, timeouts, 5xx after retries
        ├── BackendAuthError     401/403, expired or missing credentials
        └── BackendProtocolError an answer that does not follow the backend's API

Every error carries what a user needs to fix the problem and never a secret:
messages are built from masked values (see :mod:`pytest_schemafed.secrets`) and
passed through :func:`pytest_schemafed.secrets.scrub` before they are shown.
"""

from __future__ import annotations

__all__ = [
    "BackendAuthError",
    "BackendError",
    "BackendProtocolError",
    "BackendUnavailable",
    "ConfigError",
    "LocalSchemaError",
    "SchemaParseError",
    "SchemafedError",
    "SubjectNotFound",
]


class SchemafedError(Exception):
    """Base class of every error pytest-schemafed raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        from .secrets import scrub

        return scrub(self.message)


class ConfigError(SchemafedError):
    """The configuration (file, option or environment variable) is wrong.

    :param message: what is wrong and what was expected.
    :param source: the file the setting came from, if any.
    :param key: the dotted key path (``registries[1].auth.password``), if any.
    """

    def __init__(self, message: str, *, source: str | None = None, key: str | None = None) -> None:
        where = ", ".join(p for p in (source, f"key {key}" if key else None) if p)
        super().__init__(f"{where}: {message}" if where else message)
        self.source = source
        self.key = key


class SchemaParseError(SchemafedError):
    """A schema text is not a valid schema of its format.

    :param message: what is wrong, in a sentence.
    :param path: the file the text came from (or a label such as ``version 3``).
    :param line: 1-based line of the problem, when known.
    :param column: 1-based column of the problem, when known.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        where = path or "<schema>"
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}")
        self.reason = message
        self.path = path
        self.line = line
        self.column = column


class LocalSchemaError(SchemafedError):
    """The local file parses, but cannot be compared with what the backend holds (its fault, not the backend's).

    :param message: one line, with the file and line.
    :param line: the line of the local file it is about, when known.
    """

    def __init__(self, message: str, *, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class BackendError(SchemafedError):
    """A backend could not give an answer.

    :param message: what happened and what to fix.
    :param backend_id: the ``id`` of the registry in the configuration.
    :param url: the address asked, without credentials, when there is one.
    """

    def __init__(self, message: str, *, backend_id: str | None = None, url: str | None = None) -> None:
        prefix = f"registry {backend_id!r}: " if backend_id else ""
        super().__init__(prefix + message)
        self.backend_id = backend_id
        self.url = url


class BackendUnavailable(BackendError):
    """The backend cannot be reached (connection refused, DNS, TLS, timeout, 5xx)."""


class BackendAuthError(BackendError):
    """The backend refused the credentials (401/403, expired token, no credentials)."""


class BackendProtocolError(BackendError):
    """The backend answered something its API does not define."""


class SubjectNotFound(SchemafedError):
    """The subject has no registered version on this backend: it is new there.

    Not a failure: the gate reports the item as skipped ("new subject").
    """
