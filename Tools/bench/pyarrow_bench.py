"""The pyarrow/numpy half of the benchmark harness.

Each benchmark does the same work as its twin in Tools/Benchmarks/main.swift and prints one JSON
object per line: {"name", "seconds" (best of the repetitions), "bytes"}.
"""
import json
import os
import sys
import time

import numpy as np
import pyarrow as pa

ROWS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
# Runs only the benchmarks whose name contains this (setup still runs), like the Swift side.
ONLY = sys.argv[2] if len(sys.argv) > 2 else None


def measure(name, nbytes, body, repetitions=7, ratio=None):
    if ONLY is not None and ONLY not in name:
        return
    best = float("inf")
    for _ in range(repetitions):
        start = time.perf_counter()
        body()
        best = min(best, time.perf_counter() - start)
    record = {"name": name, "seconds": best, "bytes": nbytes}
    if ratio is not None:
        record["ratio"] = ratio
    print(json.dumps(record), flush=True)


size = 256 << 20
src = np.ones(size, dtype=np.uint8)
dst = np.zeros(size, dtype=np.uint8)
measure("memcpy_256MiB", size, lambda: np.copyto(dst, src))
del src, dst

measure("vec64_append_int64", ROWS * 8, lambda: np.arange(ROWS, dtype=np.int64))
measure("vec64_fill_int64", ROWS * 8, lambda: np.arange(ROWS, dtype=np.int64))
ints = np.arange(ROWS, dtype=np.int64)
measure("vec64_append_bulk_int64", ROWS * 8, lambda: ints.copy())

rng = np.random.default_rng(1)
bits = rng.integers(0, 256, size=(ROWS + 7) // 8, dtype=np.uint8)
validity = pa.py_buffer(bits.tobytes())
values = pa.py_buffer(np.zeros(ROWS, dtype=np.int8).tobytes())


def null_count(offset):
    # null_count=-1 makes pyarrow count the validity bitmap (it caches the count afterwards).
    arr = pa.Array.from_buffers(pa.int8(), ROWS - offset, [validity, values], null_count=-1, offset=offset)
    return arr.null_count


measure("bitmap_null_count", len(bits), lambda: null_count(0))
measure("bitmap_null_count_offset3", len(bits), lambda: null_count(3))

floats = np.arange(ROWS, dtype=np.float64) * 0.5
strings = [f"s{i % 100_000}" for i in range(ROWS)]
string_bytes = sum(len(s) for s in strings)
measure("build_int64_column", ROWS * 8, lambda: pa.array(ints))
measure("build_int64_column_zero_copy", ROWS * 8, lambda: pa.array(ints))
measure("build_float64_column", ROWS * 8, lambda: pa.array(floats))
measure("build_string_column", string_bytes, lambda: pa.array(strings, type=pa.string()), repetitions=3)
measure(
    "build_batch_int64_float64_string",
    ROWS * 16 + string_bytes,
    lambda: pa.record_batch([pa.array(ints), pa.array(floats), pa.array(strings, type=pa.string())], names=["i", "f", "s"]),
    repetitions=3,
)

# IPC: the same tables as benchIPCStream / benchIPCFileStrings in main.swift, split into
# 65536-row batches by the writer, written to memory and read back from memory.
IPC_BATCH_ROWS = 65_536


def numeric_table(rows):
    i = np.arange(rows, dtype=np.int64)
    return pa.table({
        "a": i,
        "b": i * 0.5,
        "c": i.astype(np.int32),
        "d": i.astype(np.float32) * np.float32(0.25),
    })


def write_stream(table):
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=IPC_BATCH_ROWS)
    return sink.getvalue()


def read_stream(buf):
    return pa.ipc.open_stream(buf).read_all().num_rows


