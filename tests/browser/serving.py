"""Serving a built site over HTTP, as GitHub Pages does: the browser tests' server and the link
check's. A helper, not a test."""

from __future__ import annotations

import http.server
import socket


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")  # as GitHub Pages serves the site
        super().end_headers()
