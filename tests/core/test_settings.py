"""Production settings must refuse to start insecurely, and pass Django's deployment checks."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x7#kq9!vT2mLp0zR8wYc4nB6hJ1sD5fG3aE9uI7oP2lK8jH4gF6dS0aZxCvBnM",
    "DJANGO_ALLOWED_HOSTS": "camino.example.org",
    "EMAIL_URL": "smtp+tls://camino:secret@smtp.example.org:587",
}


def run_django(args, extra_env):
    # EMAIL_URL too: `make test` exports the Makefile's consolemail:// default, and a test must
    # see production with only what it gives.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_URL"))}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
        capture_output=True, text=True, timeout=120,
    )


def test_production_without_secret_key_fails_loudly():
    env = {**PRODUCTION_ENV}
    del env["DJANGO_SECRET_KEY"]
    result = run_django(["check"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_the_development_key():
    env = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": "django-insecure-camino-development-only"}
    result = run_django(["check"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_without_allowed_hosts_fails_loudly():
    env = {**PRODUCTION_ENV}
    del env["DJANGO_ALLOWED_HOSTS"]
    result = run_django(["check"], env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_production_without_email_url_fails_loudly():
    """The default (mail printed to the console) would send no confirmation the thank-you page
    promises, and print each one, with the supporter's name, street and email, into the worker's
    log (Celery logs a worker's output)."""
    env = {**PRODUCTION_ENV}
    del env["EMAIL_URL"]
    result = run_django(["check"], env)
    assert result.returncode != 0
    assert "EMAIL_URL must be set" in result.stderr
    # Said outright, a console backend stays possible (the benchmarks run production that way).
    assert run_django(["check"], {**env, "EMAIL_URL": "consolemail://"}).returncode == 0


def test_production_without_email_url_still_collects_static_files(tmp_path):
    """A deployment collects static files before it is configured (new-user --prod does exactly
    that): only the check stops it, not the settings' import."""
    env = {**PRODUCTION_ENV, "STATIC_ROOT": str(tmp_path / "static")}
    del env["EMAIL_URL"]
    result = run_django(["collectstatic", "--noinput", "--dry-run"], env)
    assert result.returncode == 0, result.stderr[-2000:]


def test_mail_without_email_url_is_not_printed_and_stays_due(capsys):
    """What production sends without EMAIL_URL: nothing printed (a log would hold the supporter's
    name and street), and an error the tasks retry, so it goes out once EMAIL_URL is set."""
    from django.core.mail import EmailMessage, get_connection

    from core.transient import TRANSIENT_ERRORS

    connection = get_connection("core.mail.EmailNotConfiguredBackend")
    message = EmailMessage("Your letter", "Ana Pérez, 12 Pine St", to=["ana@example.org"], connection=connection)
    with pytest.raises(TRANSIENT_ERRORS):
        message.send()
    printed = capsys.readouterr()
    assert "Pine" not in printed.out + printed.err


def test_check_deploy_is_clean_in_production():
    result = run_django(["check", "--deploy", "--fail-level", "WARNING"], PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_a_deployment_that_forgets_django_debug_runs_as_production():
    """No DJANGO_DEBUG at all: production, so the public development key is refused."""
    result = run_django(["check"], {})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_no_settings_module_names_the_test_runner():
    """Test-only values live in config/settings/test.py; what production loads never asks whether
    it runs under pytest."""
    from pathlib import Path

    for module in Path(settings.BASE_DIR, "config", "settings").glob("*.py"):
        if module.name == "test.py":
            continue
        text = module.read_text()
        assert "PYTEST" not in text and "TESTING" not in text, module.name


def test_every_task_has_an_explicit_name_and_every_beat_entry_names_a_task():
    """A task named after its module path is renamed by a refactor, orphaning queued messages and
    beat entries: every Camino task states its name, and the schedule only names real tasks."""
    import ast
    from pathlib import Path

    from config.celery import app

    unnamed = []
    for path in Path(settings.BASE_DIR).glob("*/tasks.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef):
                for decorator in node.decorator_list:
                    call = decorator if isinstance(decorator, ast.Call) else None
                    target = call.func if call else decorator
                    is_task = getattr(target, "id", getattr(target, "attr", "")) in {"shared_task", "task"}
                    if is_task and not (call and any(keyword.arg == "name" for keyword in call.keywords)):
                        unnamed.append(f"{path.parent.name}.{node.name}")
    assert unnamed == []
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]
