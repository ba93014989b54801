#!/usr/bin/env bash
# Checks that a k8supdater binary runs on the Dockerfile's runtime image, without a container engine:
# every shared library `ldd` lists must come from a Debian package that the runtime stage installs
# (RUNTIME_PACKAGES, the same list as the Dockerfile) or from their dependencies, or from the
# packages every debian:bookworm-slim image has (BASE_PACKAGES). A Swift runtime library in the list
# means the binary was not built with --static-swift-stdlib.
#
#   Scripts/check-runtime-libs.sh [path/to/k8supdater]
# Without a path it builds `swift build -c release --static-swift-stdlib --product k8supdater` first,
# in its own scratch path (.build-static) so that it never clobbers the test build.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNTIME_PACKAGES=(libcurl4 libssl3 ca-certificates tzdata git openssh-client)
BASE_PACKAGES=(libc6 libgcc-s1 libstdc++6 zlib1g apt)

bin="${1:-}"
if [ -z "$bin" ]; then
  swift build -c release --static-swift-stdlib --product k8supdater --scratch-path .build-static
  bin="$(swift build -c release --scratch-path .build-static --show-bin-path)/k8supdater"
fi
[ -x "$bin" ] || { echo "check-runtime-libs: $bin is not an executable" >&2; exit 2; }

closure=$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
  --no-replaces --no-enhances "${RUNTIME_PACKAGES[@]}" "${BASE_PACKAGES[@]}" 2>/dev/null \
  | grep -E '^[a-z0-9]' | sed 's/:.*//' | sort -u)
[ -n "$closure" ] || { echo "check-runtime-libs: apt-cache knows none of ${RUNTIME_PACKAGES[*]} (run apt-get update)" >&2; exit 2; }

status=0
while read -r name _ path _; do
  case "$name" in linux-vdso.so*|"") continue ;; esac
  case "$name" in libswift*|libFoundation*|lib_Foundation*|libdispatch*|libBlocksRuntime*)
    echo "FAIL $name: a Swift runtime library (build with --static-swift-stdlib)"; status=1; continue ;;
  esac
  # The dynamic loader is listed by its absolute path, without "=>".
  if [ -z "$path" ] && [ "${name:0:1}" = "/" ]; then path="$name"; fi
  [ -n "$path" ] && [ "$path" != "not" ] || { echo "FAIL $name: not found"; status=1; continue; }
  real=$(readlink -f "$path")
  pkg=$(dpkg -S "$real" 2>/dev/null || dpkg -S "$path" 2>/dev/null || true)
  pkg=${pkg%%:*}
  if [ -z "$pkg" ]; then echo "FAIL $name ($real): from no Debian package"; status=1; continue; fi
  if grep -qx "$pkg" <<<"$closure"; then echo "ok   $name <- $pkg"; else
    echo "FAIL $name <- $pkg, which the runtime image does not install"; status=1; fi
done < <(ldd "$bin" | sed 's/^[[:space:]]*//' | awk '{ if ($2 == "=>") print $1, $2, $3, $4; else print $1, "=>", "", "" }')
[ $status -eq 0 ] && echo "check-runtime-libs: every library of $bin is on the runtime image"
exit $status
