"""Measurement: a ``Track`` (+ the athlete's profile) -> an ``ActivitySummary``. Pure."""
