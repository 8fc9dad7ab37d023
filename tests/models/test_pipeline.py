"""models.pipeline.ArticleReader on the samples and on short texts."""
from __future__ import annotations

from models.article import PUBLISHER


def test_pipeline_sentences_are_exact_slices(reader, samples):
    for text in samples.values():
        for sentence in reader.read(text).sentences:
            assert text[sentence.start:sentence.end] == sentence.text


def test_pipeline_line_breaks_are_hard_sentence_boundaries(reader):
    text = "The port reopened on Monday after the strike\nOfficials said 40 ships were waiting."
    sentences = reader.read(text).sentences
    assert not any("\n" in s.text for s in sentences)


def test_pipeline_no_sentence_starts_mid_clause(reader, samples):
    """spaCy alone splits '... September 27 and on Wednesday | Armenian Prime Minister ...'."""
    sentences = [s.text for s in reader.read(samples["karabakh-death-toll"]).sentences]
    boasted = next(s for s in sentences if s.startswith("He has repeatedly boasted"))
    assert boasted.endswith("on the frontline.")


def test_pipeline_off_topic_teasers_are_not_claims_and_have_no_speaker(reader, samples):
    article = reader.read(samples["karabakh-death-toll"], outlet="AFP")
    teasers = [s for s in article.sentences if s.text.startswith(("The delicate truce", "She was the first", "Both the US and China"))]
    assert len(teasers) == 3
    assert all(not s.is_claim and s.speaker is None for s in teasers)
    assert not any(s.speaker and s.speaker.name in {"Vladimir Putin", "Ilham Aliyev"} for s in teasers)


def test_pipeline_full_stopped_off_topic_line_at_the_end_is_a_teaser(reader):
    text = (
        "The city council approved the new tram line on Tuesday.\n"
        "The line will connect the airport with the central station by 2028.\n"
        "Councillors said the project would cost 300 million euros.\n"
        "Scientists have discovered a new species of frog in the Amazon rainforest."
    )
    frog = reader.read(text).sentences[-1]
    assert frog.text.startswith("Scientists have discovered")
    assert not frog.is_claim and frog.speaker is None


def test_pipeline_questions_and_fragments_are_not_claims(reader):
    text = "Is the ceasefire holding?\nThe ceasefire collapsed on Sunday, the army said."
    claims = {s.text: s.is_claim for s in reader.read(text).sentences}
    assert claims == {"Is the ceasefire holding?": False, "The ceasefire collapsed on Sunday, the army said.": True}


def test_pipeline_narration_without_outlet_is_publisher(reader):
    sentence = reader.read("The bridge was closed for repairs in May.").sentences[0]
    assert sentence.speaker.kind == PUBLISHER and sentence.speaker.name == "publisher"


def test_pipeline_short_articles_keep_all_their_lines(reader):
    text = "The plant produced 9,400 cubic metres of water a day, the utility said.\nEngineers expect output to double by 2027."
    assert all(s.is_claim for s in reader.read(text).sentences)


def test_pipeline_titles_and_initials_do_not_end_sentences(reader):
    text = "Pres. Obama said on Monday that Sen. Warren and John F. Kennedy Jr. were right. The bill passed."
    sentences = [s.text for s in reader.read(text).sentences]
    assert sentences == ["Pres. Obama said on Monday that Sen. Warren and John F. Kennedy Jr. were right.", "The bill passed."]


def test_pipeline_straight_quotes_open_or_close_by_their_spacing(reader):
    text = ("He said he had never met with Mr. Cruz. ''I don't want to be involved,'' he said. "
            "Later he called Mr. Cruz.'' Nobody answered.")
    sentences = [s.text for s in reader.read(text).sentences]
    assert sentences == ["He said he had never met with Mr. Cruz.", "''I don't want to be involved,'' he said.",
                         "Later he called Mr. Cruz.''", "Nobody answered."]


def test_pipeline_quote_after_a_full_stop_gets_its_own_speaker(reader):
    text = "Mr. Smith praised the plan at the meeting. ''It will save lives,'' said Dr. Jane Roe, a surgeon."
    sentences = reader.read(text).sentences
    assert [s.text for s in sentences][1] == "''It will save lives,'' said Dr. Jane Roe, a surgeon."
    assert sentences[1].speaker.name == "Jane Roe"
