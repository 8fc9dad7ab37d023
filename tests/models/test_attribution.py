"""Speaker attribution on short invented sentences and on the two real samples.

The real spaCy model parses everything here (no mocks); each paragraph is one line,
as the pipeline gives them.
"""
from __future__ import annotations

import pytest

from models.article import (
    DIRECT,
    GOVERNMENT,
    INDIRECT,
    NO_QUOTE,
    ORGANIZATION,
    PERSON,
    PUBLISHER,
    UNKNOWN,
    Paragraph,
)
from models.attribution import AttributionError, SpeakerAttributor

@pytest.fixture(scope="session")
def attributor():
    return SpeakerAttributor()


@pytest.fixture(scope="session")
def attribute(nlp, attributor):
    """Attribute a text of one paragraph per line; returns [(sentence text, Speaker)]."""

    def run(text: str, outlet: str | None = "Example News"):
        paragraphs = []
        offset = 0
        for line in text.split("\n"):
            if line.strip():
                paragraphs.append(Paragraph(start=offset, end=offset + len(line)))
            offset += len(line) + 1
        for paragraph, doc in zip(paragraphs, nlp.pipe(text[p.start:p.end] for p in paragraphs)):
            paragraph.doc = doc
        speakers = attributor.attribute(paragraphs, outlet)
        pairs = []
        for paragraph, paragraph_speakers in zip(paragraphs, speakers):
            sentences = list(paragraph.doc.sents)
            assert len(sentences) == len(paragraph_speakers)
            for sentence, speaker in zip(sentences, paragraph_speakers):
                if speaker.mention is not None:
                    mention = speaker.mention
                    assert text[mention.start:mention.end] == mention.text
                pairs.append((sentence.text, speaker))
        return pairs

    return run


def speakers_of(pairs):
    return [speaker for _, speaker in pairs]


def test_attribution_narration_is_publisher(attribute):
    [speaker] = speakers_of(attribute("The conflict erupted again into full-scale fighting last month."))
    assert speaker.kind == PUBLISHER
    assert speaker.name == "Example News"
    assert speaker.quote == NO_QUOTE
    assert speaker.mention is None


def test_attribution_publisher_without_outlet(attribute):
    [speaker] = speakers_of(attribute("The bridge reopened on Monday.", outlet=None))
    assert speaker.kind == PUBLISHER and speaker.name == "publisher"


def test_attribution_title_split_from_name(attribute):
    text = "Russian President Vladimir Putin said on Thursday that almost 5,000 people had died."
    [speaker] = speakers_of(attribute(text))
    assert speaker.name == "Vladimir Putin"
    assert speaker.role == "Russian President"
    assert speaker.kind == PERSON
    assert speaker.quote == INDIRECT
    assert speaker.cue == "said"
    assert speaker.mention.text == "Russian President Vladimir Putin"


def test_attribution_appositive_role(attribute):
    text = "Hugh Hill, a doctor at the hospital, said the wards were full."
    [speaker] = speakers_of(attribute(text))
    assert speaker.name == "Hugh Hill"
    assert speaker.role == "a doctor at the hospital"
    assert speaker.mention.text.startswith("Hugh Hill, a doctor at the hospital")


def test_attribution_quote_with_attribution_at_end(attribute):
    text = "“We are ready. The plan is sound and we will carry it out,” Mayor Jane Smith said."
    speakers = speakers_of(attribute(text))
    assert len(speakers) == 2
    assert [s.name for s in speakers] == ["Jane Smith", "Jane Smith"]
    assert all(s.quote == DIRECT for s in speakers)
    assert speakers[0].mention.text == "Mayor Jane Smith"


def test_attribution_quote_with_attribution_at_start(attribute):
    text = 'Jane Smith said: "We are ready for the storm. Nobody will be left behind tonight."'
    speakers = speakers_of(attribute(text))
    assert [s.name for s in speakers] == ["Jane Smith", "Jane Smith"]
    assert all(s.quote == DIRECT for s in speakers)


