"""Backend ``type: confluent``: the REST API of Confluent Schema Registry.

Also served by Confluent Cloud, Karapace, Redpanda and Apicurio (``/apis/ccompat/v7``).
The check endpoint (``POST /compatibility/subjects/{subject}/versions/latest?verbose=true``,
or ``/versions`` for ``*_TRANSITIVE`` levels, falling back to one check per version where
the route is missing, as on Karapace) takes no level: the registry always applies the
subject's own. So:

* where the level to enforce is the subject's own (not forced, or forced to the same),
  the registry decides and the local engine, run on the same registered versions,
  explains and locates; where the two disagree, the verdict says so;
* where a forced level differs, the local engine judges at the forced level against the
  versions that level needs (:func:`~pytest_schemafed.levels.versions_needed`, which also
  honours the subject's ``compatibilityGroup``), fetched from the registry, and the
  registry's own answer at its own level is shown beside it.

Every answer the verdict depends on is checked against its documented shape; anything
else is an error for that item naming the request and what came back, never a level and
never "compatible".

Requests per check: the subject's config (``GET /config/{s}?defaultToGlobal=true``), its
history (``GET .../versions/latest``, or every version for a transitive level or a
compatibility group), the latest version of each referenced subject (once per run), and
the compatibility check. Only ``GET`` and ``POST /compatibility/...`` are ever sent: the
gate never registers, deletes or changes configuration.

Schema bodies are cached across runs by schema id (``RunContext.cache_*``), the only
immutable name: a version number can be given to another schema after a permanent delete.
A numbered version's cached body is used only after ``GET /schemas/ids/{id}/versions`` (no
body, once per id and run) confirms that the version is still that id; anything else fetches
it afresh (:mod:`~pytest_schemafed.backends.confluent_cache`). ``latest``, listings, config
and checks are never cached. With a cache, a level that needs only the latest version asks
the listing (fresh, so a newly registered version is always seen) and then that numbered
version, so that a rerun fetches no schema body it already holds; without one it asks
``versions/latest`` (one request).

The registry operations of the ``schemafed`` command live in
:mod:`pytest_schemafed.backends.confluent_admin`; the gate never calls them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from ..errors import BackendError, BackendProtocolError, SchemafedError, SubjectNotFound
from ..levels import Needs, needs
from ..model import Check, ErrorKind, History, HistoryVersion, Level, RemoteVerdict, Verdict
from .base import Backend, BackendSpec, Judge, Option, RunContext
from .confluent_admin import ConfluentAdmin, url_hint
from .confluent_cache import SchemaCache
from .confluent_support import (
    Once,
    SubjectConfig,
    error_detail,
    is_bare_not_found,
    metadata_properties,
    parse_config,
    remote_verdict,
    shown,
    version_problem,
)
from .http import CONNECTION_OPTIONS, AuthSettings, HttpClient, HttpSettings, safe_url, settings_from_options

__all__ = ["ConfluentBackend"]

NOT_FOUND_CODES = (40401, 40402)
BUILTIN_IMPORT_PREFIXES = ("google/protobuf/", "confluent/")

_AUTH_KEYS: Mapping[str, Option] = {
    "username": Option(str, doc="basic auth user (Confluent Cloud: the API key)"),
    "password": Option(str, secret=True, doc="basic auth password (Confluent Cloud: the API secret)"),
    "token": Option(str, secret=True, doc="a bearer token"),
    "client_id": Option(str, doc="OAuth client-credentials: client id"),
    "client_secret": Option(str, secret=True, doc="OAuth client-credentials: client secret"),
    "token_url": Option(str, doc="OAuth client-credentials: token endpoint"),
    "scope": Option(str, doc="OAuth client-credentials: scope"),
}


class ConfluentBackend(ConfluentAdmin, Backend):
    """A Confluent-API schema registry, asked over HTTP (see the module docstring).

    :param transport: an httpx transport to use instead of the network (tests).
    :param sleep: replaces ``time.sleep`` between retries (tests).
    """

    type_name: ClassVar[str] = "confluent"
    options: ClassVar[Mapping[str, Option]] = {
        "url": Option(str, required=True, doc="base URL, e.g. https://sr.example.com or .../apis/ccompat/v7"),
        "auth": Option(dict, keys=_AUTH_KEYS, doc="username/password, token, or OAuth client credentials"),
        "headers": Option(dict, secret=True, doc="extra HTTP headers sent with every request"),
        "target_sr_cluster": Option(str, doc="Confluent Cloud: the target-sr-cluster header (lsrc-...)"),
        "target_identity_pool": Option(str, doc="Confluent Cloud: the target-identity-pool header"),
        **CONNECTION_OPTIONS,
        "normalize": Option(bool, doc="ask the registry to normalize schemas before comparing"),
        "context": Option(str, doc="schema context: subjects become :.<context>:<subject>"),
        "subjects": Option(dict, doc="local subject -> subject on this registry"),
        "references": Option(dict, doc="import name -> subject, or {subject, version}"),
    }

    def __init__(
        self,
        spec: BackendSpec,
        context: RunContext,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        super().__init__(spec, context)
        opts = spec.options
        self.url = self.require_url()
        self.normalize = bool(opts.get("normalize", False))
        self.schema_context = str(opts.get("context") or "").strip(":.")
        self.subject_map: Mapping[str, str] = dict(opts.get("subjects") or {})
        self.reference_map: Mapping[str, Any] = dict(opts.get("references") or {})
        self.http = HttpClient(self._http_settings(transport, sleep))
        self._once = Once()
        self._all_versions_route = True
        get, put = context.cache_get, context.cache_set
        self._cache = SchemaCache(self.url, get, put, self.http) if get is not None else None

    def _http_settings(self, transport: httpx.BaseTransport | None,
                       sleep: Callable[[float], None] | None) -> HttpSettings:
        opts = self.spec.options
        headers: dict[str, Any] = dict(opts.get("headers") or {})
        for key, header in (("target_sr_cluster", "target-sr-cluster"),
                            ("target_identity_pool", "target-identity-pool")):
            if opts.get(key):
                headers[header] = str(opts[key])
        return settings_from_options(
            opts, base_url=self.url, backend_id=self.id, rootdir=self.context.rootdir,
            auth=AuthSettings.from_options(opts.get("auth"), backend_id=self.id), headers=headers,
            max_in_flight=self.max_in_flight, transport=transport, sleep=sleep,
        )

    # ------------------------------------------------------------ naming
    def registry_subject(self, subject: str) -> str:
        """The subject as named on this registry: mapped, then put in the context if one is set."""
        subject = self.subject_map.get(subject, subject)
        if self.schema_context and not subject.startswith(":."):
            subject = f":.{self.schema_context}:{subject}"
        return subject

    @staticmethod
    def _seg(subject: str) -> str:
        return quote(subject, safe="")

    # ------------------------------------------------------------ HTTP helpers
    def _get(self, path: str, **params: str) -> httpx.Response:
        return self.http.request("GET", path, params=params or None)

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise BackendProtocolError(
                f"answered HTTP {response.status_code} with something that is not JSON at "
                f"{safe_url(response.request.url)}{url_hint(self.url)}", backend_id=self.id, url=self.url) from None

    def _unexpected(self, response: httpx.Response) -> BackendError:
        code, message = error_detail(response)
        hint = url_hint(self.url) if is_bare_not_found(response) else ""
        label = f"error {code}: " if code else ""
        return BackendProtocolError(
            f"unexpected answer HTTP {response.status_code} ({label}{message}) to {response.request.method} "
            f"{safe_url(response.request.url)}{hint}", backend_id=self.id, url=self.url)

    # ------------------------------------------------------------ level
    def _shape(self, response: httpx.Response, problem: str) -> BackendProtocolError:
        """An answer that is not the documented shape: one line naming the request and what came back."""
        return BackendProtocolError(
            f"unexpected answer to {response.request.method} {safe_url(response.request.url)}: {problem}",
            backend_id=self.id, url=self.url)

    def _config(self, response: httpx.Response) -> SubjectConfig:
        try:
            return parse_config(self._json(response))
        except ValueError as exc:
            raise self._shape(response, str(exc)) from None

    def _parse_level(self, body: Any, response: httpx.Response) -> Level:
        """The level of a config answer (strict: anything else is an error, never a level)."""
        try:
            return parse_config(body).level
        except ValueError as exc:
            raise self._shape(response, str(exc)) from None

    def _global_config(self) -> SubjectConfig:
        """``GET /config``, asked once per run (the gate's path)."""

        def ask() -> SubjectConfig:
            response = self._get("config")
            if response.status_code != 200:
                raise self._unexpected(response)
            return self._config(response)

        return self._once.get(("config",), ask)

    def _subject_config(self, subject: str) -> SubjectConfig | None:
        """``GET /config/{s}?defaultToGlobal=true``; ``None`` when the registry does not know the subject."""
        response = self._get(f"config/{self._seg(subject)}", defaultToGlobal="true")
        if response.status_code == 200:
            return self._config(response)
        if response.status_code == 404 and not is_bare_not_found(response):
            code = error_detail(response)[0]
            if code == 40401:
                return None
            if code == 40408:  # the subject has no level of its own
                return self._global_config()
        raise self._unexpected(response)

    # ------------------------------------------------------------ history
    def _version(self, subject: str, version: str) -> dict[str, Any]:
        """``GET /subjects/{s}/versions/{v}``, checked; a numbered version's body may come from the cache
        across runs, once the registry confirms it is still the same schema id (:mod:`.confluent_cache`)."""
        number = int(version) if version.isdigit() else None
        if number is not None and self._cache is not None:
            held = self._cache.held(subject, number)
            if held is not None:
                return held
        response = self._get(f"subjects/{self._seg(subject)}/versions/{version}")
        if response.status_code == 404 and error_detail(response)[0] in NOT_FOUND_CODES:
            raise self._not_found(subject)
        if response.status_code != 200:
            raise self._unexpected(response)
        body = self._json(response)
        problem = version_problem(body)
        if problem is not None:
            raise self._shape(response, problem)
        kept = {k: body.get(k) for k in ("subject", "version", "id", "schema", "schemaType", "references",
                                         "metadata")}
        if number is not None and self._cache is not None:
            self._cache.keep(subject, number, kept)
        return kept

    def _resolve_references(self, refs: Any, seen: frozenset[tuple[str, str]] = frozenset()) -> dict[str, str]:
        """Texts of a registered version's references, nested ones included: name -> text."""
        texts: dict[str, str] = {}
        for ref in refs or ():
            key = (str(ref["subject"]), str(ref["version"]))
            if key in seen:
                continue
            body = self._once.get(("version", *key), functools.partial(self._version, *key))
            texts[str(ref["name"])] = body["schema"]
            texts.update(self._resolve_references(body.get("references"), seen | {key}))
        return texts

    def _history_version(self, body: Mapping[str, Any]) -> HistoryVersion:
        refs = self._resolve_references(body.get("references"))
        return HistoryVersion(version=str(body["version"]), text=body["schema"], references=refs or None,
                              metadata=metadata_properties(body))

    def _not_found(self, subject: str) -> SubjectNotFound:
        return SubjectNotFound(f"subject {subject!r} has no registered version on registry {self.id!r}")

    def _version_numbers(self, subject: str) -> list[int]:
        """``GET /subjects/{s}/versions``, sorted (asked once per subject and run).

        :raises SubjectNotFound: no version is registered under ``subject``.
        """

        def ask() -> list[int]:
            response = self._get(f"subjects/{self._seg(subject)}/versions")
            if response.status_code == 404 and error_detail(response)[0] in NOT_FOUND_CODES:
                raise self._not_found(subject)
            if response.status_code != 200:
                raise self._unexpected(response)
            numbers = self._json(response)
            if not isinstance(numbers, list) or not all(type(n) is int and n > 0 for n in numbers):
                raise self._shape(response, f"expected a list of version numbers, got {shown(numbers)}")
            if not numbers:
                raise self._not_found(subject)
            return sorted(numbers)

        return self._once.get(("numbers", subject), ask)

    def fetch_history(self, subject: str, level: Level, config: SubjectConfig | None = None) -> History:
        """The registered versions ``level`` needs, oldest first (all of them under a compatibility group).

        :raises SubjectNotFound: no version is registered under ``subject``.
        """
        group = config.group if config is not None else None
        if group is None:
            need = needs(level)
            if need is Needs.LATEST and self._cache is not None:
                # the listing is asked fresh; the latest number's body then comes from the cache when held
                needed: tuple[str, ...] = (str(self._version_numbers(subject)[-1]),)
            else:
                needed = ("latest",) if need is Needs.LATEST else \
                    tuple(str(n) for n in self._version_numbers(subject)) if need is Needs.ALL else ()
            versions = tuple(self._history_version(self._version(subject, v)) for v in needed)
            return History(versions, level=level)
        versions = tuple(self._history_version(self._version(subject, str(n)))
                         for n in self._version_numbers(subject))
        assert config is not None
        latest = versions[-1].metadata if versions else None
        return History(versions, level=level, group=group, group_value=config.group_value(latest))

    def history(self, check: Check) -> History:
        """The registered versions the check's level needs (the subject's own level if not forced)."""
        subject = self.registry_subject(check.subject)
        config = self._subject_config(subject) or self._global_config()
        return self.fetch_history(subject, check.level or config.level, config)

    # ------------------------------------------------------------ references
    def _references(self, check: Check) -> list[dict[str, Any]]:
        """``references`` for the check request: local imports mapped to registered subjects."""
        names = list(check.loaded.references)
        fmt = self.context.registry.format(check.source.format)
        names += [n for n in fmt.imports(check.parsed) if n not in names]
        out: list[dict[str, Any]] = []
        for name in names:
            target = self.reference_map.get(name)
            if target is None and name.startswith(BUILTIN_IMPORT_PREFIXES):
                continue
            subject, version = (target.get("subject", name), target.get("version")) if isinstance(target, Mapping) \
                else (str(target or name), None)
            subject = self.registry_subject(subject)
            if version is None:
                try:
                    body = self._once.get(("latest", subject), functools.partial(self._version, subject, "latest"))
                except SubjectNotFound:
                    raise BackendProtocolError(
                        f"the schema imports {name!r}, mapped to subject {subject!r}, which is not registered; "
                        f"register it first or map the import under references:", backend_id=self.id,
                        url=self.url) from None
                version = body.get("version")
            out.append({"name": name, "subject": subject, "version": int(str(version))})
        return out

    # ------------------------------------------------------------ remote check
    def _post_check(self, subject: str, version: str | None, payload: dict[str, Any]) -> httpx.Response:
        path = f"compatibility/subjects/{self._seg(subject)}/versions" + (f"/{version}" if version else "")
        params = {"verbose": "true"}
        if self.normalize:
            params["normalize"] = "true"
        return self.http.request("POST", path, params=params, json=payload,
                                 headers={"Content-Type": "application/vnd.schemaregistry.v1+json"})

    def _answer(self, response: httpx.Response, subject: str, versions: Sequence[str],
                level: Level | None = None) -> RemoteVerdict:
        if response.status_code == 200:
            return remote_verdict(self._json(response), versions,
                                  self._shape(response, f"expected {{\"is_compatible\": true|false}}, got "
                                                        f"{shown(_body(response))}"), level)
        code, message = error_detail(response)
        if response.status_code == 404 and code in NOT_FOUND_CODES:
            raise self._not_found(subject)
        if response.status_code == 422 and code in (42201, 422):
            raise _Rejected(f"the registry rejects the schema as invalid (error {code}: {message})")
        raise self._unexpected(response)

    def remote_check(self, subject: str, payload: dict[str, Any], level: Level) -> RemoteVerdict:
        """The registry's own verdict on ``payload``: it applies the subject's own ``level``.

        Transitive levels use ``POST .../versions`` and, where that route is missing (Karapace),
        one check per registered version.
        """
        if needs(level) is not Needs.ALL:
            return self._answer(self._post_check(subject, "latest", payload), subject, ("latest",), level)
        numbers = tuple(str(n) for n in self._version_numbers(subject))
        if self._all_versions_route:
            response = self._post_check(subject, None, payload)
            if not is_bare_not_found(response):
                return self._answer(response, subject, numbers, level)
            self._all_versions_route = False  # Karapace: the route is missing; check each version
        answers = [self._answer(self._post_check(subject, v, payload), subject, (v,), level) for v in numbers]
        failed = [a for a in answers if not a.compatible]
        return RemoteVerdict(compatible=not failed, messages=tuple(m for a in failed for m in a.messages),
                             versions=numbers, level=level)

    # ------------------------------------------------------------ evaluate
    def evaluate(self, check: Check, judge: Judge) -> Verdict:
        """The registry decides at the subject's own level; a forced other level is judged locally.

        The Confluent API's check endpoint takes no level: it always applies the subject's
        own. So where the level to enforce is the subject's own, the registry's answer is
        the verdict and the local engine explains and locates; where it is another (forced
        by ``level:`` or ``--schemafed-level``), the local engine judges against the
        versions that level needs, fetched from the registry, and the registry's own answer
        at its own level is shown beside it.
        """
        subject = self.registry_subject(check.subject)
        level = check.level
        try:
            config = self._subject_config(subject)
            if config is None:  # unknown to /config (Karapace): new, unless versions exist after all
                self._version(subject, "latest")
                config = self._global_config()
            level = check.level or config.level
            if level is Level.NONE and config.level is Level.NONE:
                return Verdict.judged((), level, notes=(f"subject {subject!r} has level NONE: any schema is "
                                                        "accepted",))
            history = self.fetch_history(subject, level, config)
            remote = None
            if config.level is not Level.NONE:
                remote = self.remote_check(subject, self._payload(check), config.level)
        except SubjectNotFound as exc:
            return Verdict.new_subject(level, note=exc.message or None)
        except _Rejected as exc:
            return Verdict.failed(f"registry {self.id!r}: {exc}", ErrorKind.SCHEMA, level)
        if level is config.level and remote is not None:
            return self._registry_decides(check, judge, history, level, remote)
        verdict = judge(check, history, level).with_notes(*history.notes)
        own = config.level.value
        if remote is None:
            return verdict.with_notes(f"judged locally at {level.value}; the subject's own level on registry "
                                      f"{self.id!r} is {own}, which accepts any schema")
        said = "compatible" if remote.compatible else "incompatible: " + ("; ".join(remote.messages) or "no reason")
        return replace(verdict, remote=remote).with_notes(
            f"judged locally at {level.value} (forced); registry {self.id!r} checks at the subject's own level "
            f"{own} and says {said}")

    def _payload(self, check: Check) -> dict[str, Any]:
        payload: dict[str, Any] = {"schema": check.text}
        fmt_type = self._schema_type(check)
        if fmt_type != "AVRO":
            payload["schemaType"] = fmt_type
        references = self._references(check)
        if references:
            payload["references"] = references
        return payload

    def _schema_type(self, check: Check) -> str:
        return self.context.registry.format(check.source.format).schema_type.upper()

    def _registry_decides(self, check: Check, judge: Judge, history: History, level: Level,
                          remote: RemoteVerdict) -> Verdict:
        notes = list(history.notes)
        try:
            local: Verdict | None = judge(check, history, level)
        except SchemafedError as exc:
            local = None
            notes.append(f"the local engine could not compare: {exc}")
        versions = local.versions if local is not None and local.versions else remote.versions
        return Verdict.by_registry(remote, local, level, versions, registry_id=self.id, notes=tuple(notes))

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def describe(self) -> str:
        """``confluent <id> (<url>)``, without credentials."""
        return f"confluent {self.id} ({safe_url(self.url)})"


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text


class _Rejected(Exception):
    """The registry refused the local schema itself (invalid): the item fails with its message."""
