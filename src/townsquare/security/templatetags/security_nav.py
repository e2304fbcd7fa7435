"""Template filters for the account menu's security links."""

from django import template

from townsquare.security.audit import may_read_audit as _may_read_audit

register = template.Library()


@register.filter
def may_read_audit(user) -> bool:
    """Whether to offer the Audit page: only admins and supervisors read the audit log."""
    return _may_read_audit(user)
