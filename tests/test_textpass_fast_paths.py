"""The first pass's fast paths agree with the general code they skip (corpus paths, line trims,
speaker-line search start, candidate marks)."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from analysis import corpus, paths, sentences
from analysis.cleaning import _content_span, _dateline_prefix, _trim_kept_line, load_rules
from analysis.errors import CorpusError


@pytest.mark.parametrize("file", ["raw/a1.txt", "a1.txt", "raw/inner/a1.txt", "raw/linked/a1.txt"])
@pytest.mark.parametrize("relative_corpus", [False, True])
def test_article_path_by_strings_is_the_pathlib_path(tmp_path, monkeypatch, file, relative_corpus):
    folder = tmp_path / "corpus"
    (folder / "raw" / "inner").mkdir(parents=True)
    (folder / "store").mkdir()
    (folder / "raw" / "linked").symlink_to(folder / "store", target_is_directory=True)
    for name in ("a1.txt", "raw/a1.txt", "raw/inner/a1.txt", "store/a1.txt"):
        (folder / name).write_text("Talks end", encoding="utf-8")
    if relative_corpus:
        monkeypatch.chdir(folder)
        folder = Path(".")
    assert corpus._article_path(folder, file, "a1", {}) == str(corpus._checked_path(folder, file, "a1"))


@pytest.mark.parametrize("file", ["/etc/passwd", "C:a1.txt", "raw/../../a1.txt", "raw\\..\\..\\a1.txt",
                                  "raw/out.txt", "raw/outside/a1.txt"])
def test_article_path_leaving_the_corpus_raises_as_pathlib_does(tmp_path, file):
    folder = tmp_path / "corpus"
    (folder / "raw").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "a1.txt").write_text("x", encoding="utf-8")
    (folder / "raw" / "out.txt").symlink_to(tmp_path / "elsewhere" / "a1.txt")
    (folder / "raw" / "outside").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with pytest.raises(CorpusError) as fast:
        corpus._article_path(folder, file, "a1", {})
    with pytest.raises(CorpusError) as general:
        corpus._checked_path(folder, file, "a1")
    assert str(fast.value) == str(general.value)


def test_file_mode_is_none_exactly_where_pathlib_sees_no_file(tmp_path):
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    for name in ("a.txt", "missing.txt", "a.txt/below", "."):
        path = str(tmp_path / name)
        assert (corpus._file_mode(path) is None) == (not Path(path).exists())


@pytest.mark.parametrize("line", ["Talks end", " Talks end", "Talks end\u00a0", "\u200bTalks", "MOSCOW, Jan 10 (Reuters) - Talks",
                                  "By Staff Talks end", "x"])
@pytest.mark.parametrize("is_headline", [False, True])
def test_trim_kept_line_fast_path_matches_the_general_trim(line, is_headline):
    rules = load_rules()
    rows = [] if is_headline else _dateline_prefix(7, line, rules)
    start = rows[0].char_end if rows else 0
    content_start, content_end = _content_span(line, start)
    piece, trimmed = _trim_kept_line(7, line, rules, is_headline=is_headline)
    assert piece == line[content_start:content_end]
    assert [row.rule for row in trimmed][:len(rows)] == [row.rule for row in rows]
    assert (trimmed == []) == (not rows and content_start == 0 and content_end == len(line))


def test_seed_corpus_reads_through_the_string_paths():
    articles = corpus.load_corpus(paths.CORPUS_DIR)
    assert all(os.path.isfile(paths.CORPUS_DIR / file) for file in articles["file"])


_TAIL_LINES = [
    "Nothing to bargain with. Sergey Ryabkov Deputy Foreign Minister of Russia",
    "It is over. Antony J. Blinken Secretary of State",
    "It was 2 o'clock Antony J. Blinken Secretary of State",
    "talks ended Ned Price State Department spokesman",
    "talks ended\u00a0Ned Price\tState Department spokesman",
    "talks ended Ned Price, spokesman for the State Department",
    "talks ended Ned Price State Department spokeſman",
    "talks ended José Álvarez deputy minister of the interior",
    "said Ned Price State Department spokesman",
    "Ned Price State Department spokesman",
    "“Enough.” Jens Stoltenberg NATO Secretary General",
    "the (new) Jens Stoltenberg NATO Secretary General",
    "State Department spokesman Ned Price announced this",
    "  leading spaces. Ned Price State Department spokesman  ",
    "one",
    "",
]


@pytest.mark.parametrize("line", _TAIL_LINES)
def test_attribution_tail_search_start_loses_no_match(line):
    whole = sentences._attribution_pattern().search(line) if line.rstrip()[-1:].isalpha() else None
    assert sentences.find_attribution_tail(line) == (None if whole is None else whole.start("tail"))
    assert whole is None or sentences._tail_search_start(line) <= whole.start()


@pytest.mark.parametrize("line", ["", ".", "a.", "a. b", "Why? Yes", "No!", "a!b", "e.g", "…"])
def test_mark_before_last_is_the_regex_search(line):
    assert sentences._has_mark_before_last(line) == bool(re.search(r"[.?!]", line[:-1]))
