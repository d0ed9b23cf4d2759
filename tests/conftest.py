"""Shared fixtures."""

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests of the HanLP engine carry the ``hanlp`` mark (``make test-fast``
    leaves them out: they need torch and build model fixtures)."""
    for item in items:
        if "hanlp" in item.path.name:
            item.add_marker(pytest.mark.hanlp)


@pytest.fixture(scope="session")
def lac():
    """One LAC engine for every test that needs real tokens."""
    from kg.recognize.lac import LacRecognizer

    return LacRecognizer()
