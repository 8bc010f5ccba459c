# SPDX-License-Identifier: GPL-2.0
#
# nat64: stateful NAT64 kernel module and nat64ctl.
#
#   make              module (against KDIR) and nat64ctl
#   make install      module into /lib/modules, nat64ctl into $(PREFIX)
#   make dkms-install source into /usr/src/nat64-$(VERSION), dkms add/build/install
#   make check        every test: unit, build, DKMS, VM end to end (installs deps as root)
#   make check-quick  the same without the VM
#   make fuzz         libFuzzer on the packet core for FUZZ_SECONDS (600), then coverage
#   make check-debug  make check's debug stage, longer: 10 lifetime cycles, 120 s of concurrency
#   make demo         DNS64 + NAT64 user story in a VM
#   make bench        (see README)

VERSION := 0.1
KVER ?= $(shell uname -r)
KDIR ?= $(firstword $(wildcard /lib/modules/$(KVER)/build) \
	$(lastword $(sort $(wildcard /lib/modules/*/build))))
PREFIX ?= /usr/local

all: module nat64ctl

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

nat64ctl:
	$(MAKE) -C usr

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install
	depmod -a $(notdir $(patsubst %/build,%,$(KDIR)))
	$(MAKE) -C usr install PREFIX=$(PREFIX)

dkms-install:
	rm -rf /usr/src/nat64-$(VERSION)
	mkdir -p /usr/src/nat64-$(VERSION)
	cp -r Kbuild dkms.conf kmod include /usr/src/nat64-$(VERSION)/
	-dkms remove -m nat64 -v $(VERSION) --all
	dkms add -m nat64 -v $(VERSION)
	dkms build -m nat64 -v $(VERSION) -k $(notdir $(patsubst %/build,%,$(KDIR)))
	dkms install -m nat64 -v $(VERSION) -k $(notdir $(patsubst %/build,%,$(KDIR)))

check:
	tests/check.sh

check-quick:
	tests/check.sh --no-vm

check-debug:
	tests/kernel/check-stage.sh

demo:
	tests/demo.sh

bench:
	tests/bench.sh

FUZZ_SECONDS ?= 600
fuzz:
	$(MAKE) -C tests/fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS)

deb:
	packaging/mkdeb.sh build/deb

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C usr clean
	-$(MAKE) -C tests/unit clean
	-$(MAKE) -C tests/fuzz clean

.PHONY: all module nat64ctl install dkms-install check check-quick check-debug demo bench fuzz deb clean
