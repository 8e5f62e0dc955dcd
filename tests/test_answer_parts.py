"""The parts behind grounded answers, without a database: the route table, document-aware routing rules, sentence
scoring, industry knowledge retrieval over the Q&A files, and the factual-correctness scorer."""

from __future__ import annotations

import json

import pytest

from agents import doc_routing, routes
from agents.extractive import extractive_answer, passage_cover, score_sentences, split_sentences
from agents.graph import _docs_instead, build_graph
from agents.router import ROUTES, RouteDecision
from tools import industry_kb
from training import factual


def decision(route: str, runner_up: str = "industry") -> RouteDecision:
    return RouteDecision(route=route, score=0.6, scores={r: 0.1 for r in ROUTES}, margin=0.2,
                         best=route if route in ROUTES else "docs", runner_up=runner_up, similarity=0.5)


def test_route_table_drives_the_graph_and_the_router():
    assert set(routes.ROUTE_NAMES) == {"sql", "docs", "industry", "clarify", "smalltalk"}
    assert routes.TOOL_ROUTES == ("sql", "docs", "industry")
    assert ROUTES == routes.ROUTABLE and routes.CLARIFY not in ROUTES
    nodes = set(build_graph().nodes)
    assert {r.node for r in routes.ROUTE_TABLE} <= nodes
    assert routes.label("docs") == "Your documents" and routes.label("nope") == "nope"
    assert routes.is_tool("industry") and not routes.is_tool("clarify") and not routes.is_tool(None)


@pytest.mark.parametrize(("question", "router_route", "doc", "kb", "expected"), [
    ("How long is our trial for contact lenses?", "industry", 0.2, 0.7, "docs"),  # own + policy word
    ("what's the fee we charge for a remake", "sql", 0.3, 0.0, "docs"),
    ("how many frames did we sell in May", "sql", 0.7, 0.0, "sql"),  # numbers asked for: stays
    ("What is a typical remake rate across the industry?", "industry", 0.9, 0.3, "industry"),  # industry-wide cue
    ("Would a warranty usually cover a snapped hinge?", "docs", 0.3, 0.7, "industry"),  # ... even from docs
    ("Are lost glasses covered?", "industry", 0.7, 0.5, "docs"),  # a passage answers it well, better than the kb
    ("Are lost glasses covered?", "industry", 0.7, 0.8, "industry"),  # ... the knowledge answers it better
    ("Are lost glasses covered?", "industry", 0.5, 0.3, "docs"),  # ... a fair match, better than the kb
    ("Are lost glasses covered?", "industry", 0.3, 0.2, "industry"),  # ... the documents do not cover it
    ("Who can book a home visit?", "clarify", 0.5, 0.3, "docs"),  # unsure router + a fair match
    ("can i sleep in my contacts", "smalltalk", 0.1, 0.9, "industry"),  # the knowledge answers it
    ("thanks, bye", "smalltalk", 0.1, 0.1, "smalltalk"),
    ("Which stores open on Sundays?", "sql", 0.8, 0.2, "docs"),  # no numbers cue + strong match
    ("What is myopia?", "docs", 0.1, 0.8, "industry"),  # documents do not cover it, the knowledge does
    ("What is myopia?", "docs", 0.1, 0.3, "docs"),  # neither: the docs route says it is not covered
    ("What is myopia?", "docs", 0.5, 0.8, "docs"),
    ("What is myopia?", "docs", 0.4, 0.8, "industry"),  # the knowledge answers it far better
    ("What is our policy on myopia?", "docs", 0.4, 0.8, "docs"),  # ... but the question is about the company
])
def test_document_signal_revises_the_route(question, router_route, doc, kb, expected):
    revised = doc_routing.revise(decision(router_route), doc_routing.cues(question, doc, kb))
    assert revised.route == expected, revised


