# hearback's image: the bot only (no sandbox), as a non-root user, healthy while /healthz answers.
# Build: docker build -t hearback .   Run: see compose.yaml and README.md, "Deploy".
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot bot
COPY flows flows
COPY storage storage
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
RUN useradd --system --uid 10001 --user-group --home-dir /app --create-home hearback
COPY --from=build /install /usr/local
WORKDIR /app
USER hearback
ENV PYTHONUNBUFFERED=1 \
    HEARBACK_CONFIG=/app/hearback.toml \
    WEBHOOK_LISTEN=0.0.0.0:8080 \
    HEARBACK_LOG_FORMAT=json
EXPOSE 8080
# Secrets (bot_token, webhook_secret, database_url) are read from /run/secrets when mounted there.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 CMD ["hearback", "health"]
ENTRYPOINT ["hearback"]
CMD ["run"]
