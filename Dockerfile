# Sayso: the service with its models inside (no model hub is reached at run time).
#   docker build -t sayso .
#   docker run --rm -v sayso-data:/data sayso sayso keys create --name ops --scopes admin,read
#   docker run -p 8000:8000 -v sayso-data:/data sayso
# It binds 0.0.0.0: with no API key in /data it refuses to start unless SAYSO_AUTH=off.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TOKENIZERS_PARALLELISM=false \
    SAYSO_DATA_DIR=/data

WORKDIR /app

# torch first, pinned: 2.13.0 is the CPU build.
COPY constraints.txt ./
RUN pip install --no-cache-dir -c constraints.txt torch==2.13.0

COPY pyproject.toml README.md openapi.yaml ./
COPY core ./core
COPY service ./service
COPY models ./models
COPY index ./index
COPY imports ./imports
RUN pip install --no-cache-dir -c constraints.txt -e . \
 && python -c "from models.encoder import load_encoder; from models.language import load_nlp; from models.stance import StanceJudge; load_encoder(); load_nlp(); StanceJudge()"

RUN useradd --system --uid 1000 sayso && mkdir -p /data && chown sayso /data
USER sayso
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/v1/health', timeout=4)"
CMD ["sayso", "serve", "--bind", "0.0.0.0:8000", "--workers", "2"]
