# Installs scanstation as a systemd service, or packs the same files into a .deb for PCs
# without the Swift toolchain.
#
#   make install [PREFIX=/usr] [DESTDIR=]   build (release, static Swift runtime) and install
#   make uninstall [PREFIX=/usr] [DESTDIR=] remove what install put there (a changed config stays)
#   make deb [CONFIG=release]               build .build/packaging/scanstation_VERSION_ARCH.deb
#
# Run for real (no DESTDIR, as root), install also creates the service user and reloads
# systemd and udev. CONFIG=debug builds much faster (CI checks the packaging with it); the
# release build is the default and the only one to ship.

PREFIX ?= /usr
DESTDIR ?=
CONFIG ?= release
SWIFT ?= swift
VERSION ?= 0.1.0
SYSCONFDIR ?= /etc

BINDIR = $(PREFIX)/bin
UNITDIR = $(PREFIX)/lib/systemd/system
SYSUSERSDIR = $(PREFIX)/lib/sysusers.d
UDEVRULESDIR = $(PREFIX)/lib/udev/rules.d
MANDIR = $(PREFIX)/share/man/man1
CONFIGDIR = $(SYSCONFDIR)/scanstation

# The Swift runtime is linked statically in release builds. SwiftPM's static link fails in
# debug builds (Foundation's ICU archives), so CONFIG=debug links it dynamically: such a
# package needs the toolchain and only serves to check the packaging layout.
STATIC_STDLIB = $(if $(filter release,$(CONFIG)),--static-swift-stdlib,)
# Release builds link with the toolchain's lld and pack relative relocations (DT_RELR, read
# by glibc 2.36 and later, as on Debian 12): the static binary's 2 MB of relocations shrink
# to 40 KB, which the loader no longer reads and applies at every start; the idle daemon is
# about 2 MB smaller in memory (DaemonBenchmark: 25.5 against 27.8 MB with four stations).
RELEASE_LINK = $(if $(filter release,$(CONFIG)),-Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs,)
SWIFT_BUILD = $(SWIFT) build -c $(CONFIG) $(STATIC_STDLIB) $(RELEASE_LINK) --product scanstation
STAGING = .build/packaging
DEB_ROOT = $(STAGING)/deb-root
ARCH = $(shell dpkg --print-architecture 2>/dev/null || echo amd64)
# Debian package names of the shared libraries the binary links (checked against the
# binary's NEEDED entries by Tests/System/check-packaging.sh).
DEB_DEPENDS = libc6 (>= 2.36), libgcc-s1, libstdc++6, libusb-1.0-0, libzbar0, libsqlite3-0, libpng16-16, libjpeg62-turbo, libdmtx0b, systemd
DEB_FILE = $(STAGING)/scanstation_$(VERSION)_$(ARCH).deb
# zstd (dpkg reads it since Debian 12): xz took minutes on the 80 MB binary.
DEB_COMPRESSION ?= -Zzstd

.PHONY: all build install install-files uninstall deb clean-packaging

all: build

build:
	$(SWIFT_BUILD)
	@mkdir -p $(STAGING)
	# DWARF goes (a fifth of the size); the symbol table stays for crash backtraces.
	strip --strip-debug -o $(STAGING)/scanstation "$$($(SWIFT) build -c $(CONFIG) --show-bin-path)/scanstation"
	$(STAGING)/scanstation config example > $(STAGING)/scanstation.toml

# Copies the built files; the config only when the site has none (it is theirs to edit).
install-files:
	install -d -m 0755 "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(UNITDIR)" "$(DESTDIR)$(SYSUSERSDIR)" "$(DESTDIR)$(UDEVRULESDIR)" "$(DESTDIR)$(CONFIGDIR)" "$(DESTDIR)$(MANDIR)"
	install -m 0755 $(STAGING)/scanstation "$(DESTDIR)$(BINDIR)/scanstation"
	sed 's#^ExecStart=/usr/bin/scanstation#ExecStart=$(BINDIR)/scanstation#' systemd/scanstation.service > $(STAGING)/scanstation.service
	grep -q '^ExecStart=$(BINDIR)/scanstation ' $(STAGING)/scanstation.service
	install -m 0644 $(STAGING)/scanstation.service "$(DESTDIR)$(UNITDIR)/scanstation.service"
	install -m 0644 systemd/scanstation.sysusers "$(DESTDIR)$(SYSUSERSDIR)/scanstation.conf"
	install -m 0644 udev/70-scanstation.rules "$(DESTDIR)$(UDEVRULESDIR)/70-scanstation.rules"
	# The unit's Documentation=man:scanstation(1).
	gzip -9n < packaging/scanstation.1 > $(STAGING)/scanstation.1.gz
	install -m 0644 $(STAGING)/scanstation.1.gz "$(DESTDIR)$(MANDIR)/scanstation.1.gz"
	@if [ -e "$(DESTDIR)$(CONFIGDIR)/scanstation.toml" ]; then \
		echo "keeping the existing $(DESTDIR)$(CONFIGDIR)/scanstation.toml"; \
	else \
		install -m 0644 $(STAGING)/scanstation.toml "$(DESTDIR)$(CONFIGDIR)/scanstation.toml"; \
	fi

