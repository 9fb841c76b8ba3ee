#!/bin/sh
# 年报助手离线安装：在本文件夹旁建立独立的 Python 环境，只从本文件夹安装，不访问网络。
# 用法：sh install.sh [安装目录]（默认 ~/nianbao）。需要 Python @PYTHON_VERSION@（可用 PYTHON=/path/to/python3 指定）。
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
TARGET=${1:-"$HOME/nianbao"}
PYTHON=${PYTHON:-python@PYTHON_VERSION@}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
if ! "$PYTHON" -c 'import sys; sys.exit(0 if "%d.%d" % sys.version_info[:2] == "@PYTHON_VERSION@" else 1)'; then
  echo "本安装包需要 Python @PYTHON_VERSION@（当前：$("$PYTHON" -V 2>&1)）。请安装后用 PYTHON=python@PYTHON_VERSION@ sh install.sh 重试。" >&2
  exit 1
fi
"$PYTHON" -m venv "$TARGET"
"$TARGET/bin/python" -m pip install --no-index --find-links "$HERE" --disable-pip-version-check --quiet nianbao-assistant
echo "已安装到 $TARGET"
echo "桌面模式（仅本机）：$TARGET/bin/nianbao serve"
echo "办公室服务器模式：见 README 的“在办公室服务器上运行”"