@pytest.mark.parametrize(("question", "router_route", "kb", "expected"), [
    # what each business decides for itself goes to its documents, which answer or say they do not cover it
    ("Is there a student discount on glasses?", "industry", 0.5, "docs"),
    ("is there free parking at the Riverside store", "smalltalk", 0.1, "docs"),
    ("Is there a student discount on glasses?", "industry", 0.9, "industry"),  # the knowledge answers it closely
    ("Do students usually get a discount at opticians?", "industry", 0.5, "industry"),  # asks what is typical
    # "you" meaning the business, and the company's own name, are "our / we"
    ("Do you do hearing tests?", "clarify", 0.3, "docs"),
    ("which towns have an Acme Optics practice", "clarify", 0.2, "docs"),
    ("which towns have a practice", "clarify", 0.2, "clarify"),
    # "the US" is a country, not "us"
    ("Is ortho-k approved in the US?", "industry", 0.5, "industry"),
    ("how many frames did you sell in May", "sql", 0.1, "sql"),  # numbers: the SQL tool's
    # what the business itself does, offers or charges: only its documents can say, however well the knowledge
    # base knows the thing itself
    ("Do you do laser eye surgery?", "industry", 0.9, "docs"),
    ("Can you courier my lenses to a farm out of town?", "sql", 0.3, "docs"),
    ("what do gold card holders pay for an eye exam", "industry", 0.6, "docs"),
    ("the coating is peeling after 10 months, is that covered", "industry", 0.7, "docs"),
    ("Where are you located?", "smalltalk", 0.2, "docs"),
    ("How much do people usually pay for an eye exam?", "industry", 0.6, "industry"),  # what is typical
    ("do you have a name", "smalltalk", 0.1, "smalltalk"),
    ("can you do my tax return", "smalltalk", 0.1, "smalltalk"),
    # a question of the trade is not small talk: the documents or the knowledge answer, or say they cannot
    ("lost my specs at the beach, will the cover pay out", "smalltalk", 0.5, "docs"),
    ("got a metal splinter in my eye at work, what should I do", "smalltalk", 0.5, "docs"),
    ("got a metal splinter in my eye at work, what should I do", "smalltalk", 0.7, "industry"),
    ("what is the capital of japan", "smalltalk", 0.1, "smalltalk"),
    # how long the business's own service takes is its documents' answer; how long the eyes take to adapt is not
    ("how long does an eye test take", "industry", 0.9, "docs"),
    ("how soon will my glasses be ready", "industry", 0.8, "docs"),
    ("how long does it take to get used to new glasses", "industry", 0.8, "industry"),
    # what the business can do, which of its locations, what to bring to its appointments
    ("my son's short sight keeps getting worse, what can you do?", "industry", 0.7, "docs"),
    ("Which locations do eye tests at people's homes?", "industry", 0.6, "docs"),
    ("What should I bring along to my eye examination?", "clarify", 0.7, "docs"),
    # what something costs here, and what a customer arranges with the business
    ("how much is a full eye check", "industry", 0.6, "docs"),
    ("anti-glare coating price", "industry", 0.6, "docs"),
    ("my licence needs an eye test, what does that cost", "industry", 0.5, "docs"),
    ("How much does a retinal camera cost to lease per month?", "industry", 0.7, "industry"),
    ("how much time outdoors do kids need", "industry", 0.7, "industry"),
    ("can I pause my lens plan while I'm abroad", "industry", 0.5, "docs"),
    ("Could I get prescription ski goggles from you?", "industry", 0.8, "docs"),
    ("can I sleep in my contacts", "smalltalk", 0.8, "industry"),
    ("Do you guys stock Maui Jim sunglasses?", "industry", 0.5, "docs"),  # what it offers, not stock figures
    ("how long does the lab take to make my lenses", "industry", 0.8, "docs"),  # the business's own service time
    ("what happens if somebody doesn't turn up for their appointment", "industry", 0.6, "docs"),  # a missed one
    ("can I swap my plan to monthlies", "docs", 0.6, "docs"),  # the documents say, or that they do not cover it
    ("which stores sold the most frames in May", "sql", 0.1, "sql"),  # numbers: the SQL tool's
    ("what can I do about dry eyes", "industry", 0.7, "industry"),
])
def test_company_cues_route_to_the_documents(question, router_route, kb, expected):
    signal = doc_routing.cues(question, 0.2, kb, doc_routing.name_words("acme-optics"))
    assert doc_routing.revise(decision(router_route), signal).route == expected
    assert doc_routing.name_words("acme-optics") == frozenset({"acme"})


POLICY = """# Warranty

## Frames

Frames are covered for 12 months from the dispense date against manufacturing defects such as broken hinges.
Accidental damage (sat on, dropped, chewed by a pet) is not covered, but customers get 40% off a replacement.

## Claims

The customer brings the glasses and the receipt to any store. Repairs done in store are free at any time.
"""


