"""Plan checks, then evaluate them concurrently: the core of a run, without pytest.

The pytest layer hands the gate the checks of the items about to run; the gate
prepares each backend once with all of its checks, evaluates them from one thread
pool with at most ``max_in_flight`` in flight per backend, and keeps each verdict
for its item to report. The ``schemafed`` command drives the same class.
"""

from __future__ import annotations

import gc
import os
import threading
import time
import traceback
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import repo_index
from .backends.base import Backend, BackendSpec, Judge, RunContext
from .config import Settings
from .discovery import find_format, load_content, load_source
from .engine import ParseCache, compare_parsed
from .errors import BackendUnavailable, ConfigError, LocalSchemaError, SchemafedError, SchemaParseError
from .formats.base import ParsedSchema
from .model import Check, ErrorKind, Finding, History, HistoryVersion, Level, SchemaContent, SchemaSource, Verdict
from .registry import Registry
from .secrets import scrub
from .waivers import apply_waivers, today
from .workers import MIN_FORKED_BATCH, ForkedEvaluation, can_fork

__all__ = ["Gate", "local_judge"]

_WORKER_PARSE_CACHE = 256  # registered versions kept parsed in a forked worker (shared by backends)

SubjectHook = Callable[[SchemaSource, str, str], str]


def local_judge(registry: Registry, cache: ParseCache | None = None) -> Judge:
    """A :data:`Judge` that compares a check's parsed file with a history, locally.

    The versions compared are those :meth:`History.needed` picks for the level (the one
    place that decides it). Registered versions are parsed through ``cache``, so a
    history shared by several backends is parsed once. A version whose text (and
    references) is the file's own is not parsed at all: a schema is compatible with
    itself at every level, and in a pull request most files are unchanged since the base.
    A version of another format that is a sink (a lakehouse table) is compared once, as
    the place the local schema's rows are written into (:mod:`pytest_schemafed.tables.sink`).
    """
    cache = cache if cache is not None else ParseCache()  # not `or`: an empty cache is falsy

    def judge(check: Check, history: History, level: Level) -> Verdict:
        fmt = registry.format(check.source.format)
        content = check.loaded
        needed = history.needed(level)
        compared = tuple(v.version for v in needed)  # the identical versions count as compared
        previous: list[tuple[str, ParsedSchema]] = []
        findings: list[Finding] = []
        for version in needed:
            if version.format is not None and version.format != fmt.name:
                sunk = _into_sink(registry, cache, check, version)
                if isinstance(sunk, Verdict):
                    return sunk
                findings.extend(sunk)
                continue
            if version.text == content.text and not version.references:
                continue  # the same schema: nothing to compare
            refs = dict(content.references)
            refs.update(version.references or {})
            label = f"{check.backend_id} version {version.version} of {check.subject}"
            previous.append((version.version, cache.parse(fmt, version.text, path=label, references=refs or None)))
        verdict = compare_parsed(fmt, content.parsed, previous, level)
        return Verdict.judged((*verdict.findings, *findings), level, compared)

    return judge


def _into_sink(registry: Registry, cache: ParseCache, check: Check, version: HistoryVersion) -> list[Finding] | Verdict:
    """Findings of writing the local schema's rows into ``version`` (a sink), or the failed verdict."""
    sink = registry.format(str(version.format))
    if not sink.sink:
        return Verdict.failed(f"registry {check.backend_id!r} holds {check.subject} as {version.format}, which "
                              f"cannot be compared with a {check.source.format} file", ErrorKind.REGISTRY)
    label = f"{check.backend_id} {version.format} {version.version}"
    target = cache.parse(sink, version.text, path=label)
    try:
        adopted = sink.adopt(check.parsed, check.source.relpath, version.version)
    except LocalSchemaError as exc:  # the local file has no form the sink takes
        return Verdict.failed(str(exc), ErrorKind.SCHEMA, line=exc.line)
    return [replace(f, version=version.version) for f in sink.compare(target, adopted, local="writer")]


