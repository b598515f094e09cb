#!/usr/bin/python3
"""Stand-in for the aws CLI inside the VM test guest (packaged as 'awscli' in the guest's local
repository, so setup-validator.sh installs it like the real one). It forwards its arguments to
the stand-in AWS endpoint on loopback (scripts/vm/guest/standin-aws.py) and prints its answer."""
import json
import sys
import urllib.request

req = urllib.request.Request("http://127.0.0.1:8111/aws", data=json.dumps(sys.argv[1:]).encode(),
                             headers={"Content-Type": "application/json"}, method="POST")
try:
    with urllib.request.urlopen(req, timeout=30) as r:
        answer = json.load(r)
except OSError as e:
    print(f"aws (stand-in): endpoint unreachable: {e}", file=sys.stderr)
    sys.exit(255)
sys.stdout.write(answer.get("stdout", ""))
sys.stderr.write(answer.get("stderr", ""))
sys.exit(answer.get("rc", 0))
