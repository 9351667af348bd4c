# Onyx Dashboard. The two commands a user needs: `make run` and `make test`.
# Everything else is for development; see docs/development.md.

GO       ?= go
BIN      := build/onyx-dashboard
ZK       ?=
ARGS     ?=
FUZZTIME ?= 20s
FYNE_TOOLS_VERSION := v1.7.2
FYNE     := $(shell $(GO) env GOPATH)/bin/fyne

.PHONY: run build deps test bench fuzz package clean

## run: install what is missing, build, and open the app (make run ZK=host:port)
run: deps build
	./$(BIN) $(if $(ZK),--zk $(ZK)) $(ARGS)

## build: build the binary into build/
build:
	$(GO) build -o $(BIN) .

## deps: install missing Debian packages and the Go modules
deps:
	@bash scripts/install-deps.sh

## test: vet, unit and integration tests with -race against a throw-away ZooKeeper, and the window test
test:
	@bash scripts/test.sh

## bench: run all benchmarks; figures in build/bench.txt and a table in build/bench.md
bench: deps
	@bash scripts/bench.sh

## fuzz: fuzz every Fuzz target for FUZZTIME (default 20s) each
fuzz: deps
	@FUZZTIME=$(FUZZTIME) bash scripts/fuzz.sh

## package: build a Linux package (tar.xz with a .desktop file and the icon) into build/
package: deps
	@test -x $(FYNE) || $(GO) install fyne.io/tools/cmd/fyne@$(FYNE_TOOLS_VERSION)
	@# fyne package bumps Build in FyneApp.toml; keep the committed one.
	mkdir -p build && cp FyneApp.toml build/FyneApp.toml.orig
	$(FYNE) package -os linux -icon assets/icon.png --exe onyx-dashboard; \
		status=$$?; cp build/FyneApp.toml.orig FyneApp.toml; exit $$status
	mv "Onyx Dashboard.tar.xz" build/onyx-dashboard.tar.xz
	rm -f onyx-dashboard
	@echo "package: build/onyx-dashboard.tar.xz"

## clean: stop leftover test ZooKeepers and remove build/
clean:
	@for d in build/zk.*; do [ -d "$$d" ] && bash scripts/zk-test.sh stop "$$d" || true; done
	rm -rf build
