"""Run the whole study: execute every notebook, render HTML reports and an index page.

``make report`` and ``python -m analysis report`` call :func:`run_report`. Notebooks are
executed top to bottom with papermill (parameters injected into the cell tagged
``parameters``), rendered to HTML with nbconvert, and linked from ``reports/index.html``
with a one-line summary each, beside every figure. A failing cell stops the run with the
notebook and the cell named.

Example:
    >>> [p.name for p in discover_notebooks(paths.NOTEBOOKS_DIR)][:1]
    ['01-corpus-and-cleaning.ipynb']
"""
from __future__ import annotations

import html
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from analysis import paths
from analysis.errors import FramingInputError

NOTEBOOK_PATTERN = re.compile(r"^\d{2}-[a-z0-9-]+\.ipynb$")
KERNEL_NAME = "python3"
# The kernels' own log lines, which said nothing about the study: a warning that the kernel
# talks to this process over local TCP without encryption, and "KeyboardInterrupt caught in
# kernel" when a kernel is stopped after its notebook has finished. A failing cell is still
# reported (ReportError), and so is a kernel that dies.
KERNEL_QUIET = ["--IPKernelApp.log_level=CRITICAL"]


class ReportError(RuntimeError):
    """A notebook failed: names the notebook and the cell."""


@dataclass(frozen=True)
class OutputDirs:
    """Where one run writes: figures, rendered reports and executed notebooks."""

    root: Path

    @property
    def figures(self) -> Path:
        return self.root / "figures"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def executed(self) -> Path:
        return self.reports / "notebooks"


def discover_notebooks(notebooks_dir: Path = paths.NOTEBOOKS_DIR) -> list[Path]:
    """Study notebooks in run order (``NN-name.ipynb``).

    Example:
        >>> discover_notebooks()[0].name
        '01-corpus-and-cleaning.ipynb'
    """
    found = sorted(p for p in Path(notebooks_dir).glob("*.ipynb") if NOTEBOOK_PATTERN.match(p.name))
    if not found:
        raise FramingInputError(notebooks_dir, "no study notebooks (NN-name.ipynb) found")
    return found


def notebook_summary(notebook_path: Path) -> tuple[str, str]:
    """Title (first heading) and one-line summary (first sentence after it) of a notebook.

    Example:
        >>> title, summary = notebook_summary(discover_notebooks()[0])
        >>> bool(title) and bool(summary)
        True
    """
    import nbformat

    nb = nbformat.read(notebook_path, as_version=4)
    text = next((c.source for c in nb.cells if c.cell_type == "markdown"), "")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    title = next((ln.lstrip("# ") for ln in lines if ln.startswith("#")), notebook_path.stem)
    body = next((ln for ln in lines if not ln.startswith("#")), "")
    summary = re.split(r"(?<=[.!?])\s", body, maxsplit=1)[0]
    return title, summary


def execute_notebook(source: Path, executed: Path, parameters: dict, *, cwd: Path) -> None:
    """Execute one notebook with papermill; raise :class:`ReportError` naming the failing cell.

    Example:
        >>> execute_notebook(Path("notebooks/01-corpus-and-cleaning.ipynb"),
        ...                  Path("/tmp/out/01-corpus-and-cleaning.ipynb"),
        ...                  {"corpus_dir": "../corpus"}, cwd=Path("notebooks"))  # doctest: +SKIP
    """
    import papermill
    from nbclient.exceptions import DeadKernelError

    executed.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(
            str(source), str(executed), parameters=parameters, kernel_name=KERNEL_NAME, language="python",
            progress_bar=sys.stderr.isatty(), cwd=str(cwd), request_save_on_cell_execute=False,
            extra_arguments=KERNEL_QUIET,
        )
    except papermill.PapermillExecutionError as err:
        raise ReportError(
            f"{source.name}: cell {err.exec_count} failed with {err.ename}: {err.evalue}"
        ) from None
    except DeadKernelError:
        raise ReportError(f"{source.name}: its kernel died while running it "
                          "(out of memory, or a crash inside a library)") from None
    _strip_run_details(executed)


