#!/usr/bin/env python3
"""Record io.BytesIO conformance vectors for buffer/conformance_test.go.

Run by hand from this directory (CI never runs Python):

    python3 gen_vectors.py > vectors.json

Each trace is a list of operations on one io.BytesIO object, each recorded
with CPython's result and the state after it:

    op        write | read | readline | seek | truncate | tell | getvalue
    data      hex bytes written (write), or
    gen       [n, seed]: n bytes from gen(n, seed) below (write)
    n         size for read/readline (-1 = the rest / no limit), size for
              truncate (absent = truncate() with no argument), offset for seek
    whence    seek whence
    ret       int result (write, seek, truncate, tell)
    out       bytes result (read, readline, getvalue): hex when short,
              "sha256:<len>:<hex digest>" when longer than HEX_MAX bytes
    error     Python exception text when the call raised (ValueError)
    clamped   seek whose negative target CPython clamped to 0 (whence 1/2)
    tell      b.tell() after the op
    size      len(b.getvalue()) after the op

A trace may start from initial content: "init" (hex) or "init_gen" [n, seed].
The random traces use a fixed seed, so the output is reproducible.
"""

import hashlib
import io
import json
import random
import sys

SEED = 20240611
HEX_MAX = 256
RANDOM_TRACES = 300
MAX_CONTENT = 5000

# Sizes on both sides of the chunk boundaries of the test pools
# (first chunk 64 doubling to 256; first chunk 1024 doubling).
EDGES = [1, 2, 3, 7, 8, 63, 64, 65, 127, 128, 129, 191, 192, 193, 255, 256,
         257, 447, 448, 449, 703, 704, 705, 959, 960, 961, 1023, 1024, 1025,
         2047, 2048, 2049, 3071, 3072, 3073, 4095, 4096, 4097]


def gen(n, seed):
    """Return n non-zero pseudo-random bytes (xorshift32; mirrored in Go)."""
    x = (seed * 0x9E3779B9 + 0x7F4A7C15) & 0xFFFFFFFF
    if x == 0:
        x = 1
    out = bytearray(n)
    for i in range(n):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        out[i] = x % 255 + 1
    return bytes(out)


def enc(b):
    if len(b) <= HEX_MAX:
        return b.hex()
    return "sha256:%d:%s" % (len(b), hashlib.sha256(b).hexdigest())


class Recorder:
    def __init__(self, name, init=None, init_gen=None):
        self.trace = {"name": name}
        if init_gen is not None:
            self.trace["init_gen"] = list(init_gen)
            init = gen(*init_gen)
        elif init is not None:
            self.trace["init"] = init.hex()
        self.b = io.BytesIO(init) if init is not None else io.BytesIO()
        self.ops = self.trace["ops"] = []

    def _done(self, rec):
        rec["tell"] = self.b.tell()
        rec["size"] = len(self.b.getvalue())
        self.ops.append(rec)

    def write(self, data=None, gen_args=None):
        rec = {"op": "write"}
        if gen_args is not None:
            rec["gen"] = list(gen_args)
            data = gen(*gen_args)
        else:
            rec["data"] = data.hex()
        rec["ret"] = self.b.write(data)
        self._done(rec)

    def read(self, n=-1):
        self._done({"op": "read", "n": n, "out": enc(self.b.read(n))})

    def readline(self, n=-1):
        self._done({"op": "readline", "n": n, "out": enc(self.b.readline(n))})

    def seek(self, off, whence=0):
        rec = {"op": "seek", "n": off, "whence": whence}
        base = {1: self.b.tell(), 2: len(self.b.getvalue())}.get(whence, 0)
        try:
            rec["ret"] = self.b.seek(off, whence)
            if whence in (1, 2) and base + off < 0:
                assert rec["ret"] == 0
                rec["clamped"] = True
        except ValueError as e:
            rec["error"] = "ValueError: %s" % e
        self._done(rec)

    def truncate(self, n=None):
        rec = {"op": "truncate"}
        try:
            if n is None:
                rec["ret"] = self.b.truncate()
            else:
                rec["n"] = n
                rec["ret"] = self.b.truncate(n)
        except ValueError as e:
            rec["error"] = "ValueError: %s" % e
        self._done(rec)

    def tell(self):
        self._done({"op": "tell", "ret": self.b.tell()})

    def getvalue(self):
        self._done({"op": "getvalue", "out": enc(self.b.getvalue())})


