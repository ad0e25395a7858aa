# The two commands: `make run` (the main job, on the shipped models) and `make test` (the whole suite).
# Both create .venv if it is missing and install what they need into it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
OUT ?= out
DATA ?= ../shared/data/vglc

.PHONY: run test lint train bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamps re-install when pyproject.toml changes.
$(VENV)/.run-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[cpu]'
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[cpu,dev,train]'
	# the Mario AI Framework jar (MIT) that judges platformer levels; --no-deps: its torch/transformers are not needed
	$(PY) -m pip install --quiet --no-deps mario-gpt==0.1.3
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(VENV)/bin/gamegen models
	$(VENV)/bin/gamegen generate platformer-gan --seed 1 --count 8 --width 200 --format tmx,tmj,json,png:path,txt --contact-sheet --out $(OUT) --quiet
	$(VENV)/bin/gamegen world --seed 42 --out $(OUT)/world --force --quiet
	@echo "Demo set in $(OUT)/:"; ls -1 $(OUT)

test: $(VENV)/.test-installed
	$(PY) -m pytest -n 2 -q

# ruff (rules in pyproject.toml; no ruff format) and mypy on the installed package names. exporters/ and viewer/ install as
# gamegen.exporters and gamegen.viewer (package-dir), which mypy cannot map: build/typecheck/gamegen links them where it looks.
lint: $(VENV)/.test-installed
	$(PY) -m ruff check .
	mkdir -p build/typecheck/gamegen
	for d in exporters viewer models; do ln -sfn ../../../$$d build/typecheck/gamegen/$$d; done
	$(PY) -m mypy

# Rebuilds every shipped model from the corpus with its fixed seed (about 40 minutes each on 2 cores; -j2 runs both at once).
train: $(VENV)/.test-installed
	$(MAKE) train-platformer-gan train-platformer-segment-gan train-dungeon-vae train-sprite-gan train-sprite-vae

# The sprite models read ../shared/data/sprites and measure themselves (near copies, diversity, alpha, silhouettes) into their cards.
SPRITE_DATA ?= ../shared/data
train-sprite-gan train-sprite-vae: $(VENV)/.test-installed
	$(VENV)/bin/gamegen train $(@:train-%=%) --data $(SPRITE_DATA) --out models

# The dungeon VAE measures itself (reconstruction, room quality, 1,000-seed validity) into its card while training.
train-dungeon-vae: $(VENV)/.test-installed
	$(VENV)/bin/gamegen train dungeon-vae --data $(DATA) --out models

train-%: $(VENV)/.test-installed
	$(VENV)/bin/gamegen train $* --data $(DATA) --out models
	$(VENV)/bin/gamegen eval $* --n 1000 --data $(DATA) --write-card --out $(OUT)/eval-$*

clean:
	rm -rf $(OUT) build dist *.egg-info

bench: $(VENV)/.test-installed
	mkdir -p $(OUT)
	$(VENV)/bin/gamegen bench --json $(OUT)/bench.json
