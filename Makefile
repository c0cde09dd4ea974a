# Entry points for a newcomer. Every target installs what it needs first.
BUILD ?= build
JOBS  ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps configure build python demo report-screenshot test test-release test-asan test-tsan bench bench-ocp bench-python fuzz clean

all: build

deps:
	bash scripts/install-deps.sh

configure:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) > /dev/null

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# The Python module for Debian's /usr/bin/python3 (`import femur`), offline: built in
# $(BUILD)/python/femur and copied into that interpreter's site-packages (PYTHON_SITE).
# `make test` runs its tests (python/tests, pytest) through ctest.
PYTHON_SITE ?= $(shell /usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_path("platlib"))')
python: deps configure
	cmake --build $(BUILD) -j $(JOBS) --target femur_python
	mkdir -p $(PYTHON_SITE)
	rm -rf $(PYTHON_SITE)/femur
	cp -r $(BUILD)/python/femur $(PYTHON_SITE)/femur
	cd / && PYTHONPATH=$(PYTHON_SITE) /usr/bin/python3 -c 'import femur; print("femur installed in", femur.__file__)'

# The main job: every hip/low-back scenario on femur's built-in model, a summary table on
# stdout and one self-contained report in $(DEMO_OUT)/report.html. Needs nothing outside the
# repository. `make report-screenshot` renders it to $(DEMO_OUT)/report.png (headless Chromium).
DEMO_OUT ?= out
demo: deps configure
	cmake --build $(BUILD) -j $(JOBS) --target femur_cli
	./$(BUILD)/femur demo --out-dir $(DEMO_OUT)

report-screenshot: demo
	bash scripts/install-deps.sh --report
	bash scripts/screenshot-report.sh $(DEMO_OUT)/report.html $(DEMO_OUT)/report.png

# Every test on the Release build, then the same suite under AddressSanitizer (with
# LeakSanitizer) and UndefinedBehaviorSanitizer in its own folder ($(ASAN_BUILD); `make
# test-asan` alone), then the multithreaded paths under ThreadSanitizer (`make test-tsan`).
# Each sanitizer build is about 21-23 CPU minutes; CI of stop 25 (Release + ASan) took 32 min.
test: test-release test-asan test-tsan

test-release: deps configure
	cmake --build $(BUILD) -j $(JOBS) --target femur_tests
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

ASAN_BUILD ?= build-asan
test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
	  -DFEMUR_SANITIZE=ON \
	  -DFEMUR_BUILD_BENCH=OFF $(CMAKE_FLAGS) > /dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS) --target femur_tests
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j $(JOBS)

# Every multithreaded path under ThreadSanitizer, in its own folder ($(TSAN_BUILD)); any race
# fails: the batch runner (real trials on two threads, resume), IK split over threads, muscle
# sets and paths built and evaluated by several threads over one const Model, scenario
# populations on threads, gait collocation's node loops (TBB), the viewer's server thread,
# and the demo (scenarios in parallel).
TSAN_BUILD ?= build-tsan
TSAN_RUN = TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
test-tsan: deps
	cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" \
	  -DFEMUR_TSAN=ON -DFEMUR_BUILD_BENCH=OFF $(CMAKE_FLAGS) > /dev/null
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target femur_tools_tests femur_muscle_tests femur_hip_tests \
	  femur_ocp_tests femur_web_tests
	$(TSAN_RUN) ./$(TSAN_BUILD)/femur_tools_tests --gtest_filter='Batch*:InverseKinematics.GivesTheSameMotionOnSeveralThreads'
	$(TSAN_RUN) ./$(TSAN_BUILD)/femur_muscle_tests --gtest_filter='SharedModelThreads.*'
	$(TSAN_RUN) ./$(TSAN_BUILD)/femur_hip_tests --gtest_filter='Population.*'
	$(TSAN_RUN) ./$(TSAN_BUILD)/femur_ocp_tests --gtest_filter='GaitCollocation.*DerivativesMatch*'
	$(TSAN_RUN) ./$(TSAN_BUILD)/femur_web_tests --gtest_filter='ViewServer.*'
	$(TSAN_RUN) ./$(TSAN_BUILD)/femur demo --out-dir $(TSAN_BUILD)/demo > /dev/null

bench: deps build
	@for b in $(BUILD)/*_bench; do echo "== $$b"; $$b --benchmark_counters_tabular=true; done

# The Python module's call overhead and the batch runner's speedup with 2 worker threads on
# 500 generated trials (issue 19); needs ../shared/opensim. Whole batch runs, so kept out of
# `make bench`.
bench-python: deps build
	PYTHONPATH=$(BUILD)/python /usr/bin/python3 python/bench/bench_overhead.py
	PYTHONPATH=$(BUILD)/python FEMUR_CLI=$(BUILD)/femur /usr/bin/python3 python/bench/bench_batch.py --trials 500

# Optimal control (issue 16): Moco's 18-muscle MocoInverse solved end to end, 3 repetitions
# (medians reported); needs ../shared/opensim. Kept out of `make bench`: whole solves.
bench-ocp: deps configure
	cmake --build $(BUILD) -j $(JOBS) --target ocp_bench
	./$(BUILD)/bench_ocp --benchmark_repetitions=3 --benchmark_report_aggregates_only=true --benchmark_counters_tabular=true

# Fuzz every parser for FUZZ_SECONDS each (libFuzzer, clang-14, ASan + UBSan; inputs cut to MAX_LEN
# bytes, default 64 KiB; FUZZ_ONLY="sto osim" picks parsers), seeded with
# the matching files of ../shared/opensim. Crashes land in build-fuzz/findings/.
FUZZ_SECONDS ?= 30
fuzz:
	bash scripts/install-deps.sh --fuzz
	CXX=clang++-14 cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFEMUR_BUILD_FUZZ=ON \
	  -DFEMUR_BUILD_TESTS=OFF -DFEMUR_BUILD_BENCH=OFF > /dev/null
	cmake --build build-fuzz -j $(JOBS) --target c3d_fuzz sto_fuzz trc_fuzz osim_fuzz vtp_fuzz setup_fuzz
	bash scripts/run-fuzzers.sh build-fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD)