def test_attribution_quote_with_attribution_in_middle(attribute):
    text = '"We are ready for the storm," Jane Smith said. "Nobody will be left behind tonight."'
    speakers = speakers_of(attribute(text))
    assert [s.name for s in speakers] == ["Jane Smith", "Jane Smith"]
    assert speakers[1].quote == DIRECT


def test_attribution_quote_across_paragraphs(attribute):
    text = (
        "“We are ready for the storm and we have prepared for weeks,” said Jane Smith, the mayor.\n"
        "The city opened three shelters on Monday.\n"
        "Smith said: “Everyone will have a bed tonight. We have enough food for a week.\n"
        "“Nobody will be left behind in this city.”"
    )
    pairs = attribute(text)
    speakers = speakers_of(pairs)
    assert speakers[0].name == "Jane Smith" and speakers[0].quote == DIRECT
    assert speakers[0].role == "the mayor"
    assert speakers[1].kind == PUBLISHER
    assert [s.name for s in speakers[2:]] == ["Jane Smith"] * 3
    assert speakers[-1].quote == DIRECT
    assert speakers[-1].mention.text == "Smith"


def test_attribution_inverted_said(attribute):
    text = '"The plan is sound and it will work," said John Smith.'
    [speaker] = speakers_of(attribute(text))
    assert speaker.name == "John Smith"
    assert speaker.quote == DIRECT
    assert speaker.cue == "said"


def test_attribution_told_reporters(attribute):
    text = "Mayor Jane Smith told reporters the bridge would reopen next week."
    [speaker] = speakers_of(attribute(text))
    assert speaker.name == "Jane Smith"
    assert speaker.role == "Mayor"
    assert speaker.cue == "told"


def test_attribution_in_a_statement(attribute):
    text = "In a statement, the Red Cross condemned the attack on the convoy."
    [speaker] = speakers_of(attribute(text))
    assert speaker.name == "Red Cross"
    assert speaker.kind == ORGANIZATION
    assert speaker.cue == "In a statement"


def test_attribution_said_on_twitter(attribute):
    text = "Jane Smith said on Twitter that the bridge would reopen next week."
    [speaker] = speakers_of(attribute(text))
    assert speaker.name == "Jane Smith"
    assert speaker.cue == "said"


def test_attribution_passive_agent(attribute):
    text = "The truce held despite a shooting claimed by Hamas that killed three people."
    [speaker] = speakers_of(attribute(text))
    assert speaker.name == "Hamas"
    assert speaker.kind == ORGANIZATION
    assert speaker.cue == "claimed by"
    assert speaker.mention.text == "Hamas"


@pytest.mark.parametrize(
    "text",
    [
        "According to the health ministry, 20 people died in the attack.",
        "The death toll, according to the health ministry, rose to 20 on Monday.",
        "Twenty people died in the attack, according to the health ministry.",
    ],
)
def test_attribution_according_to_anywhere(attribute, text):
    [speaker] = speakers_of(attribute(text))
    assert speaker.name == "health ministry"
    assert speaker.kind == ORGANIZATION
    assert speaker.cue.lower() == "according to"
    assert speaker.mention.text == "the health ministry"


def test_attribution_organization_speaker(attribute):
    [speaker] = speakers_of(attribute("The ministry said 20 people died in the attack."))
    assert speaker.name == "ministry"
    assert speaker.kind == ORGANIZATION
    assert speaker.mention.text == "The ministry"


@pytest.mark.parametrize("capital", ["Washington", "Moscow", "Yerevan", "Baku", "The Kremlin"])
def test_attribution_capital_is_government(attribute, capital):
    [speaker] = speakers_of(attribute(f"{capital} says the talks have failed."))
    assert speaker.kind == GOVERNMENT
    assert speaker.mention.text == capital


def test_attribution_nested_speech_keeps_outer_speaker(attribute):
    text = "Jane Smith said John Brown told her the bridge was unsafe."
    [speaker] = speakers_of(attribute(text))
    assert speaker.name == "Jane Smith"


