#!/usr/bin/env python3
"""Project API server of Kiln's QEMU board templates (qemu-cortex-m3,
qemu-cortex-m4, qemu-cortex-m55, qemu-rv32; docs/project-api.md).

A board's template folder holds its template.json, which names this file
as its server, and its board.json: the compiler, flags, platform hooks and
QEMU command line. Kiln starts a template's server in the template's folder
(docs/project-api.md, "The wire"), so the folder this runs in is the board.
The server itself is kiln_qemu_template.py beside this file.
"""

import os
import sys

sys.dont_write_bytecode = True  # keep the template folders (maybe read-only, maybe a source tree) clean
sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))

from kiln_qemu_template import QemuTemplate  # noqa: E402

if __name__ == "__main__":
    QemuTemplate(os.getcwd()).serve()
