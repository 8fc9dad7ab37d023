"""imports.sources: each kind of archive read into article fields, bad records named
by file and line (never an exception)."""
from __future__ import annotations

from pathlib import Path

import pytest

from imports.sources import CSV, FOLDER, JSONL, WXR, count_source, html_text, kind_of, read_source

FIXTURES = Path(__file__).parent / "fixtures"


def by_location(path: Path) -> dict:
    return {r.location: r for r in read_source(path)}


def test_sources_kind_is_told_by_the_name():
    assert [kind_of(FIXTURES / n) for n in ("archive.jsonl", "archive.csv", "folder", "wordpress.xml")] == [JSONL, CSV, FOLDER, WXR]
    with pytest.raises(ValueError):
        kind_of(FIXTURES / "archive.doc")


def test_sources_jsonl_reads_objects_and_names_bad_lines():
    records = by_location(FIXTURES / "archive.jsonl")
    assert records["archive.jsonl:1"].fields["url"] == "https://harbour.example/budget"
    assert records["archive.jsonl:6"].fields == {"text": "Ferry services resumed after the storm, the operator said.", "external_id": "hp-2"}
    assert "archive.jsonl:2" not in records  # a blank line is no record
    assert records["archive.jsonl:3"].error.startswith("invalid JSON")
    assert records["archive.jsonl:4"].fields == {"title": "No text here", "url": "https://harbour.example/no-text"}  # the schema says what is missing
    assert records["archive.jsonl:5"].error.startswith("undecodable bytes")
    assert records["archive.jsonl:7"].error == "not a JSON object"
    assert count_source(FIXTURES / "archive.jsonl") == len(records) == 6


def test_sources_csv_maps_columns_by_header_and_keeps_multiline_cells():
    records = by_location(FIXTURES / "archive.csv")
    ferry = records["archive.csv:2"].fields
    assert ferry == {"url": "https://harbour.example/ferry", "title": "Ferry back", "published_at": "2021-03-02",
                     "text": "Ferry services resumed on Tuesday, the operator said.\nPassengers were told to expect delays."}
    assert "category" not in ferry  # columns that are no article field are left out
    assert "text" not in records["archive.csv:4"].fields  # the row after a two-line cell starts at line 4
    assert records["archive.csv:5"].error.startswith("undecodable bytes")
    assert records["archive.csv:6"].fields["published_at"] == "2021-03-03T10:00:00Z"


def test_sources_csv_without_a_text_column_is_one_error(tmp_path):
    path = tmp_path / "no-text.csv"
    path.write_text("url,title\nhttps://a.example/1,One\n")
    [record] = read_source(path)
    assert record.location == "no-text.csv:1" and "no 'text' column" in record.error


def test_sources_folder_reads_txt_and_extracts_html_with_its_metadata():
    records = by_location(FIXTURES / "folder")
    assert records["port.txt"].fields["text"].startswith("The port handled 1.2 million containers")
    assert records["2020/broken.txt"].error.startswith("undecodable bytes")
    page = records["2020/election.html"].fields
    assert page["title"] == "Turnout hits record in city election"
    assert page["author"] == "Maria Jensen"
    assert page["url"] == "https://harbour.example/2020/election-turnout"
    assert page["outlet"] == "Harbour Post"
    assert page["published_at"].startswith("2020-11-04")
    assert "Turnout in the city election reached 78 percent" in page["text"]
    for boilerplate in ("Most read", "All rights reserved", "Politics"):
        assert boilerplate not in page["text"]


def test_sources_wordpress_export_gives_published_posts_only():
    records = list(read_source(FIXTURES / "wordpress.xml"))
    assert [r.location for r in records] == ["wordpress.xml: post 101", "wordpress.xml: post 103"]  # no page, no draft
    dam = records[0].fields
    assert dam == {
        "text": "Repairs to the Kessel dam will cost 12 million pounds, the water board said on Tuesday.\n"
                "The board's director, Anna Price, said work would start in June and take two years. "
                "Fishing on the reservoir will stop meanwhile.\n"
                "Residents will be consulted before the summer.",
        "title": "Dam repairs to cost 12 million pounds",
        "url": "https://valley.example/2022/05/dam-repairs/",
        "author": "Tom North",           # the display name, not the login
        "outlet": "Valley Gazette",
        "published_at": "2022-05-03T08:15:00Z",
        "external_id": "https://valley.example/?p=101",
    }
    assert records[1].fields["author"] == "someone"  # no display name given: the login
    assert count_source(FIXTURES / "wordpress.xml") == 2


def test_sources_wordpress_export_that_is_not_xml_is_reported(tmp_path):
    path = tmp_path / "torn.xml"
    path.write_text((FIXTURES / "wordpress.xml").read_text()[:2500])
    records = list(read_source(path))
    assert records and records[-1].error.startswith("not well-formed XML")


def test_sources_html_text_keeps_paragraphs_as_lines():
    assert html_text("<p>One <em>two</em>.</p><p>Three<br>four.</p>\n\nFive.") == "One two.\nThree four.\nFive."
    assert html_text("") == ""
