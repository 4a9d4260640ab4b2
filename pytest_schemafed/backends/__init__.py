"""Backends: where the registered versions of a subject come from."""