def test_sentences_keep_their_heading_and_the_answering_one_comes_first():
    pairs = split_sentences(POLICY)
    assert ("Frames", "Frames are covered for 12 months from the dispense date against manufacturing defects such "
                      "as broken hinges.") in pairs
    scored = score_sentences("Is accidental damage covered?", [{"title": "Warranty", "text": POLICY}])
    assert scored[0].text.startswith("Accidental damage")
    out = extractive_answer("Is accidental damage covered?", [{"title": "Warranty", "text": POLICY}])
    assert out.covered and out.text.splitlines()[2].startswith("> Accidental damage") and "[1]" in out.text


def test_extractive_answer_refuses_and_names_what_was_searched():
    out = extractive_answer("What is the dress code for staff?", [{"title": "Warranty", "text": POLICY}],
                            ["Warranty", "Returns"])
    assert not out.covered and "\u201cWarranty\u201d" in out.text and "\u201cReturns\u201d" in out.text
    assert ">" not in out.text


def test_industry_knowledge_reads_both_file_formats(tmp_path, monkeypatch):
    qa = tmp_path / "industry_qa"
    qa.mkdir()
    (qa / "lenses.jsonl").write_text(json.dumps({
        "id": "lens-001", "question": "What is a blended bifocal?", "topic": "lens types",
        "answer": "A blended bifocal has a reading segment whose edge is polished away so no line shows.",
        "source": "Dispensing textbook, ch. 7", "key_facts": [], "false_claims": []}) + "\n")
    legacy = tmp_path / "optical_qa.jsonl"
    legacy.write_text(json.dumps({"prompt": "What is a blended bifocal?", "completion": "duplicate"}) + "\n"
                      + json.dumps({"prompt": "What is CR-39?", "completion": "A hard resin plastic."}) + "\n")
    monkeypatch.setattr(industry_kb, "QA_DIR", qa)
    monkeypatch.setattr(industry_kb, "LEGACY_QA", legacy)
    passages = industry_kb.load_passages()
    assert [p.id for p in passages] == ["lens-001", "optical_qa-2"]  # the reviewed file wins a duplicate question
    assert passages[0].source == "Dispensing textbook, ch. 7"


def test_industry_retrieval_supports_known_questions_and_not_unknown_ones():
    found = industry_kb.retrieve("whats short sightedness", include_aggregates=False)
    assert found.supported and "myopia" in found.best.passage.answer.lower()
    assert not industry_kb.retrieve("Who won the 1966 football world cup?", include_aggregates=False).supported


def test_factual_scorer_finds_key_facts_and_false_claims():
    wrong = ("Photochromic lenses are made of photoconductive glass controlled by fiber optics. High-index lenses, "
             "which are thinner, lower the risk of cataract surgery.")
    s = factual.score(wrong, ["darken when exposed to ultraviolet light"],
                      ["photochromic lenses are photoconductive glass", "high-index lenses lower the risk of "
                       "cataract surgery"])
    assert s.missing and len(s.false_stated) == 2 and not s.right
    right = ("Photochromic lenses darken when exposed to ultraviolet light and clear again indoors. High-index lenses "
             "do not lower the risk of cataract surgery; they are thinner.")
    s = factual.score(right, ["darken when exposed to ultraviolet light"],
                      ["high-index lenses lower the risk of cataract surgery"])
    assert s.right
    # the claim's words in another order, or with the opposite comparative, are not the claim
    assert not factual.claim_stated("OD is the right eye, OS is the left eye.", "OS is the right eye")
    assert not factual.claim_stated("A higher Abbe value means fewer colour fringes.",
                                    "higher abbe value means more colour fringes")
    assert factual.fact_stated("No lens is scratch proof.", "no lens is scratch proof")
    assert not factual.fact_stated("Every lens is scratch proof.", "no lens is scratch proof")


def test_factual_check_set_is_well_formed():
    cases = factual.load_cases()
    assert len(cases) >= 50 and len({c.id for c in cases}) == len(cases)
    answerable = [c for c in cases if c.expect == "answer"]
    assert all(c.key_facts for c in answerable)
    assert sum(bool(c.false_claims) for c in answerable) >= 30


