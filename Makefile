# The two commands city IT staff need: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3.11
export PYTHON
export JOSO_CACHE_DIR ?= $(HOME)/.cache/joso-chatbot

APP_PY := .venv/app/bin/python

.PHONY: run test test-fast lint format env train shell chromium texts

## Install what is missing, train and index when their inputs changed, run the bot until Ctrl-C.
run: env
	@$(APP_PY) -m scripts.stack run

## Install what is needed and run the whole test suite (slow tests included).
test: env chromium
	@$(APP_PY) -m scripts.stack prepare
	@$(APP_PY) -m ruff check .
	@$(APP_PY) -m ruff format --check .
	@$(APP_PY) -m pytest

## The quick tests only, while developing.
test-fast: env
	@$(APP_PY) -m pytest -m "not slow"

lint: env
	@$(APP_PY) -m ruff check .
	@$(APP_PY) -m ruff format --check .

format: env
	@$(APP_PY) -m ruff check --fix .
	@$(APP_PY) -m ruff format .

## Both Python environments (engine: Rasa 3.6.21; app: gateway, actions, knowledge base, tests).
env:
	@scripts/ensure_venv.sh engine
	@scripts/ensure_venv.sh app

train: env
	@$(APP_PY) -m scripts.stack prepare

## Talk to the trained bot in the terminal (rasa shell), with the action server running behind it.
shell: env
	@$(APP_PY) -m scripts.stack shell

## The resident texts: update every language from ja.po, print the coverage (knowledge_base/texts/README.md).
texts: env
	@$(APP_PY) -m knowledge_base.texts

## Debian's chromium for the widget's browser tests.
chromium:
	@scripts/ensure_chromium.sh
