"""Shared fixtures."""

import pytest


@pytest.fixture(scope="session")
def lac():
    """One LAC engine for every test that needs real tokens."""
    from kg.recognize.lac import LacRecognizer

    return LacRecognizer()
