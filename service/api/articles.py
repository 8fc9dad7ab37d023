"""/v1/articles: take in articles, read them back, list and delete them."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request, url_for

from models.timing import Stages

from ..auth import INGEST, READ, requires
from ..problems import article_not_found
from ..representations import article_json, article_summary_json
from ..request_schemas import ArticleListQuery, article_schema, decode_cursor, encode_cursor
from . import checker, json_body, load

blueprint = Blueprint("articles", __name__, url_prefix="/v1/articles")
list_query = ArticleListQuery()


@blueprint.post("")
@requires(INGEST)
def create_article():
    fields = json_body(article_schema(current_app.config["SAYSO"].max_text_chars))
    stages = Stages()
    article, created = checker().ingest(fields, stages=stages)
    response = article_json(article)
    headers = {
        "Location": url_for("articles.get_article", article_id=article.id),
        "Server-Timing": stages.header(),
    }
    return response, (201 if created else 200), headers


@blueprint.get("/<int:article_id>")
@requires(READ)
def get_article(article_id: int):
    article = checker().article(article_id)
    if article is None:
        raise article_not_found(article_id)
    return article_json(article)


@blueprint.delete("/<int:article_id>")
@requires(INGEST)
def delete_article(article_id: int):
    if not checker().delete(article_id):
        raise article_not_found(article_id)
    return Response(status=204)


@blueprint.get("")
@requires(READ)
def list_articles():
    query = load(list_query, request.args.to_dict())
    before = decode_cursor(query["cursor"]) if query["cursor"] else None
    articles = checker().articles(query["outlet"], query["limit"] + 1, before)
    page, more = articles[: query["limit"]], len(articles) > query["limit"]
    return {
        "items": [article_summary_json(a) for a in page],
        "next_cursor": encode_cursor(page[-1].id) if more else None,
    }
