#!/usr/bin/env python3
"""Stores a CRIU test-vector directory compactly in the repository (this directory's layout).

Usage: pack.py SRC DST  -- SRC holds the vectors as CRIU wrote them (README.md, src/, bin/, one
directory per dump); DST receives them as stored here. The tests' Vectors class does the reverse.

- every file is copied unchanged, except pages-N.img, stored as pages-N.img.gz;
- memhog16's pages are pseudo-random (memhog.c fills its buffer with xorshift64 from a fixed seed),
  which no compressor shrinks: its buffer is XORed with that same stream before gzip, leaving
  zeros, and memhog16/pages-1.img.xorshift (one line: offset, words, seed) says where to XOR it
  back in. The offset is found by searching for the stream's first word;
- SHA256SUMS lists the digest of every original file, so the unpacked copy is checked bit for bit.
"""
import array
import gzip
import hashlib
import os
import shutil
import struct
import sys

SEED = 0x9E3779B97F4A7C15
MASK = (1 << 64) - 1


def xorshift(seed, n):
    x = seed
    out = array.array('Q', bytes(8 * n))
    for i in range(n):
        x ^= (x << 13) & MASK
        x ^= x >> 7
        x ^= (x << 17) & MASK
        out[i] = x
    return out


def stream_offset(data, seed):
    first = xorshift(seed, 1)[0]
    return data.find(struct.pack('<Q', first))


def main(src, dst):
    sums = []
    for base, dirs, names in os.walk(src):
        dirs.sort()
        for name in sorted(names):
            path = os.path.join(base, name)
            rel = os.path.relpath(path, src)
            if rel in ('README.md', 'SHA256SUMS', 'pack.py'):
                continue                               # README.md is kept (and extended) by hand
            with open(path, 'rb') as f:
                data = f.read()
            sums.append('%s  %s' % (hashlib.sha256(data).hexdigest(), rel))
            os.makedirs(os.path.join(dst, os.path.dirname(rel)), exist_ok=True)
            target = os.path.join(dst, rel)
            if name.startswith('pages-') and name.endswith('.img'):
                if os.path.basename(base) == 'memhog16':
                    words = 16 << 17                   # memhog 16: 16 MiB of u64 words
                    off = stream_offset(data, SEED)
                    assert off >= 0, 'memhog stream not found in ' + path
                    buf = array.array('Q')
                    buf.frombytes(data[off:off + 8 * words])
                    for i, v in enumerate(xorshift(SEED, words)):
                        buf[i] ^= v
                    data = data[:off] + buf.tobytes() + data[off + 8 * words:]
                    with open(target + '.xorshift', 'w') as f:
                        f.write('offset=%d words=%d seed=0x%X\n' % (off, words, SEED))
                with open(target + '.gz', 'wb') as f:
                    f.write(gzip.compress(data, 9, mtime=0))
            else:
                shutil.copyfile(path, target)
                shutil.copymode(path, target)
    with open(os.path.join(dst, 'SHA256SUMS'), 'w') as f:
        f.write('\n'.join(sums) + '\n')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
