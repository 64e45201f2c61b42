#!/usr/bin/env bash
# Publishes every function into the artifact Terraform deploys (infra/terraform/README.md):
#   artifacts/predict.zip          Lambda zip, a self-contained linux-x64 `bootstrap` at its root (provided.al2023)
#   artifacts/sink.zip             Function App zips (isolated worker, run from package)
#   artifacts/train-trigger.zip
#   artifacts/ratings-api.zip
#   artifacts/ingest-context.tar.gz  the bridge's container build context (docker build -f functions/ingest/Dockerfile - < it)
#   artifacts/ingest/              the bridge published as its image's build stage publishes it (what the image adds to the base)
# Everything is built for the platform it runs on (linux-x64), and each artefact's size is printed.
# A function whose project does not exist yet is skipped, saying so.
#
# usage: infra/package.sh [--out DIR] [--offline] [function ...]
#   --offline  build the Function Apps without the host extensions (functions.metadata only): for
#              checking the packaging where the Kafka extension package is not reachable; such zips
#              cannot run in Azure.
set -euo pipefail
cd "$(dirname "$0")/.."

out=artifacts
offline=false
only=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --offline) offline=true; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "package.sh: unknown option $1" >&2; exit 2 ;;
    *) only+=("$1"); shift ;;
  esac
done
mkdir -p "$out"
out="$(cd "$out" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

wanted() { [ ${#only[@]} -eq 0 ] || [[ " ${only[*]} " == *" $1 "* ]]; }

project_of() { compgen -G "functions/$1/*.csproj" | head -n 1 || true; }

# Zips a folder's contents, keeping file modes (bootstrap must stay executable).
zip_folder() {
  local folder="$1" zipfile="$2"
  rm -f "$zipfile"
  if command -v zip >/dev/null; then
    (cd "$folder" && zip -qr -X "$zipfile" .)
  else
    python3 - "$folder" "$zipfile" <<'PY'
import os, sys, zipfile
folder, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
    for root, _, files in os.walk(folder):
        for name in sorted(files):
            path = os.path.join(root, name)
            info = zipfile.ZipInfo.from_file(path, os.path.relpath(path, folder))
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(path, "rb") as f:
                z.writestr(info, f.read())
PY
  fi
}

package_lambda() {
  local name="$1" project
  project="$(project_of "$name")"
  if [ -z "$project" ]; then echo "skip $name: functions/$name has no project yet"; return; fi
  echo "package $name: $project -> $out/$name.zip"
  # The project's own publish makes the zip (NativeAOT, no debug symbols): it is only told where.
  rm -f "$out/$name.zip"
  dotnet publish "$project" -c Release -r linux-x64 --self-contained -nologo -v quiet -p:LambdaPackage="$out/$name.zip"
  python3 - "$out/$name.zip" "$project" <<'PY'
import sys, zipfile
package, project = sys.argv[1], sys.argv[2]
try:
    entry = zipfile.ZipFile(package).getinfo("bootstrap")
except (FileNotFoundError, KeyError):
    sys.exit(f"package.sh: {project} made no {package} with 'bootstrap' at its root; the provided.al2023 runtime needs <AssemblyName>bootstrap</AssemblyName>")
if not (entry.external_attr >> 16) & 0o100:
    sys.exit(f"package.sh: 'bootstrap' in {package} is not executable")
PY
}

package_function_app() {
  local name="$1" project
  project="$(project_of "$name")"
  if [ -z "$project" ]; then echo "skip $name: functions/$name has no project yet"; return; fi
  echo "package $name: $project -> $out/$name.zip"
  # Azure's Linux workers: linux-x64 natives only (a portable publish carries those of 36 platforms).
  dotnet publish "$project" -c Release -r linux-x64 --self-contained false -o "$work/$name" -nologo -v quiet -p:WineOfflineFunctions="$offline"
  for required in host.json functions.metadata worker.config.json; do
    if [ ! -f "$work/$name/$required" ]; then
      echo "package.sh: $project published no $required; it is not an isolated-worker Functions app" >&2
      exit 1
    fi
  done
  zip_folder "$work/$name" "$out/$name.zip"
}

package_container() {
  local name="$1"
  if [ ! -f "functions/$name/Dockerfile" ]; then echo "skip $name: functions/$name has no Dockerfile yet"; return; fi
  echo "package $name: build context -> $out/$name-context.tar.gz"
  # The Dockerfile builds from the repository root: the context is every file git knows (tracked or
  # new, not ignored), so local build output never goes in.
  git ls-files -z --cached --others --exclude-standard | tar --null -T - -czf "$out/$name-context.tar.gz"
  echo "  then: docker build -t <registry>/wine-bridge:<version> -f functions/$name/Dockerfile - < $out/$name-context.tar.gz && docker push ..."
  # The same publish as the Dockerfile's build stage, so its size is what the image adds to the aspnet base.
  rm -rf "${out:?}/$name"
  dotnet publish "functions/$name" -c Release -r linux-x64 --self-contained false -o "$out/$name" -nologo -v quiet
}

# One line an artefact: zipped and unzipped sizes (a folder: its size), and the limit it is held to.
report() {
  python3 - "$out" <<'PY'
import os, sys, zipfile
out = sys.argv[1]
limits = {"predict.zip": 25, "sink.zip": 40, "ratings-api.zip": 40, "train-trigger.zip": 60, "ingest": 80}
mib = lambda n: n / 1048576
print("artefact sizes (MiB):")
for name, limit in limits.items():
    path = os.path.join(out, name)
    if name.endswith(".zip") and os.path.isfile(path):
        unzipped = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
        size, detail = mib(os.path.getsize(path)), f"{mib(unzipped):7.1f} unzipped"
    elif os.path.isdir(path):
        size = mib(sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(path) for f in fs))
        detail = " " * 16
    else:
        continue
    print(f"  {name:<18} {size:7.1f} {detail}  limit {limit:3d}  {'ok' if size <= limit else 'OVER'}")
PY
}

wanted predict && package_lambda predict
wanted sink && package_function_app sink
wanted train-trigger && package_function_app train-trigger
wanted ratings-api && package_function_app ratings-api
wanted ingest && package_container ingest
report
