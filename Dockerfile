FROM python:3.11-slim-bookworm AS ui
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src/ui
COPY ui/package.json ui/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY ui/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY app/ ./app/
RUN pip install --no-cache-dir .
COPY main.py API.md FAQ.md ARCHITECTURE.md CHANGELOG.md ./
COPY --from=ui /src/ui/dist ./ui/dist
ENV YTP_HOST=0.0.0.0 \
    YTP_PORT=8081 \
    YTP_CONFIG_PATH=/config \
    YTP_DOWNLOAD_PATH=/downloads \
    YTP_TEMP_PATH=/tmp/tubestash
VOLUME ["/config", "/downloads"]
EXPOSE 8081
CMD ["python", "main.py"]
