# Two commands do all set-up on a fresh machine:  make demo  and  make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
WHEELS := $(wildcard wheels/shared/*.whl)

.PHONY: venv lint test demo bench fuzz package readme clean

$(STAMP): requirements-dev.txt tools/phantom-sdk-stubs/pyproject.toml $(WHEELS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt $(WHEELS)
	touch $(STAMP)

venv: $(STAMP)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/python tools/check_compat.py

test: lint
	$(BIN)/python -m pytest
	$(BIN)/python tools/test_soar_pythons.py

demo: venv
	$(BIN)/python tools/demo.py

bench: venv
	$(BIN)/python bench/run_bench.py

package: venv
	$(BIN)/python tools/build_package.py

fuzz: venv
	FUZZ_EXAMPLES=500 $(BIN)/python -m pytest tests/hardening/test_fuzz.py

readme: venv
	$(BIN)/python tools/gen_readme.py --write

clean:
	rm -rf $(VENV) clicksend.tgz
