#!/usr/bin/python3
"""contracts.py HEADER... : every function a header declares carries a
contract comment: a comment block right above it, or above the group of
declarations it belongs to (no blank line between). Prints the ones that
do not; exit 1 when any."""
import re, sys
bad = n = 0
for path in sys.argv[1:]:
    lines = open(path).read().split('\n')
    i = 0
    while i < len(lines):
        l = lines[i]
        m = re.match(r'^(?!typedef|#|\s|/\*| \*|static)[A-Za-z_].*?\b(\w+)\s*\(', l)
        if m and not l.rstrip().endswith(('{', ',')) or (m and l.rstrip().endswith(',')):
            n += 1
            # walk up over the declaration group
            j = i - 1
            while j >= 0 and lines[j].strip() and not lines[j].rstrip().endswith('*/'):
                j -= 1
            if j < 0 or not lines[j].rstrip().endswith('*/'):
                print(f'{path}:{i+1}: {m.group(1)} has no contract comment')
                bad += 1
            # skip continuation lines
            while i < len(lines) and not lines[i].rstrip().endswith(';'):
                i += 1
        i += 1
print(f'contracts: {n} declarations, {bad} without a comment')
sys.exit(1 if bad else 0)
