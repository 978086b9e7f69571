# The AICT publisher with the bundled data, built into a store at image build time so that a
# container answers within a second of starting. Settings: AICT_* environment variables (see
# aict.toml.example), e.g. docker run -p 8000:8000 -e AICT_PUBLIC_BASE=https://… aict
# docs/deploy.md explains the set-up around it (reverse proxy, TLS, updates).

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# Only what the package installs (pyproject.toml's package data and data-files).
COPY pyproject.toml README.md LICENSE ./
COPY publisher publisher
COPY ontology ontology
COPY shapes shapes
COPY data/dataset data/dataset
COPY data/templates data/templates
COPY data/sources/decoupage-administratif-6.0.0 data/sources/decoupage-administratif-6.0.0
RUN python -m venv /opt/aict
# A plain (non-editable) install copies the ontology, shapes and dataset to /opt/aict/share/aict.
RUN /opt/aict/bin/pip install --quiet /src

FROM python:3.11-slim
ENV PATH=/opt/aict/bin:$PATH PYTHONUNBUFFERED=1 AICT_STORE_DIR=/var/lib/aict/store
RUN useradd --system --uid 10001 --home-dir /var/lib/aict --create-home aict
COPY --from=build /opt/aict /opt/aict
USER aict
# Build once: the store, the dumps with their checksums, the catalog and VoID figures.
RUN aict load --store /var/lib/aict/store
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["aict", "serve", "--host", "0.0.0.0"]
