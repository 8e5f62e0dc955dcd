"""Example customer backend hosting the Sightline widget: serves index.html and mints widget tokens.

Run (after `sightline apikey create --tenant northwind` and `sightline origin add http://127.0.0.1:8080
--tenant northwind`):

    SIGHTLINE_API_KEY=slk_... python examples/widget/host.py --port 8080 --user noah@northwind-optics.example

then open http://127.0.0.1:8080/. Serve this page from the same site as Sightline (here 127.0.0.1, any port), or
configure cross-site cookies (see docs/chat-app.md). In a real application the user comes from your own session;
the API key stays on the server.
"""

from __future__ import annotations

import argparse
import json
import os
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGE = Path(__file__).with_name("index.html")


def mint_token(sightline_url: str, api_key: str, email: str) -> dict:
    """POST /api/widget-token on the Sightline server, authenticated by the tenant's API key."""
    request = urllib.request.Request(
        f"{sightline_url}/api/widget-token", data=json.dumps({"email": email}).encode(), method="POST",
        headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def make_handler(sightline_url: str, api_key: str, email: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            if self.path in ("/", "/index.html"):
                html = PAGE.read_text(encoding="utf-8").replace("{{SIGHTLINE_URL}}", sightline_url)
                self._send(200, html.encode("utf-8"), "text/html; charset=utf-8")
            else:
                self._send(404, b"not found", "text/plain")

        def do_POST(self) -> None:  # noqa: N802
            if self.path != "/widget-token":
                self._send(404, b"not found", "text/plain")
                return
            try:
                token = mint_token(sightline_url, api_key, email)
            except urllib.error.HTTPError as exc:
                self._send(502, json.dumps({"error": f"Sightline answered {exc.code}"}).encode(), "application/json")
                return
            self._send(200, json.dumps({"token": token["token"]}).encode(), "application/json")

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--sightline-url", default=os.environ.get("SIGHTLINE_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--user", default=os.environ.get("WIDGET_USER", "noah@northwind-optics.example"))
    args = parser.parse_args()
    api_key = os.environ.get("SIGHTLINE_API_KEY")
    if not api_key:
        parser.error("set SIGHTLINE_API_KEY (from `sightline apikey create --tenant <slug>`)")
    server = ThreadingHTTPServer((args.host, args.port),
                                 make_handler(args.sightline_url.rstrip("/"), api_key, args.user))
    print(f"widget host page on http://{args.host}:{args.port}/ (user {args.user})", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
