# Ladder: the two commands a new user runs are `make run` and `make test`.
# Everything else here is a step they depend on, or a tool for developers and operators.

SHELL := /bin/bash
PYTHON_SYSTEM ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
GEN := gen
PROTOS := $(wildcard protos/ladder/v1/*.proto)
GEN_STAMP := $(GEN)/.generated
PYTEST := $(PY) -m pytest
# The browser tests drive Debian's Chromium; Playwright must never download a browser.
CHROMIUM := /usr/bin/chromium
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: run test install proto lint test-unit test-integration test-e2e test-browser screenshot bench eval train-text-model deploy-check load clean

## run: install, then start the product (full stack on RabbitMQ if reachable, else embedded)
run: install
	$(PY) deploy/local/launch.py

## test: install, then run every check and test tier
test: install lint deploy-check test-unit test-integration test-e2e test-browser

# The virtual environment is rebuilt when pyproject.toml changes.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@# Generated protobuf code lives in gen/ (not committed); this puts it on the venv's path.
	@echo "$(CURDIR)/$(GEN)" > $$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/ladder-generated.pth
	@touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

install: $(STAMP) node_modules/.installed $(GEN_STAMP)

## proto: generate Python code from protos/ into gen/
proto: $(GEN_STAMP)
$(GEN_STAMP): $(PROTOS) $(STAMP)
	rm -rf $(GEN) && mkdir -p $(GEN)
	$(PY) -m grpc_tools.protoc -I protos --python_out=$(GEN) --pyi_out=$(GEN) --grpc_python_out=$(GEN) $(PROTOS)
	@touch $(GEN)/ladder/__init__.py $(GEN)/ladder/v1/__init__.py $(GEN_STAMP)

## lint: the protos (buf) and the Python (ruff)
lint: install
	npx --no-install buf lint
	npx --no-install buf format --diff --exit-code
	$(PY) -m ruff check services gateway tests deploy

## test-unit: no servers
test-unit: install
	$(PYTEST) tests/unit -q

## test-integration: real RabbitMQ (a fresh vhost per run) and real databases
test-integration: install
	$(PYTEST) tests/integration -q

## test-e2e: the stack started as `make run` starts it, called by real gRPC and HTTP clients
test-e2e: install
	$(PYTEST) tests/e2e -q

## test-browser: the widget and the demo page in headless Chromium (Debian's), with axe-core
test-browser: install $(CHROMIUM)
	$(PYTEST) tests/browser -q

## screenshot: refresh docs/demo-page.png from the demo page (starts its own gateway)
screenshot: install $(CHROMIUM)
	$(PY) -m tests.browser.screenshot

# Debian's chromium (and its driver), installed when absent and we are root; never a
# browser downloaded by Playwright.
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver; \
	else \
		echo "The browser tests need Debian's Chromium at $(CHROMIUM). As root, run:" >&2; \
		echo "  apt-get install -y chromium chromium-driver" >&2; \
		exit 1; \
	fi

## deploy-check: render the Helm chart (default, production, all features), validate it
## strictly against Kubernetes 1.29-1.33, check policy; check the Dockerfile statically
deploy-check: install
	$(PY) deploy/checks/deploy_check.py

## bench: speed and memory against baselines measured in the same run
bench: install
	$(PY) -m tests.bench.gateway_bench
	$(PY) -m tests.bench.recommender_bench
	$(PY) -m tests.bench.classifier_bench
	$(PY) -m tests.bench.matcher_bench

## load: a bounded mixed load on RabbitMQ at half the measured maximum (LOAD_SECONDS, default 600)
load: install
	$(PY) -m tests.load.run

## eval: the free-text classifier on the labelled development set (both halves)
eval: install
	$(PY) -m tests.eval.run

## train-text-model: fit the classifier's weights for facts read from text (after changing the reader)
train-text-model: install
	$(PY) -m tests.eval.train

clean:
	rm -rf $(VENV) $(GEN) node_modules