def test_attribution_pronoun_resolved_to_full_name(attribute):
    text = (
        "President Ilham Aliyev visited the front on Monday.\n"
        "He has repeatedly boasted of military gains."
    )
    speakers = speakers_of(attribute(text))
    assert speakers[1].name == "Ilham Aliyev"
    assert speakers[1].role == "President"
    assert speakers[1].mention.text == "He"
    assert speakers[1].cue == "boasted"


def test_attribution_surname_resolved_to_full_name(attribute):
    text = (
        "Russian President Vladimir Putin met his advisers on Thursday.\n"
        "Putin said the talks would continue."
    )
    speakers = speakers_of(attribute(text))
    assert speakers[1].name == "Vladimir Putin"
    assert speakers[1].role == "Russian President"
    assert speakers[1].mention.text == "Putin"


def test_attribution_relative_pronoun_resolved(attribute):
    text = "The plan was drafted by Jane Smith, who said it would save money."
    [speaker] = speakers_of(attribute(text))
    assert speaker.name == "Jane Smith"
    assert speaker.mention.text == "who"


@pytest.mark.parametrize("verb", ["acknowledged", "boasted", "warned", "insisted", "admitted"])
def test_attribution_other_verbs_of_saying(attribute, verb):
    text = f"Prime Minister Nikol Pashinyan {verb} that his country was facing a difficult situation."
    [speaker] = speakers_of(attribute(text))
    assert speaker.name == "Nikol Pashinyan"
    assert speaker.kind == PERSON
    assert speaker.kind != UNKNOWN
    assert speaker.cue == verb


def test_attribution_scare_quotes_stay_indirect(attribute):
    text = "Putin said that he was in “constant” communication with both leaders."
    [speaker] = speakers_of(attribute(text))
    assert speaker.quote == INDIRECT


def test_attribution_quoted_verb_is_not_a_cue(attribute):
    text = '"They said it could not be done, and we did it," Jane Smith said.'
    [speaker] = speakers_of(attribute(text))
    assert speaker.name == "Jane Smith"


def test_attribution_needs_parsed_paragraphs(attributor):
    with pytest.raises(AttributionError):
        attributor.attribute([Paragraph(start=0, end=10)], None)


# --- the two real samples, through the ArticleReader ---------------------------------


@pytest.fixture(scope="session")
def read_samples(samples, reader):
    """The samples as the pipeline reads them (tests/conftest.py has the texts and reader)."""
    return {name: reader.read(text, outlet="AFP") for name, text in samples.items()}


def speaker_of(article, beginning):
    [sentence] = [s for s in article.sentences if s.text.startswith(beginning)]
    return sentence.speaker


def test_attribution_sample_putin_quote(read_samples):
    speaker = speaker_of(read_samples["karabakh-death-toll"], "“According to our data")
    assert speaker.name == "Vladimir Putin"
    assert speaker.kind == PERSON
    assert speaker.quote == DIRECT
    assert speaker.role == "Russian President"


def test_attribution_sample_pronoun_aliyev(read_samples):
    article = read_samples["karabakh-death-toll"]
    speaker = speaker_of(article, "He has repeatedly boasted")
    assert speaker.name == "Ilham Aliyev"
    assert speaker.mention.text == "He"
    assert article.text[speaker.mention.start:speaker.mention.end] == "He"


def test_attribution_sample_yerevan_government(read_samples):
    speaker = speaker_of(read_samples["azerbaijan-iran-border"], "Yerevan says 874")
    assert speaker.name == "Yerevan"
    assert speaker.kind == GOVERNMENT
    assert speaker.cue == "says"


def test_attribution_sample_icrc_quote(read_samples):
    speaker = speaker_of(read_samples["azerbaijan-iran-border"], '"We insist that the sides')
    assert speaker.name == "Gerardo Moloeznik"
    assert speaker.quote == DIRECT


def test_attribution_sample_narration_is_publisher(read_samples):
    speaker = speaker_of(read_samples["azerbaijan-iran-border"], "The conflict erupted again")
    assert speaker.kind == PUBLISHER
    assert speaker.name == "AFP"


