"""tools.tenant_cache: values are served only under their own tenant id and only while their stamp is fresh."""

import uuid

from tools.tenant_cache import TenantCache


def test_value_served_only_to_its_tenant_while_fresh() -> None:
    cache: TenantCache[str, tuple[str, ...]] = TenantCache()
    a, b = uuid.uuid4(), uuid.uuid4()
    cache.put(a, "fp1", ("Jurong East",))
    assert cache.get(a, lambda s: s == "fp1") == ("Jurong East",)
    assert cache.get(b, lambda s: True) is None  # never another tenant's value
    assert cache.get(a, lambda s: s == "fp2") is None  # the documents changed
    cache.forget(a)
    assert cache.get(a, lambda s: True) is None


def test_forget_all() -> None:
    cache: TenantCache[float, int] = TenantCache()
    ids = [uuid.uuid4() for _ in range(3)]
    for i, t in enumerate(ids):
        cache.put(t, 0.0, i)
    cache.forget()
    assert all(cache.get(t, lambda s: True) is None for t in ids)
