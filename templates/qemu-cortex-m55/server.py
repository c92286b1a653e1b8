#!/usr/bin/env python3
"""Project API server of Kiln's `qemu-cortex-m55` template (docs/project-api.md).

Firmware for an Arm Cortex-M55 on QEMU's mps3-an547 board (DSP, FPU, Helium): the model, the
runtime and the device protocol server (docs/rpc-protocol.md), linked with
picolibc; the transport is UART0 on QEMU's stdin/stdout. The board is board.json
beside this file; the server itself is templates/common/kiln_qemu_template.py.
"""

import os
import sys

TEMPLATE_DIR = os.path.dirname(os.path.realpath(__file__))
sys.dont_write_bytecode = True  # keep the template folder (maybe read-only, maybe a source tree) clean
sys.path.insert(0, os.path.join(TEMPLATE_DIR, "..", "common"))

from kiln_qemu_template import QemuTemplate  # noqa: E402

if __name__ == "__main__":
    QemuTemplate(TEMPLATE_DIR).serve()
