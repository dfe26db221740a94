# The front door.  Meson builds; this file only strings the steps together.
#   make         build only (installs nothing; the tests when cmocka is there)
#   make run     install what is missing, build, create the demo data, serve it
#   make check   install what is missing, build, and run every test
#   make mutants mutation testing of the rules (not part of check; under 30 minutes)
BUILD ?= build
DATA  ?= aula-data
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps build run demo-data check mutants clean

all: build

deps:
	@scripts/deps.sh

# Quiet when all goes well; what meson or the compiler said when it does not.
build:
	@[ -f $(BUILD)/build.ninja ] || out=$$(meson setup $(BUILD) 2>&1) || { printf '%s\n' "$$out"; exit 1; }
	@out=$$(ninja -C $(BUILD) 2>&1) || { printf '%s\n' "$$out"; exit 1; }

demo-data: build
	@scripts/demo-data.sh $(BUILD)/aula $(DATA)

# deps runs first, on its own: build must not start before the packages are in.
run:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory demo-data
	@exec ./$(BUILD)/aula serve --data $(DATA) --listen $(LISTEN)

check:
	@scripts/check.sh

mutants:
	@scripts/mutants.sh

clean:
	rm -rf $(BUILD) build-asan build-fuzz build-mutants test-output
