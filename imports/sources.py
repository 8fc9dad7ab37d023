"""Read an archive into articles: each record is the fields of ``POST /v1/articles``
and where it came from (file and line), or why it could not be read there.

    for record in read_source(Path("archive.jsonl")):
        record.location, record.fields or record.error

Kinds (by file name, or ``kind``): JSON Lines (``.jsonl``, ``.ndjson``), CSV with a
header (``.csv``), a folder of ``.txt`` and ``.html`` files, and a WordPress export
(WXR, ``.xml``). HTML pages go through trafilatura, made for news pages: main text,
title, author, date and canonical URL. A WordPress post's body is HTML written by the
newsroom itself, so it is turned into text paragraph by paragraph with lxml.
"""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Optional

ARTICLE_FIELDS = ("text", "title", "url", "outlet", "author", "published_at", "external_id")
JSONL, CSV, FOLDER, WXR = "jsonl", "csv", "folder", "wxr"
KINDS = (JSONL, CSV, FOLDER, WXR)

WXR_NS = {
    "wp": "http://wordpress.org/export/1.2/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
}


@dataclass
class Record:
    location: str                    # "archive.jsonl:12", "pages/a.html"
    fields: Optional[dict[str, Any]] = None
    error: Optional[str] = None      # why nothing could be read here


def kind_of(path: Path) -> str:
    if path.is_dir():
        return FOLDER
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        return JSONL
    if suffix in (".csv", ".tsv"):
        return CSV
    if suffix in (".xml", ".wxr"):
        return WXR
    raise ValueError(f"cannot tell what {path} holds: name it .jsonl, .csv, .xml (WordPress export) or give a folder")


def read_source(path: Path, kind: Optional[str] = None) -> Iterator[Record]:
    kind = kind or kind_of(path)
    return {JSONL: read_jsonl, CSV: read_csv, FOLDER: read_folder, WXR: read_wxr}[kind](path)


def count_source(path: Path, kind: Optional[str] = None) -> int:
    """How many records ``read_source`` will give (cheaply: without extracting HTML)."""
    kind = kind or kind_of(path)
    if kind == JSONL:
        with open(path, "rb") as f:
            return sum(1 for line in f if line.strip())
    if kind == CSV:
        return sum(1 for _ in read_csv(path))
    if kind == FOLDER:
        return sum(1 for _ in _folder_files(path))
    return sum(1 for _ in _wxr_posts(path))


# -- JSON Lines -------------------------------------------------------------------------
def read_jsonl(path: Path) -> Iterator[Record]:
    with open(path, "rb") as f:
        for number, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            location = f"{path.name}:{number}"
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                yield Record(location, error=f"undecodable bytes (not UTF-8) at column {error.start + 1}")
                continue
            try:
                value = json.loads(line)
            except ValueError as error:
                yield Record(location, error=f"invalid JSON: {error}")
                continue
            if not isinstance(value, dict):
                yield Record(location, error="not a JSON object")
                continue
            yield Record(location, fields=value)


# -- CSV ----------------------------------------------------------------------------------
def read_csv(path: Path) -> Iterator[Record]:
    """Columns named as the article fields; other columns are left out. Empty cells
    count as absent."""
    with open(path, "rb") as binary:
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="surrogateescape", newline="")
        dialect = csv.excel_tab if path.suffix.lower() == ".tsv" else csv.excel
        reader = csv.reader(text, dialect)
        try:
            header = next(reader)
        except StopIteration:
            return
        columns = [name.strip().lower() for name in header]
        if "text" not in columns:
            yield Record(f"{path.name}:1", error="the header has no 'text' column")
            return
        line = reader.line_num + 1
        for row in reader:
            location, line = f"{path.name}:{line}", reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if any(_undecodable(cell) for cell in row):
                yield Record(location, error="undecodable bytes (not UTF-8)")
                continue
            if len(row) > len(columns):
                yield Record(location, error=f"{len(row)} cells under a header of {len(columns)} columns")
                continue
            fields = {name: cell for name, cell in zip(columns, row) if name in ARTICLE_FIELDS and cell.strip()}
            yield Record(location, fields=fields)


def _undecodable(cell: str) -> bool:
    return any("\udc80" <= c <= "\udcff" for c in cell)


