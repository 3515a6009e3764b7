# legday in a container: one image for the API + dashboard (`legday serve`) and the folder sync
# (`legday sync`). Build: `docker build -t legday .` (or `podman build`); run: compose.yaml.
# docs/deployment.md has the details; tests/test_container.py builds and runs this file.
#
# The base is Debian's: debian:bookworm-slim plus Debian's python3 (3.11). Behind a proxy that
# re-signs TLS, or with a PyPI mirror: --build-arg PIP_CERT=… / PIP_INDEX_URL=… (build stage only,
# not kept in the image).
ARG BASE=docker.io/library/debian:bookworm-slim

FROM ${BASE} AS build
ARG PIP_CERT=/etc/ssl/certs/ca-certificates.crt
ARG PIP_INDEX_URL=https://pypi.org/simple
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates
RUN python3 -m venv /opt/legday \
 && /opt/legday/bin/pip install --no-cache-dir --disable-pip-version-check -q --upgrade pip 'setuptools>=78.1.1'
COPY pyproject.toml setup.py MANIFEST.in README.md /src/
COPY sample_data /src/sample_data
COPY recommender /src/recommender
COPY ingest /src/ingest
COPY api /src/api
# Not editable; the PostgreSQL driver included (compose.postgres.yaml). Then what the running
# service never uses: pip, setuptools and the libraries' own test suites (pandas: 46 MB).
RUN /opt/legday/bin/pip install --no-cache-dir --disable-pip-version-check -q '/src[postgres]' \
 && /opt/legday/bin/pip uninstall -y -q pip setuptools \
 && find /opt/legday/lib -depth -type d -name tests -path '*/site-packages/*/tests' \
      -exec rm -rf {} +

FROM ${BASE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt /var/log/dpkg.log \
 && groupadd --system --gid 10001 legday \
 && useradd --system --uid 10001 --gid legday --home-dir /var/lib/legday --no-create-home \
      --shell /usr/sbin/nologin legday \
 && install -d -o legday -g legday -m 0700 /var/lib/legday
COPY --from=build /opt/legday /opt/legday
ENV PATH=/opt/legday/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LEGDAY_DATA_DIR=/var/lib/legday \
    LEGDAY_HOST=0.0.0.0 \
    LEGDAY_PORT=8000 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
USER legday
WORKDIR /var/lib/legday
VOLUME ["/var/lib/legday"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python3", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('LEGDAY_PORT', '8000'), timeout=4)"]
ENTRYPOINT ["legday"]
CMD ["serve"]
