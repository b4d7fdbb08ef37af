"""Production start-up: shared Redis, email, and ``.env`` loading."""

import socketserver
import subprocess
import sys
import threading

import pytest
from django.core import mail
from django.core.mail import get_connection, send_mail

from cms.env import EnvError
from cms.settings.email import SMTP, email_settings
from cms.tests.test_settings_defaults import PRODUCTION_ENV, ROOT, _env, settings_of

REDIS_ERROR = (
    "configuration error: REDIS_URL must be set in production when "
    "WEB_CONCURRENCY > 1 or MULTI_HOST is true (rate limits, persisted "
    "queries and the response cache must be shared)"
)


def manage(*args: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_env(ENV_FILE="/nonexistent/.env", **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- Redis with more than one process -----------------------------------------


@pytest.mark.parametrize(
    "env", [{"WEB_CONCURRENCY": "2"}, {"MULTI_HOST": "true"}], ids=str
)
def test_production_refuses_several_processes_without_redis(env):
    result = manage(
        "check",
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        **PRODUCTION_ENV,
        **env,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [REDIS_ERROR]


def test_production_starts_with_redis_or_one_process():
    one = settings_of(
        "cms.settings.production",
        "WEB_CONCURRENCY",
        WEB_CONCURRENCY="1",
        **PRODUCTION_ENV,
    )
    assert one == {"WEB_CONCURRENCY": 1}
    shared = settings_of(
        "cms.settings.production",
        "WEB_CONCURRENCY",
        "MULTI_HOST",
        WEB_CONCURRENCY="4",
        MULTI_HOST="true",
        REDIS_URL="redis://127.0.0.1:6379/0",
        **PRODUCTION_ENV,
    )
    assert shared == {"WEB_CONCURRENCY": 4, "MULTI_HOST": True}


# --- email ------------------------------------------------------------------


def test_email_url_forms():
    assert email_settings(
        "smtp+tls://mailer%40clinic.example:p%3Ass@mail.example:2525"
    ) == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.example",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "mailer@clinic.example",
        "EMAIL_HOST_PASSWORD": "p:ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }
    ssl = email_settings("smtps://u:p@mail.example")
    assert (ssl["EMAIL_PORT"], ssl["EMAIL_USE_SSL"], ssl["EMAIL_USE_TLS"]) == (
        465,
        True,
        False,
    )
    plain = email_settings("smtp://relay.internal?tls=true")
    assert (plain["EMAIL_PORT"], plain["EMAIL_USE_TLS"]) == (25, True)
    console = email_settings("console://")
    assert console["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert email_settings(host="mx.example", use_tls=True) == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mx.example",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail.example", "EMAIL_URL must start with one of smtp://"),
        ("smtp://", "EMAIL_URL has no host"),
        ("smtp+tls://h?ssl=true", "EMAIL_URL cannot ask for both STARTTLS and SSL"),
        ("smtp://user:secret@h:notaport", "EMAIL_URL is not a valid URL"),
    ],
)
def test_a_bad_email_url_is_refused_without_repeating_it(url, message):
    with pytest.raises(EnvError) as refused:
        email_settings(url)
    assert str(refused.value).startswith(message)
    assert "secret" not in str(refused.value)


def test_email_and_moderation_settings_come_from_the_environment():
    configured = settings_of(
        "cms.settings.production",
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_USE_TLS",
        "DEFAULT_FROM_EMAIL",
        "SERVER_EMAIL",
        "WAGTAILADMIN_NOTIFICATION_FROM_EMAIL",
        "WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS",
        EMAIL_URL="smtp+tls://notices:pw@smtp.clinic.example",
        DEFAULT_FROM_EMAIL="Clinic CMS <cms@clinic.example>",
        MODERATION_FROM_EMAIL="review@clinic.example",
        MODERATION_NOTIFY_SUPERUSERS="false",
        **PRODUCTION_ENV,
    )
    assert configured == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "smtp.clinic.example",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "notices",
        "EMAIL_USE_TLS": True,
        "DEFAULT_FROM_EMAIL": "Clinic CMS <cms@clinic.example>",
        "SERVER_EMAIL": "Clinic CMS <cms@clinic.example>",
        "WAGTAILADMIN_NOTIFICATION_FROM_EMAIL": "review@clinic.example",
        "WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS": False,
    }


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) to accept one message without auth."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 fake-smtp ready")
        envelope = {"from": None, "to": [], "data": b""}
        while line := self.rfile.readline():
            command = line.decode().strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 fake-smtp")
            elif verb == "MAIL":
                envelope["from"] = command.split(":", 1)[1].strip("<> ")
                self.reply("250 OK")
            elif verb == "RCPT":
                envelope["to"].append(command.split(":", 1)[1].strip("<> "))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 end with .")
                while (data := self.rfile.readline()) != b".\r\n":
                    envelope["data"] += data
                self.server.messages.append(envelope)
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_email_url_sends_through_that_smtp_server(smtp_server, settings):
    port = smtp_server.server_address[1]
    for name, value in email_settings(f"smtp://127.0.0.1:{port}").items():
        setattr(settings, name, value)
    settings.DEFAULT_FROM_EMAIL = "cms@clinic.example"
    connection = get_connection(settings.EMAIL_BACKEND)
    sent = send_mail(
        "Page submitted",
        "Review it.",
        None,
        ["mod@clinic.example"],
        connection=connection,
    )
    assert sent == 1
    (message,) = smtp_server.messages
    assert (message["from"], message["to"]) == (
        "cms@clinic.example",
        ["mod@clinic.example"],
    )
    assert b"Subject: Page submitted" in message["data"]


