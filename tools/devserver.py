"""The local web server of `serve` and `livereload`: Pelican's, with a thread per request, the
site's own 404 page, and the content type calendar apps need for .ics files."""

from __future__ import annotations

from http.server import HTTPServer
from pathlib import Path
from socketserver import ThreadingMixIn

from invoke import Exit
from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

__all__ = ["RootedHTTPServer", "SiteRequestHandler", "SiteServer", "open_server", "serve_forever"]


class SiteRequestHandler(ComplexHTTPRequestHandler):
    """Pelican's handler, answering a missing page with the site's 404 page and status."""

    # Calendar apps want this exact type for feeds; the machine's mime.types may not know .ics.
    extensions_map = {**ComplexHTTPRequestHandler.extensions_map, ".ics": "text/calendar; charset=utf-8"}

    def __init__(self, request, client_address, server):
        if hasattr(server, "base_path"):  # SiteServer's own folder, not the one Pelican's sets for the class
            self.base_path = server.base_path
        super().__init__(request, client_address, server)

    def do_GET(self):
        if self.get_path_that_exists(self.path.split("?", 1)[0]) is not None:
            return super().do_GET()
        page = Path(self.base_path, "404.html")
        body = page.read_bytes() if page.exists() else b"Not found"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class SiteServer(ThreadingMixIn, RootedHTTPServer):
    """Pelican's RootedHTTPServer with a thread per request; the folder belongs to the server."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, base_path: str, address: tuple[str, int], handler=SiteRequestHandler):
        HTTPServer.__init__(self, address, handler)
        self.base_path = base_path


def open_server(folder: str, host: str, port: int) -> SiteServer:
    """A server for folder, listening already; a busy port is one sentence, not a traceback."""
    try:
        return SiteServer(folder, (host, int(port)))
    except OSError as error:
        raise Exit(
            f"Cannot serve at {host}:{port} ({error.strerror}); stop what uses that port or choose another with --port",
            code=1,
        ) from None


def serve_forever(server: SiteServer) -> None:
    host, port = server.server_address[:2]
    print(f"Serving the site at http://{host}:{port}/ (Ctrl-C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nStopped.")
    finally:
        server.server_close()
