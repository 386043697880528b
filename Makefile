# Counter — the two commands: `make run` and `make test`.
# Both create .venv if missing, install the project into it, and make sure the system
# libraries Qt needs are there (installed with apt-get when run as root on Debian/Ubuntu,
# otherwise listed for you to install).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

QT_DEBS := libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core
X11_DEBS := libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 \
	libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 libx11-xcb1
TEST_DEBS := xvfb poppler-utils

.PHONY: run test lint bench system-deps clean

# The demo station: the printer and drawer simulators on 127.0.0.1 (receipts land in
# var/printer as text and PNG), unless COUNTER_PRINTER__URL / COUNTER_DRAWER__URL are set.
run: $(STAMP)
	@$(MAKE) --no-print-directory system-deps DEBS="$(QT_DEBS) $(X11_DEBS)"
	@mkdir -p var/printer
	@$(BIN)/python -m drivers.sim.printer --port 9100 --out var/printer --control-port 9101 & p=$$!; \
	$(BIN)/python -m drivers.sim.drawer --port 2217 --auto-close 5 --control-port 2218 & d=$$!; \
	trap 'kill $$p $$d 2>/dev/null' EXIT INT TERM; sleep 1; \
	COUNTER_PRINTER__URL=$${COUNTER_PRINTER__URL:-tcp://127.0.0.1:9100} \
	COUNTER_DRAWER__BACKEND=$${COUNTER_DRAWER__BACKEND:-serial} \
	COUNTER_DRAWER__URL=$${COUNTER_DRAWER__URL:-rfc2217://127.0.0.1:2217} \
	$(BIN)/counter-app run

test: $(STAMP)
	@$(MAKE) --no-print-directory system-deps DEBS="$(QT_DEBS) $(TEST_DEBS)"
	$(BIN)/ruff check .
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python benchmarks/demo_data.py

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Installs missing Debian packages when we are root with apt-get; otherwise says what to do.
system-deps:
	@missing=""; \
	if command -v dpkg-query >/dev/null 2>&1; then \
	  for p in $(DEBS); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	  done; \
	fi; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Counter needs these system packages:$$missing"; \
	    echo "  install them with: sudo apt-get install$$missing"; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
