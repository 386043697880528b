# Counter — the two commands: `make run` and `make test`.
# Both first make sure the system packages are there (Python >= 3.11 with venv, the libraries
# Qt needs: installed with apt-get when run as root on Debian/Ubuntu, otherwise listed for you
# to install), then create .venv if missing and install the project into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

QT_DEBS := libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core
DEVICE_DEBS := libusb-1.0-0
X11_DEBS := libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 \
	libxcb-render-util0 libxcb-shape0 libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 libx11-xcb1
TEST_DEBS := xvfb poppler-utils
MIN_PYTHON := 3.11
comma := ,

.PHONY: run test lint bench system-deps python-check clean

# The demo station: the printer and drawer simulators on 127.0.0.1 (receipts land in
# var/printer as text and PNG), unless COUNTER_PRINTER__URL / COUNTER_DRAWER__URL are set;
# an empty database gets the 50,000-account demo city unless COUNTER_DEMO_ACCOUNTS is set
# (COUNTER_DEMO_ACCOUNTS=0: none). Outside `make run` the default is no demo data.
run:
	@$(MAKE) --no-print-directory system-deps DEBS="$(QT_DEBS) $(X11_DEBS) $(DEVICE_DEBS)"
	@$(MAKE) -s --no-print-directory $(STAMP)
	@mkdir -p var/printer
	@$(BIN)/python -m drivers.sim.printer --port 9100 --out var/printer --control-port 9101 & p=$$!; \
	$(BIN)/python -m drivers.sim.drawer --port 2217 --auto-close 5 --control-port 2218 & d=$$!; \
	trap 'kill $$p $$d 2>/dev/null' EXIT INT TERM; sleep 1; \
	COUNTER_PRINTER__URL=$${COUNTER_PRINTER__URL:-tcp://127.0.0.1:9100} \
	COUNTER_PRINTER__PREVIEW_DIR=$${COUNTER_PRINTER__PREVIEW_DIR:-var/printer} \
	COUNTER_DRAWER__BACKEND=$${COUNTER_DRAWER__BACKEND:-serial} \
	COUNTER_DRAWER__URL=$${COUNTER_DRAWER__URL:-rfc2217://127.0.0.1:2217} \
	COUNTER_DEMO_ACCOUNTS=$${COUNTER_DEMO_ACCOUNTS:-50000} \
	$(BIN)/counter-app run

test:
	@$(MAKE) --no-print-directory system-deps DEBS="$(QT_DEBS) $(DEVICE_DEBS) $(TEST_DEBS)"
	@$(MAKE) -s --no-print-directory $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy counter_app drivers
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n 2 --dist loadfile $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: $(STAMP)
	$(BIN)/python benchmarks/demo_data.py
	$(BIN)/python benchmarks/lookup_posting.py --sqlite-accounts 1000000 --pg-accounts 1000000
	$(BIN)/python benchmarks/receipt_print.py
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/gui_memory.py

# pip's and setuptools' chatter (an editable install's warning) stays off the screen; a
# failure still shows pip's whole output.
$(STAMP): pyproject.toml setup.py
	@test -x $(BIN)/python || $(MAKE) --no-print-directory python-check
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Python packages: installing Counter and what it needs into $(VENV)"
	@log=$$(mktemp); \
	if PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet --upgrade pip >$$log 2>&1 && \
	   PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet -e ".[test]" >>$$log 2>&1; \
	then rm -f $$log; else cat $$log; rm -f $$log; exit 1; fi
	@touch $(STAMP)
	@echo "Python packages: ready in $(VENV)"

# Python >= $(MIN_PYTHON) with its venv module (Debian's python3-venv, installed when missing).
python-check:
	@command -v $(PYTHON) >/dev/null 2>&1 || [ "$(PYTHON)" != python3 ] || \
	  $(MAKE) --no-print-directory system-deps DEBS="python3 python3-venv"
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
	  echo "Counter needs Python $(MIN_PYTHON) or newer, and $(PYTHON) is not installed."; \
	  echo "  Debian/Ubuntu: apt-get install python3 python3-venv; elsewhere see python.org,"; \
	  echo "  or name your Python: make PYTHON=/path/to/python3.12 run"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < ($(subst .,$(comma),$(MIN_PYTHON))))' || { \
	  echo "Counter needs Python $(MIN_PYTHON) or newer; $(PYTHON) is $$($(PYTHON) -V 2>&1)."; \
	  echo "  Install a newer one and name it: make PYTHON=python3.12 run"; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || \
	  $(MAKE) --no-print-directory system-deps DEBS="python3-venv"
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "$(PYTHON) cannot create a virtual environment: install its venv module"; \
	  echo "  (Debian/Ubuntu: apt-get install python3-venv; Fedora: dnf install python3)"; \
	  exit 1; }

# Installs missing Debian packages when we are root with apt-get; otherwise says what to do.
# Without dpkg (not Debian/Ubuntu) it lists the Debian names for you to find the equivalents.
system-deps:
	@missing=""; \
	if ! command -v dpkg-query >/dev/null 2>&1; then \
	  echo "Not a Debian/Ubuntu system: make sure the equivalents of these Debian packages are"; \
	  echo "  installed with your package manager: $(DEBS)"; \
	  exit 0; \
	fi; \
	for p in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -qq >/dev/null 2>&1; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null 2>&1 \
	      || { echo "apt-get could not install:$$missing"; exit 1; }; \
	    echo "System packages: installed"; \
	  else \
	    echo "Counter needs these system packages:$$missing"; \
	    echo "  install them with: sudo apt-get install$$missing"; \
	  fi; \
	fi

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
