"""The MDN HTTP Observatory's score of one response, computed from its rubric (algorithm v6).

The rules and modifiers follow mdn/mdn-http-observatory (src/analyzer/tests/*.js and
src/grader/charts.js): start from 100, subtract the penalties; only if that leaves 90 or more,
add the bonuses. The HSTS preload bonus needs the browsers' preload list and is left aside, as
is the crossdomain.xml/clientaccesspolicy.xml part of the CORS test (Django serves neither).

`score(response, https_response_of_http=...)` takes Django test client responses; every result
is a `Finding(test, result, modifier)`, so a failing test names what lost points.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

BASELINE = 100
MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90
HSTS_SIX_MONTHS = 15_768_000
DANGEROUSLY_BROAD = {"ftp:", "http:", "https:", "*", "http://*", "http://*.*", "https://*"}
DANGEROUSLY_BROAD |= {"https://*.*"}
BROAD_OR_INLINE = DANGEROUSLY_BROAD | {"'unsafe-inline'", "data:"}
PASSIVE_DIRECTIVES = {"img-src", "media-src"}
PRIVATE_REFERRERS = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
UNSAFE_REFERRERS = {
    "origin",
    "origin-when-cross-origin",
    "unsafe-url",
    "no-referrer-when-downgrade",
}
KNOWN_REFERRERS = PRIVATE_REFERRERS | UNSAFE_REFERRERS


@dataclass(frozen=True)
class Finding:
    test: str
    result: str
    modifier: int

    def __str__(self):
        return f"{self.test}: {self.result} ({self.modifier:+d})"


@dataclass
class Score:
    total: int
    findings: list[Finding]

    @property
    def penalties(self):
        return [finding for finding in self.findings if finding.modifier < 0]

    def __str__(self):
        return f"{self.total}: " + ", ".join(str(finding) for finding in self.findings)


def total(findings):
    points = max(BASELINE + sum(f.modifier for f in findings if f.modifier < 0), 0)
    if points >= MINIMUM_SCORE_FOR_EXTRA_CREDIT:
        points += sum(f.modifier for f in findings if f.modifier > 0)
    return points


def headers_named(response, name):
    value = response.headers.get(name)
    return [] if value is None else [value]


# --- Content-Security-Policy (analyzer/tests/csp.js) ---------------------------------------------


def parse_csp(value):
    policy = {}
    for part in value.split(";"):
        tokens = part.strip().split()
        if not tokens:
            continue
        directive = tokens[0].lower()
        if directive in policy:
            raise ValueError(f"duplicate directive {directive}")
        policy[directive] = {
            token if token.startswith("'") else token.lower() for token in tokens[1:]
        }
    return policy


def csp(response, https=True):
    values = headers_named(response, "Content-Security-Policy")
    if not values:
        return Finding("csp", "csp-not-implemented", -25), {}
    try:
        policy = parse_csp(values[0])
    except ValueError:
        return Finding("csp", "csp-header-invalid", -25), {}
    default = policy.get("default-src")
    script = policy.get("script-src", default if default is not None else {"*"})
    style = policy.get("style-src", default if default is not None else {"*"})
    objects = policy.get("object-src", default if default is not None else {"*"})
    active = [
        s
        for d, sources in policy.items()
        if d not in PASSIVE_DIRECTIVES | {"script-src"}
        for s in sources
    ]
    active += list(script)
    passive = [s for d in PASSIVE_DIRECTIVES for s in policy.get(d, default or set())]
    insecure = ("http:", "ftp:")
    if script & BROAD_OR_INLINE or objects & DANGEROUSLY_BROAD:
        finding = Finding("csp", "csp-implemented-with-unsafe-inline", -20)
    elif https and any(source.startswith(insecure) for source in active):
        finding = Finding("csp", "csp-implemented-with-insecure-scheme", -20)
    elif "'unsafe-eval'" in script | style:
        finding = Finding("csp", "csp-implemented-with-unsafe-eval", -10)
    elif https and any(source.startswith(insecure) for source in passive):
        finding = Finding(
            "csp", "csp-implemented-with-insecure-scheme-in-passive-content-only", -10
        )
    elif style & BROAD_OR_INLINE:
        finding = Finding("csp", "csp-implemented-with-unsafe-inline-in-style-src-only", 0)
    elif default == {"'none'"}:
        finding = Finding("csp", "csp-implemented-with-no-unsafe-default-src-none", 10)
    else:
        finding = Finding("csp", "csp-implemented-with-no-unsafe", 5)
    return finding, policy


# --- Cookies (analyzer/tests/cookies.js) --------------------------------------------------------

COOKIE_GOODNESS = [
    "cookies-without-secure-flag-but-protected-by-hsts",
    "cookies-without-secure-flag",
    "cookies-session-without-secure-flag-but-protected-by-hsts",
    "cookies-samesite-flag-invalid",
    "cookies-anticsrf-without-samesite-flag",
    "cookies-session-without-httponly-flag",
    "cookies-session-without-secure-flag",
]
COOKIE_MODIFIERS = dict(zip(COOKIE_GOODNESS, [-5, -20, -10, -20, -20, -30, -40], strict=True))


def cookies(response, hsts_passes):
    jar = [morsel for morsel in response.cookies.values() if morsel.value or morsel["max-age"]]
    if not jar:
        return Finding("cookies", "cookies-not-found", 0)
    worst = None

    def only_if_worse(result):
        nonlocal worst
        if worst is None or COOKIE_GOODNESS.index(result) > COOKIE_GOODNESS.index(worst):
            worst = result

    missing_samesite = False
    for morsel in jar:
        name = morsel.key.lower()
        session, anticsrf = any(part in name for part in ("login", "sess")), "csrf" in name
        secure, samesite = bool(morsel["secure"]), str(morsel["samesite"]).lower()
        if samesite and samesite not in {"lax", "strict", "none"}:
            only_if_worse("cookies-samesite-flag-invalid")
        if not secure and samesite == "none":
            only_if_worse("cookies-samesite-flag-invalid")
        if not secure:
            only_if_worse(
                "cookies-without-secure-flag-but-protected-by-hsts"
                if hsts_passes
                else "cookies-without-secure-flag"
            )
        if anticsrf and not samesite:
            only_if_worse("cookies-anticsrf-without-samesite-flag")
        if session and not secure:
            only_if_worse(
                "cookies-session-without-secure-flag-but-protected-by-hsts"
                if hsts_passes
                else "cookies-session-without-secure-flag"
            )
        if session and not morsel["httponly"]:
            only_if_worse("cookies-session-without-httponly-flag")
        missing_samesite |= not samesite
    if worst is not None:
        return Finding("cookies", worst, COOKIE_MODIFIERS[worst])
    if missing_samesite:
        return Finding("cookies", "cookies-secure-with-httponly-sessions", 0)
    return Finding("cookies", "cookies-secure-with-httponly-sessions-and-samesite", 5)


# --- The other headers --------------------------------------------------------------------------


def cors(response_to_foreign_origin):
    origin = response_to_foreign_origin.headers.get("Access-Control-Allow-Origin")
    if origin is None:
        return Finding("cors", "cross-origin-resource-sharing-not-implemented", 0)
    credentials = response_to_foreign_origin.headers.get("Access-Control-Allow-Credentials", "")
    if origin.strip() == "*":
        return Finding("cors", "cross-origin-resource-sharing-implemented-with-public-access", 0)
    if origin.strip() == FOREIGN_ORIGIN and credentials.lower() == "true":
        return Finding(
            "cors", "cross-origin-resource-sharing-implemented-with-universal-access", -50
        )
    return Finding("cors", "cross-origin-resource-sharing-implemented-with-restricted-access", 0)


FOREIGN_ORIGIN = "https://http-observatory.security.mozilla.org"


def redirection(http_response, host):
    if http_response.status_code not in (301, 302, 303, 307, 308):
        return Finding("redirection", "redirection-missing", -20)
    target = urlsplit(http_response.headers.get("Location", ""))
    if target.scheme != "https":
        return Finding("redirection", "redirection-not-to-https", -20)
    if target.hostname != host:
        return Finding("redirection", "redirection-off-host-from-http", -5)
    return Finding("redirection", "redirection-to-https", 0)


def referrer_policy(response):
    value = response.headers.get("Referrer-Policy")
    if value is None:
        return Finding("referrer-policy", "referrer-policy-not-implemented", 0)
    tokens = [token.strip().lower() for token in value.split(",") if token.strip()]
    valid = [token for token in tokens if token in KNOWN_REFERRERS]
    if not valid:
        return Finding("referrer-policy", "referrer-policy-header-invalid", -5)
    if valid[-1] in PRIVATE_REFERRERS:  # browsers apply the last policy they understand
        return Finding("referrer-policy", "referrer-policy-private", 5)
    return Finding("referrer-policy", "referrer-policy-unsafe", -5)


def hsts(response):
    value = response.headers.get("Strict-Transport-Security")
    if value is None:
        return Finding("hsts", "hsts-not-implemented", -20)
    match = re.search(r"(?:^|;)\s*max-age\s*=\s*\"?(\d+)\"?\s*(?:;|$)", value, re.IGNORECASE)
    if match is None or "," in value:
        return Finding("hsts", "hsts-header-invalid", -20)
    if int(match.group(1)) < HSTS_SIX_MONTHS:
        return Finding("hsts", "hsts-implemented-max-age-less-than-six-months", -10)
    return Finding("hsts", "hsts-implemented-max-age-at-least-six-months", 0)


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.scripts.append(attributes)


def subresource_integrity(response, host):
    if not response.headers.get("Content-Type", "").startswith("text/html"):
        return Finding("sri", "sri-not-implemented-response-not-html", 0)
    parser = _Scripts()
    parser.feed(response.content.decode())
    if not parser.scripts:
        return Finding("sri", "sri-not-implemented-but-no-scripts-loaded", 0)
    external = [s for s in parser.scripts if urlsplit(s["src"]).netloc not in ("", host)]
    insecure = [s for s in external if not s["src"].startswith("https://")]
    with_integrity = all(s.get("integrity") for s in (external or parser.scripts))
    if insecure:
        if with_integrity:
            return Finding("sri", "sri-implemented-but-external-scripts-not-loaded-securely", -20)
        return Finding("sri", "sri-not-implemented-and-external-scripts-not-loaded-securely", -50)
    if external and not with_integrity:
        return Finding("sri", "sri-not-implemented-but-external-scripts-loaded-securely", -5)
    if with_integrity:
        return Finding("sri", "sri-implemented-and-all-scripts-loaded-securely", 5)
    return Finding("sri", "sri-not-implemented-but-all-scripts-loaded-from-secure-origin", 0)


def x_content_type_options(response):
    value = response.headers.get("X-Content-Type-Options")
    if value is None:
        return Finding("x-content-type-options", "x-content-type-options-not-implemented", -5)
    if value.strip().lower() != "nosniff":
        return Finding("x-content-type-options", "x-content-type-options-header-invalid", -5)
    return Finding("x-content-type-options", "x-content-type-options-nosniff", 0)


def x_frame_options(response, policy):
    ancestors = policy.get("frame-ancestors")
    if ancestors is not None and not ancestors & DANGEROUSLY_BROAD:
        return Finding("x-frame-options", "x-frame-options-implemented-via-csp", 5)
    value = response.headers.get("X-Frame-Options")
    if value is None:
        return Finding("x-frame-options", "x-frame-options-not-implemented", -20)
    value = value.strip().lower()
    if value in {"deny", "sameorigin"}:
        return Finding("x-frame-options", "x-frame-options-sameorigin-or-deny", 0)
    if value.startswith("allow-from "):
        return Finding("x-frame-options", "x-frame-options-allow-from-origin", 0)
    return Finding("x-frame-options", "x-frame-options-header-invalid", -20)


def cross_origin_opener_policy(response):
    value = response.headers.get("Cross-Origin-Opener-Policy")
    if value is None:
        return Finding("coop", "coop-not-implemented", 0)
    policy = value.split(";")[0].strip()
    results = {
        "same-origin": ("coop-implemented-with-same-origin", 10),
        "same-origin-allow-popups": ("coop-implemented-with-same-origin-allow-popups", 10),
        "noopener-allow-popups": ("coop-implemented-with-noopener-allow-popups", 10),
        "unsafe-none": ("coop-implemented-with-unsafe-none", 0),
    }
    return Finding("coop", *results.get(policy, ("coop-header-invalid", -5)))


def cross_origin_resource_policy(response):
    value = response.headers.get("Cross-Origin-Resource-Policy")
    if value is None:
        return Finding("corp", "cross-origin-resource-policy-not-implemented", 0)
    results = {
        "same-origin": ("cross-origin-resource-policy-implemented-with-same-origin", 10),
        "same-site": ("cross-origin-resource-policy-implemented-with-same-site", 10),
        "cross-origin": ("cross-origin-resource-policy-implemented-with-cross-origin", 0),
    }
    default = ("cross-origin-resource-policy-header-invalid", -5)
    return Finding("corp", *results.get(value.strip().lower(), default))


def score(response, *, http_response, foreign_origin_response, host="testserver"):
    """The Observatory's score of an HTTPS `response`; `http_response` is what the same address
    over plain HTTP answered, `foreign_origin_response` what it answered to another Origin."""
    csp_finding, policy = csp(response)
    hsts_finding = hsts(response)
    findings = [
        csp_finding,
        cookies(response, hsts_passes=hsts_finding.modifier >= 0),
        cors(foreign_origin_response),
        redirection(http_response, host),
        referrer_policy(response),
        hsts_finding,
        subresource_integrity(response, host),
        x_content_type_options(response),
        x_frame_options(response, policy),
        cross_origin_opener_policy(response),
        cross_origin_resource_policy(response),
    ]
    return Score(total(findings), findings)
