"""The shortcuts that make quotations and speech acts fast give the same results as the plain way."""
import re

import pytest

from analysis import quotes


@pytest.mark.parametrize("words", [
    ["said", "say", "says", "told", "told reporters", "Said", "stressed", "pointed out", "point"],
    ["Minister", "minister", "Secretary", "spokesman", "spokeswoman", "President"],
])
def test_alternation_tree_matches_like_the_longest_first_alternation(words):
    tree = re.compile(rf"(?i:{quotes._alternation(words)})(?!\w)(?P<rest>\s+\w+)?")
    plain = re.compile(rf"(?i:{'|'.join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))})(?!\w)"
                       r"(?P<rest>\s+\w+)?")
    text = ("She said no; they SAID so, he says, told reporters told him, Told Reporters. It was pointed out, "
            "point out. The Minister, the SPOKESWOMAN and the spokesmanship; Secretary President.")
    assert [m.span() + (m.group("rest"),) for m in tree.finditer(text)] == \
           [m.span() + (m.group("rest"),) for m in plain.finditer(text)]


@pytest.mark.parametrize("before", [
    "the so-called ", "the so called,  ", "an alleged\n", "what he called ", "what Moscow describes , ",
    "what they termed", "the ſuppoſed ", "the SO-CALLED ", "nothing to see ", "called it ", "recalled ",
    "", " , ", "what the ministry calls", "so-calledx ",
])
def test_distancing_marker_finds_what_the_full_search_finds(before):
    text = "Intro. " + before + '"guarantees"'
    start, end = 7, len("Intro. " + before)
    found, full = quotes._distancing_marker(text, start, end), quotes._DISTANCING.search(text, start, end)
    assert (found and found.span()) == (full and full.span())


@pytest.mark.parametrize("start, end, last", [(0, None, 20), (5, 60, 40), (0, 30, 0), (0, None, None)])
def test_a_scan_stopping_at_last_keeps_the_matches_starting_there_or_before(start, end, last):
    text = "Ryabkov said no, Sherman stressed risks and he told reporters; Ryabkov insisted."
    vocab = quotes._vocabulary(quotes._default_codebook())
    context = quotes._bare_context(text, vocab)
    stop = len(text) if last is None else last
    for name in ("attribution_re", "verb_re", "according_re"):
        every = [m.span() for m in quotes._scan(context, name, start, end)]
        assert [m.span() for m in quotes._scan(context, name, start, end, last=last)] == \
               [span for span in every if span[0] <= stop]


def test_only_lines_with_marks_or_a_speaker_line_are_read_for_quotations():
    text = ('No quotes here.\n\nHe said "yes" today.\nNothing to bargain with. '
            "Sergey Ryabkov Deputy Foreign Minister of Russia\n'Tis plain.")
    marks = [m.start() for m in quotes._MARK.finditer(text)]
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    assert [(start, end) for start, end, _ in quotes._paragraphs(text, marks)] == [lines[1], lines[2], lines[3]]
    tail = quotes._paragraphs(text, marks)[1][2]
    assert text[tail:].startswith("Sergey Ryabkov Deputy")


def test_windows_without_a_verb_hold_no_attribution_and_no_verb():
    from analysis.corpus import load_corpus
    vocab = quotes._vocabulary(quotes._default_codebook())
    texts = [*load_corpus().text, "Ryabkov saying so, Sherman ſaid no", "He pointed out; said"]
    skipped = 0
    for text in texts:
        context = quotes._bare_context(text, vocab)
        cuts = sorted({0, len(text), *range(0, len(text), 37), *(m.start() for m in re.finditer(r"\W", text))})
        for start, end in zip(cuts[::3], cuts[2::3]):
            if not quotes._may_hold_verb(context, start, end):
                skipped += 1
                assert not quotes._scan(context, "attribution_re", start, end)
                assert not quotes._scan(context, "verb_re", start, end)
    assert skipped > 100