COVER = """# Breakage cover

Breakage cover costs $39 per pair and must be bought on the day the glasses are ordered.
Glasses damaged while driving are covered only with a police report.
It covers accidental damage to the frame and lenses for 24 months, including damage by pets and sports accidents.
Loss and theft are not covered.
Each covered pair can be replaced up to two times during the cover period.
"""

HOURS = """NORTHWIND OPTICAL: STORES

OPENING HOURS

| Store | Weekdays | Sunday |
|---|---|---|
| Harbourside | 9am to 6pm | 10am to 4pm |
| Old Town | 9am to 5pm | closed |
| Riverside Mall | 10am to 8pm | 11am to 5pm |

Home visits are offered to people who:
- cannot leave home without help, and
- live within 25 km of a store.
"""


def test_tables_become_one_sentence_per_row_and_capital_lines_are_headings():
    pairs = split_sentences(HOURS)
    assert ("OPENING HOURS", "Old Town: Weekdays 9am to 5pm; Sunday closed") in pairs
    assert all(not s.startswith("OPENING HOURS") for _, s in pairs)


def test_rare_question_words_and_irregular_forms_pick_the_answering_sentence():
    source = [{"title": "Breakage cover", "text": COVER}]
    # "covered" is in most sentences; "lost" (loss) lifts the one that answers above them
    ranked = [s.text for s in score_sentences("Are lost glasses covered?", source)]
    assert ranked.index("Loss and theft are not covered.") < ranked.index(
        "It covers accidental damage to the frame and lenses for 24 months, including damage by pets and sports "
        "accidents.")
    assert "Loss and theft are not covered." in extractive_answer("Are lost glasses covered?", source).text
    # a related word stands in for a missing one (dog ~ pets)
    assert "pets" in score_sentences("is the dog chewing the glasses covered by our breakage cover", source)[0].text


def test_a_question_about_something_the_passages_never_mention_is_not_covered():
    source = [{"title": "Appointments", "text": "Eye examinations take 30 minutes; contact lens fittings take 45 "
               "minutes.\nPatients who miss two appointments pay the exam fee in advance."}]
    share, missing = passage_cover("what is our contact lens trial policy", source)
    assert "trial" in missing
    assert not extractive_answer("what is our contact lens trial policy", source).covered


def test_a_noun_phrase_is_covered_as_a_whole():
    discounts = [{"title": "Discounts", "text": "Children under 16 get 20% off frames.\nStudents get a 10% discount "
                  "on glasses with a valid student card.\nThe kids club is open to children aged 3 to 15."}]
    # the modifier picks out which discount: a seniors discount is not the students' one
    assert "senior" in passage_cover("how much is the senior discount on frames", discounts)[1]
    assert not extractive_answer("how much is the senior discount on frames", discounts).covered
    assert extractive_answer("how much is the student discount on frames", discounts).covered
    # "limit" names the form of the answer, not something the passages must mention
    limit = extractive_answer("what's the age limit for the kids club", discounts)
    assert limit.covered and "aged 3 to 15" in limit.text


def test_names_are_themselves_and_a_long_question_may_tell_a_story():
    stores = [{"title": "Our offices", "text": "We have offices in Boulder, Loveland and Fort Collins.\nFree parking "
               "is available in the lot behind the Boulder office.\nMedicare covers one eye exam a year for "
               "patients over 65.\nUnopened boxes of contact lenses bought from us can be returned within 12 months "
               "of purchase for a refund."}]
    # the Boulder office's parking does not answer for Loveland; Medicaid is not Medicare
    assert not extractive_answer("is there free parking at the Loveland office", stores).covered
    assert extractive_answer("is there free parking at the Boulder office", stores).covered
    assert not extractive_answer("Do we accept Medicaid?", stores).covered
    # one noun of the story around the question ("guy") does not unmake the sentence that answers it
    story = extractive_answer("guy wants to return unopened contacts he bought 8 months ago, ok?", stores)
    assert story.covered and "within 12 months" in story.text
    # who the story is about is never what is asked: a short question may name her too
    mum = extractive_answer("my mum wants to return unopened contacts, can she?", stores)
    assert mum.covered and "within 12 months" in mum.text
    # nor are the business's clients by any name ("a patient") what a question about a named scheme asks about
    acc = [{"title": "Eye injuries", "text": "If you hurt your eye, phone us straight away.\nACC pays most of the "
            "cost of treating an eye injury; you pay a $20 co-payment."}]
    injury = extractive_answer("How much does a patient pay for an eye injury under ACC?", acc)
    assert injury.covered and "$20 co-payment" in injury.text


