"""The small base class every backend derives from, and its configuration options.

A backend answers one question per check: which versions of this subject are
registered (and, where the registry has a check endpoint, what it says itself).
The gate calls :meth:`Backend.prepare` once with every planned check (so a backend
can batch: one git process, one table listing), then :meth:`Backend.evaluate` for
each check from a thread pool bounded by :attr:`Backend.max_in_flight`, then
:meth:`Backend.close`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from ..errors import ConfigError, SubjectNotFound
from ..model import Check, History, Level, Verdict

if TYPE_CHECKING:
    from ..registry import Registry

__all__ = ["Backend", "BackendSpec", "Judge", "Option", "RunContext"]


@dataclass(frozen=True, slots=True)
class Option:
    """One configuration key a backend accepts.

    :param kind: the Python type(s) the value must have after YAML/TOML parsing.
    :param required: the key must be present.
    :param secret: the value is a credential: wrapped in :class:`Secret`, never shown.
    :param keys: for a mapping, the keys it accepts (validated recursively); ``None``
        accepts any keys.
    :param doc: one line for the config reference.
    """

    kind: type | tuple[type, ...] = str
    required: bool = False
    secret: bool = False
    keys: Mapping[str, Option] | None = None
    doc: str = ""


@dataclass(frozen=True, slots=True)
class BackendSpec:
    """One ``registries:`` entry after validation.

    :param id: the name items carry (``file.avsc::<id>``).
    :param type: the backend type name.
    :param level: the level to apply; ``None`` means "ask the registry" (``level: registry``).
    :param options: the type-specific keys, secrets wrapped in :class:`Secret`.
    :param source: the configuration file it came from, for messages.
    """

    id: str
    type: str
    level: Level | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""


@dataclass(slots=True)
class RunContext:
    """What a backend may need from the run besides its own options.

    :param rootdir: the project root; relative paths in the configuration are relative to it.
    :param registry: the formats (to parse registered versions).
    :param against: the ``--schemafed-against`` git ref, when given.
    :param cache_get: read an immutable answer cached across runs (``None`` = no cache).
    :param cache_set: store an immutable answer across runs.
    """

    rootdir: Path
    registry: Registry
    against: str | None = None
    cache_get: Callable[[str], Any] | None = None
    cache_set: Callable[[str, Any], None] | None = None


Judge = Callable[[Check, History, Level], Verdict]


class Backend(ABC):
    """Base of every backend. Subclasses set ``type_name`` and ``options``.

    :param spec: the validated configuration entry.
    :param context: the run's context.
    """

    type_name: ClassVar[str]
    options: ClassVar[Mapping[str, Option]] = {}
    #: True for a backend whose checks are pure computation on data it holds locally (git,
    #: directory): the gate may evaluate them in forked worker processes. False for a backend
    #: that asks a server: evaluated from threads, at most ``max_in_flight`` at once.
    local: ClassVar[bool] = False
    max_in_flight: int = 8

    def __init__(self, spec: BackendSpec, context: RunContext) -> None:
        self.spec = spec
        self.context = context
        if spec.options.get("max_in_flight"):
            self.max_in_flight = int(spec.options["max_in_flight"])

    def require_url(self, hint: str = "http(s)://host[:port][/path]") -> str:
        """The ``url`` option without a trailing slash.

        :raises ConfigError: naming the key and ``hint`` when it is missing or not http(s).
        """
        url = self.spec.options.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ConfigError(f"expected url: {hint}", source=self.spec.source or None,
                              key=f"registries[{self.spec.id}].url")
        return url.rstrip("/")

    @property
    def id(self) -> str:
        """The registry's ``id`` in the configuration."""
        return self.spec.id

    def prefetch(self, check: Check) -> None:
        """Called as soon as ``check`` is planned (during collection), from the main thread.

        A backend may start fetching in the background here, so that the answer is
        ready when the checks are evaluated; :meth:`prepare` must then wait for that
        work to finish. The default does nothing.
        """

    def prepare(self, checks: Sequence[Check]) -> None:
        """Called once with every check planned for this backend, before any evaluation.

        The default does nothing; a backend may prefetch in bulk here.
        :raises BackendError: when the backend cannot be used at all (its items fail).
        """

    def unchanged(self, check: Check) -> Verdict | None:
        """A verdict reached without reading or parsing the check's file, or ``None`` (the default).

        Called after :meth:`prepare`, before the gate parses the file: the git backend
        answers "unchanged" for a file whose text and whole import closure are the base's.
        """
        return None

    @abstractmethod
    def history(self, check: Check) -> History:
        """Return the registered versions ``check``'s level needs, oldest first.

        :raises SubjectNotFound: the subject has never been registered (a new subject).
        :raises BackendError: the backend could not answer.
        """

    def evaluate(self, check: Check, judge: Judge) -> Verdict:
        """Compute the verdict of one check; called from a worker thread.

        The default fetches :meth:`history` and lets the local engine judge it at the
        forced level, else the level the backend reports, else :attr:`default_level`.
        Backends with their own check endpoint override this to add the registry's verdict.
        """
        try:
            history = self.history(check)
        except SubjectNotFound as exc:
            return Verdict.new_subject(check.level, note=exc.message or None)
        level = check.level or history.level or self.default_level
        return judge(check, history, level).with_notes(*history.notes)

    #: the level of a backend that reports none and has none configured (git, directory):
    #: Confluent's own default
    default_level: ClassVar[Level] = Level.BACKWARD

    def after_fork(self) -> None:
        """Called in a forked worker process (see :mod:`pytest_schemafed.workers`) before it
        evaluates checks of local backends: drop handles that belong to the parent, such as
        pipes to a subprocess. The default does nothing."""

    def close(self) -> None:
        """Release connections and processes; called once at the end of the run."""

    def baseline(self) -> str | None:
        """What this backend compares with, said once per run in the header (``None``: nothing to say).

        The git backend names its base ref, its short sha and how it was chosen.
        """
        return None

    def describe(self) -> str:
        """One line naming the backend for reports (never a secret)."""
        return f"{self.type_name} {self.id}"

