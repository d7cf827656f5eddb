#!/usr/bin/env python3
"""Captures Redis 7's own COMMAND INFO and COMMAND DOCS for the commands Ferrite implements.

Ferrite answers COMMAND, COMMAND INFO, COMMAND DOCS and checks arity and key positions from
this data, so that what it tells redis-cli and cluster-aware clients is exactly what Redis
tells them. Run it against a real redis-server 7 whenever the command list changes:

    redis-server --port 7777 --save '' &
    python3 tools/capture_command_table.py 7777 tools/commands.txt \
        > resp-server/src/main/resources/io/ferrite/server/command/redis-commands.resp

The commands file lists one command per line: `GET`, or `CLIENT|SETNAME` for a subcommand
(a container command keeps only the subcommands listed). The output is RESP3: one array per
command, [name, info, docs].
"""
import socket
import sys


def encode_command(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a.encode() if isinstance(a, str) else a
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


class Reader:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def line(self):
        while b"\r\n" not in self.buf:
            self.buf += self.sock.recv(65536)
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def exact(self, n):
        while len(self.buf) < n + 2:
            self.buf += self.sock.recv(65536)
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def value(self):
        line = self.line()
        t, rest = line[:1], line[1:]
        if t in (b"+", b"-"):
            return (t, rest)
        if t in (b":", b",", b"(", b"#"):
            return (t, rest)
        if t in (b"$", b"="):
            n = int(rest)
            return (t, None) if n < 0 else (t, self.exact(n))
        if t == b"_":
            return (t, None)
        if t in (b"*", b"~", b">"):
            n = int(rest)
            return (t, None if n < 0 else [self.value() for _ in range(n)])
        if t == b"%":
            n = int(rest)
            return (t, [(self.value(), self.value()) for _ in range(n)])
        raise ValueError("unexpected type %r" % t)


def encode(v):
    t, x = v
    if t in (b"+", b"-", b":", b",", b"(", b"#"):
        return t + x + b"\r\n"
    if t in (b"$", b"="):
        return t + b"-1\r\n" if x is None else t + b"%d\r\n" % len(x) + x + b"\r\n"
    if t == b"_":
        return b"_\r\n"
    if t in (b"*", b"~", b">"):
        return t + b"%d\r\n" % len(x) + b"".join(encode(e) for e in x)
    if t == b"%":
        return t + b"%d\r\n" % len(x) + b"".join(encode(k) + encode(val) for k, val in x)
    raise ValueError(t)


def text(v):
    return v[1].decode() if isinstance(v[1], bytes) else None


def main():
    port = int(sys.argv[1])
    wanted = {}
    for raw in open(sys.argv[2]):
        name = raw.strip().lower()
        if not name or name.startswith("#"):
            continue
        top, _, sub = name.partition("|")
        wanted.setdefault(top, set())
        if sub:
            wanted[top].add(name)
    sock = socket.create_connection(("127.0.0.1", port))
    r = Reader(sock)
    sock.sendall(encode_command("HELLO", "3"))
    r.value()
    out = sys.stdout.buffer
    for top in sorted(wanted):
        subs = wanted[top]
        sock.sendall(encode_command("COMMAND", "INFO", top))
        info = r.value()[1][0]
        if info[1] is None:
            sys.exit("redis does not know %s" % top)
        sock.sendall(encode_command("COMMAND", "DOCS", top))
        docs_map = r.value()[1]
        docs = docs_map[0][1]
        if subs:
            # info[1][9] is the subcommand list; docs has a 'subcommands' map entry
            fields = info[1]
            fields[9] = (b"*", [s for s in fields[9][1] if text(s[1][0]) in subs])
            missing = subs - {text(s[1][0]) for s in fields[9][1]}
            if missing:
                sys.exit("redis does not know %s" % missing)
            entries = docs[1]
            for i, (k, v) in enumerate(entries):
                if text(k) == "subcommands":
                    entries[i] = (k, (b"%", [(sk, sv) for sk, sv in v[1] if text(sk) in subs]))
        out.write(encode((b"*", [(b"$", top.encode()), info, docs])))
    sock.close()


if __name__ == "__main__":
    main()
