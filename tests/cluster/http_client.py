"""A visitor of the cluster over real HTTP: one cookie jar whichever app server answers.

The tests play the load balancer: every request names the client's address in X-Forwarded-For
(the app servers trust one proxy), so the rate limits see separate clients from one machine.
"""

import http.cookiejar
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    def __init__(self, server, address="203.0.113.10"):
        self.server = server
        self.address = address
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def request(self, method, url, body=None, headers=None, timeout=60):
        if url.startswith("/"):
            url = self.server + url
        headers = {"X-Forwarded-For": self.address, **(headers or {})}
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Response(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read())

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data, files=None, headers=None, server=None):
        """POST a form (values may be lists) to `server` (default: this visitor's), as multipart
        when there are files: {name: (filename, bytes, content type)}."""
        url = (server or self.server) + path
        headers = {"Referer": url, **(headers or {})}
        if files:
            body, content_type = multipart(data, files)
        else:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            content_type = "application/x-www-form-urlencoded"
        return self.request("POST", url, body, {**headers, "Content-Type": content_type})

    def log_in(self, username, password, server=None):
        server = server or self.server
        page = self.get(server + "/admin/login/").text
        return self.post(
            "/admin/login/",
            {
                "csrfmiddlewaretoken": TOKEN.search(page).group(1),
                "username": username,
                "password": password,
                "next": "/admin/",
            },
            server=server,
        )


def multipart(data, files):
    boundary = "----cluster" + secrets.token_hex(12)
    parts = []
    for name, values in data.items():
        for value in values if isinstance(values, list) else [values]:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                + str(value).encode()
                + b"\r\n"
            )
    for name, (filename, content, content_type) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
