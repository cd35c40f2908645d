"""The documents' fixtures: committee terms of the Tổng công ty (numbers restart in each)."""

from tests.documents.conftest import terms

__all__ = ["terms"]