def test_a_rule_about_one_kind_of_product_does_not_answer_for_another():
    staff = [{"title": "Staff handbook", "text": "Team members buy spectacles and sunglasses at cost price.\n"
              "Eye examinations are free for the team.\nUniforms are provided and must be worn on the shop floor."}]
    # spectacles are not contact lenses: the documents do not say what team members pay for contact lenses
    assert not extractive_answer("Do team members get a discount on contact lenses?", staff).covered
    answer = extractive_answer("Do team members get a discount on glasses?", staff)
    assert answer.covered and "at cost price" in answer.text


def test_a_question_and_answer_document_is_answered_by_its_answer_first():
    faq = [{"title": "FAQ", "text": "Q: Is there a seniors' discount?\nA: Yes. Clients aged 65 and over get 20% off "
            "complete eyewear every day. The seniors' discount cannot be combined with the Contact Lens Club discount "
            "or other promotions.\n\nQ: Do you take card?\nA: We take Visa and Mastercard at every store."}]
    answer = extractive_answer("Is there a discount for seniors on glasses?", faq)
    quoted = [line for line in answer.text.split("\n") if line.startswith("> ")]
    # the answer's first sentence leads; the document's own question is never quoted
    assert answer.covered and "20% off complete eyewear" in quoted[0]
    assert not any("?" in line for line in quoted)


def test_everyday_service_wording_limits_and_roles():
    plan = [{"title": "Lens plan", "text": "Members may pause the plan for up to 3 months a year.\nThe plan costs $25 "
             "a month.\nStore managers approve refunds up to $500.\nRefunds above $500 must be approved by the "
             "regional director.\nA refund is paid to the card used.\nWe do not sell hearing aids."}]
    # "put it on hold" is a pause, "money back" a refund, "sign off" an approval
    hold = extractive_answer("can I put my plan on hold?", plan)
    assert hold.covered and "pause the plan" in hold.text.split("\n")[2]
    # a limit the question's amount falls outside is not the rule for it; "who" wants a person or a role
    big = extractive_answer("who has to sign off a $700 refund", plan)
    assert big.covered and "regional director" in big.text.split("\n")[2]
    small = extractive_answer("who approves a $200 refund", plan)
    assert small.covered and "Store managers" in small.text.split("\n")[2]
    # "It costs ...": what "it" is, the sentence before says
    cover = [{"title": "Guarantee", "text": "Every pair comes with a 12-month guarantee against faults.\nBreakCare "
              "is an optional add-on bought with the glasses. It costs R450 for each pair.\nBreakCare lasts 24 "
              "months."}]
    price = extractive_answer("how much is breakcare", cover)
    assert price.covered and "R450 for each pair" in price.text.split("\n")[2]
    # a sentence that goes on from the answering one is part of its answer
    refunds = [{"title": "Returns", "text": "Glasses made to a prescription are not refunded once the lenses are "
                "cut. Instead the customer gets a credit note for the full amount paid.\nSunglasses can be returned "
                "within 14 days."}]
    back = extractive_answer("can I get a refund on my glasses if I change my mind", refunds)
    assert back.covered and "credit note for the full amount" in back.text
    # "No." is no sentence of its own, and an abbreviation does not end one
    assert [s for _, s in split_sentences("Do you do laser eye surgery? No. We refer you to Dr. Naidoo at No. 5 Main "
                                          "Road.")] == ["Do you do laser eye surgery?",
                                                         "No. We refer you to Dr. Naidoo at No. 5 Main Road."]


