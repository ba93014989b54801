# The two commands of the README: `make demo` (for now: builds the release binaries and shows their
# help; the demo scenario is not built yet) and `make test` (every check, as CI).
# Both install what they need first (Scripts/install-deps.sh).

SWIFT ?= swift
SWIFT_TEST_FLAGS ?=

.PHONY: demo test lint layering format build release deps help runtime-libs bench

help:
	@echo "make demo   - build the release binaries (k8supdater, kube-emulator) and show their help; the demo scenario is not built yet"
	@echo "make test   - lint, check the layering and run every test (what CI runs)"
	@echo "make bench  - the scale benchmark (k8supdater-bench scale; BENCH_FLAGS, e.g. --objects 1000 --replicas 3)"

deps:
	@Scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

demo: deps
	$(SWIFT) build -c release --product k8supdater
	$(SWIFT) build -c release --product kube-emulator
	Scripts/demo.sh

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

# No two targets declare a type of the same name; every imported module is declared (Package.swift).
layering:
	Scripts/check-layering.py

format:
	$(SWIFT) format format --in-place --recursive Sources Tests Package.swift

# The image check: the release build with --static-swift-stdlib links only libraries the Dockerfile's
# runtime stage installs (no container engine runs here; see Scripts/check-runtime-libs.sh).
runtime-libs: deps
	Scripts/check-runtime-libs.sh

test: deps lint layering
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build $(SWIFT_TEST_FLAGS)
	Scripts/check-runtime-libs.sh

# The scale benchmark (BENCHMARKS.md, "Scale"): release builds of both products (SwiftPM builds only the
# last --product named, hence two commands), then K objects on N real replicas. Needs kubectl; takes
# minutes (all defaults: K = 1,000 and 10,000, N = 1, 3, 5). Not part of `make test`.
BENCH_FLAGS ?=
bench: deps
	$(SWIFT) build -c release --product k8supdater
	$(SWIFT) build -c release --product k8supdater-bench
	.build/release/k8supdater-bench scale $(BENCH_FLAGS)
