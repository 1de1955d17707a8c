"""A test LMS platform for LTI 1.3: its own RSA key, a JWKS endpoint on a free loopback port,
and signed launches (id_tokens) for learners and instructors."""

from __future__ import annotations

import json
import secrets
import threading
import time
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
        body = json.dumps(self.jwks()).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.jwks_url = f"http://127.0.0.1:{self.server.server_port}/jwks"
        return self

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
