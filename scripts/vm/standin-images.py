#!/usr/bin/python3
"""Builds the VM test's stand-in images (the only fakes besides the AWS endpoints): one layer from
Debian's busybox-static plus small shell programs, published under the real image names into a
directory that scripts/vm/guest/standin-registry.py serves. Usage: standin-images.py OUT NODE COLLECTOR EXPORTER

- node (at the real image's 'node' path): refuses to start without a keystore or its L1 URLs,
  records each start on its data directory, and answers GET /status and its JSON-RPC (node_getNodeInfo)
  on 8080 only once ready.
- collector: stays up (a crash would stop the whole compose project, as with the real one).
- node_exporter: serves a metrics page on its --web.listen-address.
Each runs as the container's PID 1 and stops on SIGTERM like the real programs (PID 1 has no default
signal handling, so without the trap every `docker stop` would wait out its timeout)."""
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

out, node_image, collector_image, exporter_image = sys.argv[1:5]

NODE = r'''#!/bin/sh
# Stand-in for node --no-warnings /usr/src/yarn-project/aztec/dest/bin/index.js start --node --sequencer ...
shift 2
trap 'exit 0' TERM INT
data=${DATA_DIRECTORY:?DATA_DIRECTORY is not set}
boot=$(cat /proc/sys/kernel/random/boot_id)
mkdir -p "$data"
record() { echo "$boot $(date +%s) $*" >>"$data/standin-starts.log"; sync; }
if [ "$1" != start ]; then echo "stand-in node: unsupported command $1" >&2; exit 2; fi
n=$(ls "${KEY_STORE_DIRECTORY:?}"/*.json 2>/dev/null | wc -l)
if [ "$n" -eq 0 ]; then record "refused: no keystore"; echo "no keystore in $KEY_STORE_DIRECTORY" >&2; exit 1; fi
if [ -z "${ETHEREUM_HOSTS:-}" ] || [ -z "${L1_CONSENSUS_HOST_URLS:-}" ]; then
  record "refused: no L1 URLs"; echo "ETHEREUM_HOSTS and L1_CONSENSUS_HOST_URLS are required" >&2; exit 1
fi
record "started keys=$n"
echo "stand-in node: $n keystore file(s), syncing"
sleep 5
mkdir -p /tmp/www
echo '{"status":"ok"}' >/tmp/www/status
# The JSON-RPC on / (busybox httpd runs cgi-bin/index.cgi for it): the bootstrap's health check asks it too.
mkdir -p /tmp/www/cgi-bin
cat >/tmp/www/cgi-bin/index.cgi <<'CGI'
#!/bin/sh
printf 'Content-Type: application/json\r\n\r\n'
echo '{"jsonrpc":"2.0","id":1,"result":{"nodeVersion":"standin"}}'
CGI
chmod 755 /tmp/www/cgi-bin/index.cgi
echo "stand-in node: ready"
httpd -f -p 8080 -h /tmp/www &
trap 'kill $!; exit 0' TERM INT
wait
'''
COLLECTOR = '''#!/bin/sh
echo "stand-in collector: $*"
sleep 2147483647 &
trap 'kill $!; exit 0' TERM INT
wait
'''
EXPORTER = r'''#!/bin/sh
addr=127.0.0.1:9100
for a in "$@"; do case $a in --web.listen-address=*) addr=${a#*=} ;; esac; done
mkdir -p /tmp/www
echo 'node_exporter_build_info{version="standin"} 1' >/tmp/www/metrics
httpd -f -p "$addr" -h /tmp/www &
trap 'kill $!; exit 0' TERM INT
wait
'''


def add(tar, name, data=None, mode=0o755, link=None, isdir=False):
    ti = tarfile.TarInfo(name)
    ti.mtime = 0
    ti.mode = mode
    if isdir:
        ti.type = tarfile.DIRTYPE
        tar.addfile(ti)
    elif link:
        ti.type = tarfile.SYMTYPE
        ti.linkname = link
        tar.addfile(ti)
    else:
        ti.size = len(data)
        tar.addfile(ti, io.BytesIO(data))


raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
    for d in ["bin", "tmp", "etc", "usr", "usr/local", "usr/local/bin", "var", "var/lib", "run"]:
        add(tar, d, isdir=True, mode=0o1777 if d == "tmp" else 0o755)
    add(tar, "bin/busybox", open("/bin/busybox", "rb").read())
    applets = subprocess.run(["/bin/busybox", "--list"], capture_output=True, text=True, check=True).stdout.split()
    for a in applets:
        if a not in ("busybox",):
            add(tar, "bin/" + a, link="busybox")
    add(tar, "etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n", mode=0o644)
    add(tar, "usr/local/bin/node", NODE.encode())
    add(tar, "otelcol-contrib", COLLECTOR.encode())
    add(tar, "bin/node_exporter", EXPORTER.encode())
layer = raw.getvalue()
gz = gzip.compress(layer, mtime=0)
diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()


def put_blob(data):
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    os.makedirs(os.path.join(out, "blobs"), exist_ok=True)
    with open(os.path.join(out, "blobs", digest), "wb") as f:
        f.write(data)
    return digest


layer_digest = put_blob(gz)
os.makedirs(os.path.join(out, "manifests"), exist_ok=True)
for image, entrypoint in [(node_image, ["node", "--no-warnings", "/usr/src/yarn-project/aztec/dest/bin/index.js"]),
                          (collector_image, ["/otelcol-contrib"]), (exporter_image, ["/bin/node_exporter"])]:
    name, tag = image.rsplit(":", 1)
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], "Entrypoint": entrypoint},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created_by": "AztecInfra VM test stand-in for " + image}],
    }, sort_keys=True).encode()
    config_digest = put_blob(config)
    manifest = json.dumps({
        "schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": len(config), "digest": config_digest},
        "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": len(gz), "digest": layer_digest}],
    }, sort_keys=True).encode()
    digest = put_blob(manifest)
    repo = name if "/" in name else "library/" + name
    f = os.path.join(out, "manifests", repo.replace("/", "_") + "_" + tag)
    with open(f, "wb") as fh:
        fh.write(manifest)
    with open(f + ".digest", "w") as fh:
        fh.write(digest)
