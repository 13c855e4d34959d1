#!/usr/bin/env python3
"""Writes a synthetic build context of exactly NFILES regular files under DIR
(default 100000), shaped like a real repository: a deep node_modules tree
(packages with nested node_modules, lib/ and test/ folders) holding about
half the files, a .git object store, application sources, a dist/ build
output and Python caches, a Dockerfile and a .dockerignore excluding the
usual. Sizes follow a skewed distribution (most files under 4 kB, a few
large); the large ones are sparse, so the tree stays small on disk. The
tree is the same for the same NFILES (seeded)."""
import os
import random
import sys

root, total = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 100000
rng = random.Random(1)
made = 0


def size():
    r = rng.random()
    if r < 0.90:
        return rng.randint(0, 4096)
    if r < 0.995:
        return rng.randint(4096, 256 * 1024)
    return rng.randint(1, 64) * 1024 * 1024


def write(path, n=None):
    global made
    if made >= total:
        return
    n = size() if n is None else n
    with open(path, "wb") as f:
        if n > 65536:
            f.truncate(n)  # sparse: only the size matters to a walker
        else:
            f.write(b"x" * n)
    made += 1


def mkdir(p):
    os.makedirs(p, exist_ok=True)
    return p


def package(base, depth):
    """One npm package: a few files, lib/ and test/, sometimes nested deps."""
    p = mkdir(base)
    for name in ("package.json", "README.md", "LICENSE", "index.js"):
        write(os.path.join(p, name))
    lib = mkdir(os.path.join(p, "lib"))
    for i in range(rng.randint(3, 25)):
        write(os.path.join(lib, f"mod{i}.js"))
    sub = mkdir(os.path.join(lib, "internal"))
    for i in range(rng.randint(0, 8)):
        write(os.path.join(sub, f"util{i}.js"))
    if rng.random() < 0.4:
        t = mkdir(os.path.join(p, "test"))
        for i in range(rng.randint(1, 6)):
            write(os.path.join(t, f"t{i}.test.js"))
    if depth < 4 and rng.random() < 0.25:
        nm = mkdir(os.path.join(p, "node_modules"))
        for k in range(rng.randint(1, 4)):
            package(os.path.join(nm, f"dep{depth}-{k}"), depth + 1)


def main():
    mkdir(root)
    with open(os.path.join(root, "Dockerfile"), "w") as f:
        f.write("FROM node:20-slim\nWORKDIR /app\nCOPY package.json package-lock.json ./\n"
                "RUN npm ci\nCOPY src/ ./src/\nCOPY public ./public\nCMD [\"node\", \"src/main.js\"]\n")
    with open(os.path.join(root, ".dockerignore"), "w") as f:
        f.write(".git\nnode_modules\ndist\n**/__pycache__\n**/*.log\n.env\n")
    global made
    made = 2
    for name in ("package.json", "package-lock.json", "README.md", ".env", "server.log"):
        write(os.path.join(root, name))

    # node_modules: about half the files, in packages nested up to 5 deep
    nm = mkdir(os.path.join(root, "node_modules"))
    i = 0
    while made < total * 0.50:
        scope = f"@scope{i % 40}" if i % 3 == 0 else ""
        package(os.path.join(nm, scope, f"pkg{i}"), 0)
        i += 1

    # .git: loose objects in 256 fan-out folders, packs, refs
    git = mkdir(os.path.join(root, ".git"))
    for name in ("HEAD", "config", "description", "index", "packed-refs"):
        write(os.path.join(git, name))
    mkdir(os.path.join(git, "refs", "heads"))
    write(os.path.join(git, "refs", "heads", "main"), 41)
    pack = mkdir(os.path.join(git, "objects", "pack"))
    for k in range(4):
        write(os.path.join(pack, f"pack-{k:040x}.pack"), rng.randint(1, 200) * 1024 * 1024)
        write(os.path.join(pack, f"pack-{k:040x}.idx"))
    while made < total * 0.70:
        h = "%040x" % rng.getrandbits(160)
        d = mkdir(os.path.join(git, "objects", h[:2]))
        write(os.path.join(d, h[2:]))

    # sources: modules of packages of files, a few levels deep
    src = mkdir(os.path.join(root, "src"))
    m = 0
    while made < total * 0.92:
        mod = mkdir(os.path.join(src, f"module{m}"))
        for sub in ("api", "core", os.path.join("core", "impl"), "tests"):
            d = mkdir(os.path.join(mod, sub))
            for k in range(rng.randint(2, 30)):
                write(os.path.join(d, f"file{k}.{rng.choice(['ts', 'js', 'py', 'go', 'css', 'json'])}"))
            if sub == "core" and rng.random() < 0.5:
                pc = mkdir(os.path.join(d, "__pycache__"))
                for k in range(rng.randint(1, 5)):
                    write(os.path.join(pc, f"file{k}.cpython-312.pyc"))
        m += 1

    # public assets, build output, logs
    pub = mkdir(os.path.join(root, "public"))
    while made < total * 0.96:
        d = mkdir(os.path.join(pub, f"img{made % 50}"))
        write(os.path.join(d, f"a{made}.png"))
    dist = mkdir(os.path.join(root, "dist"))
    while made < total:
        d = mkdir(os.path.join(dist, f"chunk{made % 100}"))
        write(os.path.join(d, f"c{made}.js"))
        if made % 97 == 0:
            write(os.path.join(d, f"build{made}.log"))


main()
