"""The text pipeline runs with no network and no nltk data, and never downloads anything."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from analysis import paths

# Runs first in the child process: every way out to the network raises, and nltk can find
# no data (any nltk.data.load / find, or nltk.download, raises).
OFFLINE_PRELUDE = """
import socket

def _no_network(*args, **kwargs):
    raise OSError("offline test: network access attempted")

socket.socket.connect = _no_network
socket.socket.connect_ex = _no_network
socket.create_connection = _no_network
socket.getaddrinfo = _no_network

import nltk, nltk.data

def _no_nltk_data(*args, **kwargs):
    raise LookupError("offline test: nltk data or download requested")

nltk.data.load = nltk.data.find = nltk.download = _no_nltk_data
"""

PIPELINE = """
import json
from analysis.corpus import load_corpus
from analysis.sentences import sentences_table
from analysis.tokens import tokenize

try:
    socket.create_connection(("example.org", 80))
except OSError:
    network_blocked = True
else:
    network_blocked = False
articles = load_corpus({corpus_dir!r})
table = sentences_table(articles)
n_tokens = sum(len(tokenize(text)) for text in table["text"])
print(json.dumps({{"network_blocked": network_blocked, "articles": len(articles),
                  "sentences": len(table), "tokens": n_tokens}}))
"""

DOWNLOAD_CALL = re.compile(
    r"\bnltk\s*\.\s*download\b|\bnltk\.downloader\b|from\s+nltk(?:\.\w+)*\s+import\s+[^\n]*\bdownload"
)


def test_pipeline_runs_without_network_or_nltk_data(tmp_path):
    (tmp_path / "nltk_data").mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("NLTK")}
    env.update(HOME=str(tmp_path), NLTK_DATA=str(tmp_path / "nltk_data"))
    code = OFFLINE_PRELUDE + PIPELINE.format(corpus_dir=str(paths.CORPUS_DIR))
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["network_blocked"]
    assert summary["articles"] == 5
    assert summary["sentences"] > summary["articles"]
    assert summary["tokens"] > summary["sentences"]


@pytest.mark.parametrize(
    "line, calls_download",
    [
        ("nltk.download('punkt')", True),
        ("nltk .download('punkt_tab', quiet=True)", True),
        ("from nltk import download", True),
        ("from nltk import data, download", True),
        ("import nltk.downloader", True),
        ("from nltk.tokenize.punkt import PunktSentenceTokenizer", False),
        ("# downloads nothing: parameters ship in analysis/data", False),
    ],
)
def test_download_pattern(line, calls_download):
    assert bool(DOWNLOAD_CALL.search(line)) == calls_download


@pytest.mark.parametrize(
    "module", sorted(paths.PACKAGE_DIR.rglob("*.py")),
    ids=lambda path: path.relative_to(paths.PACKAGE_DIR).as_posix(),
)
def test_no_module_downloads_nltk_data(module):
    source = module.read_text(encoding="utf-8")
    assert not DOWNLOAD_CALL.search(source), f"{module.name} calls nltk.download"