@pytest.mark.django_db
def test_a_submission_for_moderation_mails_the_moderators_from_the_notice_address(
    settings,
):
    from io import StringIO

    from django.contrib.auth.models import Group, User

    from content.demo.permissions import ensure_groups
    from content.factories import ArticlePageFactory, BlogIndexPageFactory
    from home.demo import load_site

    settings.WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = "review@clinic.example"
    ensure_groups(StringIO())
    moderator = User.objects.create_user(
        "moderator", email="moderator@clinic.example", password="pw"
    )
    moderator.groups.add(Group.objects.get(name="Moderators"))
    editor = User.objects.create_user(
        "editor", email="editor@clinic.example", password="pw"
    )
    editor.groups.add(Group.objects.get(name="Editors"))
    blog = BlogIndexPageFactory(parent=load_site(StringIO()))
    page = ArticlePageFactory(parent=blog, live=False)
    page.save_revision(user=editor)
    mail.outbox.clear()

    page.get_workflow().start(page, editor)

    (notice,) = mail.outbox
    assert notice.from_email == "review@clinic.example"
    assert notice.to == ["moderator@clinic.example"]


# --- .env ---------------------------------------------------------------------


def test_dotenv_is_read_and_the_environment_wins(tmp_path):
    env_file = tmp_path / "clinic.env"
    env_file.write_text("WAGTAIL_SITE_NAME=From dotenv\nPREVIEW_TOKEN_TTL_SECONDS=77\n")
    script = (
        "from django.conf import settings; "
        "print(settings.WAGTAIL_SITE_NAME, '|', settings.PREVIEW_TOKEN_TTL_SECONDS)"
    )

    def site_name(**overrides) -> str:
        env = _env(DJANGO_SETTINGS_MODULE="cms.settings.test", ENV_FILE=str(env_file))
        env.pop("WAGTAIL_SITE_NAME", None)
        env.pop("PREVIEW_TOKEN_TTL_SECONDS", None)
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=ROOT,
            env={**env, **overrides},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip().splitlines()[-1]

    assert site_name() == "From dotenv | 77"
    assert site_name(WAGTAIL_SITE_NAME="From the environment") == (
        "From the environment | 77"
    )
