# The front door.  Meson builds; this file only strings the steps together.
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

build: deps
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) >/dev/null
	@ninja -C $(BUILD) >/dev/null

demo-data: build
	@scripts/demo-data.sh $(BUILD)/aula $(DATA)

run: demo-data
	@exec ./$(BUILD)/aula serve --data $(DATA) --listen $(LISTEN)

check:
	@scripts/check.sh

mutants:
	@scripts/mutants.sh

clean:
	rm -rf $(BUILD) build-asan build-fuzz build-mutants test-output