def test_a_question_that_asks_for_one_kind_of_thing_is_answered_only_by_that_kind():
    visits = [{"title": "Home visits", "text": "The optometrist brings a selection of 30 frames to every home "
               "visit.\nWe visit addresses within 25 miles of one of our practices.\nA contact lens fitting takes "
               "45 minutes, and a first fitting takes an hour.\nThe home visit fee is $40."}]
    # "how far" wants a distance, not the number of frames that scores a little higher on words
    far = extractive_answer("How far will the optometrist travel for a home visit?", visits)
    assert far.covered and far.text.split("\n")[2].startswith("> We visit addresses within 25 miles")
    # the passages give the fitting's length, not its price: they do not answer what it costs
    assert not extractive_answer("How much does a contact lens fitting cost?", visits).covered
    assert extractive_answer("How long does a first contact lens fitting take?", visits).covered
    # "how far ahead" asks for a time, not a distance
    booking = [{"title": "Booking", "text": "Online booking opens 8 weeks ahead.\nWe visit addresses within 25 "
                "miles of one of our practices."}]
    ahead = extractive_answer("how far ahead can people book online", booking)
    assert ahead.covered and "8 weeks ahead" in ahead.text.split("\n")[2]
    # a price in any currency is a price: rand, rupees, dirhams, a currency symbol with a country prefix
    for amount in ("R495", "Rs. 600", "AED 150", "S$40", "\u20b9900", "300 rand"):
        prices = [{"title": "Fees", "text": f"A contact lens fitting takes 45 minutes.\nA contact lens fitting is "
                   f"{amount}."}]
        fitting = extractive_answer("How much does a contact lens fitting cost?", prices)
        assert fitting.covered and amount in fitting.text.split("\n")[2], amount
    # a yes/no question is not held to one kind ("is the fee ever refunded" is answered by "never" or "not")
    assert extractive_answer("Is there a fee for a home visit?", visits).covered


def test_which_noun_names_the_kind_of_answer_and_names_the_documents_hold_mark_the_company():
    from agents.extractive import held_names

    towns = [{"title": "About us", "text": "Kestrel Opticians has practices in Galway, Limerick and Sligo.\n"
              "Colleagues get 40% off glasses for themselves."}]
    # "which towns": the answer lists them; the sentence need not say "towns"
    answer = extractive_answer("which towns have a Kestrel practice", towns)
    assert answer.covered and "Galway" in answer.text
    # an everyday word for the same people (colleagues ~ staff)
    assert extractive_answer("how much do staff get off glasses", towns).covered
    assert held_names("Is the Kestrel loyalty card any good?", towns) == frozenset({"kestrel"})
    assert held_names("Is the Falcon loyalty card any good?", towns) == frozenset()


def test_misspelt_words_lists_and_several_row_answers():
    warranty = [{"title": "Warranty", "text": "# Frames\n\nAll frames carry a two-year warranty against defects."
                 "\nLenses are guaranteed for one year."}]
    assert "two-year warranty" in extractive_answer("whats the warrenty on frames", warranty).text
    source = [{"title": "Stores and home visits", "text": HOURS}]
    visits = extractive_answer("How far from a store do home visits go?", source)
    assert visits.covered and "25 km" in visits.text  # the lead-in sentence brings its list items
    sundays = extractive_answer("Which stores open on Sundays?", source)
    assert "10am to 4pm" in sundays.text and "11am to 5pm" in sundays.text


class _Refusal:
    def __init__(self, *, refused: bool = True, executed: bool = False, unknown_names: bool = False) -> None:
        self.refused, self.executed, self.unknown_names = refused, executed, unknown_names


@pytest.mark.parametrize(("question", "state", "res", "expected"), [
    ("What's parking like at the Eastbury store?", {"doc_score": 0.1}, _Refusal(unknown_names=True), True),
    ("how many days does the price promise last", {"doc_score": 0.6}, _Refusal(), True),  # the documents answer
    ("what is our average revenue per day", {"doc_score": 0.6}, _Refusal(), False),  # a numbers question
    ("what were sales last week", {"doc_score": 0.6}, _Refusal(), False),  # a measure over a period
    # a period alone asks for no numbers
    ("can someone bring back sunglasses they bought last week", {"doc_score": 0.6}, _Refusal(), True),
    ("how many days does the price promise last", {"doc_score": 0.2}, _Refusal(), False),  # docs do not cover it
    ("how many days does the price promise last", {"doc_score": 0.6}, _Refusal(refused=False), False),  # answered
    ("and the promise?", {"doc_score": 0.6, "follow_up": True}, _Refusal(), False),  # a follow-up keeps sql
])
def test_a_refused_question_without_numbers_goes_to_the_documents(question, state, res, expected):
    state = {"question": question, "doc_hits": [{"title": "t"}], **state}
    assert _docs_instead(state, res) is expected
