#!/usr/bin/env python3
"""Project API server of Kiln's `qemu-cortex-m4` template (docs/project-api.md).

Firmware for an Arm Cortex-M4F on QEMU's mps2-an386 board: the model, the
runtime and the device protocol server (docs/rpc-protocol.md), linked with
picolibc; the transport is UART0 on QEMU's stdin/stdout. The board values
mirror src/device/boards.cc (keep the two in step); the server itself is
templates/common/kiln_qemu_template.py.
"""

import os
import sys

TEMPLATE_DIR = os.path.dirname(os.path.realpath(__file__))
sys.dont_write_bytecode = True  # keep the template folder (maybe read-only, maybe a source tree) clean
sys.path.insert(0, os.path.join(TEMPLATE_DIR, "..", "common"))

from kiln_qemu_template import QemuTemplate  # noqa: E402

BOARD = {
    "description": "an Arm Cortex-M4F (DSP + FPU) on QEMU mps2-an386",
    "cflags": ["-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16", "--specs=picolibc.specs",
               "--oslib=semihost", "--crt0=semihost"],
    "ldflags": ["-Wl,--defsym=__flash=0x0,--defsym=__flash_size=0x400000,--defsym=__ram=0x20000000,"
                "--defsym=__ram_size=0x400000"],
    "platform": "mps2_an386.c",
    "instructions_per_tick": 40,
    "qemu_args": ["-M", "mps2-an386", "-cpu", "cortex-m4", "-display", "none", "-monitor", "none", "-serial", "stdio",
                  "-semihosting-config", "enable=on,target=native", "-icount", "shift=0,align=off,sleep=off"],
}

if __name__ == "__main__":
    QemuTemplate(TEMPLATE_DIR, BOARD).serve()
