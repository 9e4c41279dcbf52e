# techx — production image. Build: `docker build -t techx .`; run it with docker-compose.yml.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /srv/techx

# Only what the package needs: the image must not pick up .venv, var/ or .env from a checkout.
COPY pyproject.toml README.md ./
COPY app ./app
# Editable, on purpose: app/core/database.py finds alembic.ini two levels above its own file,
# which is /srv/techx here, whereas a plain `pip install .` would run the copy in site-packages.
RUN pip install -e .

# `techx serve` applies these migrations on start.
COPY alembic.ini ./
COPY migrations ./migrations

RUN useradd --system --uid 10001 --user-group --home-dir /srv/techx --shell /usr/sbin/nologin techx \
    && mkdir -p /srv/techx/var/uploads \
    && chown -R techx:techx /srv/techx/var
USER techx

ENV TECHX_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    VAR_DIR=/srv/techx/var \
    UPLOAD_DIR=/srv/techx/var/uploads

EXPOSE 8000
# No HEALTHCHECK here: the same image runs the worker, which serves no HTTP. See compose.
CMD ["techx", "serve", "--host", "0.0.0.0"]