class Gate:
    """One run's sources, backends, checks and verdicts.

    :param settings: the validated configuration.
    :param registry: formats and backend types.
    :param rootdir: the project root; relpaths and subjects are relative to it.
    :param against: ``--schemafed-against``: the git ref for git backends.
    :param level: ``--schemafed-level``: a level forced on every backend.
    :param only: ``--schemafed-registry``: run only these backend ids (empty = all).
    :param subject_hook: names a subject per backend (the ``pytest_schemafed_subject`` hook).
    :param on_verdict: called with each verdict as soon as it is computed.
    :param workers: forked processes for CPU-bound (local) checks, 0 = none (in-process);
        default: one per CPU when there are several (this process only waits for them).
    """

    def __init__(
        self,
        settings: Settings,
        registry: Registry,
        rootdir: Path,
        *,
        against: str | None = None,
        level: Level | None = None,
        only: Sequence[str] = (),
        subject_hook: SubjectHook | None = None,
        on_verdict: Callable[[Check, Verdict], None] | None = None,
        cache_get: Callable[[str], Any] | None = None,
        cache_set: Callable[[str, Any], None] | None = None,
        workers: int | None = None,
    ) -> None:
        self.settings = settings
        self.registry = registry
        self.rootdir = rootdir
        repo_index.forget()  # the $id index and buf layouts of an earlier run may be out of date
        self.level = level
        self.subject_hook = subject_hook
        self.on_verdict = on_verdict
        known = [s.id for s in settings.registries]
        unknown = [r for r in only if r not in known]
        if unknown:
            raise ConfigError(
                f"--schemafed-registry {', '.join(unknown)}: not configured; configured: {', '.join(known)}"
            )
        self.specs: dict[str, BackendSpec] = {s.id: s for s in settings.registries if not only or s.id in only}
        self.context = RunContext(rootdir=rootdir, registry=registry, against=against,
                                  cache_get=cache_get, cache_set=cache_set)
        self.parse_cache = ParseCache()
        self.judge = local_judge(registry, self.parse_cache)
        self.backends: dict[str, Backend] = {}
        self.backend_errors: dict[str, str] = {}
        self._contents: dict[str, SchemaContent] = {}
        self.matched_patterns: set[str] = set()  # the schemas: globs that selected a file
        #: tracebacks of internal errors (bugs), by registry id or ``registry::relpath``: shown with -v
        self.tracebacks: dict[str, str] = {}
        self.verdicts: dict[tuple[str, str], Verdict] = {}
        self.waiver_day = today()  # one date for the whole run
        self.waivers_used: set[str] = set()  # keys of the waivers that matched a finding
        if workers is None:
            workers = os.cpu_count() or 1
            workers = workers if workers > 1 else 0
        self.workers = workers
        self._pools: list[ForkedEvaluation[Backend]] = []
        self._pool_of: dict[tuple[str, str], tuple[ForkedEvaluation[Backend], Check]] = {}
        self._lock = threading.Lock()
        for spec in self.specs.values():
            self._open_backend(spec)

    def _open_backend(self, spec: BackendSpec) -> None:
        try:
            self.backends[spec.id] = self.registry.backends[spec.type](spec, self.context)
        except ConfigError:
            raise
        except SchemafedError as exc:
            self.backend_errors[spec.id] = str(exc)
        except Exception as exc:  # a bug of ours or of a library: that registry's items fail, the run goes on
            self.backend_errors[spec.id] = scrub(
                f"internal error opening registry {spec.id!r} ({type(exc).__name__}: {exc}); please report it")
            self.tracebacks[spec.id] = scrub(traceback.format_exc())

    # ------------------------------------------------------------------ plan
    def source_for(self, path: Path) -> SchemaSource | None:
        """The source of ``path`` if the configuration selects it, else ``None``."""
        found = find_format(path, self.settings, self.registry)
        if found is None:
            return None
        entry, fmt = found
        self.matched_patterns.add(entry.pattern)
        source, content = load_source(path, self.rootdir, entry, fmt, self.registry)
        if content is not None:
            with self._lock:
                self._contents[source.relpath] = content
        return source

    def content(self, source: SchemaSource) -> SchemaContent:
        """The file's content, read and parsed once per batch (kept until its checks have verdicts)."""
        with self._lock:
            found = self._contents.get(source.relpath)
        if found is None:
            found = load_content(source, self.rootdir, self.registry)
            with self._lock:
                found = self._contents.setdefault(source.relpath, found)
        return found

    def backend_ids(self, source: SchemaSource) -> list[str]:
        """The backend ids ``source`` is checked against, in configuration order."""
        allowed = source.entry.get("registries")
        return [rid for rid in self.specs if allowed is None or rid in allowed]

    def plan(self, source: SchemaSource, backend_id: str) -> Check:
        """The check of ``source`` against ``backend_id``: subject and forced level."""
        subject = source.subject
        if self.subject_hook is not None:
            subject = self.subject_hook(source, backend_id, subject) or subject
        check = Check(source=source, backend_id=backend_id, subject=subject,
                      level=self.level or self.specs[backend_id].level)
        backend = self.backends.get(backend_id)
        if backend is not None:
            backend.prefetch(check)
        return check

    # -------------------------------------------------------------- evaluate
    def evaluate(self, checks: Iterable[Check]) -> None:
        """Compute the verdict of every check not evaluated yet, concurrently.

        The cyclic garbage collector is paused meanwhile: parsing allocates many small
        objects that all stay alive until the batch ends, so collections would only
        rescan them. Parsed forms are dropped once every check of a file has its verdict.
        """
        enabled = gc.isenabled()
        gc.disable()
        try:
            self._evaluate(list(checks))
        finally:
            if enabled:
                gc.enable()

    def _evaluate(self, checks: list[Check]) -> None:
        todo: dict[str, list[Check]] = defaultdict(list)
        for check in checks:
            if self.planned(check):
                continue
            if check.backend_id in self.backend_errors:
                self._store(check, self._unavailable(check, self.backend_errors[check.backend_id]))
            else:
                todo[check.backend_id].append(check)
        local: list[tuple[Backend, Check]] = []
        remote: list[tuple[Backend, Check]] = []
        for backend_id, batch in todo.items():
            backend = self.backends[backend_id]
            if backend.local:  # CPU-bound: forked workers read and parse their own files
                local.extend((backend, check) for check in batch)
                continue
            # requests may need the parsed form: read and parse here, once, before any thread asks
            batch = [replace(c, content=self.content(c.source)) for c in batch if self._readable_or_stored(c)]
            if self._prepare(backend, batch):
                remote.extend((backend, check) for check in batch)
        if remote:
            self._run_concurrently(remote)
        if local:
            self._run_local(local)
        self.parse_cache.clear()
        with self._lock:
            for check in checks:
                source = check.source
                if all((source.relpath, rid) in self.verdicts for rid in self.backend_ids(source)):
                    self._contents.pop(source.relpath, None)

    def _readable_or_stored(self, check: Check) -> bool:
        """Read and parse the check's file; on failure store its verdict and return False."""
        verdict = self._parse_failure(check)
        if verdict is not None:
            self._store(check, verdict)
        return verdict is None

    def _parse_failure(self, check: Check) -> Verdict | None:
        content = self.content(check.source)
        if content.error is None:
            return None
        return Verdict.failed(content.error, ErrorKind.SCHEMA, check.level, line=content.error_line)

    def _prepare(self, backend: Backend, batch: list[Check]) -> bool:
        """``backend.prepare(batch)``; on failure every check of the batch gets the error."""
        try:
            backend.prepare(batch)
        except SchemafedError as exc:
            for check in batch:
                self._store(check, self._error_verdict(check, exc))
            return False
        return True

    def _prepare_local(self, work: list[tuple[Backend, Check]]) -> list[tuple[Backend, Check]]:
        """Prepare local backends for ``work``; returns the pairs whose backend is ready."""
        batches: dict[str, list[Check]] = defaultdict(list)
        for backend, check in work:
            batches[backend.id].append(check)
        ready = {bid for bid, batch in batches.items() if self._prepare(self.backends[bid], batch)}
        return [(b, c) for b, c in work if b.id in ready]

    def _run_local(self, work: list[tuple[Backend, Check]]) -> None:
        """CPU-bound checks: on forked workers when that is safe and pays, else here."""
        work = self._prepare_local(work)
        if self.workers >= 1 and len(work) >= MIN_FORKED_BATCH and can_fork():
            pool = ForkedEvaluation(work, self._compute, self.workers, self._after_fork,
                                    budget=self.settings.check_timeout)
            pool.start()
            self._pools.append(pool)
            for _, check in work:
                self._pool_of[check.key] = (pool, check)
            return
        for backend, check in work:
            self._store(check, self._compute(backend, check))

    def _after_fork(self) -> None:
        self.on_verdict = None  # hooks run in the parent, when the verdict arrives there
        for backend in self.backends.values():
            backend.after_fork()

    def _run_concurrently(self, work: list[tuple[Backend, Check]]) -> None:
        limits = {b.id: threading.BoundedSemaphore(b.max_in_flight) for b, _ in work}
        workers = min(64, sum({b.id: b.max_in_flight for b, _ in work}.values()), len(work))

        budget = self.settings.check_timeout
        started: dict[tuple[str, str], float] = {}

        def run(backend: Backend, check: Check) -> None:
            with limits[backend.id]:
                started[check.key] = time.monotonic()
                verdict = self._compute(backend, check)
            if check.key not in self.verdicts:  # else it ran past the budget and has failed already
                self._store(check, verdict)

        # A check past its budget fails and is no longer waited for; its thread is left to end on its own.
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="schemafed")
        pending = {pool.submit(run, b, c): c for b, c in work}
        abandoned = False
        try:
            while pending:
                done, _ = wait(pending, timeout=min(1.0, budget), return_when=FIRST_COMPLETED)
                for future in done:
                    del pending[future]
                    future.result()
                now = time.monotonic()
                for future, check in list(pending.items()):
                    if now - started.get(check.key, now) > budget:
                        del pending[future]
                        abandoned = True
                        self._store(check, Verdict.failed(
                            f"{check.source.relpath}: the check against {check.backend_id} ran past "
                            f"check_timeout={budget:g} s; stopped waiting for it", ErrorKind.REGISTRY, check.level))
        finally:
            pool.shutdown(wait=not abandoned, cancel_futures=True)  # idle threads end now: forking needs it

    def _compute(self, backend: Backend, check: Check) -> Verdict:
        """One verdict; never raises (also runs in forked workers)."""
        try:
            settled = backend.unchanged(check)
            if settled is not None:
                return settled
            failure = self._parse_failure(check)
            if failure is not None:
                return failure
            verdict = backend.evaluate(replace(check, content=self.content(check.source)), self.judge)
            if backend.local:
                self._forget(check)
            return verdict
        except SchemafedError as exc:
            return self._error_verdict(check, exc)
        except Exception as exc:  # a bug of ours or of a backend library: say so, keep going
            self.tracebacks[check.backend_id + "::" + check.source.relpath] = scrub(traceback.format_exc())
            return Verdict.failed(
                scrub(f"internal error in backend {check.backend_id!r} ({type(exc).__name__}: {exc}); "
                      "please report it"),
                ErrorKind.INTERNAL,
                check.level,
            )

    def _forget(self, check: Check) -> None:
        """After a local check (here or in a forked worker): drop what it parsed, so that memory stays
        flat over a batch of any size while the GC is paused. A file checked against several
        local backends is then read again (rare, and cheap next to holding every parsed file).
        """
        with self._lock:
            self._contents.pop(check.source.relpath, None)
        if len(self.parse_cache) > _WORKER_PARSE_CACHE:
            self.parse_cache.clear()

    def _error_verdict(self, check: Check, exc: SchemafedError) -> Verdict:
        if isinstance(exc, SchemaParseError):
            return Verdict.failed(f"a registered version cannot be parsed: {exc}", ErrorKind.REGISTRY, check.level)
        if isinstance(exc, BackendUnavailable):
            return self._unavailable(check, str(exc))
        return Verdict.failed(str(exc), ErrorKind.REGISTRY, check.level)

    def _unavailable(self, check: Check, message: str) -> Verdict:
        if self.specs[check.backend_id].options.get("on_unavailable") == "skip":
            return Verdict.skipped(message, check.level)
        return Verdict.failed(message, ErrorKind.REGISTRY, check.level)

    def _store(self, check: Check, verdict: Verdict) -> None:
        if verdict.error:
            verdict = replace(verdict, error=scrub(verdict.error))
        with self._lock:
            verdict = apply_waivers(verdict, check, self.settings.waivers, self.waiver_day, self.waivers_used)
            self.verdicts[check.key] = verdict
        if self.on_verdict is not None:
            self.on_verdict(check, verdict)

    def planned(self, check: Check) -> bool:
        """True when ``check`` has a verdict or is being evaluated by a worker."""
        return check.key in self.verdicts or check.key in self._pool_of

    def verdict(self, check: Check) -> Verdict:
        """The verdict of ``check``: waits for a worker, or evaluates it alone if no batch had it."""
        key = check.key
        if key not in self.verdicts and key in self._pool_of:
            pool = self._pool_of[key][0]
            pool.wait_for(key)
            for done, verdict in pool.results.items():
                if done not in self.verdicts:
                    self._store(self._pool_of[done][1], verdict)
            if key not in self.verdicts:  # the worker died before this one: compute it here
                del self._pool_of[key]
        if key not in self.verdicts:
            self.evaluate([check])
        return self.verdicts[key]

    def close(self) -> None:
        """Close every backend (connections, git processes) and worker pipe."""
        for pool in self._pools:
            pool.close()
        for backend in self.backends.values():
            try:
                backend.close()
            except Exception:  # closing must never hide the run's result
                pass
