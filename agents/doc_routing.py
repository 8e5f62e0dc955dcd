"""Routing that knows the tenant's documents: the semantic router's decision, revised with the best score of the
tenant's own document search (run for every question) and with what the question says about whose rules it asks.

First: a message made only of greeting / thanks words (`agents.router.is_courtesy`, several languages: "hola, ¿qué
tal?", "moi", "guten Tag, wie geht's") is small talk, and so is a small-talk or clarify decision for a question about
the assistant itself (`ASSISTANT`: "who are you and what can you do?") that holds no word of the trade: a passage
that happens to match its words does not make it a question for the documents. So is a request for something
outside what the assistant does (`REQUEST`, "can you fix my wifi"): a request to "you" with no word of the trade or
of a shop's service, no house rule, nothing of the company's, no figure and no price, that neither source answers
(doc < `DOC_NONE`, kb < `KB_OK`); the small-talk answer says what the assistant can answer. A question naming the
business's own premises, vehicles or people (`PREMISES`: "is there a toilet on the van", "the crew"; a place or
vehicle word only when the tenant's best passages use it, `names_premises`) holds a word of the trade: never small talk.

Rules, in order (each one a reason on the decision). `doc` is the best sentence score of the tenant's documents
(agents/extractive.py), `kb` the best passage score of the industry knowledge (tools/industry_kb.py):
1. A question about the company's own rules ("our / we / us / the company" + a policy word: policy, fee, warranty,
   trial, procedure, return, remake, ...) that is not about numbers (sold, revenue, stock, how many ... did we)
   goes to docs.
   So does a question about what the business itself does, offers or charges (`OFFERS`: "do you do ortho-k", "do
   you courier lenses", "where are you", "what do gold card holders pay", "is that covered", "how long does an eye
   test take", "how soon will my glasses be ready", "what can you do", "which locations ...", "what should I bring to
   my exam"), what something costs there ("how much is an eye test", "blue light coating price"; a business's own
   running costs, "to lease per month", are not) and what a customer arranges with it ("can I put my plan on hold",
   "can I get goggles from you"), however well the industry knowledge knows the thing itself: only the company's
   documents can say whether it offers it. "Do you sell / stock X" asks what it offers, not for figures; so does
   staff's "do we sell / stock / carry X" (`OWN_OFFER`) without a figure word (`FIGURES`: how many, more than, most,
   total, revenue ...; "how many X did we sell", "do we sell more X than Y" stay numbers questions). The house-rule
   and policy cues also read everyday wording as the policy word ("doesn't turn up" = a missed appointment,
   `tools.text_match.SERVICE_TERMS`) and texting shorthand as the words ("will u call me" = "will you call me").
   Prices also read as "how much more / extra / to fix ...", "price of X", "will a remake be free", "do I pay / lose
   my deposit"; arrangements as delivery to the customer, a visit at their home, "can I see the optometrist", the
   latest / earliest appointment. What the business will do for this customer (`SERVICE_FOR_ME`: "can you solder it",
   "do you guys text me", "could you redo the tint", "ok for you to make glasses from", "... you have?", "have you
   got ...") counts when the question holds a word of the trade or of a shop's service, so "can you do my homework"
   stays small talk; so does a request with a verb of an errand (`ERRAND`: "can / will you fix, send, give, replace
   ..."), while "do you ..." and "can / will you sell, deliver, fit ..." ask the business whatever the object.
   What something costs (`PRICE`: price, cost, charge, fee, cheapest, "how much is / for / to",
   "add to the bill"; "for free", "at no extra cost" count as offers) goes to docs when the router chose industry,
   smalltalk or clarify, unless the question asks why things cost what they do, compares two kinds or asks what is
   typical (`PRICE_KNOWLEDGE`): the industry knowledge holds no price list, so only the company's documents can
   answer or say that they do not say. Who may come to an appointment and how ("can my 12 year old come to the eye
   exam on his own", "may I bring my dog into the store") and what the company's staff will do for the customer ("can
   your optician look at my eye") are offers as well. "Our" of a household ("our cat", "our son's glasses",
   `HOUSEHOLD`) is not the company.
   A question the router took for small talk that holds a word of the trade or of a shop's service (`TOPICAL`: "lost
   my specs at the beach, will the cover pay out", "got a splinter in my eye") is not small talk: it goes to docs,
   or to industry when the industry knowledge matches it well (kb >= `KB_OK`) and better than the documents and it
   is not about the company.
   A question naming something only the tenant's own passages hold (`held`: a word of the question that its best
   passages hold and the industry knowledge never uses, in any form: "the Sprout Club", a branch's or a courier
   service's name; `tenant_words`) goes to docs when the router chose industry, smalltalk or clarify, and a docs
   decision for it stays docs, unless it asks for numbers or for what is typical.
2. A question that asks for what is typical across the industry ("typical", "industry", "in general", "most
   opticians", ...) and does not say "our / we" stays where the router put it, except that a docs decision the
   industry knowledge answers (kb >= `KB_OK`) goes to industry.
3. When the router chose industry, smalltalk or clarify, first: docs when the documents cover the question (doc >=
   `DOC_NONE`) and the tenant's best sentence leads the industry knowledge's best sentence by `SENTENCE_LEAD`, both
   scored by agents/extractive.py's scorer (`sentence_scores`, uncapped; `doc` and `kb` are on different scales, the
   two sentences on one), unless the question is worded as general knowledge (`GENERAL`, no company cue) or asks for
   numbers. The route node scores the two sentences only where a rule reads them (`wants_sentences`).
   Then: docs when a tenant passage answers the question well
   (doc >= `DOC_STRONG`) and at least as well as the industry knowledge (doc >= kb); with an "our / we" cue, or
   when the router was unsure (clarify), doc >= `DOC_WEAK` is enough. A question worded as one about the eye or
   optics in general (`GENERAL`: "why ...", "how does X work", "what is X for / what does X mean", "is it safe /
   normal", "difference between", "should I worry") with no company cue (our / we / you, house rule, offer, price)
   needs the tenant's passage to lead the knowledge clearly: doc >= kb + `LEAD`, and the doc >= kb - `KB_MARGIN`
   allowance does not apply. Otherwise, a smalltalk or clarify decision
   for a question the industry knowledge answers well (kb >= `KB_STRONG`) goes to industry ("can i sleep in my
   contacts").
   Before that, for a question with no numbers cue that the router sent to industry, smalltalk or clarify: one
   about what each business decides for itself (`HOUSE_RULES`: discounts, refunds, parking, opening hours and
   timings, payment plans, deposits and ways to pay, its own offerings "the lens plan / the Kids Club / my
   subscription", minimum terms, the customer's data, complaints, receipts and invoices, a customer's own glasses
   broken, chewed or lost, a fault of the customer's own glasses told with the item's age (`ITEM_FAULT` + `ITEM_AGE`:
   "the coating on my lenses is bubbling, they're 4 months old"), a new pair that does not suit "what are my
   options", staff leave ...) goes to docs unless
   the industry knowledge answers it closely (kb >= `KB_STRONG`); one about the company ("our / we", "you" meaning
   the business: "your website / own brand / plan ...", "tell / pay / email you", "bought / booked ... from / with
   you"; a branch or lab named by its place, "the Northgate lab"; the company's own name) goes to docs when the
   industry knowledge does not answer it (kb < `KB_OK`). The documents then answer, or say that they do not cover
   it and what was searched, rather than the industry knowledge quoting a loosely related passage.
4. When the router chose sql for a question with no numbers cue and a passage answers it very well (doc >=
   `DOC_SQL`, and doc >= kb), docs ("which stores open on Sundays?"). When it chose sql for a question asked as a
   question (`ASKED`) with no measure, period, figure or breakdown word (`BREAKDOWN`) and nothing of the company's,
   industry when the knowledge answers it (kb >= `KB_OK`) and leads the documents by `STAFF_KB_LEAD`: its digits or a
   product code ("what Abbe value does CR-39 have", "my PD reads 61 but I get 63") are no figures of the company's.
5. When the router chose docs for a question worded as general knowledge (`GENERAL`) with no company cue, industry
   when the industry knowledge answers it (kb >= `KB_ANSWERS`, its own answer threshold) at least as well as the
   documents (kb >= doc): the router read the wording, the two scores say which source answers.
   When the router chose docs for a question without "our / we", an offer or a house rule, the documents do not
   cover it (doc below the extractive answer threshold) and the industry knowledge answers it (kb >= `KB_OK`),
   industry, unless a document sentence scores at least `DOC_WEAK` and leads the knowledge's best sentence by
   `SENTENCE_KEEP` (the answer step then quotes it or says what the documents do not cover); so too when the
   question has no company cue at all (no "our / we", policy word, house rule or offer) and the industry knowledge
   answers it closely and far better than the documents (kb >= `KB_STRONG` and kb > doc + `KB_CLEAR`).
   A question worded as general knowledge (`GENERAL`, also "how come", "is that normal", "what's going on", "any
   truth in it", "what could be causing it"; "is it possible to pay / book / get ..." arranges something with the
   business and is not) with nothing of the company's at all (`DocSignal.of_the_company` false) and the business not
   spoken to (no "you / your" but "your eyes") is a question of knowledge however well a shop's passage shares its
   words (`knowledge_only`): the documents take it only when their best sentence leads the knowledge's best by
   `SENTENCE_LEAD` (same scorer); a docs or clarify decision for it goes to industry when the knowledge answers it
   (kb >= `KB_ANSWERS`) and the tenant's best sentence does not lead so. A staff member's question of the trade's
   practice (`STAFF_PRACTICE`) with nothing of the company's named is not the company's because of "we" alone.
   A docs decision for a question with nothing of the company's (no "our / we", house rule, offer, price, held
   name, policy word, numbers or figure: "who pays for the remake" asks the company's rule) goes to industry when
   the documents do not answer it well (doc < `DOC_STRONG`), the knowledge answers (kb >= `KB_OK`) and its best
   sentence leads the documents' best by `KNOWLEDGE_LEAD`, even where a passage matches its words.
   "Our / we / us" alone (`own` without `addressed`: the business not spoken to as "you / your", not named, its
   staff not named by their job) does not keep such a docs decision (doc < `DOC_STRONG`) when nothing else is the
   company's (no policy word, house rule, offer, price, held name or figure) and the knowledge's best sentence leads
   the documents' best by `KNOWLEDGE_LEAD`: a staff member's or a household's question of the trade ("a customer
   wants a copy of her prescription, do we have to give it", "the nursery sent him home with sticky eyes, do we
   need drops").
   A staff member's question of the trade's practice (`STAFF_PRACTICE`: "do we need to ...", "what do we tell a
   customer who ...", "anything we should warn her about") with nothing of the company's named and no figure word
   goes from docs to industry when no passage answers it well (doc < `DOC_STRONG`) and the knowledge answers it (kb >=
   `KB_OK`, kb >= doc + `PRACTICE_LEAD`), even with a period or a sale told as its circumstance; so does a wearer's
   question about using their own things (`WEARER_USE`: "can I wear my contacts on a long flight", "can I put them
   back in tomorrow") with nothing of the company's and no "you", by the same scores.
   A docs decision for a question with nothing of the company's (`DocSignal.of_the_company` false, no "you") that
   the documents do not cover (doc < `DOC_NONE`) goes to industry when the knowledge comes near it (kb >= `KB_NEAR`
   and kb >= doc, under its own answer threshold allowed) and its best sentence leads the documents' best by
   `KNOWLEDGE_LEAD`: the router's docs decision was read from the wording alone ("can I keep my monthlies going past
   the month").
Questions addressed to the business in everyday words count as well: a greeting before the question is taken off
before its cues are read (`agents.router.without_greeting`: "sasa! which days are you in town?"); the business's
people named by their job ("your screeners", "the fitters": a plural agent noun its best passages use,
`addresses_staff`) are a company cue; a yes/no "do you <verb>" (not a verb of knowing or advising), "which days /
when are you in <place>", "before I buy", "what brand ... do you use" are offers; a child's glasses outgrown is a house
rule; a month or year named in a question to "you" about the business's opening, holidays or ways to pay
(`TENANT_MATTERS`: "are you open on the national day in march", "do you shut for the summer break in august") is the
day asked about, not a period of figures, unless a measure or a figure word is asked for. Rule 3 also sends a question
with a company cue (own / offer / house rule) that the documents cover to docs when their best sentence answers at
least as well as the knowledge's (`ADDRESSED_LEAD`); rule 4 also sends a house rule or policy word asked of the company
with no measure and no figure word ("are your prices including VAT") from sql to docs.
The thresholds were set on the bench's own cases (bench/data/answers_docs, training/data/factual_check.jsonl), not on
the router's example bank.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from agents.extractive import MIN_ANSWER_SCORE
from agents.router import RouteDecision, is_courtesy, without_greeting
from tools.industry_kb import MIN_SCORE as KB_MIN_SCORE
from tools.text_match import content_stems, normalize_service_terms, stem

DOC_STRONG = 0.58
DOC_WEAK = 0.45
DOC_SQL = 0.55
KB_MARGIN = 0.10  # the tenant's own passage wins unless the industry knowledge matches clearly better
KB_STRONG = 0.62
DOC_NONE = MIN_ANSWER_SCORE  # the extractive answer threshold: below it the documents do not cover the question
LONG_QUESTION_WORDS = 7  # a message this long is a question, not small talk, when the industry knowledge answers it
KB_OK = 0.52  # the industry answer threshold (tools.industry_kb.MIN_SCORE): below it the knowledge does not answer
KB_CLEAR = 0.3  # the industry knowledge answers far better than the best document sentence
KB_ANSWERS = KB_MIN_SCORE  # the industry knowledge's own answer threshold: below it, the knowledge refuses
CLARIFY_LEAD = 0.2  # an unsure router's question goes to the industry knowledge when it leads the documents by this
LEAD = 0.10  # how far one source must lead the other when the wording does not say whose question it is
SENTENCE_LEAD = 0.10  # the tenant's best sentence leads the knowledge's best (same scorer) by this: it answers clearly
ADDRESSED_LEAD = 0.0  # ... by this, for a question asked of the company itself (own / offer / house rule cue)
SENTENCE_KEEP = 0.03  # ... by this: a docs decision stands even when the answer step's cover check is unsure
KNOWLEDGE_LEAD = 0.10  # the knowledge's best sentence leads the tenant's by this: it answers clearly better
STAFF_KB_LEAD = 0.2  # the knowledge's best passage leads the documents' best sentence by this (a staff "we" question)
# ... by this, for a question whose only cue of the company is a policy or figure word ("who pays for the remake",
# "what's the 20-20-20 rule", "how often do I replace monthlies"): such a word alone is weak evidence of a house rule
WORD_CUE_LEAD = 0.2
# a docs decision the documents do not cover (doc < `DOC_NONE`) for a question with nothing of the company's may go to
# the industry knowledge from this passage score on (below its answer threshold `KB_OK`: its best sentence, which
# must lead the documents' best by `KNOWLEDGE_LEAD`, says whether it speaks to the question)
KB_NEAR = 0.40
# a staff member's question of practice (`STAFF_PRACTICE`) the router sent to docs goes to the industry knowledge when
# the knowledge's best passage leads the documents' best sentence by this (and the documents do not answer it well)
PRACTICE_LEAD = 0.05

OWN = re.compile(r"\b(our|ours|we|we're|we've|we'd|us|my company|the company|company's|the business|this store|"
                 r"our store|in-house|staff|employees?|team members?|new hires?|colleagues?)\b", re.I)
POLICY = re.compile(
    r"\b(polic(y|ies)|fees?|charges?|charged|warrant(y|ies)|guarantees?|promise|trials?|procedures?|process(es)?|"
    r"steps?|rules?|returns?|returnable|refunds?|refundable|exchanges?|remakes?|redo|re-?do|handbook|sop|"
    r"checklists?|allowed|entitled|covered|cover|coverage|claims?|deadline|window|eligible|eligibility|opening|"
    r"closing|dress code|leave|holidays?|vacation|payment plans?|instal?ments?|insurance|price match|"
    r"appointments?|cancell?ations?|no-shows?|repairs?|replacements?|adapt|adaptation|non-adapt\w*|"
    r"grace period|terms|conditions|requirements?|required|must|supposed to|do we (do|offer|give|charge|allow)|"
    r"discounts?|commission|probation|sick|parking|dress|uniforms?|subsid(y|ies|ised|ized)|reimburs\w*|rebates?|"
    r"how long (do|does|is|are)|how many days|within how|who (do|should|approves|signs))\b", re.I)
# what a numbers question asks for (a measure, a breakdown, a ranking) ...
MEASURES = re.compile(
    # ("reorder my lenses" is a customer's repeat order, not the reorder point)
    r"\b(sold|sell|selling|sales|revenue|turnover|takings|units?|stock|stocked|inventory|on hand|"
    r"reorder(?! (my|his|her|their|our kids'?|the same)\b)|"
    r"best-?sellers?|top \d+|bottom \d+|how many (\w+ ){0,3}(did|do) we (sell|have|stock)|patients? (aged|by|count)|"
    r"how many (stores|shops|branches|locations|products|brands|skus|patients|customers|orders|order lines)|"
    r"margin|average (order|selling|price)|asp|aov|basket|per store|by store|by month|by week|by brand|"
    r"(average|avg|total|mean) (discount|revenue|sales|units|orders?|spend)|discount (rate|total|percentage)|"
    r"give away|gave away|given away|by category|year over year|yoy|"
    # "how much discount did we give at Kittery": an amount in the past is a figure ("how much discount do we
    # give students" is the house rule)
    r"how much (\w+ ){0,2}(discounts?|money off|markdowns?) (did|have|has|had) (we|you|they|the \w+|\w+))\b", re.I)
# ... and the periods it is asked over ("bought last week" alone asks for no numbers)
PERIODS = re.compile(
    r"\b((19|20)\d\d|(first|second) half|h[12]|q[1-4]|last (month|week|year|quarter)|this (month|year|quarter)|"
    r"so far this|in (january|february|march|april|may|june|july|august|september|october|november|december|"
    r"q[1-4]|20\d\d))\b", re.I)
NUMBERS = re.compile(f"{MEASURES.pattern}|{PERIODS.pattern}", re.I)
# "you" meaning the business: "do you do hearing tests", "will you replace them", "your Limerick practice"
YOU_BUSINESS = re.compile(
    r"\b((do|does) you do|(do|does) you (offer|accept|take|sell|stock|provide|charge|replace|repair|fix|refund|"
    r"price match|match|beat|open|deliver|ship|bill|come|visit|see|allow|cover)|"
    # a request ("can you fix ...") means the business when it holds a word of the trade or shop (`ERRAND`, in cues)
    r"(will|would|can|could) you (offer|accept|sell|stock|provide|price match|match|beat|open|deliver|ship|bill|"
    r"allow|cover)|"
    r"your (stores?|shops?|practices?|branch(es)?|offices?|clinics?|company|polic(y|ies)|staff|team|opening|hours|"
    r"prices?|fees?|warranty|guarantee|returns?|optometrists?|opticians?|optoms?|doctors?|dispensers?|lab|"
    r"technicians?|website|app|van|mobile unit|own[- ]?(brand|label)|house brand|range|collection|brands|workshop|"
    r"courier|delivery|booking|appointments?|plans?|subscriptions?|memberships?|cards?|schemes?|club|offers?|deals?|"
    r"promotions?|packages?|services?|charter|terms|customers?|patients?|loyalty|rewards?|vouchers?|"
    r"gift cards?|timings|hours|receipts?|bills?|invoices?)|"
    # the customer dealing with the business: "how soon must I let you know", "can I pay you in cash"
    r"(tell|let|contact|call|ring|phone|email|e-mail|message|text|notify|inform|pay|reach|write to|complain to) you\b|"
    r"(bought|buy|buying|order(ed|ing)?|got|get|getting|purchased?|book(ed|ing)?|have|having|had|made|done|"
    r"tests?|exams?|check-?ups?|appointments?|glasses|specs|lenses|frames|contacts|account|plan|subscription|"
    r"membership|fittings?)\b.{0,40}\b(from|with|at|by) you( guys| all| people)?\b|"
    # a branch or lab named by its place: "the Northgate lab", "your Westfield store"
    r"(?-i:\b(the|your|our) ([A-Z][\w'-]+ ){1,3}(store|shop|branch|practice|clinic|outlet|showroom|lab|workshop|"
    r"location|optical)\b))", re.I)
# what the business itself does, offers or charges: only its own documents can say ("do you do ortho-k", "do you
# courier lenses", "where are you", "what do gold card holders pay", "is that covered"); the industry knowledge can
# only say what the thing is or what is typical
OFFERS = re.compile(
    # "do you ..." asks what the business does as a rule, whatever the verb; "can / will you ..." does so with a verb
    # of trading ("will you deliver to Ireland", "could you price match"); a request with any other verb ("can you
    # fix my wifi") is an offer only with a word of the trade or of a shop's service (`ERRAND`)
    # (an adverb or aspect verb between changes nothing: "do you still do", "will you still sell", "do you start
    # testing")
    r"\b((do|does) you( guys| all)?( still| also| ever| usually| normally| only| even| actually)? (do|offer|provide|"
    r"stock|sell|carry|accept|take|bill|claim|courier|post|"
    r"mail|send|deliver|ship|fit|prescribe|supply|treat|test|speak|run|arrange|hire|rent|lend|loan|match|honou?r|"
    r"open|close|work|repair|fix|replace|refund|price match|charge|give|see|visit|come)|"
    r"(do|does) you( guys| all)? (start|stop|begin) \w+ing\b|"
    r"(will|would|can|could) you( guys| all)?( still| also| even| actually| ever)? (offer|provide|stock|sell|carry|"
    r"accept|bill|courier|deliver|ship|fit|"
    r"prescribe|supply|speak|honou?r|open|close|price match|match)|"
    r"where are you|are you open|your (address|location|opening|hours)|"
    r"(which|what) (of (your|the) )?(locations|stores|shops|branches|practices|offices|clinics|outlets) |"
    r"(bring|take)( along)? (to|for) (my|the|an|your|our) (eye )?(exam|examination|test|appointment|visit|fitting)|"
    r"(is|are) (that|it|this|they|these|those|mine)( still)? (covered|included|free|refundable|returnable)|"
    r"(will|would|does|do) (the|my|your|our) ([\w-]+ ){0,2}(cover|insurance|warranty|guarantee|plan|membership) "
    r"(pay|cover|include|apply)|"
    r"how much (do|does|will|would|should) (i|we|they|clients?|customers?|patients?|people|members?|kids?|"
    r"children|seniors?|pensioners?|students?|(\w+ ){1,2}(holders?|members?)) (pay|be charged|get charged)|"
    r"what (do|does|will|would) (i|we|they|clients?|customers?|patients?|people|members?|kids?|children|seniors?|"
    r"pensioners?|students?|(\w+ ){1,2}(holders?|members?)) pay|still covered|"
    r"(extra|additional|separate) (charge|fee|cost)|for free\b|free of charge|at no (extra )?(cost|charge)|"
    r"(charge|fee|price|cost) (for|of) (my|a|an|our)\b|"
    # how long the business's own service takes ("how long does an eye test take", "how soon will my glasses be
    # ready"), not how long the body takes to adapt or heal
    r"how (long|soon|quickly|fast)\b(?!.*\b(used to|adjust|adapt|settle|wear off|heal|clear up|go away|last)\b)"
    r".{0,50}\b(exams?|examinations?|tests?|check-?ups?|appointments?|fittings?|repairs?|glasses|spectacles|specs|"
    r"lenses|contacts|orders?|deliver(y|ies)|refunds?|remakes?|varifocals?|progressives?|bifocals?|multifocals?|"
    r"frames?|sunglasses)\b.{0,40}\b(take|takes|ready|made|back|arrive|done)\b|"
    # "how many days for single vision specs", "how long does it take for normal glasses", "how long to make
    # varifocals": the business's own turnaround (not "how long to get used to them")
    r"how (long|many (working |business )?days)\b(?!.*\b(used to|adjust|adapt|settle|wear off|heal|clear up|"
    r"go away|last|wear|wearing|keep|darken|change)\b)( (does|will|would|do) it (usually |normally )?take)?"
    r"( to (make|get|glaze|order|produce|have)| for)\b.{0,40}\b(glasses|specs|spectacles|lenses|varifocals|"
    r"progressives|bifocals|multifocals|pair|frames?)\b|"
    # "how long is an eye test", "how long is the fitting appointment": the business's own service
    r"how long (is|are) (a|an|the|your|my|our) (\w+ ){0,2}(eye ?tests?|exams?|examinations?|tests?|appointments?|"
    r"fittings?|check-?ups?|consultations?)\b|"
    # how often the business (or the rules it works under) lets a customer come: "how often can I have my eyes
    # tested" ("how often should I ..." asks for advice, and stays a question of knowledge)
    r"how (often|frequently|many times( a year)?) (can|could|may) (i|we|he|she|they|my \w+|kids?|children|adults?) "
    r"(have|get|book|come|see|claim)\b|"
    r"block out for|how long (does|will|would|do) (it|the lab|you|they) (usually |normally )?take to (make|get|have|do|"
    r"finish|process|deliver|repair|fix|order)\b(?!.*\b(used to|adjust|adapt|settle|wear off|heal|clear up|go away)\b)|"
    r"(do|does|will|would) you (keep|hold|store|look after)\b|"
    # what something costs here: "how much is an eye test", "blue light coating price", "what does that cost"
    # (a business's cost of running, "to lease per month", is not a price the business charges)
    r"how much (is|are|'s|for)\b(?! (it|that|this) (normal|safe|okay|ok)\b)|"
    r"how much (does|do|will|would|did|should) (?!.*\bto (lease|rent|buy|run|install|set up|open|start)\b).{1,60}"
    r"\b(cost|charge|set (me|us) back)|"
    r"what (does|do|will|would|did) (?!.*\bto (lease|rent|buy|run|install|set up|open|start)\b).{1,60}\bcost\b|"
    r"^[^?]{0,40}\bprices?\??$|\bprice list|"
    # what a customer arranges with the business: "can I put my plan on hold", "can I borrow a frame while ...",
    # "can I get goggles from you", "can I get my eyes tested for my licence here"
    r"(can|could|may) (i|we) (borrow|rent|hire|loan|pause|freeze|suspend|put (it|my|the|our) .{0,30}on hold|"
    r"cancel|return|exchange|swap|trade in|transfer|upgrade|book|reschedule|rebook|move my|split|claim|collect|"
    r"pick up|order|reserve|pay)\b|"
    r"\b(get|buy|order|book|have) .{0,50}\b(from you|with you|here\??$|at (your|one of your) )|"
    # a job the customer asks to have done on their own things: "can I just get lenses put in my old frame", "could I
    # have the screws tightened"
    r"(can|could|may) (i|we) (just |still |also |please )?(get|have) ([\w'-]+ ){1,6}(put in|fitted in|glazed|reglazed|"
    r"tightened|adjusted|swapped|changed over|re-?tinted|soldered|welded)\b|"
    r"(tests?|exams?|examinations?|check-?ups?|appointments?|fittings?) (with|from|at) you\b|"
    # what it costs here: "how much extra for a tint", "how much to fix a hinge", "price of X lenses", "will the
    # second pair be free", "would I lose my deposit", "do I still pay for the fitting if ..."
    r"how much (more|extra|else)\b|"
    r"how much (to|for) (\w+ )?(make|get|have|add|fix|repair|replace|change|upgrade|reglaze|tint|put|do|turn|go|"
    r"swap|adjust|solder)\b|"
    r"^\W*((so |and |ok |okay )?(what'?s|what is|what are) )?(the )?(prices?|costs?|charges?|fees?|rates?) (of|for)\b"
    r"(?!.*\b(skus?|product codes?|item codes?|barcodes?)\b)|"
    r"(will|would|is|are|does|do) (a|an|the|my|it|that|this|they|these|those) (\w+ ){0,3}(be )?(free(?![\w-])|"
    r"chargeable|charged|refunded|replaced free|at no (extra )?cost)\b|"
    r"(do|would|will|should|shall|must|can) (i|we) (still )?((have|need) to )?(pay|owe|get charged|be charged|"
    r"get (my|our|the|that|a) (money|deposit|fee|payment|refund)( back)?)\b|"
    r"\b(lose|forfeit) (that|the|my|our|any) (money|deposit|fee|payment)\b|"
    # what a customer arranges with the business: delivery to them, a visit at home, an optometrist's time
    r"(deliver|ship|courier)\w*\b.{0,40}\bto (my|our|me|us)\b|\bcourier|"
    r"(send|post|mail)\w* (them|it|my|the|our|these) (\w+ ){0,2}(glasses|specs|lenses|contacts|order|frames?|"
    r"sunglasses|boxes|prescription)s?\b|"
    r"(come|visit|travel)( out)?( to)? (my|our|me|us|the) (home|house|flat|apartment|villa|office|place|school|work|"
    r"workplace|care home|nursing home)\b|"
    # who may come to an appointment and how: "can my 12 year old go to the eye test alone", "may I bring my dog in"
    r"(can|could|may) (i|we|he|she|they|someone|my (\w+ ){0,4}\w+) (come|go|attend|turn up|walk in|bring [\w' ]{1,30}?)"
    r"( in| along)? (to|for|at|into) (the|my|an?|her|his|their|your) (eye ?)?(tests?|exams?|examinations?|"
    r"appointments?|fittings?|check-?ups?|stores?|shops?|branch|practice|clinic)\b|"
    r"(can|could|may) (i|we) (see|book|get) (the|your) (optometrist|optician|optom|doctor|dispenser|specialist)\b|"
    r"(can|could|may) (i|we) book (an?|the|my) (appointment|slot|eye test|exam|fitting)\b|"
    # ("for the first time", "last time I went": an experience, not a booking slot)
    r"\b(latest|earliest|last|first) (\w+ ){0,4}(appointments?|slots?|bookings?)\b|"
    r"\b(latest|earliest) (\w+ ){0,4}time\b|"
    r"\b(last|first) (\w+ ){1,4}time\b|"
    r"\b(latest|earliest) (i|we) can\b|"
    # when and where the business comes: "which days are you in Kisumu", "when are you next at the school", "are you
    # in Leiden on fridays"
    r"\b(which|what) days? (are|is|will) you( guys| all)? (be )?(in|at|near|visiting|coming|open|around)\b|"
    r"\bwhen (are|will) you( guys| all)? (be )?(next )?(in|at|visiting|coming (to|back)|back (in|at)|around)\b|"
    r"^\W*(and |so )?are you( guys| all)? (open|based|located|in|at|near|visiting|coming to) (?-i:[A-Z])|"
    # the customer deciding on a purchase with the business: "can I see them in daylight before I buy them"
    r"\bbefore (i|we) (buy|purchase|pay|order|commit|decide)\b|"
    # what the business itself works with: "what brand of lenses do you use", "which lab do you send them to"
    r"\b(what|which) (brands?|makes?|labs?|laborator(y|ies)|suppliers?|companies|manufacturers?|kinds?|types?|sorts?)"
    r" (of (\w+ ){0,3})?(do|does) you( guys| all)? (use|stock|sell|carry|fit|order|work with|buy|send)\b|"
    # what the business does as a rule, asked as a yes/no question whatever the verb ("do you screen schools in the
    # north", "do you guys glaze while I wait"), not a verb of thinking or talking ("do you know why ...", "do you
    # think I need ...", "do you recommend ...": a question of knowledge or advice)
    r"^\W*(and |so |also |but |then |ok |okay )?(do|does) you( guys| all)?( still| also| ever| usually| normally| only|"
    r" even| actually)? (?!(know|think|mean|like|love|hate|want|remember|understand|believe|feel|agree|need|"
    r"recommend|suggest|advise|have|get|prefer|wish|hope|care|mind|say|happen|reckon|see|find|notice|ever|"
    r"wear|use)\b)[a-z]+\b)", re.I)
# what the business will do for this customer, read as an offer when the question holds a word of the trade or of a
# shop's service (`TOPICAL`; "can you do my tax return" and "do you have a name" are not): "could you do the vision
# check for my pilot's medical", "can you reglaze it", "will you ring me when they arrive", "is an old prescription
# fine for you to use", "thinnest lenses you stock?", "have you got kids' frames"
SERVICE_FOR_ME = re.compile(
    # "can you check her", "could you look at my eye", "... can you help" (a request about the case told)
    r"\b((can|could|will|would) you( guys| all)? (check|examine|test|look at) (me|my|her|him|them|it|us|our|his|"
    r"their)\b|(can|could|will|would) you( guys| all)? (check|test|see|tell) (if|whether) (i|i'm|im|my|he|she|he's|"
    r"she's|they|they're|we|his|her|their|our)\b|"
    r"(can|could|will|would) you( guys| all)? help( (me|us|her|him|them))?( (with|sort) (this|that|it|them)( out)?)?"
    r"\s*[?.!]*\s*$|"
    r"(can|could|will|would) you( guys| all)? (do|make|solder|weld|glaze|reglaze|tint|adjust|tighten|straighten|"
    r"text|call|ring|email|message|notify|order in|put (new|my|the)|reuse|use my|redo|re-do|remake|replace|repair|fix|"
    r"swap|change|exchange|refit|reshape|recolou?r)\b|"
    r"(can|could|will|would) your (optometrists?|opticians?|optoms?|doctors?|staff|team|dispensers?|technicians?|lab|"
    r"workshop) (give|prescribe|see|check|look at|treat|fit|do|help|make|fix|repair|adjust|order)\b|"
    r"what (can|could|will|would) you do\b|"
    r"(do|does|will|would) you( guys| all)? (text|call|ring|email|message|notify|remind|let (me|us) know|"
    r"have (?!to\b)|keep|hold|take back)|(have|'?ve) you got\b|"
    r"\b(ok|okay|fine|acceptable|valid|good enough) for you\b|for you to (make|use|fill|accept|take|do|fit|order|"
    r"dispense|work from|copy)\b|"
    r"\byou( guys| all)? (have|carry|stock|sell|offer|do|make|fit|supply|charge)( (in stock|available|here|now|at "
    r"the moment|in store))?\s*\??\s*$)", re.I)
# a request to "you" with a verb of an errand ("can you fix ...", "will you send ...", "could you give me ..."): the
# business's service when the question holds a word of the trade or of a shop's service ("can you fix my hinge",
# "will you send the lenses", "could you refund the deposit")
ERRAND = re.compile(
    r"\b(can|could|will|would) you( guys| all)?( please)? (do|take|claim|post|mail|send|treat|test|run|arrange|hire|"
    r"rent|lend|loan|work|repair|fix|replace|refund|charge|give|see|visit|come)\b", re.I)
# any request to "you": with no word of the trade or of a shop's service, no figure, nothing of the company's and
# nothing either source answers, it asks for something outside what this assistant does ("can you fix my wifi",
# "could you book me a taxi", "will you write my essay"): small talk, answered with what the assistant can do
REQUEST = re.compile(
    r"^\W*((hey|hi|hello|ok|okay|so|and|please|pls),? )*((can|could|will|would) (you|u)|you( can| could)|i need (you|"
    r"u) to|please|pls)\b", re.I)
# "do we sell / stock / carry X" asked by staff: what the business offers, unless a figure is asked for ("do we sell
# more X than Y", "how many ... do we sell" are numbers questions)
OWN_OFFER = re.compile(
    r"\b(do|does) (we|our (\w+ )?(company|business|stores?|shops?|branch(es)?|practices?|clinics?|labs?))( still| "
    r"currently| even| actually| also| now| ever)? (sell|stock|carry|offer|supply|fit|provide|dispense|do|accept|"
    r"take)\b", re.I)
FIGURES = re.compile(
    r"\b(how (many|much)|number of|more|less|fewer|most|least|than|best|worst|well|enough|often|total|units?|"
    r"revenue|sales|turnover|takings|counts?|figures?|percent(age)?|share)\b|%", re.I)
# a question about the assistant itself: who it is, what it can do ("who are you and what can you do?", "what sort
# of things can you help with"); with no word of the trade it is small talk, however well some passage matches
ASSISTANT = re.compile(
    r"\b((who|what) (are|r) (you|u)|are you (a |an )?(bot|robot|human|person|real|ai|machine|chatbot|assistant|"
    r"program)|what('?s| is) your name|what (can|could|do|will) you (do|help)|how (can|could|do|will) you help|"
    r"what (kinds?|sorts?|types?) of (things|questions|stuff) (can|could|do) you|who (made|built|created|"
    r"programmed) you)\b", re.I)
# what a business decides for itself (no industry-wide answer exists): without "our / we" these still ask about the
# company's own rules, unless the question asks what is typical
HOUSE_RULES = re.compile(
    r"\b(discounts?|money off|(get|give|knock|take|have) (anything|something|money|a bit|any money|\d+ ?%|\d+ percent) "
    r"off\b|price match(ing|es)?|beat (a|any|the)? ?\w* ?(quote|price)|refunds?|money back|"
    r"returns? polic(y|ies)|warrant(y|ies)|guarantees?|opening hours|open (on|at|late|until|till|sundays?|"
    r"saturdays?|weekends?|bank holidays?)|parking|vouchers?|gift cards?|loyalty|membership|members|"
    r"no-?shows?|late (for|to) (my|an|the|their|her|his) (appointment|test|exam)|cancell?ation fee|"
    r"payment plans?|instal?l?ments?|financ(e|ing)|direct debit|missed appointments?|"
    r"bonus(es)?|commission|probation|uniforms?|dress code|pay rates?|overtime|shift (pay|allowance|rota)|"
    r"holiday entitlement|annual leave|sick (leave|pay|days?)|home visits?|domiciliary|"
    # its hours and timings: "holiday timings", "what time does the city branch close on friday"
    r"timings?|opening times|closing times?|late(-| )night opening|what time (do|does|are|is|will) (you|they|it|the "
    r"\w+( \w+)?) (open|close|shut|start|finish)|(open|shut|closed?|closing) on (sundays?|saturdays?|fridays?|"
    r"weekends?|public holidays?|eid|ramadan|christmas|diwali)|"
    # its own offerings: "the contact lens plan", "my subscription", "the family package", "the Clear Monthly plan"
    # (not "a workout plan" or "a treatment plan")
    r"((the|my|your|our|this|that|a|an) ([\w-]+ )?((lens|contact lens|contacts|eye ?care|care|family|kids?|"
    r"children'?s?|student|senior|protection|breakage|damage|accident|cover|loyalty|rewards?|points|monthly|annual|"
    r"yearly|corporate|aftercare|spectacle|glasses|specs|dailies|monthlies|myopia|(?-i:[A-Z][\w-]+)) )+|"
    r"(my|your|our) )(plan|subscription|scheme|membership|club|package|bundle|programme|program)\b|"
    r"minimum (term|period|contract|stay|commitment)|notice period|sign(ing)? up|enrol(l?ing|ment)?|"
    # how it pays: "deposit", "upfront", "do you take amex", "is cashless available"
    r"deposit|up-?front|up front|cashless|payment (methods?|options?)|pay (by|with|in) (card|cash|cheque|check)|"
    r"amex|american express|mastercard|credit cards?|debit cards?|apple pay|google pay|upi|cheques?|"
    # its data, complaints and paperwork: "remove my personal details", "who do I send a complaint to", "an invoice"
    r"(my|our|his|her|their|personal|customer|patient) (data|details|records|information)|privacy|gdpr|"
    r"data protection|(make|made|making|file|filed|lodge|lodged|raise|raised|send|sent|email(ed)?|log(ged)?|my|our) "
    r"(a |my |our )?complaint|complain(ed|ing)? to\b|complaints? (procedure|process|policy|form|team)|"
    r"receipts?|invoices?|bills?|billing|gst|vat|tax invoice|"
    # its orders waiting to be collected: "what if I forget to collect my glasses", "how long do you keep an order"
    r"(collect(ing|ed)?|pick(ing|ed)? up) (my|our|his|her|their|the) (\w+ ){0,2}(glasses|specs|spectacles|orders?|"
    r"lenses|contacts|frames?|pair|sunglasses)\b|uncollected|not (been )?collected|"
    # what a customer's own damaged glasses or new pair lead to: "my toddler snapped her glasses", "my new
    # varifocals make me feel seasick, what are my options"
    r"(broke|snapped|cracked|chewed|sat on|stepped on|ran over|dropped|lost) (my|his|her|their|our|the) "
    r"(\w+ ){0,2}(glasses|specs|spectacles|frames?|lenses|sunglasses|contacts|pair)|"
    r"(my|our|his|her|their)( \w+'?s?)? (glasses|specs|spectacles|frames?|lenses|sunglasses|pair) (\w+ ){0,3}(broke|"
    r"snapped|cracked|got (chewed|broken|damaged|lost|stolen)|(was|were) (broken|damaged|lost|stolen|cracked))|"
    r"(my|our) new (\w+ ){0,2}(glasses|specs|spectacles|lenses|progressives|varifocals|bifocals|multifocals|frames?|"
    r"contacts|pair)\b.{0,80}\b(my options|what now|return (them|it)|exchange|swap (them|it)|remake|redo|"
    r"money back)|"
    # a child's glasses outgrown: "his glasses are too small now, he's grown", "she has outgrown her frames" (what a
    # seller's growth exchange or children's promise gives, a house rule)
    r"(my|our|his|her|their)( \w+'?s?)? (glasses|specs|spectacles|frames?|sunglasses|goggles|pair) (are|is) (now |"
    r"already |getting |a bit |far |way |much )*too (small|tight|short|narrow|little)|"
    r"\b(outgr[eo]wn?|outgrowing|grown out of|growing out of)\b|"
    r"\b(he|she|they|he's|she's|they've|he has|she has|they have) (has |have |'s )?(grown|had a growth spurt)\b)\b",
    re.I)
# a fault of the customer's own glasses ("the coating on my lenses is flaking", "the anti-reflective layer on my lenses
# is bubbling", "a lens fell out of my rimless glasses") told with the item's age ("after 4 months", "they're 8 months
# old"): whether the seller's guarantee still covers it, a house rule (the industry knowledge may say why coatings
# craze, not what this business does about it); told without an age ("cracks after the sauna, what happened") it
# stays a question of knowledge
ITEM_FAULT = re.compile(
    r"\b(my|our|his|her|their|these|this|the) (new |brand new |\w+'s )?([\w-]+ ){0,2}(glasses|specs|spectacles|"
    r"frames?|lens(es)?|coating|layer|arms?|temples?|hinges?|nose ?pads?|screws?|sunglasses|sunnies|varifocals|"
    r"progressives|bifocals|pair)\b(?! (of|for|to)\b)[^.?!]{0,40}?\b(peel(s|ed|ing)?|flak(e|es|ed|ing)|"
    r"bubbl(e|es|ed|ing)|craz(e|ed|ing)|cracked|cracking|cracks?|delaminat\w*|(coming|come|came|falling|fell|fallen|"
    r"popp(ed|ing)|pops?) (off|out|apart|loose)|(is|are|keeps? (getting|coming)|went|gone|feels?) (loose|wobbly)|"
    r"wobbl(e|es|ing)|snapped|broke|broken|discolou?r\w*)\b", re.I)
_COUNT = r"(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|a couple of)"
ITEM_AGE = re.compile(
    rf"\b((after|within|in|only|just|barely|less than|under|not even)( (about|around|like|only|just))? {_COUNT} "
    rf"(days?|weeks?|months?|years?|yrs?)|{_COUNT} (days?|weeks?|months?|years?|yrs?) old|(they'?re|it'?s|they are|"
    rf"it is|had (them|it)( for)?|bought (them|it)) (only |just |barely )?{_COUNT} (days?|weeks?|months?|years?))\b",
    re.I)
# words of the trade and of a shop's service: a question holding one is not small talk ("lost my specs at the beach,
# will the cover pay out", "any deal for students?", "got a splinter in my eye")
TOPICAL = re.compile(
    r"\b(eyes?|eyesight|sight|vision|glasses|specs|spectacles|sunglasses|lens(es)?|contacts|frames?|optom\w*|"
    r"optician\w*|optical|ophthalm\w*|pupils?|eyelids?|lids?|cornea\w*|retina\w*|prescriptions?|exams?|"
    r"examinations?|eye ?tests?|appointments?|bookings?|discounts?|deals?|prices?|costs?|fees?|pay|refunds?|"
    r"warrant(y|ies)|guarantees?|cover|covered|insurance|located|location|address|stores?|shops?|branch(es)?|"
    r"practices?|opening|hours|myop\w*|hyperop\w*|presbyop\w*|astigmat\w*|cataracts?|glaucoma|squint\w*|blurr?\w*|"
    r"floaters?|conjunctivitis|styes?|dilat\w*|monthlies|dailies|varifocals?|progressives?|bifocals?|"
    r"timings?|closed|shut|courier|deliver\w*|collect\w*|pick up|receipts?|bills?|invoices?|deposit|"
    r"complain\w*|subscription|membership|tints?|tinted|coatings?|hinges?|nose ?pads?|polari[sz]ed|photochromic|"
    # a shop's paperwork: "can you give me the medical certificate for my driving licence", "a referral letter"
    r"certificates?|licen[cs]es?|driv(e|es|ing|ers?)|referrals?|paperwork|medical (forms?|reports?))\b",
    re.I)
INDUSTRY_WORDS = frozenset(
    "optical opticians optician optometrists optometrist optometry eyecare eyewear eye eyes vision glasses "
    "spectacles lenses lens contacts clinic clinics center centre group ltd limited inc the and of "
    "care sight see view visual opticals optics practice practices".split())
GENERIC = re.compile(
    r"\b(typical(ly)?|industry|in general|generally|on average|normally|usually|most (opticians|optical|stores|"
    r"chains|practices|retailers|labs)|standard practice|common practice|benchmarks?|"
    # "across the market", "across optical chains", "across UK opticians" (never "across our stores")
    r"across (the |all )?((?!our\b|your\b|my\b|these\b|those\b)[\w-]+ ){0,2}(market|industry|chains|retailers|"
    r"opticians|optometrists|practices|companies|businesses|the country)|"
    r"other (stores|chains|opticians)|the market|nationwide|elsewhere)\b", re.I)

# the business's own premises, vehicles and people named as such ("is there a toilet on the van", "can I wait in the
# waiting room", "are the crew trained in first aid"): a question that names one asks about the business, never small
# talk. A place or vehicle word counts when the tenant's best passages use it (a mobile service's "van", a
# kiosk chain's "kiosk"; `passage_words`), a word of a shop's own staff always.
PREMISES = re.compile(
    r"\b(the|your|ur|this|that|our|one of (the|your))\s+((?!(my|his|her|their|a|an)\b)[\w'-]+\s+)?(?P<thing>vans?|"
    r"bus(es)?|coach(es)?|trucks?|lorr(y|ies)|trailers?|vehicles?|kiosks?|stalls?|counters?|premises|"
    r"buildings?|rooms?|reception|car ?park|lifts?|ramps?|toilets?|loos?|waiting (room|area)|floors?|boats?|"
    r"ferr(y|ies)|(?P<people>staff|team|crew|receptionists?|assistants?|technicians?|drivers?))\b", re.I)
# "our / we" of a household, not of the business: "our cat scratched my eye", "we went swimming", "our son's glasses"
# ("do we do home visits" is the business)
HOUSEHOLD = re.compile(
    r"\bour\b(?=\s+(\w+\s+){0,1}(cat|cats|dog|dogs|puppy|kitten|pets?|son|sons|daughters?|kids?|children|"
    r"child|baby|toddler|little ones?|eldest|twins?|boy|girl|family|house|home|flat|garden|car|"
    r"holiday|trip|mum|mom|dad|parents?|"
    r"grandparents?|gran|grandma|grandad|grandpa|nan|neighbou?rs?|friends?|teacher|school|doctor|gp)\b)|"
    r"\bwe (went|were|go|have been|'ve been|both|all|are going)\b|"
    # "both of us are short-sighted", "the two of us": the household's people
    r"\b(both|all|two|three|four|either|neither|none) of us\b", re.I)
# what something costs: a price word. A question with one asks what the business charges (only its own price list
# can say), unless it asks why things cost what they do or how two kinds compare ("why are varifocals so expensive",
# "are dailies cheaper than monthlies"): that is knowledge about the trade.
PRICE = re.compile(
    r"\b(prices?|priced|pricing|costs?|cheapest|surcharges?|how much (is|are|for|to)|"
    r"adds? to the (bill|price|cost|total)|charges?|fees?|"
    # "how much on top", "what's the extra for polarised", "how much do varifocals start at", "how much do I put down"
    r"how much (on top|extra|more)|(what'?s|what is|whats) the extra (for|on)|"
    r"how much (do|does|would|will) ([\w'-]+ ){1,4}(start|starts) (at|from)|how much (do|would|will|should) (i|we) "
    r"(have to |need to )?(put down|pay up ?front|pay now)|"
    # the price asked in the customer's own language ("magkano po", "quanto custa", "¿cuánto cuesta?")
    r"magkano|quanto (custa|costa|é)|cu[aá]nto (cuesta|vale|sale)|combien (co[uû]te|ça co[uû]te|pour)|"
    r"was kostet|wie ?viel kostet|hoeveel kost|"
    r"ile kosztuje|berapa harga)\b", re.I)
PRICE_KNOWLEDGE = re.compile(
    # (a price told as the circumstance of a question about the thing itself: "... at triple the price, is there real
    # evidence behind them", "do I really need that or is it a scam", "what's the point of titanium frames, they cost
    # loads more", "the cheapest material, is that ok for me")
    r"^\W*(why|what makes|how come)\b|\b(evidence|proven|scam|gimmick|marketing|(any|what'?s the|what is the) point\b|"
    r"(really|actually|even) need|is (that|it|this) (ok|okay|fine|good enough|alright|all right) for|"
    r"why (is|are|do|does) (it|they|that|this|these|those)\b|"
    r"worth (it|the)|difference between|compared? (to|with)|than\b|"
    r"what am i paying for|typical(ly)?|on average|in general|generally|usually|normally|per month to (lease|rent)|"
    r"to (lease|rent|run|install|set up|open|start)\b)", re.I)
# the wording of a question about the eye or optics in general: what a thing is or is for, why it happens, how it
# works, whether something is safe or normal ("what's the tracer in the lab for", "why do children become
# short-sighted", "is it bad to sleep in contacts")
GENERAL = re.compile(
    r"^\W*(why\b|how come\b|how (does|do|can|could) (a|an|the|my|your|their|those|these|it|they|\w+s)\b.{0,60}"
    r"\bwork\b|what causes|is it (safe|normal|bad|ok|okay|true|harmful|dangerous|healthy)\b|"
    # "is it possible" asks knowledge ("is it possible to go blind from ...") unless it arranges something with the
    # business ("is it possible to pay monthly", "... to book a Saturday")
    r"is it possible\b(?! (for (me|us|my \w+) )?to (pay|book|get|order|have|buy|return|exchange|collect|reserve|"
    r"rent|borrow|change|cancel|come|bring|see|visit)\b))|"
    r"\bwhat('?s| is| are| does| do)\b.{1,60}\b(for|mean|means|stand for|stands for)\s*\??\s*$|"
    # a story about one's own eyes asked as knowledge: "... is that normal", "what's going on", "any truth in it",
    # "what could be causing it", "what's that about"
    r"\b(difference between|is (that|this|it) (bad|normal|serious|dangerous|safe)|should (i|he|she|they|we) (worry|be "
    r"worried|see (a|an|the) (doctor|gp|specialist))|(what'?s|what is) (going on|happening)|(any|is there any) "
    r"truth (in|to)|what (could|would|might) (be )?caus(e|es|ing)|what'?s (that|this) about|what does (that|this) "
    r"mean)\b", re.I)


# words of everyday idiom that are no cue of the company: "what's the deal with snow blindness", "how big a deal is
# that", "big deal or not" (not "any deal for students", "is there a deal on a second pair": a discount); and the
# impersonal "you" of a question of method, "how do you work out the prism", "how do you test a toddler's eyes"
# (how it is done anywhere, not whether this business does it)
# "what's the deal with snow blindness", "how big a deal is that": no offer; "what's the deal on a second pair", "what's
# the deal if I buy two" ask for one (a company's offer), so only "the deal with" is the idiom
IDIOMS = re.compile(r"\b(what'?s|what is|whats) the (big |real )?deal with\b|\b(how |a |no |not a |that |such a )?"
                    r"(big|huge|major|real) (a )?deal\b", re.I)
IMPERSONAL = re.compile(r"\b(?P<how>how (do|would|can|could|should)) you( guys)? (?P<verb>work out|calculate|measure|"
                        r"test|tell|know|check|treat|clean|read|choose|pick|explain|figure out|find out|get rid of|"
                        r"stop|prevent)\b", re.I)
# calendar words ("can it wait till monday", "since this afternoon"): a tenant's passages hold them as its opening
# days, the industry knowledge rarely; no name of the company's own
CALENDAR = frozenset(stem(w) for w in (
    "monday mondays tuesday tuesdays wednesday wednesdays thursday thursdays friday fridays saturday saturdays sunday "
    "sundays weekend weekends morning mornings afternoon afternoons evening evenings tonight tomorrow yesterday "
    "january february march april june july august september october november december mile miles").split())


# the company's own rule named as its own: "our contact lens trial policy", "our procedure for a lost order", "the
# company's returns process", "do we have an eyewash procedure", "how long is our trial", "our remake fee" (issue 11:
# "our / we" questions about policies, fees, warranties, trials and procedures are the tenant's; a staff member's "we"
# question of the trade names no rule of the company's)
OWN_RULE = re.compile(r"\b((our|the company'?s|the business'?s?)|"
                      r"(do|does) (we|the company|the business) have (an?|any) )\s*([\w-]+\s+){0,3}"
                      r"(polic(y|ies)|procedures?|process(es)?|rules?|terms|guidelines?|protocols?|sops?|handbook|manual|"
                      r"warrant(y|ies)|guarantees?|promise|trials?|fees?|charges?|pric(e|es|ing)|schemes?|plans?|"
                      r"discounts?|hours)\b", re.I)


# a message worded as a question (a question word or auxiliary opening a clause, or a "?") rather than a report asked
# for ("patients in their fifties by lens type"); and a breakdown asked for ("broken down by", "per lens type")
ASKED = re.compile(r"(^|[,.;:!?]\s*|\b(and|but|so)\s+)(what|what's|whats|which|why|how|is|are|does|do|did|can|could|"
                   r"should|will|would|when|where|who)\b|\?\s*$", re.I)
# "you / your" anywhere ("can I bring them back to you"): it may speak to the business, in words no cue reads ("your
# eyes", "your sight" are anyone's)
SPOKEN_TO = re.compile(r"\b(you|your(?! (eyes?|eyesight|sight|vision)\b)|yours|you're|you've|you'll|yourselves)\b",
                       re.I)
# what a customer asks the business about its own days and ways to pay ("are you open on the national day in march",
# "do you take cards at the kiosk", "do you close over the holidays in december"), read with "you / your"
# (`SPOKEN_TO`): a month or year named there is the day asked about, not a period to count over
# (`DocSignal.tenant_matter`), so the offer, house-rule and document rules of `revise` read it
TENANT_MATTERS = re.compile(
    r"\b((open|opens|close|closes|shut|shuts)( \w+)? (on|at|in|during|over|for|late|early|till|until|today|tomorrow|"
    r"tonight|this|next|every|sundays?|saturdays?|weekends?)|(are|is|be|you|u|shop|store|branch|kiosk|van) (open|"
    r"closed|shut)|opening|closing|closed|hours|holidays?|national (day|holiday)|independence day|festivals?|pay|"
    r"paying|payments?|cards?|cash|contactless|cheques?|instal?l?ments?)\b", re.I)
# what a staff member asks the trade to tell them about their own work ("do we need to take a new PD if ...", "do we
# have to give customers their PD", "should we tell her ...", "what do we tell a customer who ...", "what should we
# check when ...", "why do we need a fitting height"): what the trade requires or advises, not what the company decided
# ("what do we do if ..." and "do we do / offer ..." ask for the company's own procedure or offer and are not read)
STAFF_PRACTICE = re.compile(
    r"\b((do|does) (we|staff) (really |still |actually |legally |always |even )?(need|have|got) to (?!do\b)|"
    r"(do|does) we (really |still |actually |even )?need (a|an|the|any|another|separate|new|their|her|his)\b|"
    r"(^|[,.;:!?-]\s*|\b(so|and|but|or)\s+)(should|must|shall|ought) we (?!do\b)|"
    r"(what|how|which|anything|something)( \w+){0,3} (should|must|do|would) we (tell|say|warn|advise|ask|check|"
    r"look (for|at|out for)|explain|recommend|suggest|think about|watch|handle|measure|allow)\b|"
    r"(anything|something|what|things)( \w+){0,2} we (should|must|ought to|need to|have to) (tell|say|warn|advise|ask|"
    r"check|look (for|at|out for)|explain|recommend|suggest|think about|watch|handle|measure|allow)\b|"
    r"(why|when) (do|does|should|would) we (need|use|check|measure|take)\b)", re.I)
# a wearer asking whether they may wear or use their own things a certain way ("can I wear my contacts on a long
# flight", "can I put them back in tomorrow", "is it ok to keep the same pair going for three months", "can I still
# wear the other half"): how the product is used, which the trade's knowledge answers (a "can I ... my ..." wording the
# router often reads as a customer-service question)
WEARER_USE = re.compile(
    r"\b(can|could|should|may|is it (ok|okay|safe|fine|alright|all right) to|ok to|okay to|safe to) "
    r"((i|you|he|she|they|we|my \w+) )?(still |just |safely )?(wear|sleep|swim|shower|nap|reuse|re-use|"
    r"put (them|it|my \w+|the \w+) back|keep (them|it|wearing|using|the same)|use|clean|rinse|store|wash|drive|fly)\b",
    re.I)
BREAKDOWN = re.compile(r"\b(broken down|breakdown|split (by|per|into))\b|\b(by|per) (lens |product |age )?(types?|"
                       r"categor(y|ies)|brands?|stores?|shops?|branch(es)?|regions?|months?|weeks?|days?|years?|"
                       r"quarters?|bands?)\b", re.I)


@dataclass(frozen=True)
class DocSignal:
    """The tenant document search's view of one question: its best sentence score and the cues found."""

    best: float
    own: bool
    policy: bool
    numbers: bool
    generic: bool
    kb: float = 0.0  # best industry knowledge passage score
    house: bool = False  # asks about something each business decides for itself (discounts, parking, refunds)
    offers: bool = False  # asks what the business itself does, offers or charges ("do you do ortho-k")
    topical: bool = False  # holds a word of the trade or of a shop's service: not small talk
    long_known: bool = False  # `LONG_QUESTION_WORDS` words or more, and the industry knowledge answers it
    price: bool = False  # asks what something costs (not why things cost what they do, nor how two kinds compare)
    general: bool = False  # worded as a question about the eye or optics in general ("why do ...", "what's X for")
    held: bool = False  # names a thing only the tenant's own passages hold (a word the industry knowledge never uses)
    courtesy: bool = False  # only greeting / thanks / farewell words, in any of the languages router.is_courtesy knows
    assistant: bool = False  # asks about the assistant itself (who it is, what it can do), no word of the trade
    elsewhere: bool = False  # a request to "you" with nothing of the trade, a shop or the company ("fix my wifi")
    figures: bool = False  # a word that asks for a figure (`FIGURES`: how many / much, total, more, most, share ...)
    addressed: bool = False  # the business spoken to or named ("you / your" meaning it, its name, its staff by job)
    # the best sentence of the tenant's passages and of the industry knowledge's passages, by the same scorer
    # (agents/extractive.py's, uncapped): how well each source's best sentence answers, on one scale
    tenant_sentence: float = 0.0
    knowledge_sentence: float = 0.0
    own_rule: bool = False  # names the company's own rule ("our trial policy", "our procedure for ...", `OWN_RULE`)
    spoken_to: bool = False  # says "you / your" ("u / ur"; not the impersonal "how do you work out"): maybe the shop
    asked: bool = False  # worded as a question (`ASKED`: a question word or "?"), not a report, nor a breakdown
    practice: bool = False  # a staff member asks what the trade requires or advises them to do (`STAFF_PRACTICE`)
    wearer_use: bool = False  # a wearer asks whether they may wear or use their own things a certain way (`WEARER_USE`)
    tenant_matter: bool = False  # "you / your" and the business's opening, holidays or ways to pay (`TENANT_MATTERS`)

    @property
    def sentence_lead(self) -> float:
        """How far the tenant's best sentence leads the knowledge's best (0 when either was not scored)."""
        if not (self.tenant_sentence and self.knowledge_sentence):
            return 0.0
        return self.tenant_sentence - self.knowledge_sentence

    @property
    def staff_trade(self) -> bool:
        """Asked in "we / our" wording alone (staff or a household: `own` without `addressed`) with nothing only the
        company can answer (no house rule, offer, price, held name, nor its own rule named as "our policy / our
        procedure", `own_rule`), and the industry knowledge answers it (kb >= `KB_OK`) clearly better than the
        documents: they do not cover it (best < `DOC_NONE`) and the knowledge's best sentence leads theirs by
        `KNOWLEDGE_LEAD`, or no passage answers it well (best < `DOC_WEAK`) and the knowledge's best passage leads
        the documents' best sentence by `STAFF_KB_LEAD`. A question of the trade asked by staff ("should we tell
        customers ...", "what do we check when ...", "how do we measure ..."), not about the company's own rules."""
        if self.addressed or self.house or self.offers or self.price or self.held or self.own_rule or self.kb < KB_OK:
            return False
        sentences = (self.best < DOC_NONE and bool(self.tenant_sentence)
                     and self.knowledge_sentence - self.tenant_sentence >= KNOWLEDGE_LEAD)
        return sentences or (self.best < DOC_WEAK and self.kb >= self.best + STAFF_KB_LEAD)


    @property
    def of_the_company(self) -> bool:
        """Whether anything in the question is the company's: "our / we", the business spoken to or named, an offer, a
        house rule, a held name, a price, a policy word, numbers or a figure word, its own rule named."""
        return (self.own or self.addressed or self.offers or self.house or self.held or self.price or self.policy
                or self.numbers or self.figures or self.own_rule)


