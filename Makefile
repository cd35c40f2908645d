# Two commands do everything: `make run` and `make test`. Python >= 3.11 and make are all you need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DANGBO := $(BIN)/dangbo
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint format migrate check-deploy clean help messages bench

help:
	@echo "make run    — cài đặt, tạo CSDL, nạp dữ liệu demo và chạy tại http://127.0.0.1:$(PORT)"
	@echo "make test   — chạy toàn bộ bộ kiểm thử"
	@echo "make lint   — ruff + mypy"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

migrate: $(STAMP)
	$(DANGBO) migrate --no-input -v 0

run: migrate
	$(DANGBO) demo --if-empty
	@echo "Mở http://127.0.0.1:$(PORT) — dừng bằng Ctrl+C"
	$(DANGBO) runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

check-deploy: $(STAMP)
	DANGBO_PRODUCTION=1 DANGBO_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(60))') \
	  DANGBO_ALLOWED_HOSTS=dangbo.example $(DANGBO) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) var

messages: $(STAMP)  ## re-extract UI strings and compile the catalog (needs gettext's xgettext/msgfmt)
	cd src/dangbo && ../../$(DANGBO) makemessages -l vi --no-obsolete --add-location=file
	msgfmt --check -o src/dangbo/locale/vi/LC_MESSAGES/django.mo src/dangbo/locale/vi/LC_MESSAGES/django.po

bench: $(STAMP)
	$(BIN)/python bench/bench_tree.py