# pyarrow's reader has no full-validation switch (it checks bounds, not contents), so the
# _novalidate twins measure the same read.
for n, label in [(ROWS, "10M"), (max(1, ROWS // 10), "1M")]:
    table = numeric_table(n)
    if label == "10M":
        measure("ipc_stream_write_10M", n * 24, lambda: write_stream(table), repetitions=5)
    stream = write_stream(table)
    measure(f"ipc_stream_read_{label}", n * 24, lambda: read_stream(stream))
    measure(f"ipc_stream_read_{label}_novalidate", n * 24, lambda: read_stream(stream))
    del table, stream

n = max(1, ROWS // 10)
names = [f"name-{i}" for i in range(n)]
cities = [f"city-{i % 1000}" for i in range(n)]
distinct = min(n, 1000)
nbytes = (sum(len(s) for s in names) + 4 * (n + 1) + 4 * n
          + sum(len(f"city-{i}") for i in range(distinct)) + 4 * (distinct + 1))
strings_table = pa.table({"s": pa.array(names, type=pa.string()), "d": pa.array(cities, type=pa.string()).dictionary_encode()})


def write_file(table):
    sink = pa.BufferOutputStream()
    with pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=IPC_BATCH_ROWS)
    return sink.getvalue()


measure("ipc_file_write_strings_1M", nbytes, lambda: write_file(strings_table), repetitions=5)
strings_file = write_file(strings_table)
measure("ipc_file_read_strings_1M", nbytes, lambda: pa.ipc.open_file(strings_file).read_all().num_rows)
measure("ipc_file_read_strings_1M_novalidate", nbytes, lambda: pa.ipc.open_file(strings_file).read_all().num_rows)


# MMap: open each file of the benchmark through a memory map and read all of it as a table; then
# the same and sum column 0 with numpy (zero copy from the mapping).
mmap_rows = ROWS * 10
mmap_dir = "/tmp/lightstream-bench-mmap"
for name in ["ls_1", "ls_64k", "pa_1", "pa_64k"]:
    path = f"{mmap_dir}/{name}.arrow"
    if not os.path.exists(path):
        continue

    def open_table(path=path):
        return pa.ipc.open_file(pa.memory_map(path)).read_all()

    def open_sum(path=path):
        table = open_table(path)
        return sum(int(np.sum(chunk.to_numpy(zero_copy_only=True))) for chunk in table.column(0).chunks)

    measure(f"mmap_open_table_{name}", mmap_rows * 24, open_table, repetitions=5)
    measure(f"mmap_open_sum_{name}", mmap_rows * 8, open_sum, repetitions=3)


# Codecs: the C libraries through their Python packages on the same data as the Swift side.
import cramjam
import gzip
import zlib
import lz4.block
import lz4.frame
import zstandard

count = 2 << 20
idx = np.arange(count, dtype=np.int64)
codec_ints = (idx * 1000 + (idx * 7919) % 1000).astype("<i8").tobytes()
words = ["arrow", "columnar", "buffer", "stream", "frame", "swift", "zero", "copy", "batch", "schema", "dictionary", "offset"]
parts = []
size = 0
i = 0
state = 12345
while size < count * 8:
    state = (state * 1103515245 + 12345) % (1 << 31)
    w = words[(state >> 16) % len(words)].encode() + (b"\n" if i % 17 == 0 else b" ")
    parts.append(w)
    size += len(w)
    i += 1
codec_text = b"".join(parts)[: count * 8]
codecs = {
    "lz4_frame": (lambda d: lz4.frame.compress(d, content_checksum=True), lz4.frame.decompress),
    "lz4_raw": (lambda d: lz4.block.compress(d, store_size=False), lambda c, n: lz4.block.decompress(c, uncompressed_size=n)),
    "snappy": (lambda d: bytes(cramjam.snappy.compress_raw(d)), lambda c: bytes(cramjam.snappy.decompress_raw(c))),
    "zstd1": (zstandard.ZstdCompressor(level=1).compress, zstandard.ZstdDecompressor().decompress),
    "zstd3": (zstandard.ZstdCompressor(level=3).compress, zstandard.ZstdDecompressor().decompress),
    "gzip1": (lambda d: gzip.compress(d, compresslevel=1, mtime=0), lambda c: zlib.decompress(c, 31)),
    "gzip6": (lambda d: gzip.compress(d, compresslevel=6, mtime=0), lambda c: zlib.decompress(c, 31)),
}
for name, (compress, decompress) in codecs.items():
    for kind, data in [("ints", codec_ints), ("text", codec_text)]:
        compressed = compress(data)
        ratio = len(compressed) / len(data)
        measure(f"codec_{name}_compress_{kind}", len(data), lambda: compress(data), repetitions=3, ratio=ratio)
        if name == "lz4_raw":
            measure(f"codec_{name}_decompress_{kind}", len(data), lambda: decompress(compressed, len(data)), repetitions=3, ratio=ratio)
        else:
            measure(f"codec_{name}_decompress_{kind}", len(data), lambda: decompress(compressed), repetitions=3, ratio=ratio)


# Transport over loopback: a sending process (fork) and this receiving process, like the Swift
# side's sending and receiving tasks. pyarrow writes with new_stream on socket.makefile("wb") and
# reads with open_stream on socket.makefile("rb"); the receiver times from the warmup-th batch
# to the last. The raw copy sends the bytes of the 10M-row stream with sendall/recv_into: the
# ceiling for any IPC transport on this machine.
import socket


def transport_table(rows=100_000):
    words = pa.array(["alpha", "beta", "gamma"])
    category = pa.DictionaryArray.from_arrays(pa.array(np.arange(rows, dtype=np.uint32) % 3), words)
    return pa.record_batch(
        [
            pa.array(np.arange(rows, dtype=np.int32)),
            pa.array(np.arange(rows, dtype=np.float64) * 0.5),
            pa.array([f"row_{i}" for i in range(rows)], pa.utf8()),
            category,
        ],
        names=["ids", "values", "labels", "category"],
    )


def listen(kind):
    if kind == "unix":
        path = f"/tmp/lightstream-bench-py-{os.getpid()}.sock"
        if os.path.exists(path):
            os.unlink(path)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(path)
        address = path
    else:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        address = server.getsockname()
    server.listen(1)
    return server, address


def transfer(kind, send, receive):
    """Runs send(sock) in a forked child and receive(sock) here; returns what receive returns."""
    server, address = listen(kind)
    pid = os.fork()
    if pid == 0:
        server.close()
        family = socket.AF_UNIX if kind == "unix" else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.connect(address)
        send(sock)
        sock.close()
        os._exit(0)
    conn, _ = server.accept()
    result = receive(conn)
    conn.close()
    server.close()
    os.waitpid(pid, 0)
    if kind == "unix":
        os.unlink(address)
    return result


def measure_transfer(name, nbytes, run, repetitions=3):
    if ONLY is not None and ONLY not in name:
        return
    best = min(run() for _ in range(repetitions))
    print(json.dumps({"name": name, "seconds": best, "bytes": nbytes}), flush=True)


batch = transport_table()
payload = sum(b.size for column in batch.columns for b in column.buffers() if b is not None)
REPEATED, WARMUP = 200, 10


def send_repeated(sock):
    out = sock.makefile("wb")
    with pa.ipc.new_stream(out, batch.schema) as writer:
        for _ in range(REPEATED + WARMUP):
            writer.write_batch(batch)
    out.close()


def receive_timed(warmup):
    def receive(conn):
        reader = pa.ipc.open_stream(conn.makefile("rb"))
        count = 0
        start = time.perf_counter()
        for _ in reader:
            count += 1
            if count == warmup:
                start = time.perf_counter()
        return time.perf_counter() - start
    return receive


for kind in ["tcp", "unix"]:
    measure_transfer(f"transport_{kind}_100k_repeated", payload * REPEATED, lambda: transfer(kind, send_repeated, receive_timed(WARMUP)))

stream_table = numeric_table(ROWS)


def send_stream(sock):
    out = sock.makefile("wb")
    with pa.ipc.new_stream(out, stream_table.schema) as writer:
        writer.write_table(stream_table, max_chunksize=65_536)
    out.close()


def whole_transfer(send, receive):
    start = time.perf_counter()
    transfer("tcp", send, receive)
    return time.perf_counter() - start


def receive_all(conn):
    return pa.ipc.open_stream(conn.makefile("rb")).read_all().num_rows


measure_transfer("transport_tcp_10M_stream", ROWS * 24, lambda: whole_transfer(send_stream, receive_all))

stream_bytes = write_stream(stream_table)
raw = memoryview(stream_bytes)


def send_raw(sock):
    sock.sendall(raw)


def receive_raw(conn):
    buffer = bytearray(1 << 20)
    view = memoryview(buffer)
    while conn.recv_into(view):
        pass


measure_transfer("transport_tcp_10M_raw_copy", ROWS * 24, lambda: whole_transfer(send_raw, receive_raw))


# CSV: the file Tools/bench/make_csv_files.py wrote, from memory to a table and back to text.
csv_path = os.environ.get("LIGHTSTREAM_BENCH_CSV", "/tmp/lightstream-bench-csv/mixed.csv")
if os.path.exists(csv_path):
    import pyarrow.csv as pcsv

    csv_bytes = pa.py_buffer(open(csv_path, "rb").read())
    measure("csv_read_mixed", csv_bytes.size,
            lambda: pcsv.read_csv(pa.BufferReader(csv_bytes), read_options=pcsv.ReadOptions(use_threads=False)), repetitions=5)
    measure("csv_read_mixed_threaded", csv_bytes.size,
            lambda: pcsv.read_csv(pa.BufferReader(csv_bytes), read_options=pcsv.ReadOptions(use_threads=True)), repetitions=5)
    csv_table = pcsv.read_csv(pa.BufferReader(csv_bytes))

    def write_csv():
        sink = pa.BufferOutputStream()
        pcsv.write_csv(csv_table, sink)
        return sink.getvalue()

    measure("csv_write_mixed", csv_bytes.size, write_csv, repetitions=5)

# Parquet: the files Tools/bench/make_parquet_files.py wrote, read whole on one thread and on all.
parquet_dir = os.environ.get("LIGHTSTREAM_BENCH_PARQUET", "/tmp/lightstream-bench-parquet")
if os.path.isdir(parquet_dir):
    import pyarrow.parquet as pq

    for encoding in ("plain", "dict"):
        for codec in ("snappy", "zstd"):
            path = f"{parquet_dir}/{encoding}_{codec}.parquet"
            if not os.path.exists(path):
                continue
            size = os.path.getsize(path)
            name = f"parquet_read_{encoding}_{codec}"
            measure(name, size, lambda: pq.read_table(path, use_threads=False), repetitions=5)
            measure(name + "_threaded", size, lambda: pq.read_table(path, use_threads=True), repetitions=5)
