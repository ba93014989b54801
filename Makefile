# The two commands of the README: `make demo` (builds the debug binaries and plays the demo scenario
# against a local cluster: Sources/Demo) and `make test` (every check, as CI; the demo scenario is one of
# its tests, Tests/DemoTests). Both install what they need first (Scripts/install-deps.sh).
# `make demo ARGS=--keep-running` leaves the demo's cluster up until Ctrl-C.

SWIFT ?= swift
SWIFT_TEST_FLAGS ?=
ARGS ?=

.PHONY: demo test lint layering format build release deps help runtime-libs bench profile

help:
	@echo "make demo   - build (debug) and play the demo scenario on a local cluster; ARGS=--keep-running leaves it up"
	@echo "make test   - lint, check the layering and run every test (what CI runs)"
	@echo "make bench  - the scale benchmark (k8supdater-bench scale; BENCH_FLAGS, e.g. --objects 1000 --replicas 3)"
	@echo "make profile - micro-benchmarks in ordo-one/benchmark (Benchmarks/; PROFILE_FLAGS, e.g. --target DecideBenchmarks)"

deps:
	@Scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Debug binaries: the ones `make test` builds too, so the two commands share one build.
demo: deps
	$(SWIFT) build --product k8supdater
	$(SWIFT) build --product k8supdater-demo
	"$$($(SWIFT) build --show-bin-path)/k8supdater-demo" $(ARGS)

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

# At most 32 tests at a time. Unbounded, the suite holds ~1,400 descriptors at its peak (hundreds of
# loopback servers and connections), and Foundation's Process.run() in Swift 6.3.1 over-reads the
# /proc/self/fd directory buffer once it holds more than ~1,350 entries and crashes the test process
# (swift-corelibs-foundation PR #5472, fixed after 6.3.1). Bounded, the peak is ~750, the time the same.
SWT_WIDTH ?= 32

# The suite's output is also kept in .build/test-output.log; when a test fails, its failure lines are
# printed again at the end, so the tail of a CI log names what failed.
test: deps lint layering
	$(SWIFT) build --build-tests
	Scripts/run-tests.sh $(SWIFT) $(SWT_WIDTH) $(SWIFT_TEST_FLAGS)
	Scripts/check-runtime-libs.sh

# The scale benchmark (BENCHMARKS.md, "Scale"): release builds of both products (SwiftPM builds only the
# last --product named, hence two commands), then K objects on N real replicas. Needs kubectl; takes
# minutes (all defaults: K = 1,000 and 10,000, N = 1, 3, 5). Not part of `make test`.
BENCH_FLAGS ?=
bench: deps
	$(SWIFT) build -c release --product k8supdater
	$(SWIFT) build -c release --product k8supdater-bench
	.build/release/k8supdater-bench scale $(BENCH_FLAGS)

# The micro-benchmarks (BENCHMARKS.md, "Profiles"; Benchmarks/README.md): a package of its own under
# Benchmarks/ in ordo-one/benchmark (wall clock percentiles, malloc counts; instructions where the kernel
# has hardware counters). Neither `make test` nor CI builds it. PROFILE_FLAGS go to the harness, e.g.
# `--target DecideBenchmarks`, `--filter 'decide.*pep440'` or `--allocation-stacks` (where the mallocs come from).
PROFILE_FLAGS ?=
profile: deps
	$(SWIFT) package --package-path Benchmarks benchmark $(PROFILE_FLAGS)
