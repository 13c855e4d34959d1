#!/usr/bin/env python3
"""Writes a synthetic Dockerfile of at least TARGET bytes: realistic stages
with continuations, heredocs, JSON forms, flags and comments."""
import sys

BLOCK = '''FROM debian:bookworm-slim AS build{n}
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

path, target = sys.argv[1], int(sys.argv[2])
with open(path, 'w') as f:
    n = size = 0
    while size < target:
        b = BLOCK.format(n=n)
        f.write(b)
        size += len(b)
        n += 1