install: build
	@$(MAKE) --no-print-directory install-files
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" -eq 0 ]; then \
		systemd-sysusers "$(SYSUSERSDIR)/scanstation.conf"; \
		if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi; \
		if command -v udevadm >/dev/null && [ -d /run/udev ]; then udevadm control --reload; fi; \
		echo "installed; edit $(CONFIGDIR)/scanstation.toml, then: systemctl enable --now scanstation.service"; \
	fi

uninstall:
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" -eq 0 ] && [ -d /run/systemd/system ]; then \
		systemctl disable --now scanstation.service 2>/dev/null || true; \
	fi
	rm -f "$(DESTDIR)$(BINDIR)/scanstation" "$(DESTDIR)$(UNITDIR)/scanstation.service" \
		"$(DESTDIR)$(SYSUSERSDIR)/scanstation.conf" "$(DESTDIR)$(UDEVRULESDIR)/70-scanstation.rules" \
		"$(DESTDIR)$(MANDIR)/scanstation.1.gz"
	@echo "kept $(DESTDIR)$(CONFIGDIR) and the store in /var/lib/scanstation (remove them by hand if unwanted)"
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" -eq 0 ]; then \
		if [ -d /run/systemd/system ]; then systemctl daemon-reload; fi; \
		if command -v udevadm >/dev/null && [ -d /run/udev ]; then udevadm control --reload; fi; \
	fi

# The package holds exactly what `make install PREFIX=/usr` installs, plus maintainer scripts.
deb: build
	rm -rf $(DEB_ROOT)
	$(MAKE) --no-print-directory install-files DESTDIR=$(abspath $(DEB_ROOT)) PREFIX=/usr SYSCONFDIR=/etc CONFIG=$(CONFIG)
	install -d -m 0755 $(DEB_ROOT)/DEBIAN $(DEB_ROOT)/usr/share/doc/scanstation
	install -m 0644 packaging/debian/copyright $(DEB_ROOT)/usr/share/doc/scanstation/copyright
	install -m 0755 packaging/debian/postinst packaging/debian/prerm packaging/debian/postrm $(DEB_ROOT)/DEBIAN/
	echo /etc/scanstation/scanstation.toml > $(DEB_ROOT)/DEBIAN/conffiles
	chmod 0644 $(DEB_ROOT)/DEBIAN/conffiles
	{ \
		echo "Package: scanstation"; \
		echo "Version: $(VERSION)"; \
		echo "Architecture: $(ARCH)"; \
		echo "Maintainer: scanstation developers <scanstation@localhost>"; \
		echo "Installed-Size: $$(du -sk --exclude=DEBIAN $(DEB_ROOT) | cut -f1)"; \
		echo "Depends: $(DEB_DEPENDS)"; \
		echo "Section: misc"; \
		echo "Priority: optional"; \
		echo "Description: barcode/RFID scanner station daemon for warehouse PCs"; \
		echo " Reads the station's scanners, records every scan durably in a local SQLite"; \
		echo " store and answers each scan at once. Runs as the systemd service"; \
		echo " scanstation.service; udev rules give it the known scanner vendors' devices."; \
	} > $(DEB_ROOT)/DEBIAN/control
	chmod 0644 $(DEB_ROOT)/DEBIAN/control
	dpkg-deb --root-owner-group $(DEB_COMPRESSION) --build $(DEB_ROOT) $(DEB_FILE)
	@echo "built $(DEB_FILE)"

clean-packaging:
	rm -rf $(STAGING)
