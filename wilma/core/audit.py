"""Recording in the admin audit log from any feature, without depending on the admin feature.

Services call :func:`audit` before their own ``commit()``: the action and its entry are stored together
or not at all. The entry itself (fields, cleaning of user text, the ``wilma.audit`` log line) is
``wilma.admin.audit.record_audit``; without the admin feature nothing is recorded.
"""

from wilma import import_feature_module


def audit(action: str, *, actor=None, target=None, detail: dict | None = None) -> None:
    """Add the entry ``action`` to the caller's transaction (``actor`` defaults to the request's user)."""
    module = import_feature_module("admin", "audit")
    if module is not None:
        module.record_audit(action, actor=actor, target=target, detail=detail, commit=False)
