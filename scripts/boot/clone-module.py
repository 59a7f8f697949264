#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Copies of one built module under other names of the same length.

Usage: clone-module.py MODULE.ko OUTDIR COUNT

Writes OUTDIR/<prefix>0001.ko ... <prefix>COUNT.ko, where MODULE.ko's
name (its file name without .ko) is <prefix> and four more characters:
kmodt_real.ko gives kmodt_0001.ko and so on.  Each copy has every
occurrence of the old name replaced by its own, which renames the module
consistently: the "name=" of .modinfo, the name in struct module
(.gnu.linkonce.this_module) and the "<name>." prefix of its parameters.
A name of the same length keeps every offset of the ELF file.  Building
2000 modules would take minutes per kernel; copying takes a second.
"""

import os
import sys


def clone(path: str, outdir: str, count: int) -> int:
    """Writes the COUNT copies; returns how many places were renamed in each."""
    old = os.path.basename(path)[:-len(".ko")].encode()
    prefix = old[:-4]
    if count > 9999 or len(prefix) == 0:
        raise ValueError(f"{path}: cannot name {count} copies after {old.decode()!r}")
    with open(path, "rb") as f:
        data = f.read()
    if b"name=" + old + b"\0" not in data:
        raise ValueError(f"{path}: no 'name={old.decode()}' in its .modinfo")
    places = data.count(old)
    if places < 2:
        raise ValueError(f"{path}: its name occurs {places} time(s), expected "
                         ".modinfo and struct module at least")
    os.makedirs(outdir, exist_ok=True)
    for i in range(1, count + 1):
        new = prefix + b"%04d" % i
        with open(os.path.join(outdir, new.decode() + ".ko"), "wb") as f:
            f.write(data.replace(old, new))
    return places


def main() -> int:
    if len(sys.argv) != 4 or not sys.argv[1].endswith(".ko") or not sys.argv[3].isdigit():
        print("usage: clone-module.py MODULE.ko OUTDIR COUNT", file=sys.stderr)
        return 2
    try:
        places = clone(sys.argv[1], sys.argv[2], int(sys.argv[3]))
    except (OSError, ValueError) as e:
        print(f"clone-module.py: {e}", file=sys.stderr)
        return 1
    print(f"{sys.argv[3]} copies of {sys.argv[1]}, {places} places renamed in each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
