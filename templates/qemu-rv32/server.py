#!/usr/bin/env python3
"""Project API server of Kiln's `qemu-rv32` template (docs/project-api.md).

Firmware for a RISC-V rv32imac on QEMU's virt board: the model, the
runtime and the device protocol server (docs/rpc-protocol.md), linked with
picolibc; the transport is the 16550 UART on QEMU's stdin/stdout. The
board values mirror src/device/boards.cc (keep the two in step); the
server itself is templates/common/kiln_qemu_template.py.
"""

import os
import sys

TEMPLATE_DIR = os.path.dirname(os.path.realpath(__file__))
sys.dont_write_bytecode = True  # keep the template folder (maybe read-only, maybe a source tree) clean
sys.path.insert(0, os.path.join(TEMPLATE_DIR, "..", "common"))

from kiln_qemu_template import QemuTemplate  # noqa: E402

BOARD = {
    "description": "a RISC-V rv32imac on QEMU virt",
    "cflags": ["-march=rv32imac", "-mabi=ilp32", "--specs=picolibc.specs", "--oslib=semihost", "--crt0=semihost"],
    "ldflags": ["-Wl,--defsym=__flash=0x80000000,--defsym=__flash_size=0x400000,--defsym=__ram=0x80400000,"
                "--defsym=__ram_size=0x400000"],
    "platform": "riscv_virt.c",
    "instructions_per_tick": 1,
    "qemu_args": ["-M", "virt", "-bios", "none", "-display", "none", "-monitor", "none", "-serial", "stdio",
                  "-semihosting-config", "enable=on,target=native", "-icount", "shift=0,align=off,sleep=off"],
}

if __name__ == "__main__":
    QemuTemplate(TEMPLATE_DIR, BOARD).serve()
