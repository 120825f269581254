# Two commands do all set-up on a fresh machine:  make demo  and  make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
WHEELS := $(wildcard wheels/shared/*.whl)

.PHONY: venv lint test demo bench fuzz package readme clean splunk-checks

$(STAMP): requirements-dev.txt tools/phantom-sdk-stubs/pyproject.toml $(WHEELS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt $(WHEELS)
	touch $(STAMP)

venv: $(STAMP)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/python tools/check_compat.py

# The suites on SOAR's Pythons (3.9 and 3.13) run beside the main run, so the two cores share the work; their
# output is printed after the main run's, then one verdict line per suite. `make test ARGS=-v` prints the fault matrix.
test: lint
	$(BIN)/python tools/run_tests.py $(ARGS)

demo: venv
	$(BIN)/python tools/demo.py

bench: venv
	$(BIN)/python bench/run_bench.py

package: venv
	$(BIN)/python tools/build_package.py

fuzz: venv
	FUZZ_EXAMPLES=500 HYPOTHESIS_PROFILE=explore $(BIN)/python -m pytest tests/hardening/test_fuzz.py tests/unit/test_indicators.py

readme: venv
	$(BIN)/python tools/gen_readme.py --write


# Python 3.13 for the linter: pyenv's when the machine has one, else python3.13 on PATH. The tools' locations are
# variables so the checks also run from local mirrors: make splunk-checks DEVCICD_URL=/path/to/mirror LINTER_URL=...
PYTHON313   ?= $(shell $(PYTHON) -c "import sys; sys.path.insert(0, 'tools'); from check_compat import pyenv_python; print(pyenv_python('3.13') or 'python3.13')")
DEVCICD_URL ?= https://github.com/phantomcyber/dev-cicd-tools.git
DEVCICD_REF ?= v2.2.8
LINTER_URL  ?= https://github.com/phantomcyber/soar-app-linter.git
LINTER_REF  ?= 0.1.0

splunk-checks: venv   ## Splunk's static tests and soar-app-linter on throwaway copies (see docs/splunk-checks.md)
	@set -e; tools=$$(mktemp -d); copy=$$(mktemp -d); trap 'rm -rf "$$tools" "$$copy"' EXIT; \
	git clone -q -c advice.detachedHead=false --branch $(DEVCICD_REF) $(DEVCICD_URL) "$$tools/dev-cicd-tools"; \
	git clone -q -c advice.detachedHead=false --branch $(LINTER_REF) $(LINTER_URL) "$$tools/soar-app-linter"; \
	$(PYTHON313) -m venv "$$tools/venv-linter" && "$$tools/venv-linter/bin/pip" install -q -e "$$tools/soar-app-linter"; \
	$(PYTHON313) -m venv "$$tools/venv-static" && "$$tools/venv-static/bin/pip" install -q "$$tools/dev-cicd-tools"; \
	mkdir -p "$$copy/full/clicksend" "$$copy/pkg"; \
	git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$$copy/full/clicksend"; \
	$(BIN)/python "$$copy/full/clicksend/tools/build_package.py" --root "$$copy/full/clicksend" --output "$$copy/clicksend.tgz"; \
	tar -xzf "$$copy/clicksend.tgz" -C "$$copy/pkg"; cp "$$copy/full/clicksend/requirements.txt" "$$copy/pkg/clicksend/"; \
	$(BIN)/python -c 'import json, pathlib, sys; p = pathlib.Path(sys.argv[1]); m = json.loads(p.read_text()); m["publisher"] = "Splunk"; p.write_text(json.dumps(m, indent=4))' "$$copy/pkg/clicksend/clicksend.json"; \
	status=0; \
	(cd "$$copy/pkg/clicksend" && "$$tools/venv-linter/bin/soar-app-linter" --single-repo . --message-level error) || status=1; \
	(cd "$$copy/pkg/clicksend" && "$$tools/venv-linter/bin/soar-app-linter" --single-repo . --message-level info) || status=1; \
	(cd "$$copy/full/clicksend" && "$$tools/venv-static/bin/static-tests" .) || status=1; \
	diff -q clicksend.json "$$copy/full/clicksend/clicksend.json" || { echo "static-tests rewrote clicksend.json (see above)"; status=1; }; \
	exit $$status

clean:
	rm -rf $(VENV) clicksend.tgz
