#!/usr/bin/env python3
"""Writes a synthetic Dockerfile of at least TARGET bytes.

    gen_dockerfile.py PATH TARGET [typical|dense]

typical (the default) is shaped like the Dockerfiles people write: its
figures follow the 614 official-images Dockerfiles (measured with our
parser: 351 bytes and 9.5 lines per instruction, RUN 30% of instructions
at 23 lines and ~890 bytes each, ENV 34%, FROM 8%, COPY 8%, CMD 6%,
ENTRYPOINT 5%, 1.8 comment lines per instruction, many of them inside RUN
continuations). The text is written here, not taken from the corpus.

dense packs short instructions: a 10-instruction stage every 570 bytes
(63 bytes per instruction, 5.6 times as many instructions per byte as the
official images), with a heredoc, JSON forms, flags and a --mount in each.
It is a stress case for the per-instruction costs.

Prints `instructions N` (how many were written) on standard output."""
import sys

DENSE = '''FROM debian:bookworm-slim AS build{n}
ARG VERSION=1.{n}
ENV PATH=/opt/app/bin:$PATH LANG=C.UTF-8
# install the toolchain
RUN apt-get update \\
    && apt-get install -y --no-install-recommends build-essential curl ca-certificates \\
    && rm -rf /var/lib/apt/lists/*
COPY --chown=1000:1000 ["src/", "/opt/app/src/"]
RUN --mount=type=cache,target=/root/.cache <<EOF
set -e
make -C /opt/app/src VERSION=${{VERSION}}
EOF
LABEL org.opencontainers.image.version="${{VERSION}}" maintainer="team@example.com"
HEALTHCHECK --interval=30s --timeout=3s CMD ["curl", "-f", "http://localhost/"]
USER 1000
CMD ["/opt/app/bin/app", "--serve"]
'''

PACKAGES = ['ca-certificates', 'curl', 'dirmngr', 'gnupg', 'libssl-dev', 'libffi-dev',
            'netbase', 'tzdata', 'wget', 'xz-utils', 'zlib1g-dev', 'libbz2-dev',
            'libreadline-dev', 'libsqlite3-dev', 'libncursesw5-dev', 'uuid-dev',
            'make', 'gcc', 'dpkg-dev', 'libc6-dev', 'pkg-config', 'bzip2', 'procps']
BASES = ['debian:bookworm-slim', 'alpine:3.20', 'ubuntu:24.04', 'buildpack-deps:bookworm',
         'debian:bullseye', 'alpine:3.19']
NAMES = ['app', 'server', 'worker', 'proxy', 'db', 'cache']


def packages(n, k):
    return [PACKAGES[(n * 7 + i * 3) % len(PACKAGES)] for i in range(k)]


def run_install(n):
    """The apt install RUN: ~17 lines."""
    pk = ''.join(f'\t\t{p} \\\n' for p in packages(n, 9))
    return (f'RUN set -eux; \\\n'
            f'\tapt-get update; \\\n'
            f'\tapt-get install -y --no-install-recommends \\\n{pk}'
            f'\t; \\\n'
            f'# the lists are not needed once the packages are in\n'
            f'\trm -rf /var/lib/apt/lists/*; \\\n'
            f'\tupdate-ca-certificates --fresh; \\\n'
            f'\tcommand -v curl; \\\n'
            f'\tcurl --version\n')