# -- a folder of .txt and .html ---------------------------------------------------------------
def _folder_files(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix.lower() in (".txt", ".html", ".htm"):
            yield path


def read_folder(folder: Path) -> Iterator[Record]:
    for path in _folder_files(folder):
        location = str(path.relative_to(folder))
        data = path.read_bytes()
        if path.suffix.lower() == ".txt":
            try:
                yield Record(location, fields={"text": data.decode("utf-8-sig")})
            except UnicodeDecodeError as error:
                yield Record(location, error=f"undecodable bytes (not UTF-8) at byte {error.start}")
        else:
            yield html_record(location, data)


def html_record(location: str, html: bytes) -> Record:
    """A news page's main text and its metadata, by trafilatura."""
    import trafilatura

    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                           include_tables=False, as_dict=False)
    if document is None or not (document.text or "").strip():
        return Record(location, error="no article text found in the page")
    fields = {
        "text": document.text,
        "title": document.title,
        "author": document.author,
        "url": document.url,
        "outlet": document.sitename,
        "published_at": document.date,  # YYYY-MM-DD
    }
    return Record(location, fields={k: v for k, v in fields.items() if v})


# -- WordPress export (WXR) --------------------------------------------------------------------
def _wxr_posts(path: Path) -> Iterator[ElementTree.Element]:
    """The published posts of a WXR file, one <item> at a time (memory stays flat)."""
    for _, element in ElementTree.iterparse(path, events=("end",)):
        if element.tag != "item":
            continue
        if element.findtext("wp:post_type", "", WXR_NS) == "post" and element.findtext("wp:status", "", WXR_NS) == "publish":
            yield element
        else:
            element.clear()


def read_wxr(path: Path) -> Iterator[Record]:
    """Published posts (not pages, attachments or drafts), with title, link, author's
    display name, date (GMT) and the WordPress guid as external id."""
    channel = _wxr_channel(path)
    try:
        for element in _wxr_posts(path):
            post_id = element.findtext("wp:post_id", "", WXR_NS)
            location = f"{path.name}: post {post_id or '?'}"
            body = element.findtext("content:encoded", "", WXR_NS)
            text = html_text(body)
            login = element.findtext("dc:creator", "", WXR_NS)
            fields = {
                "text": text,
                "title": element.findtext("title", "").strip(),
                "url": element.findtext("link", "").strip(),
                "author": channel["authors"].get(login, login),
                "outlet": channel["title"],
                "published_at": _wxr_date(element),
                "external_id": (element.findtext("guid", "") or "").strip() or None,
            }
            element.clear()
            if not text.strip():
                yield Record(location, error="the post has no text")
                continue
            yield Record(location, fields={k: v for k, v in fields.items() if v})
    except ElementTree.ParseError as error:
        yield Record(f"{path.name}:{error.position[0]}", error=f"not well-formed XML: {error}")


def _wxr_channel(path: Path) -> dict[str, Any]:
    """The site's title and its authors' display names by login, read before the items."""
    title, authors = None, {}
    try:
        for _, element in ElementTree.iterparse(path, events=("end",)):
            if element.tag == "title" and title is None:
                title = (element.text or "").strip() or None
            elif element.tag == f"{{{WXR_NS['wp']}}}author":
                login = element.findtext("wp:author_login", "", WXR_NS)
                name = element.findtext("wp:author_display_name", "", WXR_NS)
                if login and name:
                    authors[login] = name
            elif element.tag == "item":
                break  # the channel's own elements come first
    except ElementTree.ParseError:
        pass  # reported by read_wxr
    return {"title": title, "authors": authors}


def _wxr_date(element: ElementTree.Element) -> Optional[str]:
    gmt = element.findtext("wp:post_date_gmt", "", WXR_NS).strip()
    if gmt and not gmt.startswith("0000"):
        return gmt.replace(" ", "T") + "Z"
    local = element.findtext("wp:post_date", "", WXR_NS).strip()
    return local.replace(" ", "T") if local and not local.startswith("0000") else None


BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption", "pre", "tr", "section", "article"}


def html_text(html: str) -> str:
    """The text of an HTML fragment, a line per paragraph. WordPress keeps paragraphs
    without tags (blank lines) in post bodies; both kinds come out as lines."""
    import lxml.html

    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for junk in root.xpath(".//script|.//style|.//figure/img"):
        junk.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in BLOCKS:
            element.tail = "\n\n" + (element.tail or "")
    text = root.text_content()
    lines = (" ".join(line.split()) for line in text.replace("\r", "").split("\n"))
    paragraphs, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n".join(paragraphs)
