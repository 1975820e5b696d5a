# The production image: gunicorn for the web, the same image for Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
# Exactly the versions in package-lock.json (npm ci fails if the two disagree).
RUN npm ci --no-audit --no-fund --loglevel=error
COPY static/scss static/scss
RUN mkdir -p static/build \
 && npx sass --quiet --load-path=node_modules --no-source-map --style=compressed static/scss/app.scss static/build/app.css \
 && cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js static/build/ \
 && cp -r node_modules/govuk-frontend/dist/govuk/assets static/build/assets

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# pg_dump/pg_restore for `manage.py backup`/`restore` must be at least the server's
# version (postgres:16 in docker-compose.yml): they come from the PostgreSQL project's
# Debian repository, set up by Debian's own postgresql-common script.
ARG PG_CLIENT_VERSION=16
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
      postgresql-common ca-certificates \
 && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
 && apt-get install -y --no-install-recommends postgresql-client-${PG_CLIENT_VERSION} \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Dependencies from the lock (pinned, hashes checked) in their own layer, so a
# code change does not reinstall them; then the project itself, without deps.
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY . .
RUN pip install --no-cache-dir --no-deps -e .
COPY --from=assets /app/static/build static/build
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput
# /tmp/prometheus: every process's metric counters (PROMETHEUS_MULTIPROC_DIR in compose).
RUN useradd --system homecare && mkdir -p var /tmp/prometheus \
 && chown -R homecare var /tmp/prometheus
USER homecare
EXPOSE 8000
CMD ["gunicorn", "homecare.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
