"""Masking for the whole run: log records and pytest reports go through :func:`~.secrets.scrub`.

:func:`install` is called once per run (the plugin's ``pytest_configure``, the
``schemafed`` command's start) and does two things:

* it wraps the logging record factory, so that every record is masked when it is
  created: its message (``msg % args``), its exception text and its stack text.
  Masking at creation covers every handler that will ever see the record, including
  the ones pytest adds per test (captured logs, ``log_cli``, ``junit_logging``), and
  every logger (httpx, httpcore, botocore, boto3, urllib3, ours and any other). A
  record that holds no secret is left exactly as it was;
* given a pytest config, it registers :class:`ReportScrubber`, which masks each test
  and collection report (the failure text, ``--showlocals`` locals included, and the
  captured stdout, stderr and log sections) before any reporter (terminal, JUnit XML,
  xdist) reads it: the last line of defence for a secret that reached a traceback.

This module does not import pytest: the hooks are marked with pluggy's marker for
the ``pytest`` project, which is what ``pytest.hookimpl`` is.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable, Generator
from typing import Any

import pluggy

from .secrets import scrub

__all__ = ["MASKED_LOGGERS", "ReportScrubber", "SecretFilter", "install", "mask_record"]

MASKED_LOGGERS = ("httpx", "httpcore", "botocore", "boto3", "urllib3", "s3transfer", "pytest_schemafed")
"""The loggers known to carry URLs and headers; :class:`SecretFilter` is also attached to them."""

_hookimpl = pluggy.HookimplMarker("pytest")
_lock = threading.Lock()
_installs = 0
_previous_factory: Callable[..., logging.LogRecord] | None = None
PLUGIN_NAME = "schemafed-masking"


def mask_record(record: logging.LogRecord) -> bool:
    """Mask ``record`` in place; returns True (usable as a filter). Records without a secret are untouched."""
    try:
        message = record.getMessage()
    except Exception:  # a broken format string: logging reports it later, show nothing of the args
        message = str(record.msg)
        record.msg, record.args = scrub(message), None
        return True
    masked = scrub(message)
    if masked != message:
        record.msg, record.args = masked, None
    if record.exc_info and record.exc_info[0] is not None and not record.exc_text:
        text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        record.exc_text = scrub(text)
    elif record.exc_text:
        record.exc_text = scrub(record.exc_text)
    if record.stack_info:
        record.stack_info = scrub(record.stack_info)
    return True


class SecretFilter(logging.Filter):
    """A logging filter that masks secrets in the records it sees (it never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask ``record``; always keep it."""
        return mask_record(record)


def _masking_factory(previous: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        mask_record(record)
        return record

    factory.schemafed_masking = True  # type: ignore[attr-defined]
    return factory


_FILTER = SecretFilter()


def _install_logging() -> None:
    global _installs, _previous_factory
    with _lock:
        _installs += 1
        if _installs > 1:
            return
        current = logging.getLogRecordFactory()
        _previous_factory = current
        logging.setLogRecordFactory(_masking_factory(current))
        for name in MASKED_LOGGERS:
            logger = logging.getLogger(name)
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)


def _uninstall_logging() -> None:
    global _installs, _previous_factory
    with _lock:
        _installs = max(0, _installs - 1)
        if _installs or _previous_factory is None:
            return
        if getattr(logging.getLogRecordFactory(), "schemafed_masking", False):
            logging.setLogRecordFactory(_previous_factory)
        _previous_factory = None
        for name in MASKED_LOGGERS:
            logging.getLogger(name).removeFilter(_FILTER)


def _scrub_report(report: Any) -> None:
    longrepr = getattr(report, "longrepr", None)
    if longrepr is not None and not isinstance(longrepr, tuple):
        text = str(longrepr)
        masked = scrub(text)
        if masked != text:
            report.longrepr = masked
    elif isinstance(longrepr, tuple) and len(longrepr) == 3:  # a skip: (path, line, reason)
        report.longrepr = (longrepr[0], longrepr[1], scrub(str(longrepr[2])))
    sections = getattr(report, "sections", None)
    if sections:
        report.sections = [(title, scrub(content)) for title, content in sections]


class ReportScrubber:
    """pytest hooks that mask every test and collection report before it is reported."""

    @_hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_makereport(self, item: Any, call: Any) -> Generator[None, Any, Any]:
        """Mask the report of one test phase (failure text with locals, captured output and logs)."""
        report = yield
        _scrub_report(report)
        return report

    @_hookimpl(wrapper=True, tryfirst=True)
    def pytest_make_collect_report(self, collector: Any) -> Generator[None, Any, Any]:
        """Mask a collection report (a collection error's traceback)."""
        report = yield
        _scrub_report(report)
        return report


def install(config: Any | None = None) -> Callable[[], None]:
    """Mask log records and, given a pytest ``config``, every report of the run.

    Idempotent per config; returns the function that undoes it (registered as a
    config cleanup when ``config`` is given).
    """
    if config is not None and config.pluginmanager.has_plugin(PLUGIN_NAME):
        return lambda: None
    _install_logging()
    done = False

    def uninstall() -> None:
        nonlocal done
        if done:
            return
        done = True
        _uninstall_logging()
        if config is not None and config.pluginmanager.has_plugin(PLUGIN_NAME):
            config.pluginmanager.unregister(name=PLUGIN_NAME)

    if config is not None:
        config.pluginmanager.register(ReportScrubber(), PLUGIN_NAME)
        config.add_cleanup(uninstall)
    return uninstall
