#!/usr/bin/env bash
# The local demo. Until the demo scenario lands (emulator + registry + three replicas), it shows the
# operator's help and version and the emulator's help (`make demo` builds both release binaries).
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(swift build -c release --show-bin-path)/k8supdater"
"$bin" --help
"$bin" version
"$(dirname "$bin")/kube-emulator" --help
