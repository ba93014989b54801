#!/usr/bin/env bash
# The local demo. Until the demo scenario lands (emulator + registry + three replicas), it shows the
# built executable's help and version.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(swift build -c release --show-bin-path)/k8supdater"
"$bin" --help
"$bin" version