def name_words(tenant_slug: str) -> frozenset[str]:
    """The distinctive words of a tenant's slug ("kestrel-optometrists" -> {"kestrel"}): a question that names the
    company ("which towns have a Kestrel practice") asks about it. Words of the trade ("optical") do not count."""
    return frozenset(w for w in re.split(r"[^a-z]+", tenant_slug.lower()) if len(w) >= 4 and w not in INDUSTRY_WORDS)


def tenant_words(question: str, passages: Sequence[str], known: Collection[str] | None = None) -> frozenset[str]:
    """The question's own words that the tenant's best passages hold and the industry knowledge never uses (`known`:
    its vocabulary of content-word stems, by default the industry Q&A knowledge's): the names of the company's own
    schemes, products, places and services ("the Bright Start club", "load-shedding backup"), lower-cased stems.
    Numbers and words shorter than four letters do not count."""
    if not passages:
        return frozenset()
    known = _knowledge_vocabulary() if known is None else known
    if not known:
        return frozenset()
    # the few question words the knowledge does not know first: most questions have none, and then no passage needs
    # reading; the passages' stems are kept per chunk text (`passage_stems`), so a chunk is stemmed once per process
    unknown = {w for w in content_stems(question) if len(w) >= 4 and not w.isdigit() and w not in CALENDAR
               and not _knows(known, w)}
    return frozenset(w for w in unknown if any(w in passage_stems(p) for p in passages))


