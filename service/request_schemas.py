"""Request validation with marshmallow. Each schema names the fields it rejects."""
from __future__ import annotations

import base64
from functools import lru_cache

from marshmallow import RAISE, Schema, ValidationError, fields, post_load, validate, validates_schema
from marshmallow.validate import Length, Range, Regexp


# What openapi.yaml declares for a page cursor: 6 URL-safe base64 characters.
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{6}$"
LARGEST_ID = 2**31 - 1  # an INTEGER primary key, on every backend


class NotBlank(validate.Validator):
    error = "Must not be blank."

    def __call__(self, value: str) -> str:
        if not value.strip():
            raise ValidationError(self.error)
        return value


class Storable(validate.Validator):
    """Text a database can keep: no NUL characters, no unpaired UTF-16 surrogates."""

    def __call__(self, value: str) -> str:
        if "\x00" in value:
            raise ValidationError("Must not contain NUL (\\u0000) characters.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError("Must be valid Unicode (it has an unpaired surrogate).") from None
        return value


class WholeNumber(fields.Integer):
    """A JSON number with no fractional part, as JSON Schema's ``integer`` means it:
    49 and 49.0 alike; not 49.5, "49" or true."""

    default_error_messages = {"invalid": "Not a valid integer."}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if type(value) is not int:
            raise self.make_error("invalid")
        return value


def _optional_text(max_length: int) -> fields.String:
    return fields.String(load_default=None, allow_none=True, validate=[Length(max=max_length), Storable()])


class ArticleIn(Schema):
    """POST /v1/articles"""

    class Meta:
        unknown = RAISE

    text = fields.String(required=True)  # length limit from settings: see article_schema
    title = _optional_text(1000)
    url = fields.Url(load_default=None, allow_none=True, require_tld=False, validate=[Length(max=2048), Storable()])
    outlet = _optional_text(200)
    author = _optional_text(500)
    published_at = fields.DateTime(format="iso", load_default=None, allow_none=True)
    external_id = _optional_text(200)

    @post_load
    def blank_external_id_is_none(self, data, **kwargs):
        """A CMS that has no id for an article often sends "": that is no id, not an id
        that every such article shares."""
        if data.get("external_id") is not None and not data["external_id"].strip():
            data["external_id"] = None
        return data


class CheckIn(Schema):
    """POST /v1/check"""

    class Meta:
        unknown = RAISE

    claim = fields.String(required=True)  # length limit from settings: see check_schema
    limit = WholeNumber(load_default=10, validate=Range(1, 100))
    outlets = fields.List(fields.String(validate=[Length(min=1, max=200), Storable()]), load_default=None, allow_none=True)
    # A `since` after `until` is a window with nothing in it, not a mistake: the contract
    # (a JSON Schema) cannot say one field must come before another.
    since = fields.DateTime(format="iso", load_default=None, allow_none=True)
    until = fields.DateTime(format="iso", load_default=None, allow_none=True)


class BlockIn(Schema):
    """One paragraph of a draft, as a CMS editor holds it."""

    class Meta:
        unknown = RAISE

    id = fields.String(required=True, validate=[Length(min=1, max=200), Storable()])
    text = fields.String(required=True, validate=Storable())  # may be empty: an empty paragraph


class ExcludeIn(Schema):
    """Stored articles a draft check must not cite: the draft's own published copy."""

    class Meta:
        unknown = RAISE

    url = fields.String(load_default=None, allow_none=True, validate=[Length(max=2048), Storable()])
    external_id = _optional_text(200)


MAX_BLOCKS = 200
MAX_DRAFT_LIMIT = 20


class DraftIn(Schema):
    """POST /v1/check/draft: exactly one of ``text`` and ``blocks``."""

    class Meta:
        unknown = RAISE

    text = fields.String(load_default=None, allow_none=False)  # length limit from settings: see draft_schema
    blocks = fields.List(fields.Nested(BlockIn), load_default=None, allow_none=False,
                         validate=Length(min=1, max=MAX_BLOCKS, error=f"Send between 1 and {MAX_BLOCKS} blocks."))
    limit = WholeNumber(load_default=5, validate=Range(1, MAX_DRAFT_LIMIT))
    outlets = CheckIn._declared_fields["outlets"]
    since = CheckIn._declared_fields["since"]
    until = CheckIn._declared_fields["until"]
    exclude = fields.Nested(ExcludeIn, load_default=None, allow_none=True)
    max_text_chars = 100_000

    @validates_schema
    def _one_draft(self, data, **_):
        text, blocks = data.get("text"), data.get("blocks")
        if (text is None) == (blocks is None):
            raise ValidationError("Send either 'text' or 'blocks', not both and not neither.", "text")
        if blocks is not None:
            ids = [block["id"] for block in blocks]
            duplicates = sorted({i for i in ids if ids.count(i) > 1})
            if duplicates:
                raise ValidationError(f"Block ids must be unique; repeated: {', '.join(duplicates[:5])}.", "blocks")
            total = sum(len(block["text"]) for block in blocks)
            if total > self.max_text_chars:
                raise ValidationError(f"The blocks hold {total} characters; at most {self.max_text_chars} in all.", "blocks")


STANCES = ("corroborates", "contradicts", "discusses")
FEEDBACK_VERDICTS = ("confirm", "reject", *STANCES)


class FeedbackIn(Schema):
    """POST /v1/feedback: an editor confirms or rejects a result."""

    class Meta:
        unknown = RAISE

    claim = fields.String(required=True)  # length limit from settings: see feedback_schema
    sentence_id = WholeNumber(required=True, validate=Range(1, 2**31 - 1))
    stance = fields.String(required=True, validate=validate.OneOf(STANCES))
    verdict = fields.String(required=True, validate=validate.OneOf(FEEDBACK_VERDICTS))
    note = _optional_text(2000)


class RatingIn(Schema):
    class Meta:
        unknown = RAISE

    value = fields.Float(required=True, allow_nan=False)
    best = fields.Float(load_default=None, allow_none=True, allow_nan=False)
    worst = fields.Float(load_default=None, allow_none=True, allow_nan=False)

    @validates_schema
    def _in_range(self, data, **_):
        best, worst, value = data.get("best"), data.get("worst"), data["value"]
        if best is not None and worst is not None and worst > best:
            raise ValidationError("'worst' must not be above 'best'.", "worst")
        if (best is not None and value > best) or (worst is not None and value < worst):
            raise ValidationError("Must lie between 'worst' and 'best'.", "value")


class OrganizationIn(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=[NotBlank(), Length(max=200), Storable()])
    url = fields.Url(load_default=None, allow_none=True, require_tld=False, validate=[Length(max=2048), Storable()])


class ClaimReviewIn(Schema):
    """POST /v1/claimreview: the editor's verdict; Sayso fills in the claim's appearances."""

    class Meta:
        unknown = RAISE

    claim = fields.String(required=True)  # length limit from settings: see claimreview_schema
    alternateName = fields.String(required=True, validate=[NotBlank(), Length(max=200), Storable()])
    rating = fields.Nested(RatingIn, load_default=None, allow_none=True)
    url = fields.Url(load_default=None, allow_none=True, require_tld=False, validate=[Length(max=2048), Storable()])
    author = fields.Nested(OrganizationIn, load_default=None, allow_none=True)
    datePublished = fields.Date(load_default=None, allow_none=True)


class FeedbackListQuery(Schema):
    """GET /v1/feedback"""

    class Meta:
        unknown = RAISE

    limit = fields.Integer(load_default=100, validate=Range(1, 1000))
    cursor = fields.String(load_default=None, validate=Regexp(CURSOR_PATTERN, error="Not a cursor this service gave out."))


class ArticleListQuery(Schema):
    """GET /v1/articles"""

    class Meta:
        unknown = RAISE

    outlet = fields.String(load_default=None, validate=[Length(min=1, max=200), Storable()])
    limit = fields.Integer(load_default=20, validate=Range(1, 100))
    cursor = fields.String(load_default=None, validate=Regexp(CURSOR_PATTERN, error="Not a cursor this service gave out."))


def encode_cursor(article_id: int) -> str:
    """The cursor of the page after ``article_id`` (in the list's order): the id as 4
    bytes, base64url (6 characters)."""
    return base64.urlsafe_b64encode(article_id.to_bytes(4, "big")).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id a cursor that matches CURSOR_PATTERN stands for: any such cursor is one (a
    page next to an id that never existed is still a page). Ids are the store's 32-bit
    integers, so a cursor past the largest stands for the largest."""
    return min(int.from_bytes(base64.urlsafe_b64decode(cursor + "=="), "big"), LARGEST_ID)


def _text_limits(max_chars: int):
    return [NotBlank(), Length(max=max_chars, error=f"Must be at most {max_chars} characters."), Storable()]


@lru_cache(maxsize=8)
def article_schema(max_text_chars: int) -> ArticleIn:
    """ArticleIn with the text length limit from settings (built once per limit)."""

    class Limited(ArticleIn):
        text = fields.String(required=True, validate=_text_limits(max_text_chars))

    return Limited()


def _with_claim_limit(schema: type[Schema], max_claim_chars: int) -> Schema:
    """``schema`` with the claim length limit from settings."""

    class Limited(schema):
        claim = fields.String(required=True, validate=_text_limits(max_claim_chars))

    return Limited()


@lru_cache(maxsize=8)
def draft_schema(max_text_chars: int) -> DraftIn:
    """DraftIn with the text length limit from settings (built once per limit)."""

    class Limited(DraftIn):
        text = fields.String(load_default=None, allow_none=False, validate=_text_limits(max_text_chars))

    Limited.max_text_chars = max_text_chars
    return Limited()


@lru_cache(maxsize=8)
def check_schema(max_claim_chars: int) -> CheckIn:
    """CheckIn with the claim length limit from settings (built once per limit)."""
    return _with_claim_limit(CheckIn, max_claim_chars)


@lru_cache(maxsize=8)
def feedback_schema(max_claim_chars: int) -> FeedbackIn:
    return _with_claim_limit(FeedbackIn, max_claim_chars)


@lru_cache(maxsize=8)
def claimreview_schema(max_claim_chars: int) -> ClaimReviewIn:
    return _with_claim_limit(ClaimReviewIn, max_claim_chars)