def run_build(n, name):
    """The download-verify-build RUN: ~36 lines, comments inside."""
    return (f'RUN set -eux; \\\n'
            f'\tsavedAptMark="$(apt-mark showmanual)"; \\\n'
            f'\tarch="$(dpkg --print-architecture)"; arch="${{arch##*-}}"; \\\n'
            f'\tcase "$arch" in \\\n'
            f"\t\tamd64) sha256='{n:08x}c0ffee1234567890abcdef1234567890abcdef1234567890abcd' ;; \\\n"
            f"\t\tarm64) sha256='{n:08x}feedface1234567890abcdef1234567890abcdef123456789012' ;; \\\n"
            f'\t\t*) echo >&2 "unsupported architecture: $arch"; exit 1 ;; \\\n'
            f'\tesac; \\\n'
            f'\t\\\n'
            f'# fetch the release tarball and its signature\n'
            f'\turl="https://downloads.example.org/{name}/{name}-${{{name.upper()}_VERSION}}.tar.xz"; \\\n'
            f'\twget -O {name}.tar.xz "$url"; \\\n'
            f'\twget -O {name}.tar.xz.asc "$url.asc"; \\\n'
            f'\techo "$sha256 *{name}.tar.xz" | sha256sum -c -; \\\n'
            f'\t\\\n'
            f'# verify the signature\n'
            f'\texport GNUPGHOME="$(mktemp -d)"; \\\n'
            f'\tgpg --batch --keyserver keyserver.ubuntu.com --recv-keys "${{GPG_KEY}}"; \\\n'
            f'\tgpg --batch --verify {name}.tar.xz.asc {name}.tar.xz; \\\n'
            f'\tgpgconf --kill all; \\\n'
            f'\trm -rf "$GNUPGHOME" {name}.tar.xz.asc; \\\n'
            f'\t\\\n'
            f'\tmkdir -p /usr/src/{name}; \\\n'
            f'\ttar -xJC /usr/src/{name} --strip-components=1 -f {name}.tar.xz; \\\n'
            f'\trm {name}.tar.xz; \\\n'
            f'\tcd /usr/src/{name}; \\\n'
            f'\t./configure --prefix=/usr/local --enable-shared --with-system-ffi; \\\n'
            f'\tmake -j "$(nproc)"; \\\n'
            f'\tmake install; \\\n'
            f'\tcd /; \\\n'
            f'\trm -rf /usr/src/{name}; \\\n'
            f'\t\\\n'
            f'# keep the libraries the binary links to, drop the rest\n'
            f'\tapt-mark auto \'.*\' > /dev/null; \\\n'
            f'\t[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark; \\\n'
            f'\tapt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \\\n'
            f'\t\\\n'
            f'\t{name} --version\n')


def run_short(n, name):
    """A short RUN: ~3 lines."""
    return (f'RUN set -eux; \\\n'
            f'\tmkdir -p /var/lib/{name} /run/{name}; \\\n'
            f'\tchown -R {name}:{name} /var/lib/{name} /run/{name}\n')


def run_cleanup(n, name):
    """Strip and trim the installed tree: ~24 lines."""
    return (f'RUN set -eux; \\\n'
            f'# drop the test suites and the byte-code caches\n'
            f'\tfind /usr/local -depth \\\n'
            f'\t\t\\( \\\n'
            f'\t\t\t\\( -type d -a \\( -name test -o -name tests -o -name idle_test \\) \\) \\\n'
            f'\t\t\t-o \\( -type f -a \\( -name \'*.pyc\' -o -name \'*.pyo\' -o -name \'*.a\' \\) \\) \\\n'
            f'\t\t\\) -exec rm -rf \'{{}}\' +; \\\n'
            f'\t\\\n'
            f'# find the shared objects the binaries need\n'
            f'\tfind /usr/local -type f -executable -not \\( -name \'*tkinter*\' \\) -exec ldd \'{{}}\' \';\' \\\n'
            f'\t\t| awk \'/=>/ {{ so = $(NF-1); if (index(so, "/usr/local/") == 1) {{ next }}; gsub("^/(usr/)?", "", so); printf "*%s\\n", so }}\' \\\n'
            f'\t\t| sort -u \\\n'
            f'\t\t| xargs -r dpkg-query --search \\\n'
            f'\t\t| cut -d: -f1 \\\n'
            f'\t\t| sort -u \\\n'
            f'\t\t| xargs -r apt-mark manual \\\n'
            f'\t; \\\n'
            f'\t\\\n'
            f'\tldconfig; \\\n'
            f'\trm -rf /var/lib/apt/lists/* /tmp/* /var/tmp/*; \\\n'
            f'\t\\\n'
            f'# smoke test\n'
            f'\t{name} --version; \\\n'
            f'\tcommand -v {name}\n')


