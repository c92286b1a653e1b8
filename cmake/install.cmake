# What `cmake --install build --prefix P` puts under P, in the standard
# directories (GNUInstallDirs), and the Debian package CPack makes of the
# same files: `cpack --config build/CPackConfig.cmake` (docs/install.md).
#
#   bin/kiln                                   the compiler (it embeds the device runtime)
#   share/kiln/templates/                      Project API templates and board descriptions
#   share/doc/kiln/                            README and docs/
#   share/man/man1/kiln.1                      `man kiln`
#   share/bash-completion/completions/kiln     bash completion

# `cmake --install` and cpack install what was built; they never build
# (so cpack in a test cannot relink the running test binary).
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)
install(TARGETS kiln RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The template servers are executables: keep their mode.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/templates/ DESTINATION ${CMAKE_INSTALL_DATADIR}/kiln/templates
        USE_SOURCE_PERMISSIONS PATTERN __pycache__ EXCLUDE)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${KILN_SHARE}/man/man1/kiln.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${KILN_SHARE}/bash-completion/completions/kiln
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)

# --- The Debian package: kiln_<version>_<arch>.deb -----------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kiln)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "Kiln")
set(CPACK_PACKAGE_CONTACT "Kiln developers <kiln@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "ahead-of-time compiler from TFLite and ONNX models to C99 for microcontrollers")
set(CPACK_PACKAGE_DESCRIPTION
    "Kiln turns a trained TFLite or ONNX model into plain C99 and a small runtime with no interpreter and no malloc, plans every tensor at a fixed offset, estimates flash and RAM before any firmware exists, and builds, runs and times the model on emulated Cortex-M4 and RISC-V boards.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
# Shared libraries kiln links (fmt, protobuf, libarchive ...) come from
# dpkg-shlibdeps. What it runs: the host C compiler and make build a model
# for `kiln run` and the host template; python3 runs the template servers.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "gcc, libc6-dev, make, python3")
# The emulated boards: their compilers, C libraries and emulators (`kiln doctor`).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS
    "gcc-arm-none-eabi, picolibc-arm-none-eabi, qemu-system-arm, gcc-riscv64-unknown-elf, picolibc-riscv64-unknown-elf, qemu-system-misc")
include(CPack)