def test_attribution_sample_aliyev_tweet(read_samples):
    speaker = speaker_of(read_samples["azerbaijan-iran-border"], '"The state border')
    assert speaker.name == "Ilham Aliyev"
    assert speaker.role == "President"
    assert speaker.quote == DIRECT


def test_attribution_colon_introduces_next_paragraph(attribute):
    text = (
        "The mayor addressed the crowd on Monday. Jane Smith said:\n"
        "“We are ready for the storm. Nobody will be left behind tonight.”"
    )
    speakers = speakers_of(attribute(text))
    assert speakers[0].kind == PUBLISHER
    assert [s.name for s in speakers[2:]] == ["Jane Smith", "Jane Smith"]
    assert all(s.quote == DIRECT for s in speakers[2:])


def test_attribution_headline_colon(attribute):
    [speaker] = speakers_of(attribute("Marco Rubio: I still believe the deal is a mistake."))
    assert speaker.name == "Marco Rubio"
    assert speaker.cue == ":"


def test_attribution_quote_borrows_cue_of_next_quote(attribute):
    text = "“We are ready for the storm.” “Nobody will be left behind tonight,” Jane Smith said."
    speakers = speakers_of(attribute(text))
    assert [s.name for s in speakers] == ["Jane Smith", "Jane Smith"]


def test_attribution_statement_saying(attribute):
    text = "The ministry released a statement saying the border was secure."
    [speaker] = speakers_of(attribute(text))
    assert speaker.name == "ministry"
    assert speaker.cue == "saying"


def test_attribution_participle_saying_takes_main_subject(attribute):
    text = "Jane Smith hit back on Monday, saying the report was wrong."
    [speaker] = speakers_of(attribute(text))
    assert speaker.name == "Jane Smith"


def test_attribution_attitude_verb_is_not_speech(attribute):
    [speaker] = speakers_of(attribute("Jane Smith praised the firefighters on Monday."))
    assert speaker.kind == PUBLISHER


def test_attribution_dateline_not_in_mention(attribute):
    text = "NEW YORK (AP) — Mayor Jane Smith said the bridge would reopen next week."
    [speaker] = speakers_of(attribute(text))
    assert speaker.mention.text == "Mayor Jane Smith"


def test_attribution_reported_speech_clause_cut_from_mention(attribute):
    text = "“We will rebuild,” said Jane Smith, who said the city had enough money."
    [speaker] = speakers_of(attribute(text))
    assert speaker.mention.text == "Jane Smith"
    assert speaker.name == "Jane Smith"


def test_cues_depth_counts_from_sentence_root(nlp):
    from models.attribution.cues import find_cues

    sentence = next(nlp("Jane Smith said that John Brown told reporters the plan had failed.").sents)
    cues = find_cues(sentence, lambda token: False)
    assert [cue.token.text for cue in cues] == ["said", "told"]
    assert cues[0].depth == 0


def test_cues_subject_nearest_the_verb(attribute):
    text = ("“Our popularity is strong enough to put states in play that Republicans don’t usually win "
            "anymore: Michigan, Pennsylvania, Virginia, Florida, Ohio,” Mr. Trump said.")
    [speaker] = speakers_of(attribute(text))
    assert speaker.mention.text == "Mr. Trump"


def test_cues_colon_after_dash(attribute):
    text = "Pollsters agree - Carl Bialik: “One of the biggest lessons was a simple one: keep calling voters.”"
    [speaker] = speakers_of(attribute(text))
    assert speaker.name == "Carl Bialik"
    assert speaker.cue == ":"


def test_cues_colon_title_case_headline(attribute):
    [speaker] = speakers_of(attribute("Sanders: Clinton Email Story Has Moved."))
    assert speaker.mention.text == "Sanders"


