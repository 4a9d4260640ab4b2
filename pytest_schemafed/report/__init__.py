"""Renderings of verdicts: terminal text, GitHub annotations, JSON, SARIF."""
