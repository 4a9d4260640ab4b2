"""Backend ``type: confluent``: the REST API of Confluent Schema Registry.

Also served by Confluent Cloud, Karapace, Redpanda and Apicurio (``/apis/ccompat/v7``).
The registry is the authority: each check asks it with
``POST /compatibility/subjects/{subject}/versions/latest?verbose=true`` (or ``/versions``
for ``*_TRANSITIVE`` levels, falling back to one check per version where the route is
missing, as on Karapace), while the local engine runs on the same registered versions
to explain and locate. When the two disagree the item follows the registry and the
verdict says so.

Requests per check: the subject's level (``GET /config/{s}?defaultToGlobal=true``,
skipped when the level is forced), its history (``GET .../versions/latest``, or every
version for a transitive level), the latest version of each referenced subject (once
per run), and the compatibility check. Only ``GET`` and ``POST /compatibility/...`` are
ever sent: the gate never registers, deletes or changes configuration.

Subject-version answers are immutable and cached across runs (``RunContext.cache_*``);
``latest`` and config never are.

The registry operations of the ``schemafed`` command live in
:mod:`pytest_schemafed.backends.confluent_admin`; the gate never calls them.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, ClassVar
from urllib.parse import quote

import httpx

from ..errors import BackendError, BackendProtocolError, SchemafedError, SubjectNotFound
from ..model import Check, History, HistoryVersion, Level, Outcome, RemoteVerdict, Verdict
from .base import Backend, BackendSpec, Judge, Option, RunContext
from .confluent_admin import ConfluentAdmin, url_hint
from .confluent_support import Once, error_detail, is_bare_not_found, remote_verdict
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
    def _global_level(self) -> Level:
        """The global level, asked once per run (the gate's path)."""
        return self._once.get(("config",), self.global_level)

    def _parse_level(self, body: Any, response: httpx.Response) -> Level:
        raw = body.get("compatibilityLevel") or body.get("compatibility") if isinstance(body, dict) else None
        try:
            return Level.parse(str(raw))
        except ValueError:
            raise self._unexpected(response) from None

    def _effective_level(self, subject: str) -> Level:
        """The subject's own level, else the registry's global level."""
        level = self._subject_level(subject)
        return level if level is not None else self._global_level()

    def _subject_level(self, subject: str) -> Level | None:
        """``GET /config/{s}?defaultToGlobal=true``; ``None`` when the registry does not know the subject."""
        response = self._get(f"config/{self._seg(subject)}", defaultToGlobal="true")
        if response.status_code == 200:
            return self._parse_level(self._json(response), response)
        if response.status_code == 404 and not is_bare_not_found(response):
            return None if error_detail(response)[0] == 40401 else self._global_level()
        raise self._unexpected(response)

    # ------------------------------------------------------------ history
    def _version(self, subject: str, version: str) -> dict[str, Any]:
        """``GET /subjects/{s}/versions/{v}``; numbered versions are cached across runs."""
        cache_key = None
        if version.isdigit() and self.context.cache_get is not None:
            digest = hashlib.blake2b(f"{self.url}\0{subject}\0{version}".encode(), digest_size=12).hexdigest()
            cache_key = f"schemafed/confluent/{digest}"
            try:
                cached = self.context.cache_get(cache_key)
            except Exception:
                cached = None
            if isinstance(cached, dict) and "schema" in cached:
                return cached
        response = self._get(f"subjects/{self._seg(subject)}/versions/{version}")
        if response.status_code == 404 and error_detail(response)[0] in NOT_FOUND_CODES:
            raise SubjectNotFound(f"subject {subject!r} has no registered version on registry {self.id!r}")
        if response.status_code != 200:
            raise self._unexpected(response)
        body = self._json(response)
        if not isinstance(body, dict) or not isinstance(body.get("schema"), str):
            raise self._unexpected(response)
        kept = {k: body.get(k) for k in ("subject", "version", "id", "schema", "schemaType", "references")}
        if cache_key is not None and self.context.cache_set is not None:
            try:
                self.context.cache_set(cache_key, kept)
            except Exception:
                pass
        return kept

    def _resolve_references(self, refs: Any, seen: frozenset[tuple[str, str]] = frozenset()) -> dict[str, str]:
        """Texts of a registered version's references, nested ones included: name -> text."""
        texts: dict[str, str] = {}
        for ref in refs or ():
            if not isinstance(ref, dict):
                continue
            key = (str(ref.get("subject")), str(ref.get("version")))
            if key in seen:
                continue
            body = self._once.get(("version", *key), functools.partial(self._version, *key))
            texts[str(ref.get("name"))] = body["schema"]
            texts.update(self._resolve_references(body.get("references"), seen | {key}))
        return texts

    def _history_version(self, body: Mapping[str, Any]) -> HistoryVersion:
        refs = self._resolve_references(body.get("references"))
        return HistoryVersion(version=str(body.get("version")), text=body["schema"], references=refs or None)

    def _not_found(self, subject: str) -> SubjectNotFound:
        return SubjectNotFound(f"subject {subject!r} has no registered version on registry {self.id!r}")

    def _version_numbers(self, subject: str) -> list[int]:
        """``GET /subjects/{s}/versions``, sorted.

        :raises SubjectNotFound: no version is registered under ``subject``.
        """
        response = self._get(f"subjects/{self._seg(subject)}/versions")
        if response.status_code == 404 and error_detail(response)[0] in NOT_FOUND_CODES:
            raise self._not_found(subject)
        if response.status_code != 200:
            raise self._unexpected(response)
        numbers = self._json(response)
        if not isinstance(numbers, list) or not all(isinstance(n, int) for n in numbers):
            raise self._unexpected(response)
        if not numbers:
            raise self._not_found(subject)
        return sorted(numbers)

    def fetch_history(self, subject: str, level: Level) -> History:
        """The registered versions ``level`` needs, oldest first.

        :raises SubjectNotFound: no version is registered under ``subject``.
        """
        if not level.transitive:
            return History((self._history_version(self._version(subject, "latest")),), level=level)
        return History(tuple(self._history_version(self._version(subject, str(n)))
                             for n in self._version_numbers(subject)), level=level)

    def history(self, check: Check) -> History:
        """The registered versions the check's level needs (the level asked from the registry if not forced)."""
        subject = self.registry_subject(check.subject)
        return self.fetch_history(subject, check.level or self._effective_level(subject))

    # ------------------------------------------------------------ references
    def _references(self, check: Check) -> list[dict[str, Any]]:
        """``references`` for the check request: local imports mapped to registered subjects."""
        names = list(check.source.references)
        if check.source.parsed is not None:
            try:
                fmt = self.context.registry.format(check.source.format)
                names += [n for n in fmt.imports(check.source.parsed) if n not in names]
            except KeyError:
                pass
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

    def _answer(self, response: httpx.Response, subject: str, versions: Sequence[str]) -> RemoteVerdict:
        if response.status_code == 200:
            return remote_verdict(self._json(response), versions, self._unexpected(response))
        code, message = error_detail(response)
        if response.status_code == 404 and code in NOT_FOUND_CODES:
            raise SubjectNotFound(f"subject {subject!r} has no registered version on registry {self.id!r}")
        if response.status_code == 422 and code in (42201, 422):
            raise _Rejected(f"the registry rejects the schema as invalid (error {code}: {message})")
        raise self._unexpected(response)

    def remote_check(self, subject: str, payload: dict[str, Any], level: Level, history: History) -> RemoteVerdict:
        """The registry's own verdict on ``payload`` at ``level`` (per version where it must)."""
        all_versions = tuple(v.version for v in history.versions)
        if not level.transitive:
            return self._answer(self._post_check(subject, "latest", payload), subject, all_versions[-1:])
        if self._all_versions_route:
            response = self._post_check(subject, None, payload)
            if not is_bare_not_found(response):
                return self._answer(response, subject, all_versions)
            self._all_versions_route = False  # Karapace: the route is missing; check each version
        answers = [self._answer(self._post_check(subject, v, payload), subject, (v,)) for v in all_versions]
        failed = [a for a in answers if not a.compatible]
        return RemoteVerdict(compatible=not failed, messages=tuple(m for a in failed for m in a.messages),
                             versions=all_versions)

    # ------------------------------------------------------------ evaluate
    def evaluate(self, check: Check, judge: Judge) -> Verdict:
        """Level, history, references, the registry's verdict, and the local engine's explanation."""
        subject = self.registry_subject(check.subject)
        level = check.level or self._subject_level(subject)
        try:
            if level is None:  # unknown to /config (Karapace): new, unless versions exist after all
                self._version(subject, "latest")
                level = self._global_level()
            if level is Level.NONE:
                return Verdict(True, level=level,
                               notes=(f"subject {subject!r} has level NONE: any schema is accepted",))
            history = self.fetch_history(subject, level)
            payload: dict[str, Any] = {"schema": check.source.text}
            fmt_type = self._schema_type(check)
            if fmt_type != "AVRO":
                payload["schemaType"] = fmt_type
            references = self._references(check)
            if references:
                payload["references"] = references
            remote = self.remote_check(subject, payload, level, history)
        except SubjectNotFound as exc:
            return Verdict.new_subject(level, note=exc.message or None)
        except _Rejected as exc:
            return Verdict.failed(f"registry {self.id!r}: {exc}", level, kind="schema")
        return self._combine(check, judge, history, level, remote)

    def _schema_type(self, check: Check) -> str:
        try:
            return self.context.registry.format(check.source.format).schema_type.upper()
        except KeyError:
            return {"json": "JSON", "jsonschema": "JSON", "protobuf": "PROTOBUF"}.get(check.source.format, "AVRO")

    def _combine(self, check: Check, judge: Judge, history: History, level: Level, remote: RemoteVerdict) -> Verdict:
        notes = list(history.notes)
        try:
            local: Verdict | None = judge(check, history, level)
        except SchemafedError as exc:
            local = None
            notes.append(f"the local engine could not compare: {exc}")
        findings = local.findings if local is not None else ()
        if local is not None and remote.compatible and not local.compatible:
            notes.append(f"registry {self.id!r} accepts this schema but the local engine found "
                         f"{len(findings)} problem(s); the item follows the registry (a registry setting such "
                         "as normalize, or a bug on one side)")
        elif local is not None and not remote.compatible and local.compatible:
            reasons = "; ".join(remote.messages) or "no reason given"
            notes.append(f"registry {self.id!r} rejects this schema ({reasons}) but the local engine found no "
                         "problem; the item follows the registry")
        return Verdict(
            compatible=remote.compatible,
            findings=findings,
            outcome=Outcome.COMPATIBLE if remote.compatible else Outcome.INCOMPATIBLE,
            level=level,
            versions=local.versions if local is not None and local.versions else remote.versions,
            remote=remote,
            notes=tuple(notes),
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.http.close()

    def describe(self) -> str:
        """``confluent <id> (<url>)``, without credentials."""
        return f"confluent {self.id} ({safe_url(self.url)})"


class _Rejected(Exception):
    """The registry refused the local schema itself (invalid): the item fails with its message."""
