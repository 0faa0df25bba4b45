#!/usr/bin/env python3
"""Fills `c(W, '<asm>', …)` placeholders in cases.ts with words assembled by an independent
reference: llvm-mc-14 first, GNU as (-march=armv8.2-a) when llvm-mc rejects the GNU spelling.
kiln's encoder is never consulted. Run from this directory; re-running leaves filled cases alone."""
import re, subprocess, tempfile, os, sys

def llvm(line):
    r = subprocess.run(['llvm-mc-14', '-triple=aarch64', '-show-encoding'], input=line + '\n',
                       capture_output=True, text=True)
    m = re.search(r'encoding: \[([^\]]*)\]', r.stdout)
    if r.returncode or not m or r.stderr.strip():
        return None
    b = [int(x, 16) for x in m.group(1).split(',')]
    return b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24

def gas(line):
    with tempfile.TemporaryDirectory() as d:
        src, obj, bin_ = (os.path.join(d, n) for n in ('a.s', 'a.o', 'a.bin'))
        open(src, 'w').write(line + '\n')
        if subprocess.run(['aarch64-linux-gnu-as', '-march=armv8.2-a', src, '-o', obj], capture_output=True).returncode:
            return None
        subprocess.run(['aarch64-linux-gnu-objcopy', '-O', 'binary', '-j', '.text', obj, bin_], check=True)
        data = open(bin_, 'rb').read()
        return int.from_bytes(data[:4], 'little') if len(data) == 4 else None

def word(line):
    w = llvm(line)
    src = 'llvm-mc'
    if w is None:
        w, src = gas(line), 'gas'
    if w is None:
        sys.exit(f'neither assembler accepts: {line}')
    return w

def fill(m):
    asm = m.group(1)
    ws = [word(l.strip()) for l in asm.split(';')]
    lit = f'0x{ws[0]:08x}' if len(ws) == 1 else '[' + ', '.join(f'0x{w:08x}' for w in ws) + ']'
    return f"c({lit}, '{asm}'"

s = open('cases.ts').read()
s = re.sub(r"c\(W, '([^']*)'", fill, s)
open('cases.ts', 'w').write(s)