@pytest.mark.parametrize("text", [
    "Breaking: Bernie Sanders Just Got A Major Win In This State.",
    "Editor’s Note: The following is part 3 of 3 excerpts from the book.",
    "The Latest: Cruz to give away engraved shotgun.",
])
def test_cues_heading_colon_is_not_a_speaker(attribute, text):
    [speaker] = speakers_of(attribute(text))
    assert speaker.kind == PUBLISHER


@pytest.mark.parametrize("text", [
    "“I will be voting in March,” Peter Welch said, according to Vermont Edition.",
    "According to Vermont Edition, Peter Welch said he would be voting in March.",
])
def test_cues_according_to_outranks_the_verb_it_reports(attribute, text):
    [speaker] = speakers_of(attribute(text))
    assert speaker.mention.text == "Vermont Edition"
    assert speaker.cue.lower() == "according to"


def test_cues_medium_without_content_is_not_speech(attribute):
    [speaker] = speakers_of(attribute("In an interview with ABC News over the weekend, Jane Smith laughed off the attack ad."))
    assert speaker.kind == PUBLISHER


def test_cues_medium_with_quote_is_speech(attribute):
    text = "In a Fox interview later that day, Jane Smith went further: “It is the end of his career.”"
    [speaker] = speakers_of(attribute(text))
    assert speaker.name == "Jane Smith"


def test_cues_subject_stranded_by_the_parser(attribute):
    text = ("Alarmed by the unrest in Nevada, Senator Harry Reid, the minority leader, said that he spoke "
            "with Mr. Sanders on Tuesday.")
    [speaker] = speakers_of(attribute(text))
    assert speaker.name == "Harry Reid"


@pytest.mark.parametrize("text", [
    "Jane Smith is adding to her wins earlier this year in Nevada and Ohio.",
    "As the report recommended, the party reached out to young voters.",
    "Jane Smith wants to tell her story to the voters of Ohio.",
])
def test_cues_verb_without_reported_content_is_not_speech(attribute, text):
    [speaker] = speakers_of(attribute(text))
    assert speaker.kind == PUBLISHER


def test_cues_infinitive_with_content_is_speech(attribute):
    [speaker] = speakers_of(attribute("Jane Smith went on to say that the bridge would reopen next week."))
    assert speaker.name == "Jane Smith"


def test_cues_according_to_closing_the_sentence_reports_all_of_it(attribute):
    text = ("Ohio Gov. John Kasich said he would have fired his manager if such an incident had happened "
            "in his campaign, according to press reports.")
    [speaker] = speakers_of(attribute(text))
    assert speaker.mention.text == "press reports"


def test_cues_saying_after_a_preposition_takes_main_subject(attribute):
    text = "Jane Smith distanced herself from the movement by saying she would help the campaign."
    [speaker] = speakers_of(attribute(text))
    assert speaker.name == "Jane Smith"
    assert speaker.cue == "saying"


def test_cues_concluded_with_a_quote(attribute):
    [speaker] = speakers_of(attribute("Jane Smith concluded, “We will rebuild the bridge by the spring.”"))
    assert speaker.name == "Jane Smith"


def test_attributor_quote_then_bare_cue_sentence(attribute):
    text = "“Not us but we can’t argue with it!” Mike Murphy wrote on Twitter on Friday."
    speakers = speakers_of(attribute(text))
    assert [s.name for s in speakers] == ["Mike Murphy", "Mike Murphy"]
    assert speakers[0].quote == DIRECT


def test_attributor_quote_before_reporting_sentence_keeps_publisher(attribute):
    text = "“We will win.” Jane Smith said the campaign had raised two million dollars."
    speakers = speakers_of(attribute(text))
    assert speakers[1].name == "Jane Smith"
    assert speakers[0].kind == PUBLISHER


def test_cues_a_text_that_reads_a_quote(attribute):
    [speaker] = speakers_of(attribute("“We are still with Sanders,” the sign read."))
    assert speaker.mention.text == "the sign"
    [speaker] = speakers_of(attribute("Jane Smith read the newspaper on the train to Boston."))
    assert speaker.kind == PUBLISHER
