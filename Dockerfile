# k8supdater container image: build with the Swift toolchain, run on a small Debian with libcurl.
#   docker build -t k8supdater .
# The Swift standard library is linked statically (--static-swift-stdlib), so the runtime image needs
# only the system libraries that `ldd` lists for the binary: libcurl (HTTP/HTTP2/SMTP) and libcrypto
# (SHA-256 for shard hashing) with their dependencies, plus CA certificates for TLS to registries.
# Scripts/check-runtime-libs.sh checks that list on a machine without a container engine.

FROM swift:6.2-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcurl4-openssl-dev libssl-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product k8supdater \
 && install -D "$(swift build -c release --show-bin-path)/k8supdater" /out/k8supdater

FROM debian:bookworm-slim AS runtime
# Keep this list in step with RUNTIME_PACKAGES in Scripts/check-runtime-libs.sh. git and
# openssh-client serve GitOps write-back (spec.writeBack), which drives the git command-line tool.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libcurl4 libssl3 ca-certificates tzdata git openssh-client \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/k8supdater /usr/local/bin/k8supdater
# ssh refuses to run for a uid without a passwd entry ("No user exists for uid"): name the runtime user.
RUN groupadd --gid 65532 k8supdater \
 && useradd --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin k8supdater
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/k8supdater"]
CMD ["run"]
