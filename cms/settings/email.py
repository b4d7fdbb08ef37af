"""Django's email settings from ``EMAIL_URL`` or the ``EMAIL_HOST`` group.

``EMAIL_URL`` names the backend and the server in one value:

- ``smtp://user:password@host:25`` plain SMTP (``?tls=true`` for STARTTLS),
- ``smtp+tls://user:password@host`` STARTTLS, port 587 unless given,
- ``smtps://user:password@host`` (or ``smtp+ssl://``) TLS from the start, 465,
- ``console://`` (standard output), ``locmem://``, ``dummy://`` (discard).

User and password are percent-decoded (``%40`` for ``@``). Without
``EMAIL_URL``, ``EMAIL_HOST``/``EMAIL_PORT``/``EMAIL_HOST_USER``/
``EMAIL_HOST_PASSWORD``/``EMAIL_USE_TLS``/``EMAIL_USE_SSL`` are used as in
Django (SMTP to localhost:25 when nothing is set).
"""

from urllib.parse import parse_qs, unquote, urlsplit

from cms.env import EnvError

_BACKENDS = "django.core.mail.backends."
SMTP = _BACKENDS + "smtp.EmailBackend"
# scheme -> (backend, STARTTLS, TLS from the start, default port)
SCHEMES = {
    "smtp": (SMTP, False, False, 25),
    "smtp+tls": (SMTP, True, False, 587),
    "submission": (SMTP, True, False, 587),
    "smtps": (SMTP, False, True, 465),
    "smtp+ssl": (SMTP, False, True, 465),
    "console": (_BACKENDS + "console.EmailBackend", False, False, 0),
    "locmem": (_BACKENDS + "locmem.EmailBackend", False, False, 0),
    "dummy": (_BACKENDS + "dummy.EmailBackend", False, False, 0),
}
_TRUE = {"1", "true", "yes", "on"}


def email_settings(
    url: str = "",
    *,
    host: str = "",
    port: int = 0,
    user: str = "",
    password: str = "",
    use_tls: bool = False,
    use_ssl: bool = False,
) -> dict:
    """``EMAIL_BACKEND``, ``EMAIL_HOST``, ``EMAIL_PORT``, ``EMAIL_HOST_USER``,
    ``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS`` and ``EMAIL_USE_SSL``."""
    if url:
        return _from_url(url)
    if use_tls and use_ssl:
        raise EnvError("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true")
    return {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": host or "localhost",
        "EMAIL_PORT": port or (465 if use_ssl else 587 if use_tls else 25),
        "EMAIL_HOST_USER": user,
        "EMAIL_HOST_PASSWORD": password,
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }


def _from_url(url: str) -> dict:
    # The message never repeats the URL: it may hold a password.
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise EnvError("EMAIL_URL is not a valid URL") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        names = ", ".join(f"{name}://" for name in SCHEMES)
        raise EnvError(f"EMAIL_URL must start with one of {names}")
    backend, use_tls, use_ssl, default_port = SCHEMES[scheme]
    if backend == SMTP and not parts.hostname:
        raise EnvError("EMAIL_URL has no host (smtp://user:password@host:port)")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    use_tls = use_tls or query.get("tls", "").lower() in _TRUE
    use_ssl = use_ssl or query.get("ssl", "").lower() in _TRUE
    if use_tls and use_ssl:
        raise EnvError("EMAIL_URL cannot ask for both STARTTLS and SSL")
    return {
        "EMAIL_BACKEND": backend,
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": port or default_port or 25,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }
