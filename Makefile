# All set-up happens here: a fresh machine needs only python3 and make.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
FAST_STAMP := $(VENV)/.installed-test-fast
# Where pip gets torch for the hanlp extra. Plain PyPI serves torch==2.13.0 as
# the CUDA build (29 wheels, about 2.7 GB); PyTorch's CPU index serves the
# 200 MB CPU wheel: make test TORCH_INDEX=https://download.pytorch.org/whl/cpu
# Left empty, pip uses its configured index (this workplace's finds a CPU wheel).
TORCH_INDEX ?=

.PHONY: run test test-fast lint bench bench-archives notebook train train-crf clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

# torch first, pinned, from TORCH_INDEX when given (see above).
$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install -q torch==2.13.0 $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(BIN)/pip install -q -e '.[hanlp,test]'
	touch $@

# Contributors: everything but HanLP (no torch: a venv of about 1.1 GB, not 2.1 GB).
$(FAST_STAMP): $(STAMP)
	$(BIN)/pip install -q -e '.[test]'
	touch $@

run: $(STAMP)
	$(BIN)/kg build seeds -o output

test: $(TEST_STAMP)
	$(BIN)/ruff check kg tests bench
	$(BIN)/python -m pytest

# The same suite without the HanLP engine's tests; CI runs the full `make test`.
test-fast: $(FAST_STAMP)
	$(BIN)/ruff check kg tests bench
	$(BIN)/python -m pytest -m "not hanlp"

bench: $(TEST_STAMP)
	$(BIN)/python bench/localnews_eval.py --jobs 2
	$(BIN)/python bench/ner_eval.py --learned none
	$(BIN)/python bench/ner_eval.py
	$(BIN)/python bench/seeds_eval.py
	$(BIN)/python bench/speed.py
	$(BIN)/python bench/render_bench.py

# Refit the learned layer (kg/models/local-crf.crfsuite) on the annotated local
# news in ../shared/corpus/localnews and kg's own annotated sets (about 2 minutes).
train: $(STAMP)
	nice $(BIN)/python -m kg.learn.train

# Refit the CRF models on the training splits in ../shared (about 7 minutes).
train-crf: $(STAMP)
	nice $(BIN)/python bench/train_crf.py --model all

# Archives: 1k, 10k and 50k articles (about 40 minutes on 2 cores).
bench-archives: $(STAMP)
	$(BIN)/python bench/throughput.py

notebook: $(TEST_STAMP)
	$(BIN)/pip install -q jupyterlab
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV) output/*.html output/*.json output/*.graphml output/*.csv output/*.jsonl \
	  output/*.parquet output/kg-manifest.json