@functools.lru_cache(maxsize=4096)
def passage_stems(text: str) -> frozenset[str]:
    """The content-word stems of one passage (a chunk's text), computed once per text and kept: the same chunks
    come back for question after question of a tenant, and stemming them was the route node's slow tail."""
    return frozenset(content_stems(text))


def _knows(known: Collection[str], word: str) -> bool:
    """Whether the vocabulary holds the word or another form of it: a stem sharing all but its last two letters, at
    least five ("guaranteed" and "guarantees" stem apart). Only the stems that begin with the word's first five
    letters can share five, so they are looked up in an index of the vocabulary by that prefix (`_by_prefix`)."""
    if word in known:
        return True
    if len(word) < 5:
        return False
    return any(_shared(k, word) >= max(5, min(len(k), len(word)) - 2) for k in _by_prefix(known).get(word[:5], ()))


_PREFIX_INDEXES: dict[int, tuple[Collection[str], int, dict[str, tuple[str, ...]]]] = {}


def _by_prefix(known: Collection[str]) -> dict[str, tuple[str, ...]]:
    """The vocabulary's stems of five letters or more grouped by their first five, built once per vocabulary object
    (rebuilt when its size changes; the few most recent vocabularies are kept)."""
    hit = _PREFIX_INDEXES.get(id(known))
    if hit is not None and hit[0] is known and hit[1] == len(known):
        return hit[2]
    groups: dict[str, list[str]] = {}
    for k in known:
        if len(k) >= 5:
            groups.setdefault(k[:5], []).append(k)
    index = {prefix: tuple(stems) for prefix, stems in groups.items()}
    if len(_PREFIX_INDEXES) >= 8:
        _PREFIX_INDEXES.pop(next(iter(_PREFIX_INDEXES)))
    _PREFIX_INDEXES[id(known)] = (known, len(known), index)
    return index