def run_gosu(n, name):
    """Add a user and install a small helper binary: ~22 lines."""
    return (f'RUN set -eux; \\\n'
            f'\tgroupadd --system --gid {900 + n % 90} {name}; \\\n'
            f'\tuseradd --system --uid {900 + n % 90} --gid {name} --home-dir /var/lib/{name} --shell /usr/sbin/nologin {name}; \\\n'
            f'\tsavedAptMark="$(apt-mark showmanual)"; \\\n'
            f'\tapt-get update; \\\n'
            f'\tapt-get install -y --no-install-recommends ca-certificates gnupg wget; \\\n'
            f'\trm -rf /var/lib/apt/lists/*; \\\n'
            f'\tdpkgArch="$(dpkg --print-architecture | awk -F- \'{{ print $NF }}\')"; \\\n'
            f'\twget -O /usr/local/bin/gosu "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch"; \\\n'
            f'\twget -O /usr/local/bin/gosu.asc "https://github.com/tianon/gosu/releases/download/$GOSU_VERSION/gosu-$dpkgArch.asc"; \\\n'
            f'\t\\\n'
            f'# verify the signature\n'
            f'\texport GNUPGHOME="$(mktemp -d)"; \\\n'
            f'\tgpg --batch --keyserver hkps://keys.openpgp.org --recv-keys B42F6819007F00F88E364FD4036A9C25BF357DD4; \\\n'
            f'\tgpg --batch --verify /usr/local/bin/gosu.asc /usr/local/bin/gosu; \\\n'
            f'\tgpgconf --kill all; \\\n'
            f'\trm -rf "$GNUPGHOME" /usr/local/bin/gosu.asc; \\\n'
            f'\t\\\n'
            f'\tapt-mark auto \'.*\' > /dev/null; \\\n'
            f'\t[ -z "$savedAptMark" ] || apt-mark manual $savedAptMark > /dev/null; \\\n'
            f'\tapt-get purge -y --auto-remove -o APT::AutoRemove::RecommendsImportant=false; \\\n'
            f'\tchmod +x /usr/local/bin/gosu; \\\n'
            f'\tgosu --version; \\\n'
            f'\tgosu nobody true\n')


EXTRAS = [
    lambda n, name: f'WORKDIR /var/lib/{name}\n',
    lambda n, name: f'USER {name}\n',
    lambda n, name: f'VOLUME /var/lib/{name}\n',
    lambda n, name: 'STOPSIGNAL SIGQUIT\n',
    lambda n, name: 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n',
    lambda n, name: f'ARG {name.upper()}_UID=999\n',
    lambda n, name: (f'LABEL org.opencontainers.image.title="{name}" \\\n'
                     f'      org.opencontainers.image.version="1.{n % 40}.{n % 7}" \\\n'
                     f'      org.opencontainers.image.source="https://example.org/{name}"\n'),
]


def typical(n):
    """One image's Dockerfile: 16 instructions, ~5.6 KB."""
    name = NAMES[n % len(NAMES)]
    up = name.upper()
    base = BASES[n % len(BASES)]
    extra = EXTRAS[n % len(EXTRAS)](n, name)
    return (f'#\n# NOTE: THIS DOCKERFILE IS GENERATED (image {n})\n#\n\n'
            f'FROM {base}\n\n'
            f'# ensure local {name} is preferred over distribution {name}\n'
            f'ENV PATH /usr/local/bin:$PATH\n\n'
            f'{run_install(n)}\n'
            f'ENV GPG_KEY {n:08X}A035C8C19219BA821ECEA86B64E628F8D684\n'
            f'ENV {up}_VERSION 3.{n % 13}.{n % 5}\n'
            f'ENV {up}_SHA256 {n:08x}1d2c3b4a596877665544332211aabbccddeeff00112233445566\n\n'
            f'{run_build(n, name)}\n'
            f'{run_cleanup(n, name)}\n'
            f'ENV GOSU_VERSION 1.{17 + n % 3}\n'
            f'{run_gosu(n, name)}\n'
            f'{run_short(n, name)}\n'
            f'{extra}'
            f'COPY docker-entrypoint.sh /usr/local/bin/\n'
            f'ENTRYPOINT ["docker-entrypoint.sh"]\n\n'
            f'EXPOSE {5000 + n % 1000}\n'
            f'CMD ["{name}"]\n\n')


def main():
    path, target = sys.argv[1], int(sys.argv[2])
    shape = sys.argv[3] if len(sys.argv) > 3 else 'typical'
    block, per = {'typical': (typical, 16), 'dense': (lambda n: DENSE.format(n=n), 10)}[shape]
    with open(path, 'w') as f:
        n = size = 0
        while size < target:
            b = block(n)
            f.write(b)
            size += len(b)
            n += 1
    print(f'instructions {n * per}')


main()
