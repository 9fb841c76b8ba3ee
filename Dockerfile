# 年报助手 in office-server mode, installed from the offline bundle (no index is reached while building).
#   make bundle                       # on a machine with internet: dist/offline/ (Linux x86_64, CPython 3.11)
#   docker compose up -d              # the app + PostgreSQL (compose.yaml); see README "Containers"
# The base image must match the bundle: CPython 3.11 on glibc-based Linux (python:3.11-slim is Debian 12).
ARG PYTHON_IMAGE=python:3.11-slim
FROM ${PYTHON_IMAGE}

COPY dist/offline/ /opt/nianbao/bundle/
RUN python -m pip install --no-index --find-links /opt/nianbao/bundle --no-cache-dir --disable-pip-version-check \
        nianbao-assistant \
    && rm -rf /opt/nianbao/bundle \
    && useradd --system --uid 10001 --home-dir /var/lib/nianbao --create-home nianbao \
    && install -d -o nianbao -g nianbao -m 700 /var/lib/nianbao/users /var/lib/nianbao/data

# Office-server mode: everyone signs in with an account from the users file (kept on a volume).
ENV NIANBAO_USERS=/var/lib/nianbao/users/users.json \
    NIANBAO_DATA_DIR=/var/lib/nianbao/data \
    PYTHONUNBUFFERED=1
USER nianbao
WORKDIR /var/lib/nianbao
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]
CMD ["nianbao", "serve", "--host", "0.0.0.0", "--port", "8501"]
