from __future__ import annotations

import pytest

from tests.factories import CarePackageFactory, ContractFactory, ProviderFactory


@pytest.fixture
def package():
    """A provider with one contract and one care package on it."""
    provider = ProviderFactory(ref="P01")
    contract = ContractFactory(provider=provider)
    return CarePackageFactory(provider=provider, contract=contract)
