"""Sign-in security: TOTP two-factor login, login rate limits, session expiry, the audit log."""
