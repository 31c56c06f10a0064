"""The study notebooks: committed clean, paired with jupytext, and executed end to end.

The end-to-end runs execute every notebook with papermill (as ``make report`` does) on the
seed corpus and on a small hand-made corpus of another event with other outlets, then check
the figures, the rendered reports, the index links and the escaping of corpus text.
"""
from __future__ import annotations

import html.parser
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jupytext
import nbformat
import pytest
from PIL import Image

from analysis import paths, report

NOTEBOOKS = report.discover_notebooks(paths.NOTEBOOKS_DIR)
MINI_CORPUS = paths.PROJECT_ROOT / "tests" / "data" / "mini_corpus"
MINI_CODEBOOK = paths.PROJECT_ROOT / "tests" / "data" / "mini_codebook.yaml"
EXPECTED_FIGURES = {
    "framing-markers-by-outlet", "scare-quotes-by-outlet", "distinctive-words-by-outlet",
    "sentiment-by-outlet-and-voice", "sentiment-by-actor", "quoted-voices-by-side",
    "same-fact-different-words", "fact-coverage-by-outlet",
}


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_has_no_outputs(notebook):
    nb = nbformat.read(notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "a notebook without code"
    assert all(not c.outputs and c.execution_count is None for c in code)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_in_sync_with_its_jupytext_pair(notebook):
    paired = jupytext.read(notebook.with_suffix(".py"))
    committed = nbformat.read(notebook, as_version=4)
    assert [c.source for c in paired.cells] == [c.source for c in committed.cells]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_one_parameters_cell_and_says_what_it_reads_and_writes(notebook):
    nb = nbformat.read(notebook, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for name in ("corpus_dir", "codebook_path", "figures_dir", "reports_dir"):
        assert f"{name} = " in tagged[0].source
    opening = nb.cells[0].source
    assert "**Reads:**" in opening and "**Writes:**" in opening


def _report_of_one_notebook(tmp_path: Path, name: str, cells: list) -> None:
    """Run the report on a folder holding one notebook, ``name``, of ``cells``."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=cells), folder / name)
    report.run_report(paths.CORPUS_DIR, paths.DEFAULT_CODEBOOK, tmp_path / "out", notebooks_dir=folder)


def test_failing_cell_names_notebook_and_cell(tmp_path):
    cells = [
        nbformat.v4.new_markdown_cell("# Broken\n\nA notebook that fails."),
        nbformat.v4.new_code_cell("corpus_dir = codebook_path = figures_dir = reports_dir = None",
                                  metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_code_cell("raise ValueError('no such outlet')"),
    ]
    with pytest.raises(report.ReportError, match=r"01-broken\.ipynb: cell \d+ failed with ValueError: no such outlet"):
        _report_of_one_notebook(tmp_path, "01-broken.ipynb", cells)


def test_a_kernel_that_dies_names_its_notebook(tmp_path):
    cells = [nbformat.v4.new_code_cell("corpus_dir = None", metadata={"tags": ["parameters"]}),
             nbformat.v4.new_code_cell("import os\nos._exit(1)")]
    with pytest.raises(report.ReportError, match=r"01-dying\.ipynb: its kernel died while running it"):
        _report_of_one_notebook(tmp_path, "01-dying.ipynb", cells)


def _run(tmp_path_factory, name: str, corpus: Path, codebook: Path) -> Path:
    out = tmp_path_factory.mktemp(name)
    corpus_copy = out / "corpus"
    shutil.copytree(corpus, corpus_copy, ignore=shutil.ignore_patterns("processed"))
    report.run_report(corpus_copy, codebook, out)
    return out


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory) -> Path:
    return _run(tmp_path_factory, "seed-report", paths.CORPUS_DIR, paths.DEFAULT_CODEBOOK)


@pytest.fixture(scope="module")
def mini_run(tmp_path_factory) -> Path:
    return _run(tmp_path_factory, "mini-report", MINI_CORPUS, MINI_CODEBOOK)


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.targets += [v for k, v in attrs if k in ("href", "src") and v]


def _check_run(out: Path) -> None:
    reports = out / "reports"
    assert sorted(p.stem for p in reports.glob("*.html") if p.stem != "index") == [p.stem for p in NOTEBOOKS]
    parser = _Links()
    parser.feed((reports / "index.html").read_text(encoding="utf-8"))
    assert parser.targets
    for target in parser.targets:
        assert (reports / target).resolve().is_file(), f"index links to missing {target}"
    for pdf in (out / "figures").glob("*.pdf"):
        assert pdf.read_bytes().startswith(b"%PDF") and b"/CreationDate" not in pdf.read_bytes()
        ET.parse(pdf.with_suffix(".svg"))
        with Image.open(pdf.with_suffix(".png")) as png:
            assert round(png.info["dpi"][0]) == 300


@pytest.mark.notebooks
def test_report_on_seed_corpus_writes_every_figure_and_report(seed_run):
    _check_run(seed_run)
    written = {p.stem for p in (seed_run / "figures").glob("*.pdf")}
    assert EXPECTED_FIGURES <= written
    for stem in written:
        assert (seed_run / "figures" / f"{stem}.csv").is_file(), f"{stem} has no data file"


@pytest.mark.notebooks
def test_report_on_another_corpus_with_other_outlets(mini_run):
    _check_run(mini_run)
    page = (mini_run / "reports" / "01-corpus-and-cleaning.html").read_text(encoding="utf-8")
    assert "Wire Monitor" in page and "Al Mayadeen" not in page


@pytest.mark.notebooks
def test_corpus_text_is_escaped_in_reports(mini_run):
    for page in (mini_run / "reports").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert '<script>alert("x")</script>' not in text, f"{page.name} runs corpus text as HTML"
        assert "<strong>inspections</strong>" not in text, f"{page.name} renders corpus text as Markdown"
    cleaning = (mini_run / "reports" / "01-corpus-and-cleaning.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert" in cleaning


def _saved_figure_names() -> set[str]:
    import re

    names = set()
    for notebook in NOTEBOOKS:
        names |= set(re.findall(r'save_figure\(\s*fig,\s*"([a-z0-9-]+)"', notebook.with_suffix(".py").read_text()))
    return names


def test_readme_maps_every_figure_to_its_notebook():
    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    names = _saved_figure_names()
    assert EXPECTED_FIGURES <= names
    for name in names:
        assert f"figures/{name}.pdf" in readme, f"README's figure table lacks {name}"
