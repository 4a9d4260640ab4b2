"""The ``kit`` fixture for the Protobuf format tests."""

from __future__ import annotations

import pytest

from .protobuf_kit import ProtoKit


@pytest.fixture
def kit() -> ProtoKit:
    """The Protobuf test helper."""
    return ProtoKit()
