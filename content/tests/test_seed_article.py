"""The seed article can be reassembled, sentence by sentence, through /graphql/."""

import json
import re
from pathlib import Path

SEED = Path("/work/shared/seed/physical-therapy-or-personal-training.txt")
NOISE = {"top of page", "bottom of page", "105 views0 comments"}
QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})

SEED_QUERY = """
query Seed($slug: String!) {
  article(slug: $slug) {
    title subtitle summary bodyText
    authors { name credentials role }
    body {
      __typename
      ... on BodyHeading { heading level }
      ... on BodyParagraph { text { text } }
      ... on BodyCallout { kind leadIn text { text } attribution }
      ... on BodySpectrum { title stages { name ledBy description } }
      ... on BodyComparisonTable {
        table { title columns rows { criterion cells { text } } jurisdiction }
      }
      ... on BodyCallToAction { heading text { text } buttonLabel url }
    }
  }
  organisationSettings { clinicName bookingUrl socialLinks { platform url linkText } }
}
"""


def normalise(text: str) -> str:
    return " ".join(text.translate(QUOTES).split())


def seed_sentences() -> list[str]:
    sentences = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line in NOISE:
            continue
        sentences += [s for s in re.split(r"(?<=[.!?])\s+", line) if s]
    return [normalise(s) for s in sentences]


def strings(node) -> list[str]:
    """Every string in a JSON response, depth first, in document order."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for item in node for s in strings(item)]
    return []


def test_every_seed_sentence_is_served_through_graphql(demo, gql):
    data = gql.data(SEED_QUERY, {"slug": demo.slug})
    served = normalise(" ".join(strings(data)))

    sentences = seed_sentences()
    assert len(sentences) > 60
    missing = [s for s in sentences if s not in served]

    assert missing == [], json.dumps(missing, indent=2, ensure_ascii=False)


def test_body_text_alone_holds_every_body_sentence_in_order(demo, gql):
    data = gql.data(SEED_QUERY, {"slug": demo.slug})
    body_text = normalise(data["article"]["bodyText"])

    first = body_text.index("A common question we hear is:")
    table = body_text.index("Educational Minimal Requirements:")
    closing = body_text.index("Closing Remarks:")
    assert first < table < closing
    assert "top of page" not in body_text
    assert "105 views" not in body_text


def test_seed_table_has_three_criteria_and_six_cells_in_order(demo, gql):
    data = gql.data(SEED_QUERY, {"slug": demo.slug})
    tables = [b for b in data["article"]["body"] if "table" in b]
    assert len(tables) == 1
    table = tables[0]["table"]

    assert table["columns"] == ["Physical Therapists", "Personal Trainers"]
    assert table["jurisdiction"] == "Wisconsin"
    assert [row["criterion"] for row in table["rows"]] == [
        "Educational Minimal Requirements:",
        "Ongoing Education",
        "Advanced Training",
    ]
    paragraphs = [
        [cell["text"].split("\n\n") for cell in row["cells"]] for row in table["rows"]
    ]
    assert [[len(cell) for cell in row] for row in paragraphs] == [
        [2, 2],
        [1, 1],
        [2, 1],
    ]
    assert paragraphs[0][0][0].startswith("Entry Level bachelor")
    assert paragraphs[0][1][1].startswith("There are many different governing bodies")
    assert paragraphs[1][0][0].startswith("Must maintain licensure")
    assert paragraphs[1][1][0].startswith("Must obtain continuing education")
    assert paragraphs[2][0][1].startswith("Some therapists may hold")
    assert paragraphs[2][1][0].startswith("None- May hold")


def test_five_social_links_come_from_the_organisation_settings(demo, gql):
    data = gql.data(SEED_QUERY, {"slug": demo.slug})
    links = data["organisationSettings"]["socialLinks"]

    assert [link["platform"] for link in links] == [
        "FACEBOOK",
        "INSTAGRAM",
        "YOUTUBE",
        "GOOGLE",
        "JANE_APP",
    ]
    assert [link["linkText"] for link in links][0] == "Check us out on Facebook!"
    assert all(link["url"].startswith("https://") for link in links)


def test_seed_article_has_spectrum_callouts_and_closing_call_to_action(demo, gql):
    body = gql.data(SEED_QUERY, {"slug": demo.slug})["article"]["body"]
    kinds = [block["__typename"] for block in body]

    assert kinds.count("BodyHeading") == 3
    spectrum = next(b for b in body if b["__typename"] == "BodySpectrum")
    assert [s["name"] for s in spectrum["stages"]] == [
        "Medical care",
        "Physical therapy",
        "Fitness and performance",
    ]
    assert [b["kind"] for b in body if b["__typename"] == "BodyCallout"] == [
        "QUOTE",
        "ANALOGY",
    ]
    # The closing call to action, then the partner trainers it points to.
    assert kinds[-2:] == ["BodyCallToAction", "BodyFeaturedTrainers"]
    assert body[-2]["url"].startswith("https://")


def test_the_seed_article_shows_105_views_and_0_comments(demo, gql):
    query = """
    query Seed($slug: String!) {
      article(slug: $slug) { viewCount commentCount comments { totalCount } }
    }
    """
    article = gql.data(query, {"slug": demo.slug})["article"]

    assert article == {
        "viewCount": 105,
        "commentCount": 0,
        "comments": {"totalCount": 0},
    }


def test_loading_the_demo_twice_keeps_105_views(demo, gql):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo_content", stdout=StringIO())
    query = "query Seed($slug: String!) { article(slug: $slug) { viewCount } }"
    assert gql.data(query, {"slug": demo.slug})["article"]["viewCount"] == 105