def _strip_run_details(executed: Path) -> None:
    """Give papermill's injected cell a fixed id and drop timings, so reruns render identically."""
    import nbformat

    nb = nbformat.read(executed, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
    nb.metadata.pop("papermill", None)
    nbformat.write(nb, executed)


def render_html(executed: Path, html_path: Path) -> None:
    """Render an executed notebook to a standalone HTML page (inputs shown).

    Corpus text is escaped where it enters an output (pandas escapes table cells;
    :func:`analysis.narrative.show` escapes text put into prose), so the page shows an
    article's ``<script>`` or ``**bold**`` as text; the test suite checks it.

    Example:
        >>> render_html(Path("/tmp/out/01-corpus-and-cleaning.ipynb"),
        ...             Path("/tmp/out/01-corpus-and-cleaning.html"))  # doctest: +SKIP
    """
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(executed, as_version=4)
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(body, encoding="utf-8")


def write_index(reports: list[tuple[Path, str, str]], dirs: OutputDirs) -> Path:
    """Write ``reports/index.html`` linking every report and figure with a one-line summary.

    Args:
        reports: (html path, title, summary) per notebook, in run order.
        dirs: the run's output folders.

    Example:
        >>> import tempfile
        >>> d = OutputDirs(Path(tempfile.mkdtemp()))
        >>> write_index([(d.reports / "01-a.html", "A", "What A shows.")], d).name
        'index.html'
    """
    items = "\n".join(
        f'<li><a href="{html.escape(p.name)}">{html.escape(t)}</a> — {html.escape(s)}</li>'
        for p, t, s in reports
    )
    figures = "\n".join(_figure_item(png, dirs) for png in sorted(dirs.figures.glob("*.png")))
    page = _INDEX_TEMPLATE.format(reports=items, figures=figures or "<li>No figures yet.</li>")
    dirs.reports.mkdir(parents=True, exist_ok=True)
    index = dirs.reports / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def _figure_item(png: Path, dirs: OutputDirs) -> str:
    caption_file = png.with_suffix(".txt")
    caption = caption_file.read_text(encoding="utf-8").strip() if caption_file.exists() else png.stem.replace("-", " ")
    rel = Path("..") / png.relative_to(dirs.root)
    links = " · ".join(
        f'<a href="{html.escape((rel.with_suffix(ext)).as_posix())}">{ext[1:].upper()}</a>'
        for ext in (".pdf", ".svg", ".png", ".csv") if png.with_suffix(ext).exists()
    )
    return (f'<li><strong>{html.escape(png.stem)}</strong> — {html.escape(caption)} ({links})'
            f'<br><img src="{html.escape(rel.as_posix())}" alt="{html.escape(caption)}" width="480"></li>')


def run_report(
    corpus_dir: Path = paths.CORPUS_DIR,
    codebook: Path = paths.DEFAULT_CODEBOOK,
    out_dir: Path = paths.PROJECT_ROOT,
    *,
    notebooks_dir: Path = paths.NOTEBOOKS_DIR,
    jobs: int = 2,
) -> Path:
    """Execute every study notebook on a corpus and codebook; return ``reports/index.html``.

    The analysis runs once first (filling the cache, with a progress bar on large corpora);
    the notebooks then read their tables from the cache and run ``jobs`` at a time. A failing
    cell stops the run with :class:`ReportError` naming the notebook and the cell.

    Example:
        >>> run_report(Path("my-corpus"), Path("my-codebook.yaml"), Path("my-output"))  # doctest: +SKIP
        analysing the corpus
        [1/6] 01-corpus-and-cleaning.ipynb
        ...
    """
    from analysis.pipeline import run_study

    dirs = OutputDirs(Path(out_dir).resolve())
    notebooks = discover_notebooks(notebooks_dir)
    print("analysing the corpus", flush=True)
    run_study(corpus_dir, codebook, progress=True)
    # Paths relative to the notebooks folder (the kernels' working directory), so the
    # rendered reports do not depend on where the project was cloned.
    parameters = {
        name: os.path.relpath(Path(path).resolve(), Path(notebooks_dir).resolve())
        for name, path in (("corpus_dir", corpus_dir), ("codebook_path", codebook),
                           ("figures_dir", dirs.figures), ("reports_dir", dirs.reports))
    }

    def run_one(source: Path) -> tuple[Path, str, str]:
        executed = dirs.executed / source.name
        execute_notebook(source, executed, parameters, cwd=Path(notebooks_dir))
        html_path = dirs.reports / source.with_suffix(".html").name
        render_html(executed, html_path)
        return (html_path, *notebook_summary(source))

    rendered = _map_in_order(run_one, notebooks, jobs=jobs)
    index = write_index(rendered, dirs)
    print(f"wrote {len(rendered)} reports, {len(list(dirs.figures.glob('*.pdf')))} figures; open {index}")
    return index


def _map_in_order(run_one, notebooks: list[Path], *, jobs: int) -> list:
    """Run notebooks ``jobs`` at a time; print each as it finishes; re-raise the first failure."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(run_one, source) for source in notebooks]
        results = []
        for number, (source, future) in enumerate(zip(notebooks, futures), start=1):
            results.append(future.result())
            print(f"[{number}/{len(notebooks)}] {source.name}", flush=True)
    return results


_INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Media framing study: reports</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.45}}
li{{margin:.6em 0}} img{{border:1px solid #ddd;margin-top:.3em}}</style></head>
<body>
<h1>Media framing study: reports</h1>
<p>Each report is a notebook executed top to bottom on the corpus; every number in it is
computed from the data. Read them in order.</p>
<h2>Reports</h2>
<ol>
{reports}
</ol>
<h2>Figures</h2>
<p>Each figure is saved as PDF, SVG and PNG, with the data behind it as CSV.</p>
<ul>
{figures}
</ul>
</body></html>
"""
