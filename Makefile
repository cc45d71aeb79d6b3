# The single entry point. `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

.PHONY: help demo test test-rust test-python test-kotlin test-examples example-python example-jvm wheel jar install-jar bench fuzz clean \
	wheels jar-portable install-jar-portable check-natives test-portable test-portable-quick

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-20s %s\n", $$1, $$2}'

demo: ## Walk through the publisher flow against the built-in emulator
	cargo run --release --locked -q -p euid-cli -- demo

test: test-rust test-python test-kotlin test-examples test-portable-quick ## Run every test: Rust, Python, Kotlin/JVM, the example sites in Chromium, then the shipped wheels and jar

test-rust: ## Rust: fmt, clippy, unit, vector and end-to-end tests
	scripts/test-rust.sh

test-python: ## Python: build the wheel, install it in a fresh venv, mypy and pytest, then the test kit in a fresh pytest project
	scripts/test-python.sh

test-kotlin: ## Kotlin/JVM: JUnit suites of the SDK and its test kit, then the Java, Gradle and JUnit-extension consumer checks
	scripts/test-kotlin.sh

test-examples: ## The example sites in headless Chromium with the official EUID browser SDK (screenshots in docs/)
	scripts/test-examples.sh

example-python: ## Start the Python (Flask) example site; the embedded emulator unless EUID_BASE_URL/_API_KEY/_CLIENT_SECRET
	scripts/setup-examples.sh python
	cd examples/python && ../../.venv-examples/bin/python -m euid_example

example-jvm: ## Start the JVM (Spring Boot) example site; the embedded emulator unless EUID_BASE_URL/_API_KEY/_CLIENT_SECRET
	scripts/setup-examples.sh jvm
	cd examples/jvm && java -jar target/euid-example-jvm.jar

test-portable-quick: ## The shipped wheels and jars: check-natives, pip's choice, x86-64 on Debian 11, aarch64 under qemu, musl, Windows under wine
	scripts/portable-test.sh --quick

test-portable: ## test-portable-quick plus both JUnit suites on the shipped jars (minutes)
	scripts/portable-test.sh --full

wheel: ## Build the Python wheel into target/wheels/
	scripts/build-wheel.sh

jar: ## Build kotlin/target/euid-sdk-<version>.jar (native library inside)
	mvn -B -q -f kotlin/pom.xml -DskipTests package
	@ls -l kotlin/target/euid-sdk-*.jar

install-jar: ## Install the jar and the test kit's jar (org.euidsdk:euid-sdk-testing) into ~/.m2 (for mavenLocal() and Maven consumers)
	mvn -B -q -f kotlin/pom.xml -DskipTests install
	mvn -B -q -f kotlin/testing/pom.xml -DskipTests install

wheels: ## The wheels that ship (manylinux2014 and musllinux x86_64/aarch64, Windows x64, macOS x86_64/arm64), into target/dist/
	scripts/portable-wheels.sh

jar-portable: ## The jars that ship, the SDK's and the test kit's, with the libraries of every platform the wheels cover, into target/dist/
	scripts/portable-jar.sh package

install-jar-portable: ## Install the jars that ship into ~/.m2 (runs both JUnit suites first)
	scripts/portable-jar.sh install

check-natives: ## Check every library in target/dist/ against its platform (format, libc, macOS minimum, links, exports)
	$${PYTHON:-python3} scripts/check-natives.py --exports target/portable/lib/exports.txt target/dist

fuzz: ## Fuzz every parser of outside data, 2 minutes per target (libFuzzer, stable Rust)
	scripts/fuzz.sh 120

bench: ## Benchmarks side by side with the official SDKs (minutes; not part of test)
	scripts/bench.sh

clean: ## Remove build outputs and virtual environments
	@# Mounts a killed portable script may have left in its Debian roots under target/portable/.
	bash -c 'source scripts/portable-lib.sh && portable_lock'
	cargo clean
	rm -rf .venv-build .venv-test kotlin/target
