#!/usr/bin/python3
"""VM test stand-in image registry: serves the stand-in images (built by scripts/vm/standin-images.py)
read-only over the registry v2 API on 127.0.0.1:5000, as the guest Docker's registry mirror."""
import http.server
import json
import os
import sys

ROOT = sys.argv[1]
MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"


class Handler(http.server.BaseHTTPRequestHandler):
    def _send(self, code, body=b"", ctype="application/json", digest=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Docker-Distribution-API-Version", "registry/2.0")
        if digest:
            self.send_header("Docker-Content-Digest", digest)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        p = self.path.split("?")[0]
        if p in ("/v2", "/v2/"):
            return self._send(200, b"{}")
        if p.startswith("/v2/") and "/manifests/" in p:
            name, ref = p[4:].split("/manifests/", 1)
            if ref.startswith("sha256:"):
                f = os.path.join(ROOT, "blobs", ref)
            else:
                f = os.path.join(ROOT, "manifests", name.replace("/", "_") + "_" + ref)
            if os.path.isfile(f):
                body = open(f, "rb").read()
                digest = open(f + ".digest").read().strip() if os.path.exists(f + ".digest") else ref
                return self._send(200, body, MANIFEST, digest)
            return self._send(404, json.dumps({"errors": [{"code": "MANIFEST_UNKNOWN", "message": p}]}).encode())
        if p.startswith("/v2/") and "/blobs/" in p:
            digest = p.rsplit("/", 1)[1]
            f = os.path.join(ROOT, "blobs", digest)
            if os.path.isfile(f):
                return self._send(200, open(f, "rb").read(), "application/octet-stream", digest)
            return self._send(404, json.dumps({"errors": [{"code": "BLOB_UNKNOWN", "message": p}]}).encode())
        return self._send(404, b"{}")

    do_HEAD = do_GET

    def log_message(self, fmt, *args):
        sys.stderr.write("registry: " + (fmt % args) + "\n")


http.server.ThreadingHTTPServer(("127.0.0.1", 5000), Handler).serve_forever()
