"""A test LMS platform for LTI 1.3: its own RSA key, a JWKS endpoint on a free loopback port,
and signed launches (id_tokens) for learners and instructors.

For a browser it also plays the LMS's side of the OIDC launch: ``/launch?email=…&role=…&
context=…`` posts the login initiation to the tool (``tool_login``); the tool sends the browser
to ``/auth`` (its ``authorize_url``), which answers with the signed id_token (the tool's nonce
inside) posted back to the tool's ``redirect_uri`` with its ``state``."""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


class Platform:
    """``with Platform() as lms:`` serves ``lms.jwks_url``; ``lms.launch(...)`` signs one."""

    def __init__(self, issuer: str = "https://lms.example.ru", client_id: str = "cxlab-hub"):
        self.issuer, self.client_id = issuer, client_id
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(4)

    def jwks(self) -> dict:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def __enter__(self) -> Platform:
        platform = self
        self.tool_login = ""  # the tool's OIDC login initiation URL, for /launch
        self.target_link = ""  # where the tool should take the person (its home page)
        self.pending: dict[str, dict] = {}  # login_hint -> the launch asked for

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                if url.path == "/jwks":
                    self._send("application/json", json.dumps(platform.jwks()))
                elif url.path == "/launch":
                    hint = secrets.token_hex(8)
                    platform.pending[hint] = query
                    self._form(platform.tool_login, {
                        "iss": platform.issuer, "login_hint": hint,
                        "target_link_uri": platform.target_link or platform.tool_login,
                        "client_id": platform.client_id, "lti_deployment_id": "1",
                    })  # fmt: skip
                elif url.path == "/auth":
                    asked = platform.pending.pop(query.get("login_hint", ""), None)
                    if asked is None or query.get("client_id") != platform.client_id:
                        self.send_error(400, "unknown login")
                        return
                    token = platform.launch(
                        email=asked["email"], roles=[asked["role"]], context=asked["context"],
                        nonce=query["nonce"],
                    )  # fmt: skip
                    self._form(query["redirect_uri"], {"id_token": token, "state": query["state"]})
                else:
                    self.send_error(404)

            def _form(self, action: str, fields: dict[str, str]) -> None:
                inputs = "".join(
                    f'<input type="hidden" name="{k}" value="{html.escape(v)}">'
                    for k, v in fields.items()
                )
                page = (
                    f'<html><body><form id="f" method="post" action="{html.escape(action)}">'
                    f"{inputs}</form><script>document.getElementById('f').submit()</script>"
                    "</body></html>"
                )
                self._send("text/html", page)

            def _send(self, kind: str, text: str) -> None:
                body = text.encode()
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.jwks_url = f"{self.base}/jwks"
        self.authorize_url = f"{self.base}/auth"
        return self

    def launch_url(self, *, email: str, role: str, context: str) -> str:
        """The LMS page a person clicks to open the tool (the browser flow)."""
        query = urllib.parse.urlencode({"email": email, "role": role, "context": context})
        return f"{self.base}/launch?{query}"

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def launch(self, *, email: str, roles: list[str], context: str, nonce: str = "",
               key=None, **extra) -> str:  # fmt: skip
        """A signed LtiResourceLinkRequest id_token (``key`` signs it instead, for forgeries)."""
        now = int(time.time())
        claims = {
            "iss": self.issuer, "aud": self.client_id, "sub": uuid.uuid4().hex,
            "iat": now, "exp": now + 300, "nonce": nonce or secrets.token_hex(8),
            "email": email, "name": email.split("@")[0],
            LTI + "message_type": "LtiResourceLinkRequest", LTI + "version": "1.3.0",
            LTI + "deployment_id": "1", LTI + "target_link_uri": "https://hub.example.ru/",
            LTI + "resource_link": {"id": "cxlab-1"}, LTI + "roles": roles,
            LTI + "context": {"id": context, "label": f"course-{context}", "title": "cxlab"},
            **extra,
        }  # fmt: skip
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": self.kid})
