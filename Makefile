# SPDX-License-Identifier: GPL-2.0
# Entry points of the project; the work is done by the scripts in scripts/
# (a directory per stage: lib, series, checks, kunit, boot, bench), which print
# their own stages with timestamps.  "make help" lists the targets.
#
# The knobs a user may set (the README's table), taken from make's command
# line only ("make bench RUNS=5"): the same names left in the environment,
# say a KERNEL_SRC or BUILD exported for another project, are dropped, so
# that nothing steers a target but what its command line says.
KNOBS := KERNEL_SRC BASE TREE BUILD PATCHES JOBS KMOD_BASE_VERSION \
	KMOD_SPACE_CHECK RUNS ONLY FLAVOUR KERNELS BASE_ONLY PLANT SWEEP V PREV \
	CONTINUE ABORT REBASE_BUILD REBASE_DOCS FRESH_REBUILD FRESH_AS \
	FRESH_KEEP FRESH_FULL
$(foreach k,$(KNOBS),$(if $(filter environment%,$(origin $(k))),$(eval undefine $(k))))
# The names the scripts hand one another; never from the user's shell.
unexport ROOT SRC WT LOGS RESULTS KARCH SRCARCH CHECK_WT CHECK_OUT \
	CHECK_CONFIG CHECK_STATE STRICT_CONFIG DOCS_DIRS CHANGELOG \
	SERIES_BRANCH DEBIAN_SRC_TARBALL KSELFTEST_ONLY KMOD_SERIES_BUILD_LOCK \
	REBASE_DIR REBASE_BRANCH REBASE_CHECKS QEMU_TIMEOUT BOOT_APPEND \
	FRESH_STEPS

SHELL := /bin/bash
comma := ,
.DEFAULT_GOAL := help
TREE ?= $(or $(BUILD),$(CURDIR)/build)/linux
export TREE

.PHONY: help demo deps tree regen check-series test-checks lint models kunit kunit-unpatched boot-test bench bench-docs selftest mutants outbox rebase check check-debug fresh-check

help: ## list the targets
	@awk -F ':.*## ' '/^[a-z][a-z-]*:.*## / { printf "  make %-16s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

demo: deps ## the main job: the series' KUnit suites (UML), then a quick benchmark of both kernels under QEMU (one boot each, target table; RUNS=N: the full make bench)
	@scripts/series/tree.sh --base
	@scripts/demo.sh

deps: ## install the Debian packages the project needs
	@scripts/deps.sh

tree: deps ## make build/linux: the base, and patches/ applied on branch "series"
	@scripts/series/tree.sh

regen: ## rewrite patches/ from branch "series" of build/linux
	@scripts/series/regen.sh

check-series: deps ## check patches/: applies, checkpatch and MAINTAINERS, bisectable build, kernel-doc, Sphinx docs
	@scripts/series/tree.sh --base
	@scripts/checks/check-series.sh all

test-checks: deps ## negative test: each check of check-series (and make rebase) fails on a broken series
	@scripts/series/tree.sh --base
	@scripts/checks/test-checks.sh

lint: deps ## shellcheck and pyflakes on every shell and Python script of the project, and the links between its documents (seconds)
	@scripts/checks/lint.sh

models: deps ## model-check the umh and kmod protocols with spin (models/): every property, negative models must fail, and the C lines the models cite; about a minute
	@scripts/series/tree.sh --base
	@scripts/checks/models.sh

kunit: deps ## the KUnit suites on patches/: UML, then x86_64 QEMU with KASAN and lockdep
	@scripts/series/tree.sh --base
	@scripts/kunit/kunit.sh --series

kunit-unpatched: deps ## the KUnit suites on the unpatched code: the expected cases must fail
	@scripts/series/tree.sh --base
	@scripts/kunit/kunit-unpatched.sh

boot-test: deps ## debug kernel (KASAN, lockdep, kmemleak...) under QEMU: every scenario; BASE_ONLY=1: the unpatched kernel, which must fail the scenarios scripts/boot/fails-unpatched lists; FLAVOUR=small, ONLY=a,b, RUNS=N, PLANT=scenario
	@scripts/series/tree.sh --base
	@scripts/boot/boot-test.sh --flavour $(or $(FLAVOUR),debug) \
		--kernels "$(or $(KERNELS),$(if $(BASE_ONLY),base,series))" \
		$(if $(or $(BASE_ONLY),$(filter base,$(subst $(comma), ,$(KERNELS)))),--expect-unpatched) \
		$(if $(ONLY),--only $(ONLY)) $(if $(RUNS),--runs $(RUNS)) \
		$(if $(PLANT),--plant $(PLANT) --tag plant)

bench: deps ## unpatched vs patched kernel, alternating boots (RUNS=3): table, JSON and plots in build/bench; SWEEP=1: scaling sweep and kmod.sh 0008/0009 at full counts on the debug kernels
	@scripts/series/tree.sh --base
	@scripts/bench/bench.sh $(if $(RUNS),--runs $(RUNS)) $(if $(SWEEP),--sweep)

bench-docs: ## the last make bench into the documents: its JSON (Documentation/bench/), plots, and the tables of README.md and Documentation/results.md rewritten from it
	@scripts/bench/bench.sh --publish

selftest: deps ## upstream's kmod selftest (kmod.sh, all 13 tests, full counts) on the patched debug kernel
	@scripts/series/tree.sh --base
	@scripts/boot/boot-test.sh --flavour debug --kernels "$(if $(BASE_ONLY),base,series)" \
		--only kselftest --kselftest full

mutants: deps ## undo each fix of the series (mutants/*.patch) on top of it: its KUnit cases or boot scenarios must fail; table in build/mutants/results.md; ONLY=name,...
	@scripts/series/tree.sh --base
	@scripts/checks/mutants.sh $(if $(ONLY),--only $(ONLY))

outbox: deps ## b4: write the posting to build/outbox in the name of git's user.name and user.email (nothing is sent), check recipients and git-am round trip; V=2 PREV=<v1 patches dir, git range or ref>: a v2 with changelog and range-diff
	@scripts/series/tree.sh --base
	@scripts/series/outbox.sh $(if $(V),--version $(V)) $(if $(PREV),--prev $(PREV))

rebase: deps ## apply patches/ onto BASE of KERNEL_SRC (git am -3) in build/rebase, report conflicts by patch, run the series checks there (CONTINUE=1 after a conflict, ABORT=1; REBASE_BUILD=1, REBASE_DOCS=1)
	@scripts/series/rebase.sh $(if $(CONTINUE),--continue)$(if $(ABORT),--abort)

check: deps ## what CI runs: every check, a summary table, "N passed, N failed"
	@scripts/series/tree.sh --base
	@scripts/check.sh

check-debug: deps ## the boot tests on the patched debug kernel (KASAN, lockdep, kmemleak, debug objects, fault injection): the KUnit suites at boot, every scenario, kmod.sh at reduced counts, a planted warning; not in make check (about 20 minutes cold)
	@scripts/series/tree.sh --base
	@scripts/check.sh --debug

fresh-check: ## the README's commands on a fresh Debian 12: a debootstrap minbase root, as root and as a user with sudo (needs root and the network; FRESH_REBUILD=1: debootstrap again; FRESH_FULL=1: make deps and the whole make check in it, as root, about an hour)
	@scripts/fresh-check.sh