def classic():
    traces = []

    r = Recorder("hello-write-overwrites", init=b"hello")
    r.write(b" world")
    r.getvalue()
    r.read()
    traces.append(r)

    r = Recorder("seek-end-appends", init=b"hello")
    r.seek(0, 2)
    r.write(b" world")
    r.getvalue()
    r.seek(0)
    r.read()
    traces.append(r)

    r = Recorder("read-vs-getvalue", init=b"abcdef")
    r.read(2)
    r.getvalue()
    r.read()
    r.read()
    r.read(5)
    r.read(0)
    r.getvalue()
    r.tell()
    traces.append(r)

    r = Recorder("zero-fill-gaps")
    r.seek(10)
    r.getvalue()
    r.write(b"x")
    r.getvalue()
    r.seek(3)
    r.write(b"yy")
    r.seek(20, 0)
    r.tell()
    r.getvalue()
    r.write(b"!")
    r.getvalue()
    r.seek(0)
    r.read()
    traces.append(r)

    r = Recorder("overwrite-then-extend", init=b"ab23456789")
    r.seek(8)
    r.write(b"XYZ")
    r.getvalue()
    r.seek(15)
    r.write(b"!")
    r.getvalue()
    traces.append(r)

    r = Recorder("truncate-keeps-pos", init=b"0123456789")
    r.seek(8)
    r.truncate(2)
    r.tell()
    r.read()
    r.write(b"!")
    r.getvalue()
    traces.append(r)

    r = Recorder("truncate-larger-no-op", init=b"abc")
    r.truncate(100)
    r.getvalue()
    r.tell()
    r.truncate(3)
    r.truncate(4)
    r.getvalue()
    traces.append(r)

    r = Recorder("truncate-at-pos", init=b"abcdef")
    r.seek(2)
    r.truncate()
    r.getvalue()
    r.seek(50)
    r.truncate()
    r.getvalue()
    r.tell()
    traces.append(r)

    r = Recorder("truncate-then-write-beyond")
    r.write(gen_args=(300, 1))
    r.truncate(10)
    r.seek(200)
    r.write(b"z")
    r.getvalue()
    r.truncate(0)
    r.getvalue()
    r.write(b"q")
    r.getvalue()
    traces.append(r)

    r = Recorder("truncate-beyond-pos-then-write", init=b"0123456789")
    r.seek(3)
    r.truncate(5)
    r.write(b"ABCDE")
    r.getvalue()
    r.truncate(4)
    r.read()
    r.seek(0)
    r.read()
    traces.append(r)

    r = Recorder("seek-errors-and-clamps", init=b"0123456789")
    r.seek(4)
    r.seek(-1)
    r.seek(-100, 1)
    r.seek(6)
    r.seek(-100, 2)
    r.seek(7)
    r.seek(-7, 1)
    r.seek(5)
    r.seek(-10, 2)
    r.seek(5)
    r.seek(-11, 2)
    r.seek(3)
    r.seek(0, 3)
    r.seek(-1, 3)
    r.seek(1, -1)
    r.truncate(-1)
    r.read()
    traces.append(r)

    r = Recorder("seek-past-end", init=b"0123456789")
    r.seek(100, 1)
    r.read()
    r.read(3)
    r.tell()
    r.seek(5, 2)
    r.seek(-2, 2)
    r.read()
    r.seek(-3, 1)
    r.read(1)
    r.seek(0, 1)
    r.getvalue()
    traces.append(r)

    r = Recorder("readline", init=b"line1\nline2\n\nlast\rno-cr-end")
    for _ in range(5):
        r.readline()
    r.seek(0)
    r.readline(3)
    r.readline(0)
    r.readline(3)
    r.readline(1)
    r.readline(-1)
    r.readline(100)
    r.readline(6)
    r.readline(2)
    r.seek(100)
    r.readline()
    r.readline(5)
    traces.append(r)

    r = Recorder("empty")
    r.read()
    r.read(0)
    r.read(10)
    r.readline()
    r.getvalue()
    r.truncate(0)
    r.truncate()
    r.tell()
    r.seek(0, 2)
    r.seek(-1, 2)
    traces.append(r)

    r = Recorder("empty-write-changes-nothing")
    r.seek(10)
    r.write(b"")
    r.getvalue()
    r.tell()
    r.write(b"a")
    r.seek(30)
    r.write(b"")
    r.getvalue()
    traces.append(r)

    r = Recorder("read-zero", init=b"ab")
    r.read(0)
    r.read(1)
    r.read(0)
    r.read(1)
    r.read(0)
    r.read(1)
    traces.append(r)

    r = Recorder("chunk-boundaries")
    for n in (64, 128, 256, 256, 256, 1024, 2048):
        r.write(gen_args=(n, n))
    r.getvalue()
    for off in (63, 64, 65, 191, 192, 193, 447, 448, 449, 1023, 1024, 1025,
                3071, 3072, 3073):
        r.seek(off)
        r.read(2)
        r.seek(-2, 1)
        r.write(b"\x7f\x80")
    r.getvalue()
    r.truncate(448)
    r.seek(1030)
    r.write(b"\xff")
    r.getvalue()
    traces.append(r)

    return traces


