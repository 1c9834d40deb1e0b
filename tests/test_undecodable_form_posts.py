"""Finding 6: a form post whose body Django refuses to decode is a 400 in the site's look, with
every security header, and logged; never the server's bare 500."""

import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
PORTS = range(8131, 8140)  # this project's range for servers started by tests
SECURITY_HEADERS = [
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
]
FORM_URLS = ["/book/", "/stories/share/", "/admin/login/"]
CHARSETS = ["utf-16", "latin-1", "utf-32-le"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def assert_site_400(status, headers, body):
    assert status == 400
    assert "We couldn’t understand that request" in body
    assert 'href="/static/css/site.css"' in body or "site" in body
    for header in SECURITY_HEADERS:
        assert headers.get(header), header


@pytest.mark.parametrize("url", FORM_URLS)
@pytest.mark.parametrize("charset", CHARSETS)
def test_a_form_post_in_another_charset_is_a_logged_400(demo, caplog, url, charset):
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    token = TOKEN.search(client.get(url).content.decode()).group(1)
    body = f"csrfmiddlewaretoken={token}&name=Bob".encode(charset)

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.generic(
            "POST",
            url,
            body,
            content_type=f"application/x-www-form-urlencoded; charset={charset}",
        )

    assert_site_400(response.status_code, response.headers, response.content.decode())
    assert any(record.status_code == 400 for record in caplog.records)


def free_port():
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.skip("no free port in this project's range")


@pytest.fixture
def gunicorn(tmp_path):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.test_settings",  # no collectstatic needed
        "DATA_DIR": str(tmp_path),
        "DJANGO_ENV": "local",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=environment, check=True, cwd=ROOT)
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "clinic.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
            env=environment,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        for _attempt in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", log
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_through_gunicorn_it_is_the_site_400_not_a_bare_500(gunicorn):
    base, log = gunicorn
    with urllib.request.urlopen(f"{base}/book/", timeout=10) as page:
        cookie = page.headers["Set-Cookie"].split(";")[0]
        token = TOKEN.search(page.read().decode()).group(1)
    request = urllib.request.Request(
        f"{base}/book/",
        data=f"csrfmiddlewaretoken={token}&name=Bob".encode("utf-16"),
        headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-16",
            "Cookie": cookie,
        },
    )

    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=10)

    response = answer.value
    assert_site_400(response.code, response.headers, response.read().decode())
    time.sleep(0.2)
    assert "WARNING django.request: " in log.read_text()
    assert "encoded.: /book/" in log.read_text()
