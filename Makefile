# The single entry point. `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

.PHONY: help demo test test-rust test-python test-kotlin wheel jar install-jar bench fuzz clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

demo: ## Walk through the publisher flow against the built-in emulator
	cargo run --release --locked -q -p euid-cli -- demo

test: test-rust test-python test-kotlin ## Run every test: Rust, then Python, then Kotlin/JVM

test-rust: ## Rust: fmt, clippy, unit, vector and end-to-end tests
	scripts/test-rust.sh

test-python: ## Python: build the wheel, install it in a fresh venv, mypy and pytest
	scripts/test-python.sh

test-kotlin: ## Kotlin/JVM: JUnit suite, then the Java and Gradle consumer checks
	scripts/test-kotlin.sh

wheel: ## Build the Python wheel into target/wheels/
	scripts/build-wheel.sh

jar: ## Build kotlin/target/euid-sdk-<version>.jar (native library inside)
	mvn -B -q -f kotlin/pom.xml -DskipTests package
	@ls -l kotlin/target/euid-sdk-*.jar

install-jar: ## Install the jar into ~/.m2 (for mavenLocal() and Maven consumers)
	mvn -B -q -f kotlin/pom.xml -DskipTests install

fuzz: ## Fuzz every parser of outside data, 2 minutes per target (libFuzzer, stable Rust)
	scripts/fuzz.sh 120

bench: ## Benchmarks side by side with the official SDKs (minutes; not part of test)
	scripts/bench.sh

clean: ## Remove build outputs and virtual environments
	cargo clean
	rm -rf .venv-build .venv-test kotlin/target
