# The two commands of the README: `make demo` runs the local demo, `make test` runs every check.
# Both install the Debian packages they need first (Scripts/install-deps.sh).

SWIFT ?= swift
SWIFT_TEST_FLAGS ?=

.PHONY: demo test lint format build release deps help

help:
	@echo "make demo   - build and run the local demo on the embedded Kubernetes API server"
	@echo "make test   - lint and run every test (what CI runs)"

deps:
	@Scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

demo: deps
	$(SWIFT) build -c release --product k8supdater
	Scripts/demo.sh

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

format:
	$(SWIFT) format format --in-place --recursive Sources Tests Package.swift

test: deps lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build $(SWIFT_TEST_FLAGS)
