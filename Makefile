# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
INSTALLED := $(VENV)/.installed

.PHONY: install run test test-fast lint messages migrate demo bench loadtest migrations-check makemessages clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $@

install: $(INSTALLED)

messages: $(INSTALLED)
	@command -v msgfmt >/dev/null || { echo "msgfmt is missing: install gettext (apt-get install gettext)"; exit 1; }
	$(MANAGE) compilemessages --ignore=.venv -v 0

migrate: messages
	$(MANAGE) migrate --noinput -v 0

demo: migrate
	$(MANAGE) load_demo_data

# The web server and one task worker (which renders the PDF reports); Ctrl-C stops both.
run: demo
	$(MANAGE) runsite 127.0.0.1:8000

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/bandit -q -ll -c pyproject.toml -r portal partnership actions assessment feedback

migrations-check: $(INSTALLED)
	$(MANAGE) makemigrations --check --dry-run

test: messages lint migrations-check
	$(PY) -m pytest

test-fast: messages
	$(PY) -m pytest -m "not browser" -x

bench: messages
	$(PY) -m bench.run

loadtest: messages
	$(PY) -m bench.loadtest

makemessages: $(INSTALLED)
	$(MANAGE) makemessages -l fr -l es -l it -l nl -l pl --ignore=.venv --ignore=tests --ignore=bench

clean:
	rm -rf $(VENV) db.sqlite3* staticfiles
