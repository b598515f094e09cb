#!/usr/bin/python3
"""VM test stand-in for what an EC2 instance reaches outside itself, served inside the guest:
IMDSv2 on 169.254.169.254:80 (token, instance id, instance tags) and, on 127.0.0.1:8111, the few
AWS API calls the bootstrap makes through the aws CLI (the guest's 'aws' is a shim that forwards
here): ssm get-parameter and cloudformation signal-resource. Signals are appended to OUT/ec2-signals.log.
Usage: standin-aws.py INPUT_DIR OUT_DIR. INPUT_DIR has instance.json ({"instance-id", "tags",
"parameters"}). When INPUT_DIR/inject-no-volume-tag exists, the volume tag is missing until the
test creates /run/standin-aws/fixed (an injected early failure of the bootstrap)."""
import http.server
import json
import os
import secrets
import sys
import threading

IN, OUT = sys.argv[1:3]
INSTANCE = json.load(open(os.path.join(IN, "instance.json")))
TOKEN = secrets.token_hex(16)
INJECT = os.path.join(IN, "inject-no-volume-tag")
FIXED = "/run/standin-aws/fixed"


def log(name, line):
    with open(os.path.join(OUT, name), "a") as f:
        f.write(line + "\n")


class Imds(http.server.BaseHTTPRequestHandler):
    def _send(self, code, text):
        body = text.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_PUT(self):
        if self.path == "/latest/api/token" and self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            return self._send(200, TOKEN)
        return self._send(400, "bad token request")

    def do_GET(self):
        if self.headers.get("X-aws-ec2-metadata-token") != TOKEN:
            return self._send(401, "IMDSv2 token required")
        p = self.path
        if p == "/latest/meta-data/instance-id":
            return self._send(200, INSTANCE["instance-id"])
        if p == "/latest/meta-data/local-ipv4":
            # The guest has no network but loopback (-nic none): its "private address" is 127.0.0.1.
            return self._send(200, "127.0.0.1")
        if p.startswith("/latest/meta-data/tags/instance/"):
            key = p.rsplit("/", 1)[1]
            if key == "AztecInfraEbsVolumeId" and os.path.exists(INJECT) and not os.path.exists(FIXED):
                return self._send(404, "Not Found")
            if key in INSTANCE["tags"]:
                return self._send(200, INSTANCE["tags"][key])
        return self._send(404, "Not Found")

    def log_message(self, fmt, *args):
        sys.stderr.write("imds: " + (fmt % args) + "\n")


def opt(argv, name):
    return argv[argv.index(name) + 1] if name in argv else None


class Aws(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        argv = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        log("ec2-aws-calls.log", " ".join(argv))  # arguments only: no secret is ever an argument
        answer = {"rc": 0, "stdout": "", "stderr": ""}
        if argv[:2] == ["ssm", "get-parameter"]:
            name = opt(argv, "--name")
            # SecureStrings need --with-decryption, as on AWS; the settings parameter is a plain String.
            if name in INSTANCE["parameters"] and ("--with-decryption" in argv or name not in INSTANCE.get("secure", [])):
                answer["stdout"] = INSTANCE["parameters"][name] + "\n"
            else:
                answer = {"rc": 254, "stdout": "", "stderr": f"An error occurred (ParameterNotFound): {name}\n"}
        elif argv[:2] == ["cloudformation", "signal-resource"]:
            log("ec2-signals.log", " ".join(str(opt(argv, k)) for k in
                                            ["--region", "--stack-name", "--logical-resource-id", "--unique-id", "--status"]))
        else:
            answer = {"rc": 252, "stdout": "", "stderr": "aws (stand-in): unsupported call\n"}
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        pass


imds = http.server.ThreadingHTTPServer(("169.254.169.254", 80), Imds)
threading.Thread(target=imds.serve_forever, daemon=True).start()
http.server.ThreadingHTTPServer(("127.0.0.1", 8111), Aws).serve_forever()