def size_choice(rng, small=False):
    k = rng.random()
    if k < 0.35:
        return rng.randrange(0, 17)
    if k < 0.60:
        return rng.choice(EDGES) + rng.choice((-1, 0, 0, 1))
    if small:
        return rng.randrange(0, 300)
    return rng.randrange(0, 2600)


def random_trace(rng, idx):
    init = None
    if rng.random() < 0.5:
        init = (max(0, size_choice(rng)), 1000 + idx)
    r = Recorder("random-%03d" % idx, init_gen=init)
    nops = rng.randrange(5, 41)
    for j in range(nops):
        b = r.b
        pos, size = b.tell(), len(b.getvalue())
        k = rng.random()
        if k < 0.30:
            n = max(0, size_choice(rng, small=size > MAX_CONTENT))
            if pos + n > MAX_CONTENT + 1200:
                n = rng.randrange(0, 8)
            if rng.random() < 0.25:
                data = bytes(rng.choice(b"ab\n\xff") for _ in range(min(n, 40)))
                r.write(data)
            else:
                r.write(gen_args=(n, idx * 1000 + j))
        elif k < 0.50:
            if rng.random() < 0.2:
                r.read(-1)
            else:
                r.read(max(0, size_choice(rng)))
        elif k < 0.70:
            whence = rng.choice((0, 0, 1, 1, 2, 2))
            m = rng.random()
            if m < 0.08:
                off = -rng.randrange(1, 50)  # whence 0: ValueError; else maybe clamp
            elif m < 0.2:
                off = rng.choice(EDGES) + rng.choice((-1, 0, 1))
                off -= {0: 0, 1: pos, 2: size}[whence]
            elif m < 0.3:
                off = -rng.randrange(0, 2 * size + 100)  # often clamps
            else:
                target = rng.randrange(0, size + 300)
                off = target - {0: 0, 1: pos, 2: size}[whence]
            r.seek(off, whence)
        elif k < 0.77:
            m = rng.random()
            if m < 0.2:
                r.truncate()
            elif m < 0.25:
                r.truncate(-rng.randrange(1, 5))
            elif m < 0.4:
                r.truncate(size + rng.randrange(0, 100))
            else:
                r.truncate(rng.randrange(0, size + 1))
        elif k < 0.80:
            r.tell()
        elif k < 0.88:
            r.getvalue()
        else:
            lim = -1 if rng.random() < 0.5 else rng.randrange(0, 40)
            r.readline(lim)
    r.tell()
    r.getvalue()
    return r


def main():
    rng = random.Random(SEED)
    traces = classic()
    traces += [random_trace(rng, i) for i in range(RANDOM_TRACES)]
    out = sys.stdout
    out.write('{"python":%s,"seed":%d,"traces":[\n' %
              (json.dumps(sys.version.split()[0]), SEED))
    out.write(",\n".join(json.dumps(t.trace, separators=(",", ":"))
                         for t in traces))
    out.write("\n]}\n")


if __name__ == "__main__":
    main()