def _shared(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _knowledge_vocabulary() -> Collection[str] | None:
    """The content-word stems of the industry Q&A knowledge; None when it is unavailable (no word then counts as the
    tenant's own: the signal stays off rather than firing on every word)."""
    from tools import industry_kb

    try:
        return industry_kb.qa_index().doc_freq or None
    except Exception:  # noqa: BLE001 - only a routing hint
        return None


# texting shorthand read as the words: "will u call me", "ur website", "hours pls"
TEXTING = ((re.compile(r"(?<![\w'-])u(?![\w'-])", re.I), "you"), (re.compile(r"(?<![\w'-])ur(?![\w'-])", re.I), "your"),
           (re.compile(r"(?<=\bhow much )r(?![\w'-])|(?<![\w'-])r(?= (u|you|they|the|these|those)\b)", re.I), "are"),
           (re.compile(r"(?<![\w'-])(pls|plz)(?![\w'-])", re.I), "please"))


def unshorten(question: str) -> str:
    """The question with texting shorthand ("u", "ur", "pls") written out."""
    for pattern, repl in TEXTING:
        question = pattern.sub(repl, question)
    return question


def passages_words(passages: Sequence[str]) -> frozenset[str]:
    """The content-word stems of the tenant's best passages together (each passage's kept by `passage_stems`)."""
    out: set[str] = set()
    for p in passages:
        out |= passage_stems(p)
    return frozenset(out)


# the business's people named by their job ("your screeners", "the orthoptists", "your fitters"): an agent noun in the
# plural after "your" or "the" (`addresses_staff` keeps it when the tenant's best passages use the word)
STAFF_NOUN = re.compile(r"(?P<at>\b(at|to|from|by|with)\s+)?\b(?P<det>your|ur|the)\s+([\w-]+\s+)?"
                        r"(?P<who>[a-z]{3,}(ers|ors|ists|ians))\b", re.I)
# plurals ending like agent nouns that are things or people of the customer's own ("your fingers", "your readers")
NOT_STAFF = frozenset(
    "fingers shoulders computers monitors readers papers answers numbers orders letters others eyelashes stickers "
    "covers filters markers centers meters metres colors colours members customers users wearers parents mothers "
    "fathers brothers sisters daughters grandparents teachers neighbours neighbors lockers drawers chambers "
    "spiders trousers slippers powers layers corners borders waters flowers vitamins".split())


def addresses_staff(question: str, passage_words: Collection[str]) -> bool:
    """Whether the question speaks of the business's people by their job, "your screeners", "the orthoptists"
    (`STAFF_NOUN`): an agent noun in the plural after "your" or "the" that the tenant's best passages use
    (`passage_words`, content-word stems) and that is no thing or person of the customer's own (`NOT_STAFF`). With
    "the", a job of the whole trade ("the opticians", "the optometrists") is anyone's, and so is "at / to the X"
    (a kind of shop: "why do they blow air in my eye at the opticians")."""
    for m in STAFF_NOUN.finditer(question):
        who = m.group("who").lower()
        if m.group("det").lower() == "the" and (m.group("at") or who in INDUSTRY_WORDS):
            continue
        if who not in NOT_STAFF and (stem(who) in passage_words or stem(who[:-1]) in passage_words):
            return True
    return False


def names_premises(question: str, passage_words: Collection[str]) -> bool:
    """Whether the question names the business's own premises, vehicles or people (`PREMISES`: "the van", "your
    kiosk", "the crew"): a place or vehicle word only when the tenant's best passages use it (`passage_words`, their
    content-word stems), so "the van" is the business's for a mobile optician and nobody's for a high-street one."""
    for m in PREMISES.finditer(question):
        if m.group("people") or stem(m.group("thing")) in passage_words:
            return True
    return False


def knowledge_hits(question: str) -> tuple[float, list]:
    """The industry knowledge's best passage score for a question and its best passages (tools.industry_kb hits);
    (0, []) when the knowledge base is unavailable: only a routing hint."""
    from tools import industry_kb

    try:
        retrieval = industry_kb.retrieve(question, include_aggregates=False)
    except Exception:  # noqa: BLE001 - only a routing hint
        return 0.0, []
    return (retrieval.best.score if retrieval.best else 0.0), list(retrieval.hits)


def wants_sentences(route: str, doc: float, kb: float) -> bool:
    """Whether `revise` may read the two sources' best sentences (`sentence_scores`) for a router decision: a
    question the documents cover that the router sent elsewhere, or a docs decision for a question the knowledge
    answers (kb >= `KB_OK`; however well a passage matches, since a question of knowledge stays with the documents
    only when their best sentence leads), or one the documents do not cover (doc < `DOC_NONE`) that the knowledge
    comes near (kb >= `KB_NEAR`). Otherwise the route node skips scoring them (tens of milliseconds on a loaded
    machine)."""
    return (route in ("industry", "clarify", "smalltalk") and (doc >= DOC_NONE or kb >= KB_OK)) or (
        route == "docs" and (kb >= KB_OK or doc < DOC_NONE and kb >= KB_NEAR))


def with_sentences(signal: DocSignal, sentences: tuple[float, float]) -> DocSignal:
    """The signal with the two sources' best sentence scores (`sentence_scores`) set."""
    return replace(signal, tenant_sentence=round(sentences[0], 4), knowledge_sentence=round(sentences[1], 4))


def sentence_scores(question: str, doc_sources: Sequence[dict], knowledge: Sequence[object]) -> tuple[float, float]:
    """(tenant, knowledge): the best sentence score of the tenant's passages (`doc_sources`, the route node's hits)
    and of the industry knowledge's passages (`knowledge`: tools.industry_kb hits; each passage's question is its
    title, its answer the text), both by agents/extractive.py's sentence scorer, uncapped: the two sources' best
    answers on one scale (the passage scores `doc` and `kb` are not: one is a sentence score capped where the
    documents miss the question's words, the other a passage retrieval score). The sentences' embeddings are
    already cached by the document search's own sentence scoring; (0, 0) when either side has nothing."""
    from agents.extractive import score_sentences

    kb_sources = [{"title": h.passage.question, "text": h.passage.answer} for h in knowledge  # type: ignore[attr-defined]
                  if getattr(h, "passage", None) is not None and h.passage.kind == "qa"]  # type: ignore[attr-defined]
    if not doc_sources or not kb_sources:
        return 0.0, 0.0
    tenant = score_sentences(question, list(doc_sources))
    known = score_sentences(question, kb_sources)
    return (tenant[0].score if tenant else 0.0), (known[0].score if known else 0.0)


def cues(question: str, best: float, kb: float = 0.0, names: frozenset[str] = frozenset(),
         own_words: frozenset[str] = frozenset(), passage_words: Collection[str] = frozenset(),
         sentences: tuple[float, float] = (0.0, 0.0)) -> DocSignal:
    """The routing cues of a question: `best` its best tenant sentence score, `kb` the industry knowledge's best
    passage score, `names` the company's names (its slug's words, names of the question its documents hold),
    `own_words` the question's words only the tenant's passages hold (`tenant_words`), `passage_words` the
    content-word stems of the tenant's best passages (`passages_words`), `sentences` the two sources' best sentence
    scores (`sentence_scores`)."""
    courtesy = is_courtesy(question)
    # a greeting before the question ("sasa! which days are you in town?") is not what it asks; an idiom ("what's the
    # deal with ...") is no cue (`IDIOMS`), nor the impersonal "how do you work out ..." (`IMPERSONAL`)
    question = IMPERSONAL.sub(lambda m: f"{m['how']} one {m['verb']}",
                              IDIOMS.sub(" ", unshorten(without_greeting(question))))
    named = bool(names) and bool(names & {w.lower() for w in re.findall(r"[A-Za-z]+", question)})
    plain = re.sub(r"\bU\.?S\.?(?=\W|$)", "", question)  # "in the US" is a country, not "us"
    home = HOUSEHOLD.sub(" ", plain)  # "our cat", "we went swimming": a household, not the business
    said = normalize_service_terms(question)  # "doesn't turn up" is a missed appointment, "money back" a refund
    # a word of the trade or of a shop's service, or the business's own premises or people ("the van"): not small talk
    topical = bool(TOPICAL.search(question)) or names_premises(question, passage_words)
    # small talk is short: a question of `LONG_QUESTION_WORDS` words or more that the industry knowledge answers ("why
    # does my mum hold the newspaper so far away these days") is one of the trade whatever its words
    long_known = kb >= KB_OK and len(re.findall(r"[^\W\d_]+", question)) >= LONG_QUESTION_WORDS
    house = bool(HOUSE_RULES.search(question) or HOUSE_RULES.search(said)
                 or (ITEM_FAULT.search(question) and ITEM_AGE.search(question)
                     and re.search(r"\b(my|our|his|her|their|mine)\b", question, re.I)))  # the customer's own item
    # "can you fix my hinge" asks the business; "can you fix my wifi" does not (no word of the trade or of a shop)
    errand = bool(ERRAND.search(plain)) and (topical or house)
    # the business spoken to or named ("your website", "bought them from you", "can you fix", "the Kestrel shop",
    # "your screeners"), beside "our / we / us / staff" (a staff member's own situation may be one of the trade)
    addressed = bool(YOU_BUSINESS.search(plain) or errand) or named or addresses_staff(plain, passage_words)
    own = bool(OWN.search(home)) or addressed
    # "do you sell / stock Oakley" asks what the business offers, not for sales or stock figures
    unsold = re.sub(r"\b(do|does|will|would|can|could) you( guys| all)?( still| also| even| actually| ever| only)? "
                    r"(sell|stock|carry)\b|"
                    r"\byou( guys| all)? (sell|stock|carry)\s*\??\s*$|"
                    # a relative clause, "the cheapest pair you sell for adults" (not "did you sell", "have you sold")
                    r"(?<!\bdid )(?<!\bdo )(?<!\bhave )(?<!\bmany )(?<!\bmuch )\byou( guys| all)? (sell|stock|carry)\b",
                    " ", question, flags=re.I)
    # "do we sell / stock X" without a figure word asks what the business offers as well (staff wording)
    own_offer = bool(OWN_OFFER.search(plain)) and not FIGURES.search(question)
    if own_offer:
        unsold = OWN_OFFER.sub(" ", unsold)
    policy = bool(POLICY.search(question) or POLICY.search(said))
    # "you / your" with the business's opening, holidays or ways to pay: a month or year named is the day asked about
    # ("are you open on the national day in march"), unless a measure or a figure is asked for
    tenant_matter = bool(SPOKEN_TO.search(question) and TENANT_MATTERS.search(question))
    numbers = bool(MEASURES.search(unsold)) or (bool(PERIODS.search(unsold))
                                                and not (tenant_matter and not FIGURES.search(question)))
    return DocSignal(best=round(best, 4), own=own, addressed=addressed, policy=policy, numbers=numbers,
                     generic=bool(GENERIC.search(question)), kb=round(kb, 4), house=house,
                     offers=bool(OFFERS.search(plain) or (SERVICE_FOR_ME.search(plain) and topical) or own_offer
                                 or errand)
                     and not GENERIC.search(question),
                     topical=topical, long_known=long_known,
                     price=bool(PRICE.search(question)) and not PRICE_KNOWLEDGE.search(question),
                     general=bool(GENERAL.search(question)), held=bool(own_words),
                     assistant=bool(ASSISTANT.search(question)) and not topical, courtesy=courtesy,
                     elsewhere=bool(REQUEST.search(plain)) and not (
                         topical or house or own or numbers or own_words or PRICE.search(question)
                         or POLICY.search(ERRAND.sub(" ", plain))),  # the request's own verb ("repair") is no policy
                     figures=bool(FIGURES.search(question)),
                     tenant_sentence=round(sentences[0], 4), knowledge_sentence=round(sentences[1], 4),
                     own_rule=bool(OWN_RULE.search(home)), spoken_to=bool(SPOKEN_TO.search(question)),
                     asked=bool(ASKED.search(question)) and not BREAKDOWN.search(question),
                     practice=bool(STAFF_PRACTICE.search(question)), wearer_use=bool(WEARER_USE.search(question)),
                     tenant_matter=tenant_matter)


def revise(decision: RouteDecision, signal: DocSignal) -> RouteDecision:
    """The router's decision revised with the document and knowledge signals (unchanged when no rule applies)."""
    route, doc, kb = decision.route, signal.best, signal.kb

    def to(new: str, why: str) -> RouteDecision:
        return replace(decision, route=new, reason=why)

    if signal.courtesy:
        return to("smalltalk", "only greeting / thanks words")
    if signal.assistant and route in ("smalltalk", "clarify"):
        return to("smalltalk", "a question about the assistant itself (who it is, what it can do)")
    if signal.elsewhere and route != "sql" and signal.best < DOC_NONE and kb < KB_OK:
        # "can you fix my wifi": a request for something outside what this assistant does; the small-talk answer
        # says what it can do, rather than the documents or the industry knowledge saying they do not cover it
        return to("smalltalk", f"a request outside what this assistant does (no word of the trade, a shop or your "
                               f"company; document match {doc:.2f}, knowledge {kb:.2f})")

    if signal.own and signal.policy and not signal.numbers and route != "docs" and not signal.staff_trade:
        return to("docs", f"own policy question (our/we + policy word), document match {doc:.2f}")
    if signal.offers and not signal.numbers and route != "docs":
        return to("docs", f"a question about what your company does, offers or charges (document match {doc:.2f})")
    if signal.price and not (signal.numbers or signal.generic) and route in ("industry", "clarify", "smalltalk"):
        # the industry knowledge holds no price list: what something costs is for the company's documents to say
        return to("docs", f"a question about what something costs at your company (document match {doc:.2f})")
    if route == "smalltalk" and (signal.topical or signal.long_known) and not signal.numbers:
        # not small talk: the tenant's documents answer or say what they cover, unless the industry knowledge is
        # the better match for a question that is not about the company
        if signal.own or signal.house or signal.held or doc >= kb or kb < KB_OK:
            return to("docs", f"a question of the trade, not small talk (document match {doc:.2f}, knowledge "
                              f"{kb:.2f})")
        return to("industry", f"a question of the trade, not small talk (knowledge {kb:.2f})")
    if signal.held and not (signal.numbers or signal.generic) and route in ("industry", "clarify", "smalltalk"):
        # a word of the question that the tenant's passages hold and the industry knowledge never uses names the
        # company's own scheme, product, place or service: only its documents can answer
        return to("docs", f"the question names something only your documents hold (document match {doc:.2f}, "
                          f"knowledge {kb:.2f})")
    if signal.generic and not signal.own:
        if route == "docs" and kb >= KB_OK:
            return to("industry", f"an industry-wide question the industry knowledge answers (score {kb:.2f})")
        return decision
    # a staff member's question of the trade's practice ("customer rang saying she sees a curtain across her vision,
    # what do we say on the phone"): "we" is the staff, nothing of the company's named, so "we" alone does not make it
    # a question for the documents (their best sentence may still answer it clearly better, below)
    staff_practice = signal.own and signal.practice and not (
        signal.addressed or signal.house or signal.offers or signal.price or signal.held or signal.own_rule
        or signal.figures)
    if route in ("industry", "clarify", "smalltalk") and not signal.numbers:
        if signal.house and kb < KB_STRONG:
            return to("docs", f"a question about the company's own rules (document match {doc:.2f}, knowledge "
                              f"{kb:.2f})")
        if signal.own and kb < KB_OK and not staff_practice:
            return to("docs", f"a question about your company that the industry knowledge does not answer "
                              f"(document match {doc:.2f}, knowledge {kb:.2f})")
    # a question worded as one about the eye or optics in general, with nothing that makes it the company's: the
    # tenant's passage must lead the industry knowledge clearly, not merely match it as well
    knowledge_form = signal.general and not (signal.own or signal.house or signal.offers or signal.price or signal.held)
    # ... and with nothing of the company's at all and the business not spoken to ("why do my new varifocals make the
    # floor look tilted?", "is it normal for ..."): a question of knowledge whatever passage of a shop's FAQ shares its
    # words; only the tenant's best sentence answering it clearly better than the knowledge's best (same scorer) keeps
    # it with the documents
    knowledge_only = knowledge_form and not (signal.of_the_company or signal.spoken_to)
    tenant_leads = bool(signal.knowledge_sentence) and signal.sentence_lead >= SENTENCE_LEAD
    if route in ("industry", "clarify", "smalltalk"):
        if (doc >= DOC_NONE and not (signal.numbers or knowledge_form)
                and signal.sentence_lead >= SENTENCE_LEAD):
            # the documents cover it and their best sentence answers it clearly better than the knowledge's best, by
            # the same sentence scorer ("can I bring the van's ramp down for a wheelchair")
            return to("docs", f"a sentence of your documents answers it clearly better than the industry knowledge "
                              f"(sentence {signal.tenant_sentence:.2f} vs {signal.knowledge_sentence:.2f})")
        if (doc >= DOC_NONE and (signal.own or signal.offers or signal.house) and not signal.numbers
                and signal.tenant_sentence and signal.sentence_lead >= ADDRESSED_LEAD):
            # asked of the company ("your screeners", "do you ...", a house rule) and its documents' best sentence
            # answers at least as well as the knowledge's best: the company's own word comes first
            return to("docs", f"a question to your company that a sentence of your documents answers at least as well "
                              f"as the industry knowledge (sentence {signal.tenant_sentence:.2f} vs "
                              f"{signal.knowledge_sentence:.2f})")
        if doc >= DOC_NONE and doc >= kb + (LEAD if knowledge_form else 0.0) and (tenant_leads or not knowledge_only):
            return to("docs", f"a passage of your documents answers it (score {doc:.2f}, knowledge {kb:.2f})")
        # (with nothing of the company's in the question, not when the knowledge's best sentence answers it clearly
        # better than the documents' best: a passage of the company's rules sharing its words, "we do not solder
        # memory-metal frames" for "are memory metal frames good for kids")
        knowledge_leads = (not (signal.own or signal.house or signal.offers or signal.price or signal.held)
                           and signal.knowledge_sentence - signal.tenant_sentence >= KNOWLEDGE_LEAD)
        if doc >= DOC_STRONG and doc >= kb - KB_MARGIN and not knowledge_form and not knowledge_leads:
            return to("docs", f"a passage of your documents answers it well (score {doc:.2f}, knowledge {kb:.2f})")
        if ((signal.own and not staff_practice) or route == "clarify") and doc >= DOC_WEAK and doc >= kb and (
                tenant_leads or not knowledge_only):
            return to("docs", f"a passage of your documents matches (score {doc:.2f}, knowledge {kb:.2f})")
        if route == "clarify" and knowledge_only and kb >= KB_OK:
            # the router could not tell; worded as knowledge, nothing of the company's, and the knowledge answers it
            return to("industry", f"a question about the eye or optics in general that the industry knowledge "
                                  f"answers (knowledge {kb:.2f}, document match {doc:.2f})")
        if route != "industry" and kb >= KB_STRONG:
            return to("industry", f"the industry knowledge base answers it (score {kb:.2f})")
        if route == "clarify" and kb >= KB_OK and kb >= doc + CLARIFY_LEAD and not (
                signal.own or signal.house or signal.offers or signal.price or signal.held or signal.numbers):
            # the router could not tell; the industry knowledge answers it and leads the documents by far, and
            # nothing in the wording makes it the company's
            return to("industry", f"the industry knowledge answers it far better than your documents (knowledge "
                                  f"{kb:.2f}, document match {doc:.2f})")
    if route == "sql" and not (signal.numbers or signal.figures) and signal.own and (signal.house or signal.policy):
        # "are your prices including VAT": a house rule of the company asked with no figure
        return to("docs", f"a question about your company's own rules, no numbers asked for (document match "
                          f"{doc:.2f})")
    if route == "sql" and not signal.numbers and doc >= DOC_SQL and doc >= kb - KB_MARGIN:
        return to("docs", f"no numbers asked for and a passage of your documents answers it (score {doc:.2f})")
    if (route == "sql" and signal.asked and not (signal.numbers or signal.figures or signal.own or signal.house
                                                  or signal.offers or signal.price or signal.held or signal.policy)
            and kb >= KB_OK and kb >= doc + STAFF_KB_LEAD):
        # asked as a question, with no measure, period, figure or breakdown word and nothing of the company's: digits
        # or a product name alone ("what Abbe value does CR-39 have", "my PD reads 62 but I measure 64, which is
        # right?") ask the trade's knowledge, which answers it clearly better than the documents ("patients by lens
        # type", a report asked for without a question, stays sql)
        return to("industry", f"no figures of your data asked for and the industry knowledge answers it clearly "
                              f"better than your documents (knowledge {kb:.2f}, document match {doc:.2f})")
    if route == "docs" and knowledge_only and kb >= KB_ANSWERS and not tenant_leads:
        return to("industry", f"a question about the eye or optics in general, nothing in it your company's, that the "
                              f"industry knowledge answers (knowledge {kb:.2f}, document match {doc:.2f})")
    if route == "docs" and knowledge_form and kb >= KB_ANSWERS and kb >= doc:
        return to("industry", f"a question about the eye or optics in general that the industry knowledge answers at "
                              f"least as well as your documents (knowledge {kb:.2f}, document match {doc:.2f})")
    if route == "docs" and not (signal.own or signal.offers or signal.house or signal.held) and doc < DOC_NONE and \
            kb >= KB_OK and not (signal.tenant_sentence >= DOC_WEAK and signal.sentence_lead >= SENTENCE_KEEP):
        # (unless a sentence of the documents speaks to it better than the knowledge's best does: the router's docs
        # decision stands, and the answer step quotes it or says what the documents do not cover)
        return to("industry", f"your documents do not cover it and the industry knowledge does (score {kb:.2f})")
    if (route == "docs" and signal.own and not (signal.addressed or signal.house or signal.offers or signal.policy
                                                 or signal.held or signal.price or signal.numbers or signal.figures)
            and doc < DOC_STRONG and kb >= KB_OK and signal.knowledge_sentence
            and signal.knowledge_sentence - signal.tenant_sentence >= KNOWLEDGE_LEAD):
        # "our / we" with nothing of the company's rules, offer or prices, the business not spoken to ("a customer
        # wants a copy of her prescription, do we have to give it", "the nursery sent him home with sticky eyes, do we
        # have to get drops"): the documents do not cover it, the knowledge answers it and its best sentence answers
        # clearly better than the documents' best, so it is a question of the trade asked by staff or a household
        return to("industry", f"your documents do not answer it well and the industry knowledge answers it clearly "
                              f"better (knowledge {kb:.2f}, sentence {signal.knowledge_sentence:.2f} vs "
                              f"{signal.tenant_sentence:.2f})")
    if (route == "docs" and signal.own and signal.practice
            and not (signal.addressed or signal.house or signal.offers or signal.price or signal.held or signal.own_rule
                     or signal.figures)
            and doc < DOC_STRONG and kb >= KB_OK and kb >= doc + PRACTICE_LEAD):
        # a staff member asks what the trade requires or advises ("do we need to take a new PD if the customer brings
        # last year's", "what do we tell a customer who wants new lenses in her old frame"), nothing of the company's
        # named, no figure asked for (a period or a sale told as the circumstance, "last year's PD", "we sell safety
        # specs", does not make it a numbers question); the documents do not answer it well and the knowledge does
        return to("industry", f"a staff member's question of the trade's practice that your documents do not answer "
                              f"well and the industry knowledge does (knowledge {kb:.2f}, document match {doc:.2f})")
    if (route == "docs" and signal.wearer_use and not (signal.of_the_company or signal.spoken_to)
            and doc < DOC_STRONG and kb >= KB_OK and kb >= doc + PRACTICE_LEAD):
        # a wearer asks how they may use their own things ("can I wear my contacts on a long flight", "can I put them
        # back in tomorrow"), nothing of the company's in it: a passage sharing its words does not answer it well, the
        # knowledge does
        return to("industry", f"a question about wearing or using your own glasses or lenses that your documents do "
                              f"not answer well and the industry knowledge does (knowledge {kb:.2f}, document match "
                              f"{doc:.2f})")
    if route == "docs" and signal.own and signal.staff_trade and not signal.numbers:
        # "we / our" alone, a policy or figure word allowed ("do we have to check the finished glasses on the
        # lensmeter", "how much tolerance is allowed ... we had a lens 0.12 off"): nothing of the company's named, the
        # documents do not answer it and the industry knowledge answers it clearly better
        return to("industry", f"a question of the trade in a staff member's words that your documents do not answer "
                              f"and the industry knowledge answers clearly better (knowledge {kb:.2f}, document "
                              f"match {doc:.2f})")
    if (route == "docs" and not (signal.own or signal.house or signal.offers or signal.held or signal.price
                                 or signal.numbers)
            and doc < DOC_STRONG and kb >= KB_OK and signal.knowledge_sentence
            and signal.knowledge_sentence - signal.tenant_sentence
            >= (WORD_CUE_LEAD if signal.policy or signal.figures else KNOWLEDGE_LEAD)):
        # nothing in the question is the company's, the knowledge answers it and its best sentence answers clearly
        # better than the documents' best, even where a passage of the documents matches its words ("can I reshape
        # my plastic frames with a hairdryer", "my kid got dishwasher gel in his eye, what do I do"); with a policy or
        # figure word alone, by `WORD_CUE_LEAD` ("how long should I wear new varifocals before asking for a remake")
        return to("industry", f"nothing in it is your company's and the industry knowledge answers it clearly better "
                              f"than your documents (knowledge {kb:.2f}, sentence {signal.knowledge_sentence:.2f} vs "
                              f"{signal.tenant_sentence:.2f})")
    if (route == "docs" and not (signal.own or signal.house or signal.offers or signal.policy or signal.held)
            and kb >= KB_STRONG
            and kb > doc + KB_CLEAR):
        return to("industry", f"the industry knowledge answers it far better than your documents (knowledge "
                              f"{kb:.2f}, document match {doc:.2f})")
    if (route == "docs" and not (signal.of_the_company or signal.spoken_to) and doc < DOC_NONE and kb >= KB_NEAR
            and kb >= doc
            and signal.knowledge_sentence and signal.knowledge_sentence - signal.tenant_sentence >= KNOWLEDGE_LEAD):
        # the router's own docs decision, read before any score ("can I keep my monthlies going past the month", "is
        # it ok to leave my spare pair in the glovebox"): nothing in the question is the company's, the documents do
        # not cover it, and the knowledge, though under its answer threshold, comes nearer and its best sentence
        # speaks to the question clearly better than the documents' best; the answer step then quotes its closest
        # passage or says it does not know, rather than the documents saying they do not cover a question of the trade
        return to("industry", f"nothing in it is your company's, your documents do not cover it and the industry "
                              f"knowledge's best sentence answers it clearly better (knowledge {kb:.2f}, sentence "
                              f"{signal.knowledge_sentence:.2f} vs {signal.tenant_sentence:.2f})")
    return decision


def revise_with_knowledge(decision: RouteDecision, kb_score: float) -> RouteDecision:
    """Rule 3's last part alone: a smalltalk/clarify decision the industry knowledge answers well becomes industry."""
    if decision.route in ("smalltalk", "clarify") and kb_score >= KB_STRONG:
        return replace(decision, route="industry",
                       reason=f"the industry knowledge base answers it (score {kb_score:.2f})")
    return decision


__all__ = ["DOC_NONE", "name_words", "DOC_STRONG", "DOC_WEAK", "KB_OK", "KB_STRONG", "DocSignal", "cues", "revise",
           "revise_with_knowledge"]
