"""Deterministic parser: a question (plus the thread's previous spec) -> a `QuerySpec`, or an honest refusal.

Steps, each a small rule set that reads the tenant's catalog rather than example wordings:
1. misspelled words are corrected against the catalog and the domain vocabulary (`entities.correct_typos`);
2. catalog names, time phrases and "top N" are found (`entities.extract`, tools/dates.py); a name that is not in the
   catalog stops the turn (no query runs: "no store matching ...");
3. on the question with those names blanked out, keyword rules find the measure, the group-by dimensions ("by store",
   "monthly", "which month"), the ranking (top/bottom N, best/worst, highest/lowest), a comparison (two periods,
   "vs last year", "growth") and share-of-total ("what share", "% of");
4. a follow-up ("and in April?", "what about the lowest?", "and revenue?") starts from the previous spec and replaces
   only what it names: the period, a filter of the same kind, the ranking direction or size, the measure, the
   breakdown.
When a needed slot cannot be filled (no measure, a ranking with nothing to rank) the result is a refusal that says
what was understood and what can be asked; it never falls back to another question's numbers.
"""

from __future__ import annotations

import calendar
import contextvars
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache

from config import get_settings
from tools.catalog import Catalog
from tools.dates import (
    MONTH_ABBR,
    MONTHS,
    DateRangeError,
    Period,
    add_months,
    month_number,
    parse_period,
    parse_periods,
    southern_seasons,
)
from tools.dates import NUMBER_WORDS as DATE_NUMBER_WORDS
from tools.english import english_words
from tools.sql.entities import (
    CATEGORY_WORDS,
    COMMON_WORDS,
    DOMAIN_WORDS,
    FOREIGN_CATEGORY_WORDS,
    LENS_TYPE_WORDS,
    Extraction,
    Unresolved,
    correct_typos,
    edit_distance,
    extract,
)
from tools.sql.fiscal import fiscal_year_dates
from tools.sql.foreign import (
    MEASURE_LOAN,
    foreign_months,
    in_english,
    language_of,
    local_month_days,
    measure_loans,
    phrase_words,
)
from tools.sql.money import asked_currency, local_marks, scale_words, tenant_currency
from tools.sql.occasions import Gloss, holiday_dates, same_day_glosses
from tools.sql.regions import REGION_NOUNS, REGION_PLURALS, REGION_WORDS, catalog_regions, fold, is_subdivision_name
from tools.sql.spec import (
    DIMENSIONS,
    MEASURES,
    TIME_DIMENSIONS,
    Comparison,
    Filters,
    QuerySpec,
    Ranking,
    SpecError,
    TimeRange,
    check_spec,
)
from tools.sql.words import unplaced_words

__all__ = ["Parsed", "currency_refusal", "parse_question", "to_range"]

DEFAULT_TOP_N = 5

# The catalog of the question being parsed (set by `parse_question`), so refusal texts and notes name the tenant's
# state-level places in its own word ("Land", "province", "canton") without threading the catalog everywhere.
_CATALOG: contextvars.ContextVar[Catalog | None] = contextvars.ContextVar("sql_parse_catalog", default=None)


def _region_word(plural: bool = False) -> str:
    """The tenant's noun for the state dimension ("province", "Land"...), "state" when it has no states."""
    catalog = _CATALOG.get()
    if catalog is None or not catalog.states:
        return "states" if plural else "state"
    return catalog_regions(catalog).word()[1 if plural else 0]


def _region_display(value: str) -> str:
    catalog = _CATALOG.get()
    return catalog_regions(catalog).display(value) if catalog is not None and catalog.states else value


@dataclass(frozen=True)
class Parsed:
    """The parser's result: a spec to run, or a refusal (`refusal` set) with what was understood."""

    spec: QuerySpec | None
    refusal: str | None = None
    unresolved: tuple[Unresolved, ...] = ()
    notes: tuple[str, ...] = ()
    follow_up: bool = False
    corrected: str | None = None  # the question after typo correction, when it changed
    understood: tuple[str, ...] = field(default=())


def to_range(period: Period) -> TimeRange:
    return TimeRange(start=period.start, end=period.end, label=period.label, grain=period.grain,
                     partial=period.partial)


# ---- measures ---------------------------------------------------------------------------------------------------

_I = re.IGNORECASE
_PER_GROUP = r"(?:\s+(?:per|by|in\s+each|for\s+each|for\s+every|each)\s+[\w-]+)"
# what is counted: products, and every plural word for a category ("sunnies", "contacts", "shades")
_COUNTABLE = r"(?:products?|skus?|items?|models?|styles?|articles?|" + "|".join(
    sorted({w.replace(" ", r"\s+").replace("-", r"[\s-]") for words in CATEGORY_WORDS.values() for w in words
            if "_" not in w and not w.endswith(("lens", "service", "accessory", "sunglass"))},
           key=len, reverse=True)) + ")"
# "models from Zeeland Sun", "frames by Polder": a maker named between the counted noun and "do we carry"
_FROM_MAKER = r"(?:\s+(?:from|by|made\s+by)(?:\s+[\w&'.-]+){0,4}?)?"  # the name may be masked out
_MEASURE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((m, re.compile(rx, _I)) for m, rx in (
    # "how many different stores sold Spinifex in May": the stores with sales (of what is named), not the estate
    ("distinct_stores", r"\b(?:how\s+many|number\s+of|count\s+of)\s+(?:(?:different|distinct|unique|separate|of\s+our"
                        r"|of\s+the|our|the)\s+)*(?:stores|locations|branches|shops|outlets|boutiques)\s+(?:that\s+|which\s+|have"
                        r"\s+|has\s+|had\s+|actually\s+|ever\s+)*(?:sold|sell|(?:made|had|recorded|rang\s+up)\s+(?:any\s+|a\s+|at\s+least"
                        r"\s+(?:one|a)\s+|one\s+or\s+more\s+)?sales?|moved|shifted|rang\s+up)\b"
                        # "in how many of our stores did Zeiss lenses sell", "at how many shops were frames sold"
                        r"|\b(?:in|at|from)\s+how\s+many\s+(?:(?:different|distinct|of\s+our|of\s+the|our|the)\s+)*"
                        r"(?:stores|locations|branches|shops|outlets|boutiques)\b(?=[^?]*\b(?:sold|sell|sales?|moved|shifted)\b)"),
    ("store_count", r"^\W*(?:total\s+|our\s+|the\s+)?(?:store|location|branch|shop)\s+count\b"
                    r"|\bhow\s+many\s+(?:\w+\s+){0,2}(?:stores|locations|branches|shops|outlets|boutiques)\b"
                    r"(?!\s+(?:sold|sell|had|have\s+(?:sold|sales)|made|did))"
                    r"|\b(?:number|count)\s+of\s+(?:\w+\s+)?(?:stores|locations|branches|shops|outlets|boutiques)\b"
                    rf"|^\W*(?:stores|locations|branches|shops)\s+(?:per|by|in\s+each)\s+(?:{REGION_WORDS}|city)\b"),
    ("distinct_brands", r"\b(?:how\s+many|number\s+of|count\s+of)\s+(?:different\s+|distinct\s+|unique\s+)?"
                        r"(?:[\w-]+\s+){0,2}brands\b[^?]*\b(?:sold|sell|selling|moved|shifted)\b"
                        r"|\b(?:different|distinct|unique|separate)\s+(?:[\w-]+\s+)?brands\b[^?]*\b(?:sold|sell|selling"
                        r"|moved|shifted)\b"
                        # "number of brands that had any sales in May": brands with sales, not the catalogue's brands
                        r"|\bbrands\s+(?:that\s+|which\s+)?(?:had|have|has|with|made|recorded|saw|got)\s+"
                        r"(?:any\s+|some\s+|at\s+least\s+one\s+)?(?:sales?|revenue|orders?|units)\b"),
    ("brand_count", r"^\W*(?:total\s+|our\s+|the\s+)?brand\s+count\b"
                    r"|\b(?:how\s+many|(?:number|count)\s+of)\s+(?:different\s+|distinct\s+)?(?:[\w-]+\s+){0,2}brands\b"
                    r"|\b(?:number|count)\s+of\s+[\w-]+\s+brands\s+(?:in|on)\s+(?:the\s+|our\s+)?(?:catalog(?:ue)?|range"
                    r"|assortment)"),
    # ("how many sales had a discount": the discounted ones, below)
    ("orders", r"\bhow\s+many\s+(?:individual\s+|separate\s+)?sales\b(?!\s+(?:lines?|items?))(?![^?]*\bdiscount)"
               r"|\b(?:number|count)\s+of\s+sales\b(?!\s+(?:lines?|items?))(?![^?]*\bdiscount)"),
    # "how many different lens products", "distinct Spinifex frames": a qualifier may sit before the noun
    ("distinct_products", rf"\b(?:different|distinct|unique|separate)\s+(?:(?!(?:of|in|at|for|from|did|do|does|were"
                          rf"|was|we|by|sold|sell)\b)[\w-]+\s+){{0,2}}?{_COUNTABLE}"
                          # "how many different frames do we carry / are in the catalogue": the catalogue's count
                          r"(?![^?]*\b(?:carry|carries|carried|on\s+offer|in\s+(?:the\s+|our\s+)?(?:catalog(?:ue)?|range"
                          r"|assortment)|are\s+there|exist|(?:do|does)\s+(?:we|you)\s+(?:have|offer|list)\b)"
                          r"(?![^?]*\b(?:sold|sell|selling)\b))"
                          r"|\b(?:number|count)\s+of\s+(?:skus|styles|models)\s+sold|\bhow\s+many\s+(?:skus|styles|models)"
                          r"\b[^?]*\bsold\b(?!\s+out)"
                          rf"|\bproduct\s+(?:variety|range\s+sold)|\bhow\s+many\s+skus\s+(?:sold|did|were)"),
    ("product_count", r"^\W*(?:total\s+|our\s+|the\s+)?(?:product|sku|catalog(?:ue)?)\s+count\b"
                      r"|\bhow\s+(?:big|large)\s+is\s+(?:the\s+|our\s+)?(?:product\s+)?(?:catalog(?:ue)?|range"
                      r"|assortment)"
                      rf"|\bhow\s+many\s+(?:different\s+|distinct\s+)?(?:[\w-]+\s+)?{_COUNTABLE}(?:\s+of"
                      rf"(?:\s+(?:the|our))?(?:\s+{_COUNTABLE})?)?{_FROM_MAKER}{_PER_GROUP}?\s+(?:do|does|did)\s+(?:we|you|the\s+"
                      rf"company)\s+(?:carry|have|offer|list|stock)\b"
                      rf"(?!\s+(?:in\s+stock|left|on\s+hand|in\s+the\s+back|on\s+(?:the\s+)?shel))"
                      rf"(?![^?]*\b(?:sold|sell|left|on\s+hand|in\s+stock|stocked|on\s+the\s+shel\w+|in\s+the\s+back))"
                      # "number of products we list in each category", "count of SKUs the company carries"
                      rf"|\b(?:number|count)\s+of\s+(?:different\s+|distinct\s+)?(?:[\w-]+\s+)?{_COUNTABLE}"
                      rf"{_FROM_MAKER}\s+(?:that\s+)?(?:we|you|the\s+company)\s+(?:carry|carries|have|has|list|lists|offer"
                      r"|offers)\b(?![^?]*\b(?:sold|sell|left|on\s+hand|in\s+stock|stocked|on\s+the\s+shel\w+|in\s+the\s+back))"
                      # "how many products does each category have", "how many Harbor Line products are there"
                      rf"|\bhow\s+many\s+(?:different\s+|distinct\s+)?(?:[\w-]+\s+)?{_COUNTABLE}\s+(?:do|does)\s+"
                      r"(?:each|every|a|the|our|your)\s+[\w-]+\s+(?:have|carry|contain|include|list|offer|hold)\b"
                      rf"|\bhow\s+many\s+(?:different\s+|distinct\s+)?(?:[\w-]+\s+)?{_COUNTABLE}{_PER_GROUP}?\s+"
                      r"(?:are\s+there|exist)\b(?![^?]*\b(?:sold|sell|stock|on\s+hand|left|shel\w+))"
                      rf"|\bhow\s+many\s+(?:different\s+|distinct\s+|unique\s+)?(?:[\w-]+\s+){{0,2}}?{_COUNTABLE}"
                      rf"{_FROM_MAKER}{_PER_GROUP}?\s+(?:are\s+|do\s+we\s+have\s+)?"
                      rf"(?:in|on)\s+(?:the\s+|our\s+)?(?:catalog(?:ue)?|range|assortment|(?:price\s+)?list|price\s*book)"
                      # "how many products do we sell?" in the present, with nothing after it: the range we sell
                      rf"|\bhow\s+many\s+(?:different\s+|distinct\s+)?(?:[\w-]+\s+)?{_COUNTABLE}{_PER_GROUP}?\s+"
                      rf"(?:do|does)\s+(?:we|you|the\s+company)\s+(?:sell|offer)\s*[?.!]*\s*$"
                      rf"|\b(?:size\s+of\s+(?:the\s+|our\s+)?(?:catalog|range|assortment))"
                      rf"|\b(?:number\s+of\s+|count\s+(?:of\s+)?(?:the\s+|our\s+)?)(?:[\w-]+\s+){{0,2}}?{_COUNTABLE}\s+"
                      rf"(?:in|on)\s+(?:the\s+|our\s+)?(?:product\s+)?(?:catalog(?:ue)?|range|assortment)"
                      # "how many products are in the Duomo line", "how many models in the Aria collection"
                      rf"|\bhow\s+many\s+(?:different\s+|distinct\s+)?{_COUNTABLE}\s+(?:are\s+(?:there\s+)?|do\s+we\s+"
                      r"(?:have|carry|list|offer)\s+)?(?:in|within|from|of)\s+(?:the\s+|our\s+)?(?:[\w'&-]+\s+){1,3}?"
                      r"(?:line|range|family|collection|series)\b(?![^?]*\b(?:sold|sell|selling|stock|on\s+hand|left))"
                      # "how many Polder products are sunglasses": what the products ARE is the catalogue's
                      rf"|\bhow\s+many\s+(?:different\s+|distinct\s+)?(?:[\w&'-]+\s+){{0,2}}?{_COUNTABLE}\s+(?:are|is)\s+"
                      r"(?:(?:the|our)\s+)?(?:[\w-]+\s+)?(?:frames?|lenses|sunglasses|contacts|contact\s+lenses"
                      r"|accessor(?:y|ies)|services?)\s*[?.!]*\s*$"),
    ("items_out_of_stock", r"\bout[\s-]+of[\s-]+stock\b"
                           r"|\b(?:completely|totally|entirely|fully)\s+out\b(?!\s+of\s+(?!stock))"
                           # "which frames have we run out of", "lines we ran out of completely"
                           r"|\b(?:run|ran|running|runs)\s+out\b(?!\s+of\s+(?:time|money|cash|budget|space|room|patience))"
                           r"|\bstock(?:ed)?[\s-]*outs?\b|\bzero\s+(?:stock|on\s+hand|inventory)"
                           r"|\bnothing\s+(?:left\s+)?(?:in\s+stock|on\s+hand)|\bsold\s+out\b|\bno\s+stock\b"),
    ("items_at_or_below_reorder", r"\b(?:at\s+or\s+(?:below|under)|(?:below|under)\s+or\s+at)\s+"
                                  r"(?:the\s+|their\s+|its\s+)?(?:re-?order|minimum\b|min\b)"),
    ("items_at_reorder", r"\b(?:exactly\s+)?(?:at|on)\s+(?:exactly\s+|precisely\s+|just\s+)?(?:the\s+|their\s+|its\s+)?"
                         r"re-?order[\s-]+(?:point|level)"
                         r"|\b(?:equals?|equal\s+to|(?:is|are)\s+(?:the\s+same\s+as|level\s+with)|matche?s?|same\s+as)"
                         r"\s+(?:the\s+|their\s+|its\s+)?re-?order[\s-]+(?:point|level)"),
    ("items_below_reorder", r"\b(?:below|under|beneath|less\s+than)\s+(?:the\s+|their\s+|its\s+)?"
                            r"(?:re-?order|minimum|min)|\bre-?order\b|\brestock|\brunning\s+low|\blow\s+(?:on\s+)?stock"
                            r"|\bneed(?:s)?\s+(?:to\s+be\s+)?(?:re-?)?order"),
    # "how many stock lines does Leeds carry": the store's stocked items (store-product rows), never units on hand
    ("stock_lines", r"\bstock(?:ed)?[\s-]+lines?\b(?![^?]*\b(?:worth|value|units?|pieces|pairs)\b)"
                    # "how many product lines does the Oujda shop stock": the items a store holds (not the catalogue)
                    r"|\bhow\s+many\s+(?:different\s+)?(?:product\s+)?(?:lines|products|skus|items)\s+(?:does|do)\s+"
                    r"(?!(?:we|you|i|they|the\s+company|the\s+chain|the\s+business)\b)"
                    # (never what a receipt or basket holds: "how many items does a typical receipt hold")
                    r"(?![^?]*\b(?:receipt|order|basket|transaction|ticket|bill)s?\b)(?:[\w'’.-]+\s+){0,5}?"
                    r"(?:stock|carry|hold|keep)\s*(?:[?.!]|$)"),
    ("stock_value", r"\b(?:inventory|stock)\s+(?:value|worth)|\b(?:inventory|stock)\b[^?]*\bworth\b"
                    r"|\bvalue\s+of\s+(?:our\s+|the\s+|all\s+)?(?:[\w-]+\s+){0,3}?(?:inventory|stock)\b"
                    r"|\bworth\s+of\s+(?:stock|inventory)|\bhow\s+much\s+is\s+(?:our\s+|the\s+)?(?:stock|inventory)"
                    r"\s+worth"
                    # "the value of everything we have on the shelves", "what is what's on hand worth"
                    r"|\bvalue\s+of\s+(?:everything|all|what)\b[^?]*\b(?:on\s+(?:the\s+|our\s+)?shel(?:f|ves)"
                    r"|in\s+stock|on[\s-]+hand|we\s+(?:have|hold|carry|keep)\b)"
                    # "value of the goods on the shelf", "the value of the frames in stock"
                    r"|\bvalue\s+of\s+(?:the\s+|our\s+)?(?:[\w-]+\s+){0,3}?(?:on\s+(?:the\s+|our\s+)?shel(?:f|ves)"
                    r"|in\s+stock|on[\s-]+hand)\b"
                    r"|\b(?:on\s+(?:the\s+|our\s+)?shel(?:f|ves)|on[\s-]+hand|in\s+stock)\b[^?]*\bworth\b"
                    r"|\bworth\b[^?]*\bon\s+(?:the\s+|our\s+)?shel(?:f|ves)"),
    ("stock_on_hand", r"\bstock\b|\binventory|\bon[\s-]+hand\b|\bon\s+(?:the\s+|our\s+)?(?:shelf|shelves)\b"
                      r"|\bstocked\b|\bin\s+the\s+(?:back|stockroom)"
                      r"|\b(?:do|does)\s+(?:we|you)\s+(?:have|hold)\s+left|\bunits\s+left"
                      # "which shop holds the most sunglasses (right now)": what a store holds is its stock
                      r"|\bholds?\s+the\s+(?:most|fewest|least)\b"
                      # "which shop is sitting on the most boxes": what a store sits on is its stock
                      r"|\b(?:is|are)\s+sitting\s+on\b|\bsits?\s+on\s+the\s+(?:most|fewest|least)\b"
                      r"|\bhas\s+the\s+(?:most|fewest|least)\b[^?]*\b(?:right\s+now|at\s+the\s+moment|currently)\b"),
    ("patients", r"\bpatients?\b|\bwearers?\b|\bpeople\s+(?:wear|use|who)|\bclients?\s+(?:wear|who)"
                 r"|\bhow\s+many\s+(?:people|clients)\b[^?]*\b(?:wear|wears|wearing|use|using)\b"),
    # counts of things the data does not hold as a measure: no measure (an honest refusal), not units
    ("none", rf"\bhow\s+many\s+(?:different\s+)?(?:cities|towns|{REGION_PLURALS}|categories|customers|clients"
             r"|employees|staff|visits|appointments|suppliers|vendors|returns|complaints)\b"),
    ("discounted_orders", r"\b(?:orders?|transactions?|sales|receipts?|tickets?|baskets?|bills)\s+"
                          r"(?:(?:in|during|for|from|at)\s+(?:[\w-]+\s+)?)?"
                          r"(?:that\s+|which\s+)?(?:had|have|has|with|got|received|included|came\s+with)\s+"
                          r"(?:a\s+|any\s+|some\s+)?(?:(?:kind|sort|type|form)\s+of\s+)?discount"
                          r"|\bdiscounted\s+(?:orders?|transactions?|receipts?|tickets?|baskets?|bills?|sales)\b"
                          r"|\b(?:orders?|transactions?|sales|receipts?|tickets?|baskets?|bills)\s+(?:that\s+|which\s+)?"
                          r"(?:were|was|got|get|are|is"
                          r"|have\s+been|had\s+been)\s+discounted\b"
                          r"|\bhow\s+many\s+discounts\b"),
    ("avg_discount_per_order", r"\bdiscounts?\s+per\s+(?:order|transaction|basket|receipt)"
                               r"|\baverage\s+discount\s+(?:per|on\s+an?|for\s+an?)\s+(?:order|transaction)"),
    ("discount_rate", r"\bdiscount(?:s|ing)?\s+(?:rate|ratio|percentage|percent|%|share|level)"
                      r"|\bdiscounts?\s+(?:as\s+a\s+)?(?:percent(?:age)?|share|%|proportion|fraction)\s+of"
                      r"|(?:\b(?:percent(?:age)?|share|proportion|fraction)|%)\s+(?:of\s+)?(?:\w+\s+){0,5}?"
                      r"(?:discount|giv(?:e|en|ing)\s+away|gave\s+away)|\baverage\s+discount\s+(?:rate|%|percent)|\bhow\s+deep\s+"
                      r"(?:were|are)\s+(?:our\s+)?discounts|\bmarkdown\s+(?:rate|%)"),
    ("gross_revenue", r"\bgross\s+(?:sales|revenue|takings|turnover)|\bbefore\s+(?:any\s+)?(?:discounts?|markdowns?"
                      r"|promo(?:tion)?s?|reductions?|coupons?)"
                      r"|\b(?:without|excluding|ignoring|not\s+counting|ex\.?)\s+(?:the\s+|any\s+)?(?:discounts?|markdowns?"
                      r"|promo(?:tion)?s?|reductions?|coupons?)\b"
                      r"|\bpre[\s-]+discount|\blist[\s-]+price\s+(?:value|revenue)|\bfull[\s-]+price\s+value"),
    ("discount_total", r"(?<!net of )(?<!after )(?<!less )(?<!minus )\bdiscount"
                       r"|\bmarkdowns?\b|\bpromo(?:tion)?s?\b|\bmoney\s+off\b|\bgave\s+away\b"
                       # "how much did we knock off (prices)", "took 10% off the bills": money taken off prices
                       r"|\bknock(?:s|ed|ing)?\s+(?:[\w%$€£.,]+\s+){0,3}?off\b"
                       r"|\b(?:took|take|takes|taken|taking|shaved?|shaving)\s+(?:[\w%$€£.,]+\s+){0,2}?off\s+"
                       r"(?:the\s+|our\s+)?(?:prices?|bills?|tickets?|receipts?|orders?)\b"
                       r"|\bcoupons?\b|\breductions?\b"),
    ("units_per_order", r"\b(?:units|items|pieces|products|pairs)\s+per\s+(?:order|transaction|basket|receipt|sale)"
                        r"|\b(?:order|transaction)\s+size\b(?![^?]*(?:\$|\bdollars?\b|\bvalue\b|\brevenue\b"
                        r"|\bmoney\b|\bspend\b))"
                        r"|\bupt\b|\bbasket\s+size|\bitems\s+per\s+customer"
                        # "average basket in units", "average order in items": the size, counted in units
                        r"|\b(?:average|avg\.?|mean)\s+(?:order|basket|ticket|transaction)\s+(?:size\s+)?(?:in|by)\s+"
                        r"(?:units|items|pieces|pairs)\b|\baverage\s+(?:number\s+of\s+)?"
                        r"(?:units|items)\s+(?:per|in\s+(?:an?|each))\s+(?:order|basket|transaction)"
                        # "how many items does a typical receipt hold", "items in the average basket"
                        r"|\b(?:units|items|pieces|pairs|products)\s+(?:(?:does|do|did|would|will)\s+)?(?:(?:is|are)\s+"
                        r"(?:there\s+)?)?(?:in\s+)?(?:an?|the|each|our)\s+(?:typical|average|usual|normal|mean)\s+"
                        r"(?:order|basket|transaction|receipt|sale|ticket|bill)\b"),
    # "average orders / transactions per day" (plural) is a count averaged (QuerySpec.average_over), not the AOV
    ("avg_order_value", r"\baverage\s+(?:(?:order|basket|ticket|transaction|receipt|purchase|bill|invoice)(?!s\b)"
                        r"|sale\s+per\s+order)"
                        r"|\baov\b|\b(?:basket|bill)\s+value|\bavg\.?\s+(?:order|basket|ticket|bill|invoice)(?!s\b)"
                        r"|\b(?:spend|revenue|sales|value)\s+per\s+(?:order|transaction|basket|receipt|customer|bill"
                        r"|invoice)"
                        r"|\btypical\s+(?:order|basket)\s+(?:value|size)|\bmean\s+order"),
    ("avg_selling_price", r"\baverage\s+(?:selling\s+|sale\s+|unit\s+|sell\s+)?price|\basp\b|\bavg\.?\s+price"
                          # "price per unit", "revenue per Hoya lens", "sales per frame": per unit sold
                          r"|\b(?:price|revenue|sales|takings|turnover)\s+(?:did\s+we\s+|we\s+)?(?:got\s+|get\s+|made\s+)?"
                          # ("revenue per product" is a breakdown by product; "per product sold" the unit)
                          r"per\s+(?:[\w&'-]+\s+){0,3}?(?:unit|item|pair|piece|lens|frame|sunglass"
                          r"|(?:product|article)s?\s+sold)\b"
                          r"|\bmean\s+(?:selling\s+)?price|\baverage\s+(?:amount|revenue)\s+per\s+(?:unit|item)"
                          r"|\bprices?\b[^?]*\bon\s+average\b"
                          r"|\bwhat\s+did\s+\w+\s+(?:sell|go)\s+for\s+on\s+average|\bon\s+average\s+(?:per\s+unit"
                          r"|each)"
                          # "what does an Oakley typically sell for", "how much do our frames go for": a unit price
                          r"|\b(?:what|how\s+much)\s+(?:does|do|did)\s+(?!(?:we|you|i|they|the\s+company)\b)"
                          r"(?:[\w-]+\s+){0,4}?(?:typically\s+|usually\s+|normally\s+|generally\s+)?(?:sell|go)\s+for\b"),
    ("order_lines", r"\border\s+lines?\b|\bline\s+items?\b|\bsales?\s+lines?\b|\breceipt\s+lines?\b"
                    r"|\b(?:transaction|invoice|bill|ticket|basket)\s+lines?\b"),
    ("orders", r"\borders?\b|\btransactions?\b|\breceipts?\b|\btickets?\b|\bbaskets?\b|\bcheckouts?\b"
               r"|\bpurchases\b|\binvoices?\b|\bbills\b"),
    ("revenue", r"\brevenue|\bturnover|\bturn(?:ed)?\s+over\b"
                r"|\bincome\b|\btakings\b|\bearn(?:ed|ings)?\b|\bmade\b|\bmake\b(?!\s+(?:it|that|this|them)\b)|\bmoney\b"
                r"|\bdollars?\b|\$|\bsales\s+(?:value|amount|figures?|numbers?)"
                # "how much" is money, except "how much of the units / of our volume" (a share of a count)
                r"|\bhow\s+much\b(?!\s+stock)(?!\s+of\s+(?:(?:the|our|total|all)\s+)*(?:units?|pairs|pieces|volume"
                r"|quantit(?:y|ies)|orders?|transactions?)\b)"
                r"|\bbr(?:ings?|inging|ought)\s+in\b|\bnet\s+sales\b|\bgenerat(?:e|ed)\b|\bbilled\b|\bcash\b"
                r"|\b(?:take|took|taken|taking)\b(?!\s+(?:long|to|place)\b)"),
    ("units", r"\bunits?\b|\bhow\s+many\b|\bquantit(?:y|ies)\b|\bqty\b|\bpieces\b|\bpairs\b|\bvolume\b"
              r"|\bnumber\s+of\b|\bcount\b|\b(?:sold|sells?|selling)\s+the\s+(?:most|fewest|least)\b|\bbest[\s-]+sell"
              r"|\bfewest\b|\bmost\s+units\b|\bouts(?:ell|old)\w*|\b(?:most|least)\s+popular\b|\b(?:top|best|biggest)[\s-]+sellers?\b"
              r"|\b(?:top|best|worst|slowest|fastest|biggest)[\s-]+(?:(?:\d+|two|three|four|five|ten)[\s-]+)?"
              r"(?:selling|sellers?)\b|\bfastest[\s-]+sell"
              r"|\b(?:sell|sold)\s+(?:more|fewer|less)\b"
              r"|\bworst[\s-]+sell|\bslowest[\s-]+sell|\bmoved\b|\bshifted\b|\bsold\b"),
    ("revenue", r"\bsales\b|\bup\s+or\s+down\b|\b(?:did|do|does|doing)\s+(?:better|worse)\b"
                r"|\b(?:ring|rang|rung|ringing)\s+up\b|\bpull(?:ed|ing)?\s+in\b|\btop\b"
                # "what has Glyfada done since it opened" (not "has done the most eye exams": a count of them)
                r"|\bperform|\bdoing\b|\bdid\s+(?:\w+\s+){0,4}do\b(?!\s+(?:the\s+)?(?:most|more|fewest|fewer|least)\s+\S)|\b(?:has|have|had)\s+(?:[\w'-]+\s+){0,4}?done\b"
                r"(?=\s*(?:[?.!,]|$|since\b|so\s+far\b|this\b|last\b|in\b|on\b|during\b|over\b|between\b|from\b|vs"
                r"|versus\b|compared\b|against\b|yet\b|to\s+date\b))|\bbiggest\b|\bhow\s+did\s+(?:[\w'-]+\s+){0,4}go\b|\bbusiest\b|\bslowest\b|\bquietest\b"
                # "how's Batel tracking this month", "how is Glenelg going": how the store is doing
                r"|\bhow(?:'s|\s+is|\s+are|\s+was|\s+were)\s+(?!(?:it|things|everything|you|we|life|your)\b)"
                r"(?:[\w'-]+\s+){0,4}(?:tracking|going|trending)\b"
                r"|\bbest\b|\bworst\b|\bstrongest\b|\bweakest\b|\b(?:grossing|earning)\b"
                r"|\bsell(?:s|ing)?\b|\bgr[eo]w(?:n|th|ing)?\b|\btrend|\bfell\b|\bdeclined\b|\bslipped\b"
                # "what share did Silhouette have", "Maui Jim's slice of the business": a share of sales (revenue)
                r"|\bbusiness\b|\b(?:share|slice|chunk|portion)\b"),
))


_MEASURE_NOUNS = {"revenue": r"\brevenue\b|\bsales\s+value\b|\bturnover\b", "units": r"\bunits\b|\bquantit(?:y|ies)\b",
                  "orders": r"\borders\b|\btransactions\b", "discounts": r"\bdiscounts\b",
                  "stock": r"\bstock\b|\binventory\b", "patients": r"\bpatients\b"}


def _several_measures(text: str) -> str:
    """"revenue, units and orders": two or more measures listed together (the spec holds one), else ""."""
    named = [(m.start(), name) for name, rx in _MEASURE_NOUNS.items() for m in re.finditer(rx, text, _I)]
    named.sort()
    for (a, first), (b, second) in zip(named, named[1:], strict=False):
        if first != second and re.fullmatch(r"\s*(?:,|and|&|\+|/|plus|as\s+well\s+as)\s*(?:the\s+)?(?:total\s+)?",
                                            _between(text, a, b)):
            return f"{first} and {second}"
    return ""


def _between(text: str, a: int, b: int) -> str:
    word = re.match(r"\w+(?:\s+value)?", text[a:])
    return text[a + (word.end() if word else 0):b]


def _measure_position(text: str) -> int:
    """Where the measure is last named in `text` (-1 when it is not): "how much of our sunglasses revenue"."""
    for name, rx in _MEASURE_RULES:
        found = list(rx.finditer(text))
        if found:
            return -1 if name == "none" else found[-1].start()
    return -1


def _measure_rule(text: str) -> int:
    """Index of the first measure rule that matches `text` (-1: none)."""
    for i, (_, rx) in enumerate(_MEASURE_RULES):
        if rx.search(text):
            return i
    return -1


def _measure(text: str) -> str | None:
    for name, rx in _MEASURE_RULES:
        if rx.search(text):
            return None if name == "none" else name
    return None


# ---- dimensions -------------------------------------------------------------------------------------------------

_DIM_WORDS: tuple[tuple[str, str], ...] = (
    ("weekday", r"days?\s+of\s+(?:the\s+)?week|week\s*days?|weekdays?|day[\s-]+of[\s-]+week"),
    ("age_band", r"age(?:\s+(?:band|group|bracket|range|categor(?:y|ie))s?)?|ages"),
    ("lens_type", r"lens[\s-]+types?|types?\s+of\s+lens(?:es)?|lens\s+(?:kind|categor(?:y|ie))s?|lens\s+mix"),
    ("category", r"(?:product\s+)?categor(?:y|ies)|product\s+(?:types?|lines?|groups?|families)|departments?"),
    ("brand", r"brands?|labels?|makers?|manufacturers?|designers?"),
    ("city", r"cit(?:y|ies)|towns?|metros?"),
    ("state", REGION_WORDS),  # states, provinces, counties, cantons, emirates... (tools/sql/regions.py)
    ("store", r"stores?|locations?|branch(?:es)?|shops?|outlets?|sites?|showrooms?|boutiques?"),
    ("product", r"products?|skus?|items?|models?|styles?|articles?|sellers?"),
    ("quarter", r"quarters?|quarterly"),
    ("month", r"months?|monthly"),
    ("week", r"weeks?|weekly"),
    ("year", r"years?|yearly|annual(?:ly)?"),
    ("day", r"days?|dates?|daily"),
)
_DIM_RX = [(d, re.compile(rf"\b(?:{rx})\b", _I)) for d, rx in _DIM_WORDS]
# after "which / best / top N", a category noun names products too ("which frames sold the least")
_RANKED_DIM_RX = [*_DIM_RX[:-5], ("product", re.compile(r"\b(?:products?|skus?|items?|models?|styles?|articles?"
                                                        r"|sellers?|frames?|sunglass(?:es)?|lens(?:es)?|contacts?"
                                                        r"|glasses|pairs?)\b", _I)), *_DIM_RX[-5:]]
# "across all stores" / "for all stores" mean the total, not a breakdown
_TIME_AXIS_DIMS = ("day", "week", "month", "quarter", "year")
_CUE = r"(?:by|per|each|every|for\s+each|for\s+every|across(?!\s+(?:all|every)\b)(?:\s+(?:the|our))?" \
       r"|broken\s+down\s+by|split\s+by|breakdown\s+by|grouped\s+by|group\s+by|by\s+each|in\s+each|at\s+each" \
       r"|of\s+each)"
# "compare the days of the week on orders", "how do the regions compare on units", "how does each weekday compare":
# the members of a dimension compared with each other (a breakdown), not a period with another
_MEMBER_PLURALS = (r"weekdays?|days[\s-]+of[\s-]+(?:the[\s-]+)?week|stores|shops|branches|locations|regions|states"
                   r"|provinces|cities|brands|categories")
_COMPARE_MEMBERS = re.compile(
    rf"\bcompar\w*\s+(?:the\s+|our\s+|all\s+(?:the\s+|our\s+)?)(?P<w>{_MEMBER_PLURALS})\b"
    rf"(?!\s+(?:with|to|against|over|vs\.?|versus)\s+(?:the\s+)?(?:last|previous|prior|same|\d|19|20)\b)"
    rf"|\bhow\s+(?:do|does|did)\s+(?:(?:the\s+|our\s+|all\s+(?:the\s+|our\s+)?)(?P<w2>{_MEMBER_PLURALS})"
    rf"|(?:each|every)\s+\w+)\s+(?:\w+\s+){{0,2}}?compare\b(?!\s+(?:with|to|against|over)\b)", _I)


def _members_compared(text: str) -> str:
    """`text` with "by" put before the dimension whose members a question compares ("compare the weekdays" ->
    "compare by weekdays"), so the dimension is read as a breakdown."""
    def cue(m: re.Match[str]) -> str:
        group = "w" if m.group("w") else "w2" if m.group("w2") else None
        if group is None:  # "how does each weekday compare": "each" is the cue already
            return m.group(0)
        return f"{m.group(0)[: m.start(group) - m.start()]}by {m.group(group)}{m.group(0)[m.end(group) - m.start():]}"
    return _COMPARE_MEMBERS.sub(cue, text)


# "every combination of store and brand", "a cross-tab of store and category": a breakdown by both
_COMBINATION_RX = re.compile(r"\b(?:for\s+|of\s+|in\s+|show\s+)?(?:(?:every|each|all|any|the)\s+(?:possible\s+)?)?"
                             r"(?:(?:combination|combo|pairing|permutation)(?:s)?\s+of\b"
                             # "every pair of store and brand", never "a pair of sunglasses" (one product)
                             r"|pairs?\s+of\b(?=\s+(?:the\s+|our\s+)?[\w-]+\s*(?:and\b|&|/|\bx\b|×|,)))"
                             r"|\bcross[\s-]?tab(?:ulat(?:e|ion))?(?:\s+of)?\b|\b(?:matrix|grid)\s+of\b", _I)
# "per-product", "month-by-month", "by each store"
_CUE_RX = re.compile(rf"\b{_CUE}[\s-]+(?:(?:of|the|our|single|individual|each|every)\s+){{0,3}}"
                     r"(?P<w>[\w-]+(?:\s+(?!(?:by|per|each)\b)[\w-]+){0,3})", _I)
# "how did our three states stack up", "compare our stores on revenue": the plural is what is compared, one row each
_GROUPS = (rf"(?:stores|locations|branches|shops|outlets|boutiques|{REGION_PLURALS}|cities|towns|brands|categories"
           r"|products)")
_COUNT_WORD = r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten)"
_COMPARED_RX = re.compile(
    rf"\b(?:compare|comparing|rank|ranking)\s+(?:all\s+)?(?:of\s+)?(?:our|the)\s+(?:{_COUNT_WORD}\s+)?(?P<w>{_GROUPS})\b"
    rf"|\b(?:our|the)\s+(?:{_COUNT_WORD}\s+)?(?P<v>{_GROUPS})\s+(?:do|did|does|doing|compare|compared|stack|stacked"
    r"|perform|performed|performing|fare|fared|rank|ranked|line\s+up|lined\s+up)\b", _I)
# "the two Maine stores do / did / fare", "the Bangalore branches did": a name (blanked), with or without a count,
# before the noun states which stores are meant; how that set did is its total ("compare / stack up / rank" still
# asks for one row each)
_COUNTED_SET = re.compile(
    rf"(?:our|the)\s+(?:{_COUNT_WORD}\s)?\s{{3,}}\w+\s+(?:do|did|does|doing|perform\w*|fare\w*)\b", _I)
_PAIR_RX = re.compile(r"\b(?P<a>[a-z]+)\s*(?:/|\bx\b|×|\+|-)\s*(?P<b>[a-z]+)\b", _I)
# "state x category", "store × brand": two dimensions crossed (before `_PAIR_RX` makes them "state and category")
_CROSS_RX = re.compile(r"\b(?P<a>[a-z]+)\s*(?:\bx\b|×)\s*(?P<b>[a-z]+)\b", _I)
# "lens types of our patients", "the age groups of Delhi patients": a question that opens with a plural dimension
# noun and "of" asks for that dimension's rows
_DIM_OF_RX = re.compile(r"\s*(?:(?:show|list|give|get)\s+(?:me\s+|us\s+)?)?(?:the\s+|our\s+)?"
                        r"(?P<w>lens[\s-]+types|age[\s-]+(?:bands|groups|brackets|ranges)|categories|brands|regions"
                        r"|states|cities)\s+of\b", _I)
_MATRIX_RX = re.compile(r"\b(?P<a>[a-z]+)[\s-]+(?:by|x|×|vs\.?|versus)[\s-]+(?P<b>[a-z]+)\b(?=[^?]*\b(?:matrix|grid"
                        r"|cross[\s-]?tab\w*|pivot|heat[\s-]?map|table|combination(?:s)?)\b)", _I)
_AMONG_RX = re.compile(rf"\b(?:out\s+of|of|among(?:st)?)\s+(?:all\s+)?(?:(?:our|the|these|those)\s+)+"
                       rf"(?:{_COUNT_WORD}\s+)?(?P<w>{_GROUPS})\b(?=[^?]*\b(?:which|what|who)\s+(?:one|of\s+them|(?:did|was|is|had|has|sold"
                       r"|made|brought|pulled|took|got)\b))", _I)
_N_GROUPS_RX = re.compile(rf"\b{_COUNT_WORD}\s+(?P<w>{_GROUPS}|items|skus|models|frames|weeks|months|days|quarters)\s+"
                          r"(?:with|that|which|having|where)\b", _I)
# "the brand with the fewest units", "month with the lowest revenue ..." (a question that starts with the noun)
_THE_ONE_WITH_RX = re.compile(r"(?:\b(?:the|our)\s+|^\s*(?:(?:show|give|tell|find|get|list|name)\s+(?:me\s+|us\s+)?)?)"
                              r"(?P<w>[\w-]+)\s+(?:with|that\s+(?:had|has|sold|made|took)|which\s+(?:had|has"
                              r"|sold|made))\s+(?:the\s+)?(?:most|least|highest|lowest|fewest|biggest|smallest|best|worst"
                              r"|largest|greatest)\b", _I)
_ADVERB = {"monthly": "month", "weekly": "week", "daily": "day", "quarterly": "quarter", "yearly": "year",
           "annually": "year"}
_ADVERB_RX = re.compile(r"\b(monthly|weekly|daily|quarterly|yearly|annually)\b(?!\s+(?:average|avg))", _I)
_EACH_OF_UNITS = re.compile(r"\b(?:each|every\s+one)\s+of\s+(?:the\s+|those\s+|these\s+)?(?:(?:last|past|previous|first"
                            r"|final)\s+)?(?:\w+\s+)?(?P<u>days|weeks|months|quarters|years)\b", _I)
_TREND_RX = re.compile(r"\btrend(?:s|ing)?\b|\bover\s+time\b|\bseasonality\b|\bseasonal\s+pattern", _I)
_WHICH_RX = re.compile(r"\b(?:which|what|whose)\s+(?:(?:one|single|\d+|two|three|four|five|ten)\s+)?(?:of\s+(?:our|the)"
                       r"\s+)?(?P<w>[\w-]+(?:\s+[\w-]+){0,3})", _I)
_SUPER_DIM_RX = re.compile(
    r"\b(?:(?:best|worst|top|bottom|highest|lowest|biggest|smallest|strongest|weakest|busiest|quietest|slowest"
    r"|largest|leading|most\s+popular|least\s+popular|most\s+common|least\s+common|commonest|peak|record"
    r"|strongest)[\s-]+(?:ever[\s-]+)?(?:(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+)?)+(?:(?:selling"
    r"|performing|grossing|earning|revenue|sales|volume)[\s-]+)?(?:\d+\s+)?(?P<w>[\w-]+(?:\s+[\w-]+){0,3})", _I)
_TOP_DIM_RX = re.compile(r"\b(?:top|bottom)\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+"
                         r"(?:[\w-]+\s+){0,2}?(?P<w>[\w-]+(?:\s+[\w-]+){0,2})", _I)
_AFTER_RX = re.compile(r"\b(?P<w>(?:[\w-]+\s+){0,2}?[\w-]+)\s+(?:breakdown|split|mix|distribution|by\s+"
                       r"(?:revenue|units|sales|orders|receipts|transactions|tickets|bills|baskets|takings|turnover"
                       r"|discounts|discount\s+rate|items|pairs|pieces))\b", _I)
_FOR_EACH_FILTER = re.compile(r"\b(?:at|in|for|of|from)\s+(?:the\s+|our\s+|that\s+|this\s+)?"
                              r"(?:store|location|branch|shop|outlet)\b(?!s)", _I)


def _dim_at_start(words: str, ranked: bool = False) -> str | None:
    if ranked:  # "biggest single day", "best individual store"
        words = re.sub(r"^(?:single|individual)\s+", "", words, flags=_I)
    if ranked:  # "best selling frame brand": the brand, not the frames
        lead = re.match(r"(?:frames?|sunglass(?:es)?|contact\s+lens(?:es)?|lens(?:es)?|contacts?|glasses|eyewear)\s+"
                        r"(?P<rest>\w.*)", words, _I)
        if lead and _dim_at_start(lead.group("rest")) not in (None, "product"):
            return _dim_at_start(lead.group("rest"))
    for dim, rx in _RANKED_DIM_RX if ranked else _DIM_RX:
        m = rx.match(words)
        if m:
            return dim
    return None


# "revenue each", "units apiece", "orders individually", "the two Rome shops side by side" ("next to each other"),
# "Jakarta stores - what did each one sell": one figure for each of a plural named before it (never "each store",
# which names its own noun)
_EACH_AFTER_RX = re.compile(r"\b(?:(?:each|apiece|individually|separately|one\s+by\s+one"
                            r"|one\s+at\s+a\s+time)\b(?=\s*(?:$|[,.;:?!)]|(?:in"
                            r"|for|during|over|since|from|last|this|so|to|ytd|between|on|at|please)\b|(?:19|20)\d\d))"
                            r"|(?:each\s+one|each\s+of\s+them|side\s+by\s+side|next\s+to\s+each\s+other|next\s+to\s+one"
                            r"\s+another|respectively)\b)", _I)


def _dimensions(text: str, counted_set: bool = False) -> list[str]:
    """Group-by dimensions named in `text` (entity names already blanked), in order of appearance. `counted_set`: the
    question names a set of places by name ("the two Maine stores", "the Lyon shops": `_COUNTED_SET` on the unjoined
    blanks), so "how did the (two) ... stores do" asks for their total."""
    found: list[tuple[int, str]] = []
    clean = _FOR_EACH_FILTER.sub(" ", _COMBINATION_RX.sub(" by ", text))
    clean = re.sub(r"\bacross\s+(?:all|every)\s+(?:of\s+)?(?:our\s+|the\s+)?[\w-]+", " ", clean, flags=_I)  # a total
    if re.search(r"\bhow\s+(?:many|much)\b|\btotal\b", clean, _I):  # "how many items ... across our shops": a total too
        clean = re.sub(r"\bacross\s+(?:our|the)\s+(?:stores|shops|branches|locations|outlets|boutiques|sites)\b", " ",
                       clean, flags=_I)
    clean = re.sub(r"\bdays?[\s-]+of[\s-]+(?:the[\s-]+)?week\b", "weekday", clean, flags=_I)
    # "compare the weekdays on revenue", "how do our regions compare": the members of a dimension set side by side
    clean = _members_compared(clean)
    clean = re.sub(r"\bper\s+(?:item|unit|pair|piece)\b(?!s)", " ", clean, flags=_I)  # a denominator, not "by product"
    for m in _CROSS_RX.finditer(clean):  # "2025 sales: state x category": a cross of two dimensions is a breakdown
        a, b = _dim_at_start(m.group("a")), _dim_at_start(m.group("b"))
        if a is not None and b is not None and a != b:
            found += [(m.start("a"), a), (m.start("b"), b)]
    # "store/brand", "store x category": two dimensions written as a pair
    clean = _PAIR_RX.sub(lambda m: f"{m.group('a')} and {m.group('b')}" if _dim_at_start(m.group("a")) and
                         _dim_at_start(m.group("b")) else m.group(0), clean)
    head = _DIM_OF_RX.match(clean)  # "lens types of our Chennai patients": the dimension the question opens with
    if head is not None and _dim_at_start(head.group("w")) is not None:
        found.append((head.start("w"), _dim_at_start(head.group("w")) or ""))
    for m in _MATRIX_RX.finditer(clean):  # "a store by category matrix": both are dimensions
        for group in ("a", "b"):
            dim = _dim_at_start(m.group(group))
            if dim is not None:
                found.append((m.start(group), dim))
    for m in _CUE_RX.finditer(clean):
        words = m.group("w")
        dim = _dim_at_start(words)
        if dim is None:
            continue
        found.append((m.start(), dim))
        rx = dict(_DIM_RX)[dim]
        head = rx.match(words)
        rest = words[head.end():] if head else words[len(words.split()[0]):]
        more = re.match(r"\s*(?:,|and|&|then)\s*(?:by\s+)?(?:the\s+)?(?P<w>[\w-]+(?:\s+[\w-]+){0,3})", rest, _I)
        if more and _dim_at_start(more.group("w")):
            found.append((m.start() + 1, _dim_at_start(more.group("w")) or dim))
    for m in _AFTER_RX.finditer(clean):
        words = m.group("w").split()
        for i in range(len(words)):
            dim = _dim_at_start(" ".join(words[i:]))
            if dim is not None:
                found.append((m.start(), dim))
                break
    for m in _THE_ONE_WITH_RX.finditer(clean):  # "the brand with the fewest units"
        dim = _dim_at_start(m.group("w"), ranked=True)
        if dim is not None:
            found.append((m.start(), dim))
    for m in _N_GROUPS_RX.finditer(clean):  # "name the 3 products with the lowest revenue"
        dim = _dim_at_start(m.group("w"), ranked=True)
        if dim is not None:
            found.append((m.start(), dim))
    for m in _AMONG_RX.finditer(clean):  # "out of our stores, which one ...": the group the question picks from
        dim = _dim_at_start(m.group("w"))
        if dim is not None:
            found.append((m.start(), dim))
    for m in _COMPARED_RX.finditer(clean):
        if counted_set and m.group("v") and re.search(r"\b(?:do|did|does|doing|perform\w*|fare\w*)$", m.group(0),
                                                      _I):
            continue  # "how did the (two) Maine stores do": the stated set of stores, taken together
        dim = _dim_at_start(m.group("w") or m.group("v"))
        if dim is not None:
            found.append((m.start(), dim))
    for m in _ADVERB_RX.finditer(clean):
        if re.match(rf"\s+{_OCCASIONS}\b", clean[m.end():], _I):
            continue  # "the quarterly review", "our monthly report": the occasion, not a breakdown
        # "monthly revenue for each store": each store's monthly figures, so the adverb's period is the inner dimension
        found.append((len(clean) + m.start(), _ADVERB[m.group(1).lower()]))
    for rx in (_WHICH_RX, _SUPER_DIM_RX, _TOP_DIM_RX):
        for m in rx.finditer(clean):
            dim = _dim_at_start(m.group("w"), ranked=True)
            if dim is not None:
                found.append((m.start(), dim))
    for m in _EACH_AFTER_RX.finditer(clean):
        # "SA stores, revenue each", "what did the Perth shops take apiece": the plural noun named before it
        for noun in reversed(list(re.finditer(r"\b[a-z][\w-]*s\b", clean[:m.start()], _I))):
            dim = _dim_at_start(noun.group(0))
            if dim is not None:
                found.append((noun.start(), dim))
                break
    if _TREND_RX.search(clean) and not any(d in _TIME_AXIS_DIMS for _, d in found):
        found.append((len(clean), "month"))  # "the sales trend": month by month
    out: list[str] = []
    for _, dim in sorted(found):
        if dim not in out:
            out.append(dim)
    return out


# ---- ranking, comparison, share ---------------------------------------------------------------------------------

_DESC = re.compile(r"\b(?:top|best|most|highest|biggest|largest|greatest|leading|strongest|busiest|popular|peak|fastest"
                   r"|deepest|steepest|heaviest"
                   r"|record(?=[\s-]+(?:high|day|week|month|quarter|year|sales|revenue|takings|turnover|units|orders))"
                   r"|(?<=\ba\s)record|(?<=\bour\s)record|(?<=\bthe\s)record|(?<=time\s)record"
                   r"|number\s+one|max(?:imum)?|outsold|led|topped)\b|\bsold\s+the\s+most\b"
                   r"|\b(?<=did\s)better\b(?!\s+than)|\b(?<=does\s)better\b(?!\s+than)", _I)
_ASC = re.compile(r"\b(?:bottom|worst|least|lowest|fewest|smallest|weakest|slowest|poorest|quietest|shallowest"
                  r"|(?<!below\s)(?<!under\s)(?<!below\sthe\s)(?<!under\sthe\s)(?<!below\stheir\s)(?<!under\stheir\s)"
                  r"(?<!below\sits\s)(?<!under\sits\s)"  # "at or under the minimum": the reorder point, no ranking
                  r"min(?:imum)?(?!\s+(?:stock|level|quantity|qty|order\s+(?:value|size|quantity)))"
                  r"|underperform\w*|laggards?|lagging)\b|\b(?<=did\s)worse\b(?!\s+than)", _I)
_AT_LEAST = re.compile(r"\bat\s+(?:least|most)\b|\bthe\s+most\s+recent\b|\bmost\s+recent\b|\bmax(?:imum)?\s+of\b", _I)
_LESS_WORDS = frozenset("fewer less lower smaller worse weaker quieter slower".split())
_COMPARATIVE_PICK = re.compile(r"\b(?:which|what)\b[^?,]*?\b(?P<c>more|fewer|less|higher|lower|bigger|smaller|larger"
                               r"|greater|better|worse|stronger|weaker|busier|quieter|slower)\b(?![^?]*\bthan\b)", _I)
_PLURAL_ASK = re.compile(r"\b(?:which|what)\s+(?:are|were)\b"
                         r"|\b(?:top|bottom|best|worst|busiest|quietest|slowest|strongest|weakest|biggest|highest"
                         r"|lowest)[\s-]+(?:(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\s+)?"
                         r"(?:selling\s+|performing\s+)?"
                         r"(?:stores|products|brands|categories|cities|items|skus|models|months|weeks|days|sellers)\b"
                         r"|\brank(?:ing|ed)?\b|\bleague\s+table\b|\bfrom\s+(?:best|highest|most)\s+to\b"
                         r"|\b(?:which|what)\s+(?:stores|products|brands|categories|cities|items|skus|models|months"
                         r"|weeks|days)\b", _I)
_YOY = re.compile(r"year[\s-]+(?:over|on)[\s-]+year|\byoy\b|\by/y\b|same\s+(?:\w+\s+){0,2}(?:last|previous|prior|a)\s+"
                  r"year|(?:a|one)\s+year\s+(?:ago|earlier|before)|(?:vs\.?|versus|than|compar(?:e|ed|ing)\s+(?:(?:it|that|this|them"
                  r"|these|those)\s+)?(?:to|with)"
                  r"|against|over|(?:up|down)\s+on)\s+(?:the\s+same\s+\w+\s+)?(?:of\s+)?last\s+year|\bannual\s+growth"
                  r"|\b(?:up|down)\s+or\s+(?:up|down)\s+on\s+last\s+year", _I)
_CHANGE = re.compile(r"\bcompar|\bvs\.?(?!\w)|\bversus\b|\bchanged?\b|\bgrowth\b|\bgr[eo]w(?:n|ing)?\b|\bincreas"
                     r"|\bdecreas|\bdeclin|\bdrop(?:ped)?\b|\bup\s+or\s+down\b|\bdifference\b|\bdiffer\b"
                     r"|month[\s-]+over[\s-]+month|\bmom\b|\bqoq\b|\bagainst\b|\bfell\b|\bshrank\b|\bjump(?:ed)?\b"
                     r"|\b(?:than|over)\s+(?:the\s+)?(?:previous|prior|last|preceding)\b|\brelative\s+to\b"
                     r"|\b(?:more|fewer|less|higher|lower|better|worse|bigger|smaller)\b[^?]*\bthan\b"
                     r"|\b(?:are|is|was|were)\s+(?:\w+\s+){1,3}(?:up|down)\b|\b(?:up|down)\s+(?:on|from)\b"
                     r"|\b(?:gone|go|going|went|come|came|coming)\s+(?:up|down)\b|\bris(?:en|ing)\b|\brose\b"
                     r"|\bclimb(?:ed|ing)?\b|\bslipp?(?:ed|ing)\b|\bfallen\b|\bbeat(?:s|en)?\b|\boutperform\w*", _I)
_BY_CHANGE = re.compile(r"\bgr[eo]w(?:n|th)?\b|\bimprov|\bincreas|\bdeclin|\bdrop|\bfell\b|\bshrank\b|\bjump"
                        r"|\b(?:lost|gained|los(?:e|ing)|gain(?:s|ing)?)\s+(?:the\s+)?(?:most|least|more|less)\b", _I)
_SPLIT = re.compile(r"\bsplit\b|\bbetween\b|\beach\b|\brespectively\b|\bbreak\s*down\b|\bside\s+by\s+side\b"
                    r"|\bnext\s+to\s+(?:each\s+other|one\s+another)\b"
                    r"|\bbeat(?:en|s)?\b|\boutperform\w*|\bouts[eo]l\w*|\bahead\s+of\b|\bbehind\b"
                    r"|\bper\b|\bseparately\b"
                    # "X or Y" is a choice to show side by side only when the question asks one ("which sold more,
                    # Essilor or Zeiss"); otherwise it is both together ("how many products from Essilor or Zeiss")
                    r"|\b(?:which|who|whether|more|less|fewer|better|worse|bigger|smaller|higher|lower|most|best"
                    r"|worst)\b[^?]*\bor\b|\bor\b[^?]*\b(?:more|less|fewer|better|worse|bigger|higher|lower"
                    r"|most|best|worst)\b", _I)
# one store meant and not named: "how did the store do", "what did this shop take" (not "the store level", "the
# store count", "the store with the most ...", "the store that sold ...")
_THE_STORE = re.compile(r"\b(?:the|this|that|my)\s+(?:store|shop|branch|outlet)\b(?!['’]?s?\s*(?:level|count|network"
                        r"|estate|with|that|which|where|who|whose|in|at|on|of|managers?|staff|teams?|-?by|wide|numbers"
                        r"|is|was)\b)(?![\w-])", _I)
_FALL = re.compile(r"\bdrop(?:ped|s)?\b|\bdeclin\w*|\bfell\b|\bfall(?:en|ing)?\b|\bshr[ai]nk|\bdecreas\w*"
                   r"|\blost\b|\bdown\s+the\s+most\b", _I)
_SEQUENTIAL = re.compile(r"\b(?P<g>day|week|month|quarter)[\s-]+(?:on|over|to)[\s-]+(?P=g)\b"
                         r"|\b(?P<a>mom|wow|qoq)\b"
                         r"|\beach\s+(?P<e>day|week|month|quarter|year)\s+(?:vs\.?|versus|compared\s+(?:to|with))\s+"
                         r"(?:the\s+)?(?:one|period)?\s*(?:before|previous|prior)", _I)
_HOLIDAY = re.compile(r"\b(?:christmas|xmas|holiday\s+season|the\s+holidays|easter|thanksgiving|black\s+friday"
                      r"|long\s+weekend|bank\s+holiday(?:\s+weekend)?|public\s+holiday"
                      r"|cyber\s+monday|back[\s-]+to[\s-]+school|new\s+year'?s(?:\s+(?:day|eve))?|memorial\s+day"
                      r"|labou?r\s+day|(?:fourth|4th)\s+of\s+july|july\s+4th|valentine'?s(?:\s+day)?|spring\s+break"
                      r"|the\s+sale\s+period|sales\s+season"
                      r"|(?:in|during)\s+the\s+(?:\w+\s+)?sales?(?!\s+(?:of|data|figures?|numbers?|reports?|value|amount))"
                      r")\b", _I)
# people the sales data does not record: "each optician", "which member of staff", "per salesperson"
_BY_PERSON = re.compile(r"\b(?:each|every|per|by|which|what|whichever|top|best|worst|individual)\s+"
                        r"(?:single\s+|individual\s+|one\s+of\s+(?:our|the)\s+|of\s+(?:our|the)\s+)?"
                        r"(?P<w>opticians?|optometrists?|ophthalmologists?|dispensers?|staff(?:\s+members?)?"
                        r"|members?\s+of\s+staff|team\s+members?|employees?|sales\s*(?:people|persons?|reps?|assistants?)"
                        r"|salesm[ae]n|saleswom[ae]n|reps|assistants?|associates?|cashiers?|clerks?|workers?|doctors?"
                        r"|technicians?|colleagues?|consultants?|advisors?|advisers?)\b", _I)
# "the best store in each province", "top product per category", "the worst month for every store": a ranking inside
# each group of another dimension
_IN_EACH = re.compile(r"\b(?:in|for|of|within|across|at)?\s*(?:each|every|per)\s+(?P<w>[\w-]+(?:\s+[\w-]+)?)", _I)
_PCT_CHANGE = re.compile(r"\b(?:percent(?:age)?|%|relative)\b", _I)
_SHARE = re.compile(r"\bshare\b|\b(?:slice|chunk)\s+of\b"
                    r"|\bcut\s+of\s+(?:the\s+|our\s+|all\s+)?(?:total\s+)?(?:revenue|sales"
                    r"|takings|turnover|units|orders|receipts)\b"
                    r"|\bpercent(?:age)?\s+of\b|%\s+of\b|\bproportion\b|\bportion\b|\bfraction\b"
                    r"|\bcontribut|\bwhat\s+part\s+of\b|\bhow\s+much\s+of\s+(?:the\s+|our\s+)?total\b|\bmix\b"
                    r"|\bpercentages?\b|\bpercent\b|\bas\s+an?\s+%|\bin\s+%|\bas\s+%|\bwhat\s+%"
                    r"|\bhow\s+much\s+of\b[^?]*\b(?:came|come|comes|coming|was|were|is|are)\s+(?:from|in|on|down\s+to)\b"
                    # "how much of our revenue is contacts", "how much of the sales did sunglasses make up": the whole
                    # is a measure, the part follows its verb (never "how much of the revenue did we make in May")
                    r"|\bhow\s+much\s+of\s+(?:(?:the|our|total|all|overall|company|chain)\s+)*(?:[\w'-]+\s+){0,2}?"
                    r"(?:revenue|sales|turnover"
                    r"|takings|income|units|business|money|orders)\b(?![^?]*\b(?:we|i|you)\b)[^?]*?\b(?:is|was|are|were"
                    # the part may be masked out
                    r"|did|does|do|made|make|makes|account(?:s|ed)?)(?:\s+\w|\s*[?.!]*\s*$)",
                    _I)
_FOLLOW_UP = re.compile(r"^\s*(?:and|what\s+about|how\s+about|what\s+of|same\s+(?:for|in|at|but|thing)"
                        r"|(?:make|change|switch|turn)\s+(?:it|that|this)\b|(?:can|could)\s+you\s+(?:make|change)\s+(?:it|that)"
                        r"|now\s+(?:for|in|at|by|show|the)|also|then|ok(?:ay)?(?=[,\s])|but\s+(?:for|in|at|by)|instead|only|just|same\b"
                        r"|and\s+the|what\s+if|how\s+(?:did|does|do)\s+that|compared\s+(?:to|with)|vs\.?\s|versus"
                        # "compare that with the same month last year": "that" is the previous answer
                        r"|(?:can\s+you\s+|could\s+you\s+|please\s+|now\s+)?compar(?:e|ing)\s+(?:it|that|this|them|these|those)"
                        # "now rank them by revenue", "sort those by units", "by revenue?", "... instead"
                        r"|now|(?:please\s+)?(?:re-?)?(?:rank|sort|order|list|show|split|break)\s+(?:them|those|these|it"
                        r"|that|this)|by\s+[\w-]+(?=\W*$)|.*\binstead(?=\W*$)"
                        r"|(?:[\w-]+\s+){0,3}[\w-]+\s+then(?=\W*$)"  # "in dirhams then"
                        # "in koruna please", "in lira?", "revenue please": a short ask after an answer changes one part
                        r"|(?:now\s+)?in\s+[^\W\d_]+(?:\s+please)?(?=\W*$)|(?:[\w-]+\s+){0,2}please(?=\W*$))\b", _I)
_ALL_LOCATIONS = re.compile(r"\b(?:all|every|each)\s+(?:of\s+)?(?:our\s+|the\s+)?"
                            r"(?:stores|locations|branches|shops|boutiques)\b|\b(?:company|network)[\s-]+wide\b"
                            r"|\boverall\b|\bin\s+total\b|\bchain[\s-]+wide\b|\beverywhere\b|\b(?:the\s+)?(?:whole|entire)\s+"
                            r"(?:company|chain|business|group|estate|network)\b|\bacross\s+the\s+(?:board|network)\b"
                            r"|\ball\s+(?:locations|stores)\b", _I)
_ALL_PRODUCTS = re.compile(r"\ball\s+(?:products|categories|items)\b", _I)
_ALL_TIME = re.compile(r"\b(?:all[\s-]+time|ever|overall|in\s+total|since\s+(?:we\s+)?(?:started|opened|the\s+"
                       r"beginning))\b", _I)

_PRODUCT_KINDS = ("category", "brand", "product", "keyword")
_LOCATION_KINDS = ("store", "city", "state")
_PATIENT_KINDS = ("age_band", "lens_type")
_KIND_TO_FILTER = {"sku": "product", "category": "category", "brand": "brand", "keyword": "keyword",
                   "store": "store", "city": "city", "state": "state", "age_band": "age_band",
                   "lens_type": "lens_type"}
_WEEKDAYS = {"monday": "1", "tuesday": "2", "wednesday": "3", "thursday": "4", "friday": "5", "saturday": "6",
             "sunday": "7", "mondays": "1", "tuesdays": "2", "wednesdays": "3", "thursdays": "4", "fridays": "5",
             "saturdays": "6", "sundays": "7"}
_WEEKEND = re.compile(r"\bweekends?\b", _I)
# "on weekdays", "working days", "during the week": Monday to Friday, a filter (not "by weekday", a breakdown)
_WORKING_DAYS = re.compile(r"\b(?:on|during|over)\s+(?:the\s+)?weekdays\b|\bweekdays\s+only\b"
                           r"|\bonly\s+(?:on\s+)?weekdays\b|\bworking\s+days\b|\bbusiness\s+days\b"
                           r"|\bduring\s+the\s+week\b", _I)
_DAY_NAMES = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_DAY_SPAN = re.compile(rf"\b(?P<a>{_DAY_NAMES})s?\s*(?:to|through|thru|till|until|-|–)\s*(?P<b>{_DAY_NAMES})s?\b", _I)


# "Sat + Sun", "Mon-Fri", "Sat/Sun", "Fri, Sat and Sun": days of the week written short, two or more together (one
# alone stays a word: "Sun" is also a brand word, "Wed" a verb)
_DAY_ABBR = {"mon": "Monday", "tue": "Tuesday", "tues": "Tuesday", "wed": "Wednesday", "thu": "Thursday",
             "thur": "Thursday", "thurs": "Thursday", "fri": "Friday", "sat": "Saturday", "sun": "Sunday"}
_DAY_ABBR_RUN = re.compile(r"\b(?:" + "|".join(_DAY_ABBR) + r")\b\.?(?:\s*(?:\+|&|/|-|–|,|and|to|or)\s*(?:"
                           + "|".join(_DAY_ABBR) + r")\b\.?)+", _I)


def _day_abbreviations(text: str) -> str:
    """Days of the week written short and side by side, written out ("Sat + Sun" -> "Saturday + Sunday", "Mon-Fri"
    -> "Monday to Friday")."""
    def full(m: re.Match[str]) -> str:
        days = re.sub(r"\b(" + "|".join(_DAY_ABBR) + r")\b\.?", lambda d: _DAY_ABBR[d.group(1).lower()], m.group(0),
                      flags=_I)
        return re.sub(r"\s*[-–]\s*", " to ", days)
    return _DAY_ABBR_RUN.sub(full, text)


_NUMERIC_DATE = re.compile(r"(?<![\w/.,-])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?:(?P=sep)(?P<y>\d{4}|\d{2}))?"
                           r"(?![\w/-]|[.,]\d)")


# a named occasion followed by the days it covered, in brackets or after a comma ("Ramadan 2026 (19/02-19/03)", "the
# last week of Ramadan 2025, 24 to 30 March", "Fleet Week 2025 (May 21-27)"): the name only labels those days
_EVENT_DATED = re.compile(
    r"(?P<lead>(?:(?:the\s+)?(?:first|last|final|opening|closing|busy|peak)\s+(?:week|weekend|days?|fortnight|stretch)"
    r"\s+of\s+)?(?:the\s+)?"
    # "mùng 1 Tết (17/02/2026)", "day 3 of Carnaval (...)": the occasion's day by its number, as some languages name it
    r"(?:(?:m[ùu]ng|m[ồo]ng|ng[àa]y|day|d[ií]a|jour|tag)\s+\d{1,2}\s+(?:of\s+|de\s+)?)?"
    # "last summer's ekptoseis (14 July to 31 August 2025)", "this year's winter sales (8 January - 28 February)": a
    # period's possessive names the occasion's year; the name after it may be in lower case
    r"(?P<poss>(?:(?:last|this|next|past)\s+(?:summer|winter|spring|autumn|fall|year|season)|(?:19|20)\d\d)['’]s\s+)?)"
    r"(?P<name>[A-Z][\w'’-]*(?:\s+(?:(?:de|da|do|das|dos|del|di|du|des)\s+)?[A-Z][\w'’-]*){0,3}"
    r"(?:\s+(?:long\s+)?(?:weekend|week|sales?"
    r"|holidays?|festival|fair|market|season|break|rush))?|(?<=['’]s\s)[a-zß-ÿ][\w'’-]*(?:\s+[a-zß-ÿ][\w'’-]*){0,2}?"
    # "during the spring promo (March 3-16)", "the 2025 soldes (1-14 July)", "our clearance event, 5 to 12 January":
    # an occasion in lower case after "the / our", named by its kind
    r"|(?<=(?:the|our)\s)(?:(?P<y0>(?:19|20)\d\d)\s+(?:[a-zß-ÿ][\w'’-]*\s+){0,2}|(?:[a-zß-ÿ][\w'’-]*\s+){1,2})"
    r"(?:sales?|promos?|promotions?|campaigns?|events?|soldes|rebajas|saldi|saldos|ofertas|descontos|season|weekend"
    r"|holidays?|festival|fair|specials?|offers?|clearance|deals?|drive)"
    # "the rebajas de verano 2025 (1/7 - 31/8)", "the saldi estivi 2025": the kind first, as the Romance languages
    # name it, before the occasion's year
    r"|(?:(?<=(?:the|our)\s)|(?<=during\s))(?:soldes|rebajas|saldi|saldos|liquidaci[oó]n|promo[cz]i[oó]n[ei]?s?"
    r"|wyprzeda[zż]\w*|uitverkoop|ekptoseis)(?:\s+(?:[a-zß-ÿ][\w'’-]*|(?:January|February|March|April|May|June|July"
    r"|August|September|October|November|December)\b)){0,2}(?=\s+(?:19|20)\d\d\b)"
    # "the saldos de verão (15/07 a 31/08)", "the rebajas de enero": the same without a year
    r"|(?<=(?:the|our)\s)(?:saldos|rebajas|soldes|saldi|liquidaci[oó]n(?:es)?|ofertas|descontos|promo[cç][aã]o"
    r"|promoci[oó]n)(?:\s+(?:de|da|do|del|di|d['’])?\s*[a-zß-ÿ][\w'’-]*)?"
    # "over the mellandagsrea 2025 (27/12 - 30/12)", "on midsommarafton (20 June)": one word in lower case after
    # "the / our / on / during / over", right before its days in brackets (`_dated_events` keeps it only when it is
    # none of the parser's or the tenant's words: a local name of the occasion)
    r"|(?:(?<=(?:the|our)\s)|(?<=on\s)|(?<=during\s)|(?<=over\s))[a-zß-ÿ][\w'’-]{4,}(?=(?:\s+(?:19|20)\d\d)?\s*\(\s*\d))"
    # "Harbolnas last year (12.12)": the year named after the occasion
    r"(?:\s+(?P<y>(?:19|20)\d\d)|\s+(?P<rel>(?:last|this|next)\s+year))?"
    # "Sale Tết 2026 revenue (2/2-15/2)": the measure asked between the occasion and its days
    r"(?P<mid>\s+(?:revenue|sales|turnover|takings|units|orders|discounts?|figures|numbers))?"
    r"(?:\s*\(\s*(?P<a>[^()]{3,48}?)\s*\)|\s*,\s*(?P<b>[^,;:?()]{3,48}?)(?=\s*(?:[,;:?!.]|$)))")


def _dated_events(text: str, catalog: Catalog, today: date) -> str:
    """The question with each named occasion that is followed by its days (`_EVENT_DATED`) replaced by those days (with
    the occasion's year when they have none): the days say what was asked, the name is no filter. A name of the
    tenant's (a store, a city: "Kittery (1-15 May)") or a month is never taken for an occasion, and the days must be
    one span or day and nothing else."""
    def rewrite(m: re.Match[str]) -> str:
        name, days = m.group("name"), m.group("a") or m.group("b")
        if not re.search(r"\d", days) or all(w.lower() in MONTHS or w.lower() in _WEEKDAYS for w in name.split()):
            return m.group(0)  # "May (1-15 May)", "Friday (28 Nov)"; "Black Friday 2025 (28/11)" is an occasion
        # a place is never an occasion ("Kittery (1-15 May)"); a product name is one only after "during / over ..."
        # ("during Carnaval 2026 (14/02-18/02)", never "Ray-Ban (1-15 May)")
        kinds = {h[0] for h in extract(name, catalog, today).hits}
        if kinds & {"store", "city", "state"} or (kinds and not _DURING_BEFORE.search(text[:m.start("name")])):
            return m.group(0)
        if name.islower() and " " not in name and not m.group("poss") and not m.group("mid") and (
                kinds or name in _parser_vocabulary() or
                any(name in n.lower().split() for n in _names(catalog))):
            return m.group(0)  # "the frames (1-15 May)": a word the parser reads is no occasion's name
        # "15 July a 31 August", "1 bis 14 Juli": the local word for "to" between two days
        days = re.sub(r"(?<=\w)\s+(?:a|al|au|bis|tot|t/m|till|til|do|hasta|até|ate|fino\s+al)\s+(?=\d)", " - ", days)
        if re.fullmatch(r"[\d.\s–-]+", days) and "." in days:
            # "(12.12)", "(1.07-31.08.2025)": days and months with dots, as written beside an occasion
            days = _numeric_dates(re.sub(r"(?<=\d)\.(?=\d)", "/", days.strip(" .")), catalog)
        year = m.group("y") or m.group("y0") or _occasion_year(m.group("poss") or m.group("rel") or "", days, today)
        dated = days if year is None or re.search(r"(?:19|20)\d\d", days) else f"{days} {year}"
        try:
            found = parse_periods(dated, today)
        except DateRangeError:
            return m.group(0)
        if len(found) != 1 or found[0].grain not in ("day", "range", "week") or \
                len(dated[: found[0].span[0]].strip(" ,")) + len(dated[found[0].span[1]:].strip(" ,.")) > 0:
            return m.group(0)
        first, last = found[0].start, found[0].last_day
        if year is not None and dated != days and first.year < int(year) <= last.year:
            # "Boxing Week 2025 (Dec 26 - Jan 1)": the occasion's year is the year its days start in
            try:
                shift = int(year) - first.year
                return f" {m.group('mid') or ''} from {first.replace(year=first.year + shift).isoformat()} to " \
                       f"{last.replace(year=last.year + shift).isoformat()} "
            except ValueError:
                return m.group(0)
        return f" {m.group('mid') or ''} {dated} "
    return _EVENT_DATED.sub(rewrite, text)


# "the last month of 2025", "the first quarter of last year", "the final month of Q1": the first / last such unit of
# that period (never "last month" of the calendar and the period beside it)
_EDGE_UNIT_OF = re.compile(r"\b(?:the\s+)?(?P<e>first|last|final|opening|closing)\s+(?P<u>month|quarter)\s+of\s+"
                           r"(?P<p>(?:the\s+)?(?:(?:19|20)\d\d|[Qq][1-4](?:\s+(?:of\s+)?(?:19|20)\d\d)?|[Hh][12](?:\s+(?:19|20)\d\d)?"
                           r"|(?:first|second)\s+half(?:\s+of\s+(?:(?:19|20)\d\d|this\s+year|last\s+year))?"
                           r"|(?:this|last|the\s+current|the\s+previous)\s+(?:year|quarter)|year|quarter))\b", _I)


_EDGE_UNIT_POSS = re.compile(r"\b(?P<p>(?:19|20)\d\d|[Qq][1-4](?:\s+(?:19|20)\d\d)?|(?:this|last)\s+(?:year|quarter))"
                             r"['’]s\s+(?P<e>first|last|final|opening|closing)\s+(?P<u>month|quarter)\b", _I)


def _edge_units(text: str, today: date) -> str:
    """The question with "the last month of 2025" (`_EDGE_UNIT_OF`) written as that month ("December 2025") or quarter
    ("Q4 2025"); left as written when the period does not parse to one ("the first week of 2026" is not read here: ISO
    week 1 or the first seven days, it is asked back)."""
    def rewrite(m: re.Match[str]) -> str:
        words = re.sub(r"^the\s+", "", m.group("p"), flags=_I)
        if re.fullmatch(r"year|quarter", words, _I):
            words = f"this {words}"
        try:
            found = parse_periods(words, today)
        except DateRangeError:
            return m.group(0)
        if len(found) != 1:
            return m.group(0)
        first = m.group("e").lower() in ("first", "opening")
        start, last = found[0].start, found[0].last_day
        unit = m.group("u").lower()
        day = start if first else last
        if unit == "month":
            return f"{calendar.month_name[day.month]} {day.year}"
        if found[0].grain not in ("year", "half"):
            return m.group(0)
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    # "2025's last quarter": the same as "the last quarter of 2025"
    text = _EDGE_UNIT_POSS.sub(lambda m: f"the {m.group('e')} {m.group('u')} of {m.group('p')}", text)
    return _EDGE_UNIT_OF.sub(rewrite, text)


def _occasion_year(words: str, days: str, today: date) -> str | None:
    """The year of an occasion's days named by a period ("last summer's", "this year's", "last year"): the year in
    which the days fall inside that period (a winter spans two), else the period's first year; None without one."""
    words = re.sub(r"['’]s\s*$", "", words.strip())
    if not words:
        return None
    try:
        found = parse_periods(words, today)
    except DateRangeError:
        return None
    if len(found) != 1:
        return None
    start, end = found[0].start, found[0].end
    for year in range(start.year, end.year + 1):
        try:
            inside = parse_periods(f"{days} {year}", today)
        except DateRangeError:
            continue
        if len(inside) == 1 and start <= inside[0].start < end:
            return str(year)
    return str(start.year)


# two numeric dates joined by a dash or by "to" in the staff's language ("14/02 a 18/02", "1/7 bis 14/7", "5/7 al 31/8")
_NUMERIC_SPAN = re.compile(r"(?<![\w/.,-])(?P<a>\d{1,2}/\d{1,2}(?:/(?:\d{4}|\d{2}))?)(?:\s*[-–]\s*|\s+(?:to|till|until"
                           r"|through|thru|a|al|au|bis|tot|t/m|do|hasta|até|ate|fino\s+al|sampai|hingga|s/d)\s+)"
                           r"(?P<b>\d{1,2}/\d{1,2}(?:/(?:\d{4}|\d{2}))?)(?![\w/-])", _I)
# "20.9.-5.10.2025", "26.12.2025-6.1.2026": two dotted dates, the year written after the second (or after both): read
# as slashes
_DOTTED_SPAN = re.compile(r"(?<![\w/.,-])(?P<a>\d{1,2}\.\d{1,2}(?:\.(?:\d{4}|\d{2}))?)\.?\s*[-–]\s*"
                          r"(?P<b>\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2}))(?![\w/-]|[.,]\d)")


# "20-26/10/2025", "3-9.11.2025", "1.-7.3.2026": the first and last day of one month with the month (and year) written
# once, after the last day; read day first wherever it is written (the month is shared, so the first two numbers are
# days)
_NUMERIC_DAY_SPAN = re.compile(r"(?<![\w/.,-])(?P<d1>\d{1,2})(?:\.?\s*[-–]\s*|\s+(?:to|till|until|through|a|al|au|bis"
                               r"|tot|do|hasta|até|ate|sampai|hingga)\s+)(?P<d2>\d{1,2})(?P<sep>[/.])(?P<m>\d{1,2})"
                               r"(?:(?P=sep)(?P<y>\d{4}|\d{2}))?(?![\w/-]|[.,]\d)", _I)


# "22.12.–28.12.", "25. 8.–7. 9.", "24.–30. 11.", "1.–14. 7. 2025": Central European dates with a closing dot after
# the month (a space after a dot allowed) and no year, or the year once at the end; the closing dot tells them from
# decimals ("1.5-2.0")
_CLOSED_DOT_SPAN = re.compile(r"(?<![\w.,/-])(?P<d1>\d{1,2})\.\s?(?P<m1>\d{1,2})\.\s*[-–]\s*(?P<d2>\d{1,2})\.\s?"
                              r"(?P<m2>\d{1,2})\.(?:\s?(?P<y>(?:19|20)\d\d)\b)?(?![\w/-]|\d)")
_CLOSED_DOT_DAYS = re.compile(r"(?<![\w.,/-])(?P<d1>\d{1,2})\.\s*[-–]\s*(?P<d2>\d{1,2})\.\s?(?P<m>\d{1,2})\."
                              r"(?:\s?(?P<y>(?:19|20)\d\d)\b)?(?![\w/-]|\d)")


# "2025. 12. 24.", "2025.11.24–30.", "2024.11.25–12.01.": dates written year first with dots (Hungarian, Korean,
# Chinese and Japanese shops), alone or as a span whose end gives the day (and the month when it changes)
_YEAR_FIRST_DATE = re.compile(r"(?<![\w.,/-])(?P<y>(?:19|20)\d\d)\.\s?(?P<m>\d{1,2})\.\s?(?P<d>\d{1,2})\.?"
                              r"(?:\s*[-–]\s*(?:(?P<m2>\d{1,2})\.\s?)?(?P<d2>\d{1,2})\.?)?(?![\w/-]|\d|\.\d)")


_MONTH_NAMES_RX = "|".join(sorted((*MONTHS, *MONTH_ABBR), key=len, reverse=True))
# "revenue in April a year ago", "Q1 a year earlier": the month, quarter or half named, in the year before
_NAMED_YEAR_BACK = re.compile(rf"\b(?P<p>(?:{_MONTH_NAMES_RX})|q[1-4]|(?:first|second|1st|2nd)\s+half|h[12])\s+"
                              r"(?:of\s+)?(?:a|one)\s+year\s+(?:ago|earlier|before)\b", _I)


# "the second fortnight of April": the month's second half (16th to the end), as "the first fortnight" is its first
_FORTNIGHT_OF = re.compile(r"\b(?P<n>first|1st|second|2nd|last|latter|final)\s+fortnight\s+(?=of\b|in\b)", _I)


def _fortnights(text: str) -> str:
    """`text` with "the first / second fortnight of <month>" written as the month's first / second half."""
    return _FORTNIGHT_OF.sub(lambda m: f"{'first' if m.group('n').lower() in ('first', '1st') else 'second'} half ",
                             text)


# "July and August 2025 ... the same two months of 2024": the months named first, in the other year
_MONTH_PAIR_YEAR = re.compile(rf"\b(?P<a>{_MONTH_NAMES_RX})\.?\s*(?P<j>and|&|\+|-|–|to|through)\s*"
                              rf"(?P<b>{_MONTH_NAMES_RX})\.?\s+(?:of\s+)?(?:19|20)\d\d\b", _I)
_SAME_MONTHS_OF = re.compile(r"\bthe\s+same\s+(?:two\s+|three\s+|\d\s+)?months\s+(?:of|in)\s+"
                             r"(?P<y>(?:19|20)\d\d)\b", _I)


def _same_months_of(text: str) -> str:
    """`text` with "the same (two) months of 2024" written as the months named before it ("July and August 2024")."""
    pair = _MONTH_PAIR_YEAR.search(text)
    if pair is None:
        return text
    return text[:pair.end()] + _SAME_MONTHS_OF.sub(
        lambda m: f"{pair.group('a')} {pair.group('j')} {pair.group('b')} {m.group('y')}", text[pair.end():])


# "the first three months of the year", "the last 2 months of 2025": the months by name
_MONTHS_OF_YEAR = re.compile(r"\b(?:the\s+)?(?P<w>first|last|final|opening|closing)\s+"
                             r"(?P<n>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|eleven)\s+months\s+of\s+(?P<y>(?:the|this)\s+year|last\s+year"
                             r"|(?:19|20)\d\d)\b", _I)
_SMALL_NUMBERS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven".split())}


def _months_of_year(text: str, today: date) -> str:
    """`text` with "the first three months of the year" written as "January to March 2026" (the year named, "last
    year", or this year)."""
    def months(m: re.Match[str]) -> str:
        n = int(m.group("n")) if m.group("n").isdigit() else _SMALL_NUMBERS[m.group("n").lower()]
        said = m.group("y").lower()
        year = int(said) if said.isdigit() else today.year - said.startswith("last")
        if not 1 <= n <= 12:
            return m.group(0)
        first, last = (1, n) if m.group("w").lower() in ("first", "opening") else (13 - n, 12)
        return f"{calendar.month_name[first]} to {calendar.month_name[last]} {year}"
    return _MONTHS_OF_YEAR.sub(months, text)


# "Reduceri de vară 2025 (7–20 iulie)", "Înapoi la școală 2025 (25 aug. – 7 sept.)": an occasion named in the
# tenant's language, a capital only on its first word, then its year and its days in a bracket
_EVENT_BREAK = r"(?:in|at|on|during|over|for|from|to|of|and|or|the|vs|by|with|since|before|after|between)\b"
_LOCAL_EVENT = re.compile(rf"(?<![\w'’-])(?P<name>(?!{_EVENT_BREAK})[A-ZÀ-ÝĂÂÎȘȚŞŢ][^\W\d_]+"
                          rf"(?:\s+(?!{_EVENT_BREAK})[^\W\d_]+){{0,3}})(?=\s+(?:19|20)\d\d\s*\([^()]*\d[^()]*\))", _I)


def _local_events(text: str, catalog: Catalog) -> str:
    """`text` with the name of an occasion in the tenant's language written as "the shop sale" where its year and days
    follow in a bracket (`_LOCAL_EVENT`) and the name holds a word that is neither English, nor the parser's, nor the
    tenant's: the days then say what was asked (`_dated_events`), as for an English occasion's name."""
    own = {fold(w) for n in _names(catalog) for w in re.findall(r"[^\W\d_]+", n.lower())}
    known = _parser_vocabulary() | english_words()

    def swap(m: re.Match[str]) -> str:
        words = [w.lower() for w in m.group("name").split()]
        if not m.group("name")[:1].isupper() or any(fold(w) in own for w in words if len(w) >= 4) or all(
                w in known for w in words):
            return m.group(0)
        return "the shop sale"
    return _LOCAL_EVENT.sub(swap, text)


# "in Q1 2026, its last quarter": an aside that only describes the period named before it
_PERIOD_ASIDE = re.compile(r",\s*(?:its|their|the\s+(?:shop|store|branch)['’]s)\s+(?:last|final|first|only)\s+"
                           r"(?:full\s+)?(?:quarter|month|week|year)(?:\s+(?:open|of\s+trading|trading))?"
                           r"(?=\s*(?:[?.!;]|$))", _I)
# "by the kind of lenses they wear": the patients' lens type
_LENS_KIND = re.compile(r"\b(?:kinds?|types?|sorts?)\s+of\s+(?:lens(?:es)?|correction)(?:\s+(?:they|patients)\s+"
                        r"(?:wear|use|have))?\b", _I)


_UNTIL_CLOSED = re.compile(r"\b(?P<w>until|till|to|up\s+to)\s+(?:the\s+(?:shop|store|branch)|it)\s+(?:closed|shut)"
                           r"(?:\s+(?:down|for\s+good))?\b", _I)


def _until_closed(text: str, catalog: Catalog) -> str:
    """`text` with "until the shop closed" written as the last day with sales of the one closed store the question
    names (by its name's last word or its city); left as written when it names none or several."""
    found = _UNTIL_CLOSED.search(text)
    if found is None or catalog.sales_to is None:
        return text
    folded = fold(text).lower()
    closed = [(s, last) for code, _, last in catalog.store_days if last < catalog.sales_to - timedelta(days=7)
              and (s := catalog.store(code)) is not None
              and any(re.search(rf"\b{re.escape(fold(w).lower())}\b", folded) for w in (s.name.split()[-1], s.city))]
    if len(closed) != 1:
        return text
    return f"{text[:found.start()]}{found.group('w')} {closed[0][1].isoformat()}{text[found.end():]}"


def _named_year_back(text: str) -> str:
    """`text` with "April a year ago" written "April last year" where nothing is compared (no word of change: "vs
    April a year ago", "up on Q1 a year earlier" stay comparisons with it)."""
    return text if _CHANGE.search(text) else _NAMED_YEAR_BACK.sub(lambda m: f"{m.group('p')} last year", text)


def _year_first_dates(text: str) -> str:
    """Dates written year first with dots (`_YEAR_FIRST_DATE`) as ISO dates ("2025-12-24", "from 2025-11-24 to
    2025-11-30"); one that is no real date is left as written."""
    def iso(m: re.Match[str]) -> str:
        year, month, day = int(m.group("y")), int(m.group("m")), int(m.group("d"))
        try:
            first = date(year, month, day)
            if m.group("d2") is None:
                return first.isoformat()
            last = date(year, int(m.group("m2") or month), int(m.group("d2")))
        except ValueError:
            return m.group(0)
        return f"from {first.isoformat()} to {last.isoformat()}" if last > first else m.group(0)
    return _YEAR_FIRST_DATE.sub(iso, text)


# "aug. 18–31.", "Jul 1–14.", "March 15.": a month before its day (Hungarian, Korean, Chinese, Japanese order) with a
# closing dot after the last day: written without the dots for the date parser
_MONTH_DAY_DOTTED = re.compile(rf"(?<![\w'’-])(?P<mon>{_MONTH_NAMES_RX})"
                               r"\.?\s+(?P<d1>\d{1,2})\.?(?:\s*(?P<dash>[-–])\s*(?P<d2>\d{1,2}))?\.(?!\d)", _I)


def _closed_dot_dates(text: str) -> str:
    """The Central European day-and-month spans with closing dots (`_CLOSED_DOT_SPAN`, `_CLOSED_DOT_DAYS`) written
    out for the date parser ("22 December to 28 December", "24-30 November 2025"), after the dates written year first
    (`_year_first_dates`); anything else as it was."""
    text = _year_first_dates(text)
    text = _MONTH_DAY_DOTTED.sub(lambda m: f"{m.group('mon')} {m.group('d1')}"
                                 + (f"-{m.group('d2')}" if m.group("d2") else ""), text)
    def span(m: re.Match[str]) -> str:
        d1, m1, d2, m2 = (int(m.group(g)) for g in ("d1", "m1", "d2", "m2"))
        if not (1 <= m1 <= 12 and 1 <= m2 <= 12 and 1 <= d1 <= 31 and 1 <= d2 <= 31):
            return m.group(0)
        year = f" {m.group('y')}" if m.group("y") else ""
        if m1 == m2:
            return f"{d1}-{d2} {calendar.month_name[m1]}{year}"
        return f"{d1} {calendar.month_name[m1]} to {d2} {calendar.month_name[m2]}{year}"

    def days(m: re.Match[str]) -> str:
        d1, d2, month = int(m.group("d1")), int(m.group("d2")), int(m.group("m"))
        if not (1 <= month <= 12 and 1 <= d1 < d2 <= 31):
            return m.group(0)
        return f"{d1}-{d2} {calendar.month_name[month]}" + (f" {m.group('y')}" if m.group("y") else "")

    return _CLOSED_DOT_DAYS.sub(days, _CLOSED_DOT_SPAN.sub(span, text))


def _numeric_dates(text: str, catalog: Catalog) -> str:
    """"28/11/2025", "5.3.2026", "3/5": a date written with numbers, as the tenant's country writes it: day first
    outside the US, month first in the US (and when no country is known, as before); a number over 12 settles the
    order whatever the country. Written out ("2025-11-28", "3 May") for the date parser. Dots need a year ("1.5" is a
    number)."""
    countries: tuple[str, ...] | None = None

    def rewrite(m: re.Match[str]) -> str:
        nonlocal countries
        a, b, year = int(m.group("a")), int(m.group("b")), m.group("y")
        if m.group("sep") == "." and not year and not (
                re.search(r"\b(?:on|am|le|el|em|op|w|vào|ngày)\s+$", m.string[: m.start()], _I)
                and (len(m.group("a")) == len(m.group("b")) == 2 or re.match(r"\.|\s+(?:last|this)\s+year\b",
                                                                          m.string[m.end():], _I))):
            # "on 11.11 last year", "am 3.10.": a day after "on" with two-digit parts or a closing dot (never "on 1.6
            # lenses", an index, nor an amount)
            return m.group(0)
        if a > 12 and b <= 12:
            day, month = a, b
        elif b > 12 and a <= 12:
            month, day = a, b
        elif a <= 12 and b <= 12:
            if countries is None:
                countries = catalog_regions(catalog).countries if catalog.states else ()
            day, month = (b, a) if not countries or "US" in countries else (a, b)
        else:
            return m.group(0)
        if not 1 <= day <= 31 or not 1 <= month <= 12:
            return m.group(0)
        if year:
            full = int(year) + (2000 if len(year) == 2 else 0)
            return f"{full:04d}-{month:02d}-{day:02d}"
        return f"{day} {calendar.month_name[month]}"

    # "19/02-19/03", "01/03/2025–30/03/2025": two numeric dates joined by a dash are a span from one to the other,
    # both written in one order: a number over 12 in either settles it for both ("12/06-14/06" is 12 to 14 June even
    # in the US); a span whose two ends settle opposite orders is left as written
    def span(m: re.Match[str]) -> str:
        ends = [[int(n) for n in m.group(g).split("/")[:2]] for g in ("a", "b")]
        day_first = any(a > 12 for a, _ in ends)
        month_first = any(b > 12 for _, b in ends)
        if day_first and month_first:
            return m.group(0)
        if day_first or month_first:
            def order(end: str) -> str:
                a, b, *year = end.split("/")
                day, month = (a, b) if day_first else (b, a)
                return f"{int(day)} {calendar.month_name[int(month)]}" + (f" {year[0]}" if year else "") \
                    if 1 <= int(month) <= 12 and 1 <= int(day) <= 31 else end
            return f"{order(m.group('a'))} to {order(m.group('b'))}"
        return f"{m.group('a')} to {m.group('b')}"
    def day_span(m: re.Match[str]) -> str:
        first, last, month, year = int(m.group("d1")), int(m.group("d2")), int(m.group("m")), m.group("y")
        if (m.group("sep") == "." and not year) or not 1 <= first < last <= 31 or not 1 <= month <= 12:
            return m.group(0)
        full = f" {int(year) + (2000 if len(year) == 2 else 0)}" if year else ""
        return f"{first}-{last} {calendar.month_name[month]}{full}"
    text = _closed_dot_dates(text)
    text = _NUMERIC_DAY_SPAN.sub(day_span, text)
    text = _DOTTED_SPAN.sub(lambda m: f"{m.group('a').replace('.', '/')}-{m.group('b').replace('.', '/')}", text)
    text = _NUMERIC_SPAN.sub(span, text)
    return _NUMERIC_DATE.sub(rewrite, text)


def _named_products_kinds(filters: Filters, catalog: Catalog, text: str = "") -> Filters:
    """"the Rush Hour frame and the Rush Hour case": category words that describe products named one by one are not
    a second condition, so a category that would leave out one of the named products is dropped (all named products
    are kept); a category that holds every named product stays (it changes nothing). A name word that none of the
    named products carries names more products beside them (its products join the list), never a condition that
    would leave nothing."""
    if filters.product and filters.keyword:
        named = [p.name.lower() for sku in filters.product if (p := catalog.product(sku)) is not None]
        if any(not any(k in name for name in named) for k in filters.keyword):
            # "the Agua-Fresca frame and the Media Noche case": a name word and a product named side by side are
            # two items, not two conditions: the word's products (of the category named, if any) join the list
            extra = [p.sku for p in catalog.products if any(k in p.name.lower() for k in filters.keyword)
                     and (not filters.category or p.category in filters.category)]
            values = {k: v for k, v in filters.items() if k not in ("keyword", "category", "product")}
            return Filters(**values, product=tuple(dict.fromkeys((*filters.product, *extra))))
    if filters.keyword and filters.category and not filters.product and text:
        # "Rush Hour sales, the frame and the case": a product that carries the name word outside the category is
        # named too when a word of its own name is in the question ("case" of "Rush Hour Case")
        words = set(re.findall(r"[^\W\d_]{3,}", text.lower()))
        carriers = [p for p in catalog.products if any(k in p.name.lower() for k in filters.keyword)]
        shared = [k for k in filters.keyword if any(k in p.name.lower() for p in carriers
                                                    if p.category in filters.category)]
        outside = [p for p in carriers if p.category not in filters.category and any(k in p.name.lower()
                                                                                      for k in shared) and any(
            w in words for w in re.findall(r"[^\W\d_]{3,}", p.name.lower())
            if not any(w in k for k in shared) and w not in p.brand.lower())]
        if outside:
            inside = [p.sku for p in carriers if p.category in filters.category]
            values = {k: v for k, v in filters.items() if k not in ("keyword", "category", "product")}
            return Filters(**values, product=tuple(dict.fromkeys((*inside, *(p.sku for p in outside)))))
    if not filters.product or not filters.category:
        return filters
    kinds = {p.category for sku in filters.product if (p := catalog.product(sku)) is not None}
    if kinds <= set(filters.category):
        return filters
    return Filters(**{k: v for k, v in filters.items() if k != "category"})


# How product names say a spectacle lens's type in the languages of the trade: "Progresiva", "Progressif", "Progresif",
# "Gleitsicht", "Multigressiv" and Varilux (a progressive lens line) for progressives; "Monofocal", "Unifocal",
# "Einstärken", "Tek Odak" for single vision. Read beside the English word: a lens type is every name that says it.
LENS_TYPE_NAME_WORDS: dict[str, tuple[str, ...]] = {
    "progressive": ("progres", "varifocal", "gleitsicht", "multigressiv", "varilux"),
    "single vision": ("single vision", "monofocal", "unifocal", "einstärken", "einstaerken", "enkelstyrke",
                      "jednoogniskow", "tek odak", "monoestiak", "eenvoudig", "enkelslip"),
    "bifocal": ("bifocal", "bifokal", "zweistärken", "dwuogniskow", "çift odak"),
    "occupational": ("occupational", "ocupacional", "occupazional", "office", "bureau", "büro", "ufficio",
                     "nahkomfort"),
    "reading": ("reading", "reader", "lectura", "lecture", "lettura", "leitura", "lesebrille", "okuma"),
}


def _lens_type_words(filters: Filters, catalog: Catalog) -> Filters | str:
    """A lens type asked about sales ("what share is progressives", "single vision revenue") is a word of product
    names: the English word and the words product names use for that type in other languages
    (`LENS_TYPE_NAME_WORDS`: "Hoya MySelf Progresif", "Essilor Varilux Comfort"); when no
    product name says the type at all, the question cannot be answered from the names, and the reason is returned
    (never a total over nothing)."""
    if not filters.keyword or not catalog.products:
        return filters
    names = [p.name.lower() for p in catalog.products if not filters.category or p.category in filters.category]
    words: list[str] = []
    for word in filters.keyword:
        forms = LENS_TYPE_NAME_WORDS.get(word)
        if forms is None:
            words.append(word)
            continue
        # every name that says the type, in any of the trade's languages ("Zeiss SmartLife Progressive" and "Dioptra
        # Progresiv Komfort" are both progressives)
        found = [f for f in (word, *forms) if any(f in n for n in names)]
        if not found:
            return (f'None of your product names says which products are {word} lenses, so I cannot pick them out. '
                    'Ask with the product or brand names.')
        words.extend(found)
    return filters if tuple(words) == filters.keyword else Filters(
        **{k: v for k, v in filters.items() if k != "keyword"}, keyword=tuple(dict.fromkeys(words)))


def _restated_categories(ex: Extraction, text: str) -> set[str]:
    """Categories named only inside brackets by a word of a category named outside them: "lentes de contacto (the
    lenses themselves, not the fitting)" restates the contact lenses, it adds no lenses."""
    brackets = [m.span() for m in re.finditer(r"\([^()]*\)", text)]
    inside = lambda s, e: any(a <= s and e <= b for a, b in brackets)  # noqa: E731
    outside = {v for k, v, s, e in ex.hits if k == "category" and not inside(s, e)}
    out: set[str] = set()
    for value in {v for k, v, _, _ in ex.hits if k == "category"} - outside:
        said = [text[s:e].lower() for k, v, s, e in ex.hits if k == "category" and v == value]
        if said and all(any(re.search(rf"\b{re.escape(w)}\b", phrase) for o in outside
                            for phrase in CATEGORY_WORDS.get(o, ())) for w in said):
            out.add(value)
    return out


def _filters_from(ex: Extraction, family: str, text: str) -> Filters:
    values: dict[str, tuple[str, ...]] = {}
    restated = _restated_categories(ex, text)
    for kind, items in ex.values.items():
        if kind == "category" and restated:
            items = tuple(v for v in items if v not in restated)
            if not items:
                continue
        name = _KIND_TO_FILTER.get(kind)
        if name is None:
            continue
        if family == "patients" and name not in ("state", "age_band", "lens_type"):
            spans = [(s, e) for k, v, s, e in ex.hits if k == kind and v in items]
            dim_words = [m.span() for m in dict(_DIM_RX)["lens_type"].finditer(text)]
            if spans and all(_lens_type_at(ex, s, e) or any(a <= s and e <= b for a, b in dim_words)
                             for s, e in spans):
                continue  # "contact lenses": the patients' lens type; "lens type": the breakdown, not a filter
            # anything else (a store, a city, a brand) is kept, so the spec check refuses it with the reason:
            # patients are not linked to stores or products; never answered for all patients instead
        if family != "patients" and name == "age_band":
            values[name] = tuple(items)  # refused by the spec check: ages are known for patients only
            continue
        if family != "patients" and name == "state":
            # "Berlin", "Hamburg": a city that is also a state was read both ways (the state for patient questions);
            # outside patients the city reading stands, so "Munich and Berlin" is never narrowed to the state Berlin
            places = [(s, e) for k, _, s, e in ex.hits if k in ("city", "store")]
            items = tuple(v for v in items if any(
                not any(a <= s and e <= b for a, b in places) for k, hv, s, e in ex.hits if k == kind and hv == v))
            if not items:
                continue
        if family != "patients" and name in ("age_band", "lens_type"):
            if name == "lens_type" and "keyword" not in values:
                # "progressive lenses sold": a product word, not a patient lens type
                words = tuple(v.replace("_", " ") for v in items if v not in ("contact_lenses",))
                if words:
                    values["keyword"] = values.get("keyword", ()) + words
            continue
        values[name] = tuple(dict.fromkeys(values.get(name, ()) + items))
    if family == "sales":
        if len(text) == len(ex.masked):  # "Sunday Best frames", "Long Weekend": a name, not a day of the week
            for _, _, start, end in ex.hits:
                text = text[:start] + " " * (end - start) + text[end:]
        days = [v for w, v in _WEEKDAYS.items() if re.search(rf"\b(?:on\s+)?{w}\b", text, _I)]
        span = _DAY_SPAN.search(text)
        if span:  # "Monday to Friday": every day from one to the other
            a, b = int(_WEEKDAYS[span.group("a").lower()]), int(_WEEKDAYS[span.group("b").lower()])
            days += [str(d) for d in range(a, b + 1)] if a <= b else []
        if _WORKING_DAYS.search(text):
            days += ["1", "2", "3", "4", "5"]
        if _WEEKEND.search(text):
            days += ["6", "7"]
        if days and not re.search(r"\b(?:day\s+of\s+(?:the\s+)?week|weekday)\b", text, _I):
            values["weekday"] = tuple(sorted(set(days)))
    return Filters(**values)


_NUMBER = re.compile(r"(?<![\w.$])\$?\d+(?:[.,]\d+)?%?(?:'?s)?(?![\w.])")  # "under 18s" too
_SHORT_AMOUNT = re.compile(r"(?<![\w.])[$€£]?\s?\d+(?:[.,]\d+)?\s?(?:k|m|bn)\b", _I)  # "$10k", "2.5m", "50 k"
_AGE_OVER = re.compile(r"\b(?:over|above|older\s+than|at\s+least|aged\s+(?:over|above))\s+(?P<n>\d{1,2})\b(?:\s*years?"
                       r"(?:\s+old)?)?|\b(?P<m>\d{1,2})\s*(?:\+|and\s+(?:over|older|above)|or\s+(?:older|over))"
                       r"(?:\s*years?(?:\s+old)?)?", _I)
_AGE_UNDER = re.compile(r"\b(?:under|below|younger\s+than)\s+(?P<n>\d{1,2})\b(?:\s*years?(?:\s+old)?)?", _I)
_BANDS = tuple(f"{d}-{d + 9}" for d in range(0, 90, 10)) + ("90+",)


def _age_range(text: str) -> tuple[tuple[str, ...] | None, str]:
    """Age bands named by "over 60" / "under 30" (None: none named; (): not whole bands), and the text without it."""
    over, under = _AGE_OVER.search(text), _AGE_UNDER.search(text)
    if not over and not under:
        return None, text
    m = over or under
    assert m is not None
    n = int(m.group("n") or m.group("m"))
    rest = (text[: m.start()] + " " + text[m.end():]).strip()
    if n % 10:
        return (), rest
    bands = tuple(b for b in _BANDS if int(b.split("-")[0].rstrip("+")) >= n) if over else \
        tuple(b for b in _BANDS if b != "90+" and int(b.split("-")[1]) < n)
    return bands, rest


_PICKS_AMONG = re.compile(r"\b(?:which|what|each|every|per|either)\s+(?:one\s+)?(?:of\s+(?:the|our)\s+)?"
                          r"(?:the\s+|our\s+)?$"
                          # "the worst performing CDMX store", "our best-selling Lyon shop": the city's best or worst
                          r"|\b(?:best|worst|top|bottom|strongest|weakest|busiest|quietest|slowest|highest|lowest"
                          r"|biggest|smallest)(?:[\s-]+(?:performing|selling|earning|grossing))?\s+$", _I)
_STORE_NOUN = re.compile(r"\s*(?:'s\s+)?(?:store|shop|branch|location|outlet|showroom)\b(?!s)", _I)


def _city_store(ex: Extraction, text: str, catalog: Catalog) -> tuple[Extraction, tuple[Unresolved, ...]]:
    """"the Raleigh store": the store in that city (one store), or ask which (several); a city otherwise. A city with
    one store, named next to a store, is that store (the same rows), so "Aspen vs Boulder" compares two stores."""
    hits = list(ex.hits)
    values = {k: list(v) for k, v in ex.values.items()}
    ambiguous: list[Unresolved] = []
    store_named = any(kind == "store" for kind, *_ in ex.hits)
    for i, (kind, value, start, end) in enumerate(hits):
        if kind != "city":
            continue
        codes = tuple(s.code for s in catalog.stores if s.city == value)
        if not _STORE_NOUN.match(text, end) and not (store_named and len(codes) == 1):
            continue  # "Aspen vs Boulder" next to a store: the one store in Boulder, so the two compare as stores
        if not store_named and any(k == "city" and v != value for k, v, *_ in hits):
            continue  # "the Perth and Fremantle stores": a list of cities, each the city's stores
        if len(codes) > 1 and _PICKS_AMONG.search(text[:start]):
            continue  # "which Amsterdam store sold more", "each Berlin shop": the city's stores, compared
        if len(codes) > 1:
            ambiguous.append(Unresolved("ambiguous", text[start:end], codes))
        elif len(codes) == 1:
            hits[i] = ("store", codes[0], start, end)
            values["city"] = [c for c in values.get("city", []) if c != value]
            values.setdefault("store", [])
            if codes[0] not in values["store"]:
                values["store"].append(codes[0])
    if not ambiguous and hits == list(ex.hits):
        return ex, ()
    clean = {k: tuple(v) for k, v in values.items() if v}
    return replace(ex, hits=tuple(hits), values=clean), tuple(ambiguous)


_NEGATION = re.compile(r"\b(?:excluding|exclude|excludes|except(?:\s+for)?|without|other\s+than|not\s+including"
                       r"|apart\s+from|aside\s+from|besides|minus|but\s+not|not\s+counting|ex\.|excl\.?|leav(?:e|es|ing)"
                       r"\s+out|left\s+out|(?:with\s+the\s+)?exception\s+of|save\s+for|barring|remov(?:e|es|ing)"
                       r"|(?:but|and)\s+leav(?:e|es|ing)\s+out"
                       r"|omit(?:s|ting)?|ignor(?:e|es|ing)|disregard(?:ing)?|setting\s+aside|leaving\s+aside"
                       r"|tak(?:e|es|ing)\s+out|strip(?:ping)?\s+out|not\s+incl\.?|net\s+of"
                       r"|outside(?:\s+of)?)\s+(?:(?:at|in|from|for|on|by)\s+)?(?:(?:the|our|any|all|of)\s+)*"
                       # "not counting eye tests": a plain word or two may qualify the name that is left out
                       r"(?:(?!(?:at|in|for|from|by|during|on|to|sold|sell|did|do|does|was|were|and|or|but|with|what"
                       r"|which|how|per|each|vs|versus|than|compared|last|this|over|since|between|revenue|sales|units"
                       r"|orders|stock)\b)[a-z][\w'-]*\s+){0,2}$", _I)
# "leave services out", "services aside", "frames excluded": the negation after the name (or the list of names)
_NEGATION_AFTER = re.compile(r"^\s*(?:aside|excluded|not\s+included|not\s+counted|left\s+out|taken\s+out|removed"
                             r"|out\s+of\s+(?:it|the\s+(?:picture|total|figures?|numbers?))"
                             r"|set\s+aside|put\s+aside|to\s+one\s+side|excepted)\b", _I)
_LEAVE_BEFORE = re.compile(r"\b(?:leav(?:e|es|ing)|tak(?:e|es|ing)|strip(?:ping)?|keep(?:s|ing)?|left|leave)\s+"
                           r"(?:(?:the|our|any|all)\s+)?$", _I)
# between two names of one list: "services and accessories", "eye tests and other services", ", or any"
_LIST_JOIN = re.compile(r"[\s,]*(?:(?:the|our)\s+)?|[\s,]*(?:and|or|&|nor|plus|as\s+well\s+as|,)\s*"
                        r"(?:(?:the|our|any|all|also|other|every|of|kind|kinds|sort|sorts|type|types)\s+){0,3}(?:(?!(?:at|in|for|from|by|during|on"
                        r"|to|sold|sell|did|was|were|with|vs|than|minus|except|excluding|without|but|not)\b)[a-z][\w'-]*"
                        r"\s+)?", _I)


def _exclusions(ex: Extraction, text: str, filters: Filters) -> tuple[Filters, Filters]:
    """Split off the values named right after "excluding / except / without / other than / not counting", or right
    before "aside / excluded / left out" (and every name of a list joined to them by "and / or / ,")."""
    out: dict[str, list[str]] = {}
    present = dict(filters.items())
    runs: list[list[tuple[str, str, int, int]]] = []  # names joined into one list, in order
    for kind, value, start, end in sorted(ex.hits, key=lambda h: h[2]):
        name = _KIND_TO_FILTER.get(kind)
        if name is None or value not in present.get(name, ()):  # only what applies to this measure's table
            continue
        if runs and _LIST_JOIN.fullmatch(text[runs[-1][-1][3]:start]):
            runs[-1].append((name, value, start, end))
        else:
            runs.append([(name, value, start, end)])
    for run in runs:
        before, after = text[:run[0][2]], text[run[-1][3]:]
        examples = _EXAMPLES_OF.search(before)  # "not counting eye exams and other services": the category's list
        before = before[:examples.start()] if examples is not None else before
        after = re.sub(r"^\s*(?:'s\s+)?(?:stores?|shops?|branch(?:es)?|locations?|outlets?|boutiques?|brand|range|line"
                       r"|category|products?)\b", " ", after, flags=_I)  # "the Moncton store aside"
        negated = _NEGATION.search(before) is not None or _NEGATION_AFTER.match(after) is not None or (
            _LEAVE_BEFORE.search(before) is not None and re.match(r"\s*out\b", after, _I) is not None)
        if not negated:
            continue
        for name, value, _, _ in run:
            if value not in out.setdefault(name, []):  # a state is found by both the sales and patient scans
                out[name].append(value)
    if not out:
        return filters, Filters()
    kept = {k: tuple(v for v in vals if v not in out.get(k, [])) for k, vals in filters.items()}
    return Filters(**{k: v for k, v in kept.items() if v}), Filters(**{k: tuple(v) for k, v in out.items()})


# "(the range, not the Bandung shop)", "(not the Temple store)", ", not Paulista": a plain "not" in brackets or after a
# comma sets a name aside; what it names is never a filter of the answer. Words before the "not" in the brackets
# ("the range, not ...") say what an ambiguous word of the question means instead.
_ASIDE_NOT = re.compile(r"\((?P<gloss>[^()]*?[\s,;-])?not\s+(?!only\b|just\b|counting\b|including\b|incl\b|even\b)"
                        r"(?P<neg>[^()]*)\)|[,;]\s*(?:and\s+|but\s+)?not\s+(?!only\b|just\b|counting\b|including\b"
                        r"|incl\b|even\b)(?P<tail>[^,;()?!.]*)", _I)


def _aside_negation(ex: Extraction, text: str, filters: Filters, catalog: Catalog) -> tuple[Filters, Filters]:
    """Read the names set aside by a plain "not" in brackets or after a comma: the filters without them, and what is
    left out of the answer.

    - A gloss ("Braga frames (the range, not the Bandung shop)", "(the Moscot one, not Mesa Basics)") or a name that
      shares a word with a name outside ("the Duomo store (not the Duomo Classic frame)") says which reading of a word
      is meant: the readings set aside are dropped (with a store that a place set aside holds), nothing is left out.
    - Otherwise a name beside another of its kind named outside ("Adelaide (not Mount Gambier)", "Round Rock (not
      the Temple store)") is left out by that one already, and a place that holds a store named outside contradicts
      nothing; anything else ("top 3 stores (not Jakarta)") is left out of the answer."""
    spans = [(m.start(g), m.end(g), re.search(r"[^\W\d_]", m.group("gloss") or "") is not None)
             for m in _ASIDE_NOT.finditer(text) for g in ("neg", "tail") if m.group(g) is not None]
    if not spans:
        return filters, Filters()
    present = dict(filters.items())
    inside: list[tuple[str, str, str, bool]] = []  # (filter, value, words, gloss)
    outside: dict[str, set[str]] = {}
    outside_words: set[str] = set()
    generic = {"the", "our", "shop", "shops", "store", "stores", "one", "frame", "frames", "brand", "range", "model"}
    for kind, value, start, end in ex.hits:
        name = _KIND_TO_FILTER.get(kind)
        if name is None or value not in present.get(name, ()):
            continue
        words = {w for w in re.findall(r"[^\W\d_]{3,}", text[start:end].lower()) if w not in generic}
        span = next((sp for sp in spans if sp[0] <= start and end <= sp[1]), None)
        if span is None:
            outside.setdefault(name, set()).add(value)
            outside_words |= words
        else:
            inside.append((name, value, " ".join(sorted(words)), span[2]))
    if not inside:
        return filters, Filters()
    drop: dict[str, set[str]] = {}
    out: dict[str, list[str]] = {}
    named_products = [p for p in catalog.products if any(n == "product" and v == p.sku for n, v, _, _ in inside)]
    for name, value, words, gloss in inside:
        held = {s.code for s in catalog.stores if name in ("city", "state") and getattr(s, name) == value}
        if gloss or set(words.split()) & outside_words:
            drop.setdefault(name, set()).add(value)
            drop.setdefault("store", set()).update(held & outside.get("store", set()))
            continue  # which reading of a word is meant
        if value in outside.get(name, ()):
            continue  # "Vrijthof (not the Maastricht outlet)" names one store twice: the store named stands
        drop.setdefault(name, set()).add(value)
        if held & outside.get("store", set()) or outside.get(name):
            continue
        if (name, value) in {(k, getattr(p, k)) for p in named_products for k in ("category", "brand")}:
            continue  # "not the Duomo Classic frame": the kind qualifies the product set aside
        if value not in out.setdefault(name, []):
            out[name].append(value)
    kept = {k: tuple(v for v in vals if v not in drop.get(k, set())) for k, vals in filters.items()}
    return Filters(**{k: v for k, v in kept.items() if v}), Filters(**{k: tuple(v) for k, v in out.items() if v})


# "share of / % of / how much of <whole> <measure>": what is named between the cue and the part's verb is the whole
_SHARE_OF = re.compile(r"\b(?:share|percent(?:age)?|proportion|portion|fraction|part|slice|chunk|cut)\s+of\b|%\s+of\b"
                       r"|\bhow\s+much\s+of\b", _I)
_PART_VERB = re.compile(r"\b(?:came|come|comes|coming|was|were|is|are|went|go|goes|did|does|do|from|by|made|make"
                        r"|makes|accounted|account|accounts|attributable|belong(?:s|ed)?|took|take|takes|had|have"
                        r"|has|represent(?:s|ed)?|contributed|contribute|generated|brought)\b", _I)
_WITHIN = re.compile(r"\b(?:within|among(?:st)?|out\s+of|of\s+all)\s+(?:(?:the|our|all|total)\s+)*$", _I)
_LEAD_WHOLE = re.compile(r"^\W*(?:of|out\s+of|among(?:st)?|across)\s+(?:all\s+)?(?:the\s+|our\s+)?[^,;:?]*[,;:]", _I)


def _share_whole(ex: Extraction, named: list[str]) -> set[str] | None:
    """The filters that define the whole of a share without a breakdown, by where they are named: from the share cue
    to the verb that introduces the part ("share of *sunglasses* revenue came from", "how much of the *frames*
    revenue in *Maine* came from"), after "within / among / out of" ("Oakley's share of revenue within
    *sunglasses*"), or in a leading "of all ...," clause ("of all *sunglasses* sold at *Kittery*, what share were
    Costa"). Everything else is the part ("*Oakley's* share of ...", "... came from *Kittery*"). None when the words
    do not split the filters into a part and a whole (the caller's older rules decide), or when one kind of filter is
    named on both sides."""
    text = ex.masked.lower()
    if len(named) < 2:
        return None
    zones: list[tuple[int, int]] = []
    lead = _LEAD_WHOLE.match(text)
    if lead is not None:
        zones.append((0, lead.end()))
    cue = _SHARE_OF.search(text, lead.end() if lead else 0)
    if cue is not None:
        rule = _measure_rule(text)
        measure = _MEASURE_RULES[rule][1].search(text, cue.end()) if rule >= 0 else None
        start_verb = measure.end() if measure is not None else cue.end()
        verb = _PART_VERB.search(text, start_verb)
        zones.append((cue.end(), verb.start() if verb is not None else len(text)))
    if not zones:
        return None
    whole: dict[str, set[str]] = {}
    part: dict[str, set[str]] = {}
    for kind, value, start, _ in ex.hits:
        name = _KIND_TO_FILTER.get(kind)
        if name == "lens_type" and name not in named and "keyword" in named:
            name = "keyword"  # "what share is progressives": a lens type asked about sales is a product-name word
        if name not in named:
            continue
        inside = any(a <= start < b for a, b in zones) or _WITHIN.search(text[:start]) is not None
        (whole if inside else part).setdefault(name, set()).add(value)
    # "Oakley sunglasses' share of sunglasses revenue": the part is inside the whole, so a value named on both sides
    # is the whole's (the part keeps it too)
    part = {k: v for k, v in part.items() if not (k in whole and v == whole[k])}
    if not whole or not part or set(whole) & set(part) or set(named) != set(whole) | set(part):
        return None
    return set(whole)


# the verb after the measure that introduces the part of each group's whole ("... revenue came from sunglasses",
# "% of revenue in each store was frames"); "by" is left out: "share of revenue by province for sunglasses" keeps the
# filter on the whole
_GROUP_PART_VERB = re.compile(r"\b(?:came|come|comes|coming|was|were|is|are|from|went|made|accounted|represent(?:s|ed)?"
                              r"|contributed|generated|brought)\b", _I)


# between the part and the measure: "sunglasses *in* revenue", "frames *in its* revenue", "*in each store's* revenue"
_PART_IN_MEASURE = re.compile(r"\W*(?:in|within|of)\s+(?:(?:the|our|all|total|its|their|each|every)\s+)*"
                              r"(?:[^\W\d_]+(?:'s|s'|')\s+)?", _I)


def _share_part_in_groups(ex: Extraction, named: list[str], dims: list[str]) -> set[str] | None:
    """With a breakdown, the filters that are the part of each group's whole, by where they are named: before the
    share cue ("*sunglasses'* share of revenue by province"), between the cue and the measure and joined to it by
    "in / within / of" ("share of *sunglasses* in revenue per province"), or after a verb that follows the measure
    ("what share of each province's revenue came from *sunglasses*"). None when no filter is named so (each group's
    share of the filtered total: "each province's share of sunglasses revenue"), or when a part is of a kind broken
    down by as well."""
    text = ex.masked.lower()
    cue = _SHARE_OF.search(text)
    rule = _measure_rule(text)
    if cue is None or rule < 0:
        return None
    measure = _MEASURE_RULES[rule][1].search(text, cue.end())
    if measure is None:
        return None
    verb = _GROUP_PART_VERB.search(text, measure.end())
    part: set[str] = set()
    for kind, _, start, end in ex.hits:
        name = _KIND_TO_FILTER.get(kind)
        if name not in named:
            continue
        if start < cue.start() or (verb is not None and start >= verb.end()) or (
                end <= measure.start() and _PART_IN_MEASURE.fullmatch(text[end:measure.start()])):
            part.add(name)
    if not part or part & set(dims) or (part & {"city", "state", "store"} and set(dims) & {"city", "state", "store"}):
        return None
    return part


# "what % came from the Quebec stores, as opposed to Ontario and New Brunswick": the places named after the cue are
# the others the part is set against, so the whole is the part and those others
_SHARE_CONTRAST = re.compile(r"\b(?:as\s+opposed\s+to|rather\s+than|compared\s+(?:to|with)|versus|vs\.?|against"
                             r"|relative\s+to)(?!\w)", _I)


def _share_contrast(ex: Extraction, filters: Filters) -> Filters | None:
    """The part of a share whose whole is the part and the others it is set against ("Quebec, as opposed to Ontario
    and New Brunswick"): the values of one filter kind named before the contrast cue, when values of that same kind,
    and only those, follow it. The whole keeps all of them (the part's share of their sum). None otherwise."""
    text = ex.masked.lower()
    cue = _SHARE_CONTRAST.search(text)
    if cue is None:
        return None
    before: dict[str, set[str]] = {}
    after: dict[str, set[str]] = {}
    for kind, value, start, _ in ex.hits:
        name = _KIND_TO_FILTER.get(kind)
        if name is None or name not in dict(filters.items()):
            continue
        (after if start >= cue.end() else before).setdefault(name, set()).add(value)
    if len(after) != 1:
        return None
    (kind, others), = after.items()
    mine = before.get(kind, set())
    if not mine or mine & others or mine | others != set(getattr(filters, kind)):
        return None
    return Filters(**{kind: tuple(v for v in getattr(filters, kind) if v in mine)})


def _same_kind_on_both_sides(ex: Extraction, filters: Filters) -> bool:
    """"Kittery as a percentage of Dover": two values of one kind, one on each side of the share cue."""
    text = ex.masked.lower()
    cue = _SHARE_OF.search(text)
    if cue is None:
        return False
    for name, values in filters.items():
        if len(values) < 2:
            continue
        sides = {_KIND_TO_FILTER.get(kind) == name and start >= cue.end() for kind, _, start, _ in ex.hits
                 if _KIND_TO_FILTER.get(kind) == name}
        if sides == {True, False}:
            return True
    return False


def _kind_group(name: str) -> tuple[str, ...]:
    # what a follow-up's new value replaces: a product kind the product kinds, a place the places; a patient's age
    # band and lens type are two things ("and how many wear single vision?" after "patients in their 40s" keeps the
    # 40s)
    for group in (_PRODUCT_KINDS, _LOCATION_KINDS):
        if name in group:
            return group
    return (name,)


def _first_mention(ex: Extraction, names: tuple[str, ...]) -> int:
    """Where the first of the filters `names` is named (-1: not named); a lens type asked about sales counts as the
    product-name word it becomes ("keyword")."""
    positions = [s for kind, _, s, _ in ex.hits if _KIND_TO_FILTER.get(kind) in names
                 or (kind == "lens_type" and "keyword" in names and "lens_type" not in names)]
    return min(positions) if positions else -1


# ---- questions that are not about the data ----------------------------------------------------------------------
# "how many" / "number of" counts something: units only when what it counts is a thing that is sold (units, pairs,
# items, products, a category or catalog name), or nothing at all with a sales verb ("how many did we sell"). A
# length of time ("how many days / hours"), a number of occasions ("how many times"), a rule ("how many pairs can a
# patient claim") or a thing the data does not hold ("how many walk-ins") is not a sales count: refused, never
# answered with units. The same for "how much <thing>" (money, discounts, stock: yes; time, profit: no).

_COUNT_ASK = re.compile(r"\b(?:how\s+many|number\s+of|count\s+of)\b", _I)
_AMOUNT_ASK = re.compile(r"\bhow\s+much\b", _I)
_TOKEN = re.compile(r"[a-z][a-z'-]*|\d+|[?.!;:,]", _I)
_NP_SKIP = frozenset("""different distinct unique individual separate total more fewer less of the our your their
those these all actual new extra additional physical whole full single any a an in overall combined""".split())
_SOLD_NOUNS = frozenset("""unit units pair pairs piece pieces pcs item items product products sku skus style styles
model models article articles glasses eyeglasses spectacles specs sale sales box boxes""".split())
# measure nouns the data has, or that a rule below refuses on its own ("how many customers": not in the data)
_COUNTED_NOUNS = frozenset("""order orders transaction transactions receipt receipts ticket tickets basket baskets
checkout checkouts purchase purchases invoice invoices line lines store stores location locations branch branches
shop shops outlet outlets boutique boutiques showroom showrooms brand brands label labels category categories city
cities town towns
state states discount discounts patient patients people wearers customer customers client clients employees staff
visits appointments suppliers vendors returns complaints regions province provinces territory territories
county counties canton cantons emirate emirates prefecture prefectures oblast oblasts""".split())
_TIME_NOUNS = frozenset("""second seconds minute minutes min mins hour hours hr hrs day days night nights week weeks
fortnight fortnights month months year years decade decades time times occasion occasions weekday weekdays
weekend weekends""".split())
_NP_END = frozenset("""did do does doing done were was are is be been have has had we you they i it he she there
got get gets getting go went can could may might should must will would shall sold sell sells selling moved shifted
on at for from during over per by with this that last since before after to across between left
""".split()) | frozenset("?.!;:,")
_MODALS = frozenset("can could may might should must shall will would allowed permitted entitled eligible supposed"
                    .split())
_SALES_VERB = re.compile(r"\b(?:sold|sells?|selling|mov(?:e|es|ed|ing)|shift(?:s|ed|ing)?|bought|purchased|dispensed"
                         r"|(?:we|they|you|it|the\s+shops?|the\s+stores?)\s+(?:take|took|taken)(?!\s+(?:long|to|place"
                         r"|off|back|out|part|away|in))"
                         r"|rang\s+up|ring\s+up|out\s+(?:of\s+)?the\s+door"
                         r"|went\s+out|go\s+out|ship(?:ped)?)\b", _I)
# what a question may ask about that the data does not hold (no cost, no time spent, no policies)
_NOT_IN_DATA = re.compile(
    r"\b(?:profits?|profitab\w*|margins?|mark-?ups?|costs\b|costing|cost(?!\s+(?:us|the\s+(?:company|business)))"
    r"|cogs|expenses?|wages?|salar(?:y|ies)|payroll|rent|overheads?|commissions?|foot[\s-]*(?:fall|traffic)"
    r"|walk[\s-]*ins?|conversion\s+rate|refunds?|refunded|returns|returned|remakes?|remade|redo(?:s|ne)?"
    r"|warrant(?:y|ies)|guarantees?|insurance|vision\s+plan|free(?:\s+of\s+charge)?|(?:is|are)\s+included"
    r"|comes?\s+with"
    r"|reimburse\w*|policy|policies|opening\s+hours|wait(?:ing)?\s+times?|turnaround|lead\s+times?"
    r"|staff|employees?|online|on\s*line|web\s*(?:site|shop|store)|e-?(?:shop|store)s?|internet|e-?commerce|(?:sales\s+)?channels?"
    r"|\d{1,2}(?::\d\d)?\s*(?:am|pm)|o'clock|(?:in\s+the\s+)?(?:mornings?|afternoons?|evenings?)|lunch\s*time"
    r"|opening\s+time|closing\s+time|time\s+of\s+day|leads?\s+to|led\s+to|result(?:s|ed)?\s+in|conver(?:t|ts|ted|sions?)"
    r"|turn(?:s|ed)?\s+into)\b", _I)
# who is entitled to a discount ("do doctors get a discount?", "can pensioners receive a discount"): a rule of the
# company's, never the discounts given (the data records no buyer's group)
_ELIGIBILITY = re.compile(r"\b(?:do|does|can|will|would|could)\s+"
                          r"(?!we\b|you\b|they\b|it\b|our\b|the\s+(?:store|shop)s?\b)(?:[a-z'’-]+\s+){1,3}?(?:get|gets|receive|receives|qualify\s+for|qualifies\s+for"
                          r"|(?:be|are|is)\s+entitled\s+to)\s+(?:a\s+|any\s+|an?\s+extra\s+|some\s+)?discounts?\b", _I)
# the price stock is valued at: the catalog holds one list (retail) price per product and no cost price
_PRICE_KIND = r"(?:retail|list|selling|sell|sale|shelf|sticker|ticket|catalog(?:ue)?|rrp|recommended\s+retail|current)"
_RETAIL_BASIS = re.compile(rf"\b(?:at|using|by|with|on|in|based\s+on|valued\s+at)\s+"
                           # "at shelf prices", never "the goods on the shelf" (where the stock is)
                           rf"(?:(?:the|our|its|their|current|full|normal|regular)\s+)*{_PRICE_KIND}(?:[\s-]+(?:prices?"
                           rf"|values?|pricing)|(?<!shelf))\b"
                           rf"|\b{_PRICE_KIND}[\s-]+(?:price\s+)?(?=(?:value|worth)\b)"
                           rf"|\bat\s+(?:full\s+)?(?:list|retail)\b", _I)
_COST_BASIS = re.compile(r"\b(?:at|by|on|using|based\s+on|valued\s+at)\s+(?:(?:the|our|its|their)\s+)?(?:cost|costs"
                         r"|purchase\s+prices?|wholesale|landed\s+cost|supplier\s+prices?)\b|\bcost\s+(?:prices?|basis"
                         r"|value)\b|\b(?:book|wholesale|purchase)\s+value\b|\bwhat\s+(?:we|it)\s+(?:paid|cost)\b"
                         r"|\bcost\s+(?:vs\.?|versus|and|or)\s+(?:retail|list)\b|\bcost\b", _I)
# a list price is in the catalog but is not a total: "the cheapest frame", "the price of X", "what do we charge"
_REORDER_LOOKUP = re.compile(r"\bre-?order\s+(?:point|level)s?\s+(?:for|of|on)\b|\bwhat(?:'s|\s+is|\s+are)\s+"
                            r"(?:the\s+|our\s+)?re-?order\s+(?:point|level)", _I)
# "items at or below (the) reorder point for each store": stock compared with the reorder point, no lookup of it
_AGAINST_REORDER = re.compile(r"\b(?:at|below|under|beneath|above|over|less\s+than|more\s+than|fewer\s+than"
                              r"|equal\s+to|reached|hit)(?:\s+or\s+(?:below|under|above|over))?\s+(?:the\s+|their\s+"
                              r"|its\s+)?$", _I)
_PRICE_LOOKUP = re.compile(r"\b(?:cheapest|priciest|(?:most|least|more|less)\s+expensive|expensive"
                           r"|price\s+(?:of|for|on)|price\s+list|list\s+price|charge|charging|charged)\b", _I)
_PER_OK = frozenset("""cent order orders unit units item items pair pairs piece pieces transaction transactions basket
baskets receipt receipts sale sale ticket tickets customer customers lens frame sunglass glasses spectacles product
article box""".split())  # the last line: "per lens", "per frame" = per unit of that kind
# after "by": a dimension, a measure ("sorted by revenue") or a function word; anything else ("by gender", "by
# supplier") is a breakdown the data does not have, refused rather than silently dropped
_BY_OK = frozenset("""far way how much value volume amount money percent percentage share change growth margin
size spend takings turnover gross net quantity count number""".split())
_HOW_DURATION = re.compile(r"\bhow\s+(?:long|often|soon|far|frequently)\b", _I)
_AMOUNT_OK = frozenset("""money revenue revenues cash income sales turnover takings discount discounts gross net
stock inventory dollars value worth more less in did have has had we they you our the in of was were""".split())
_MEASURE_WORD = re.compile(r"\b(?:revenue|sales|takings|turnover|income|money|cash|dollars|discounts?|stock"
                           r"|inventory|worth|value|units?|orders?)\b", _I)


# Words of a question that carry no condition: politeness, the request itself, the answer's form.
_CHATTER = frozenset("""question questions file files report figure figures number numbers data info information summary
overview
update idea ballpark estimate board pack deck meeting boss manager team everyone lot bit stuff help favour favor
moment chance look glance snapshot picture rundown recap answer request good great nice quick rough approximate
exact precise latest full complete detailed brief short simple main key important interested curious able possible
sure okay fine right correct real actual official final current recent usual normal general entire whole particular
specific certain own various thanks thank cheers hi hello hey way time table chart list view result results figure
amount level levels terms basis total totals common frequent typical popular door headcount base books records till
system network
tills register registers finance review process processed processing handle handled director directors owner
owners accountant accountants investor investors auditor auditors colleague colleagues ops side rep reps sorted
descending ascending pile piles heap heaps bring brings brought""".split())
_ASKER = re.compile(r"\b(?P<w>[a-z]+(?:\s+[a-z]+)?)\s+(?=(?:manager|managers|boss|director|directors|team|owner|owners"
                    r"|accountant|auditor|investors?|colleagues?)\b)", _I)
# "for the budget meeting tomorrow", "for Monday's board pack": what the numbers are for is no condition on them
_OCCASIONS = r"(?:meeting|review|report|pack|deck|presentation|call|update|session|catch[\s-]?up|huddle|briefing)"
_FOR_OCCASION = re.compile(rf"\b(?:for|before|ahead\s+of)\s+(?:the|our|my|a|an|this|tomorrow'?s|today'?s|\w+day'?s)\s+"
                           rf"(?P<w>(?:[a-z]+\s+){{0,2}}){_OCCASIONS}(?P<t>\s+(?:tomorrow|today|tonight|later|on\s+\w+day))?",
                           _I)
_CHATTER_NOUNS = ("team", "boss", "manager", "everyone", "meeting", "board", "deck")
_CHATTER_MODIFIER = re.compile(rf"\b({'|'.join(_CHATTER_NOUNS)})\s+(?=(?:discounts?|prices?|rates?|revenue|sales|"
                               r"orders?|units?|stock|inventory|takings|income)\b)", _I)
# "How did Braga do?", "how is Kolonaki doing", "how's the Faro shop going": how something went, no number named
_HOW_IT_WENT = re.compile(r"\bhow(?:'s|\s+is|\s+are|\s+was|\s+were|\s+did|\s+does|\s+do|\s+has|\s+have)\s+"
                          r"(?:\S+\s+){0,5}?(?:do|doing|done|go|going|gone|perform\w*|fare\w*|track\w*)\s*[?.!]*$", _I)
# What only the patient records hold, said of customers or clients: age bands, lens types, being on file
_PATIENT_ONLY = re.compile(r"\b(?:customers?|clients?)\b[^?]*\b(?:age[\s-]+(?:bands?|groups?|brackets?)|lens\s+types?"
                           r"|on\s+(?:file|record|(?:our|the)\s+(?:books|system|database))|registered)\b"
                           r"|\b(?:age[\s-]+(?:bands?|groups?|brackets?)|lens\s+types?)\s+(?:of|among)\s+(?:our\s+|the\s+)?"
                           r"(?:customers|clients)\b", _I)
# The data has no customers: "repeat customers" is a condition it cannot apply ("per customer" is a denominator)
_NOT_PLACEABLE = frozenset({"customer", "customers", "client", "clients", "buyer", "buyers", "shopper", "shoppers"})
_vocabulary: frozenset[str] | None = None
_optional_forms: set[str] = set()  # filled with the vocabulary
_BUYER_SUBJECT = re.compile(r"(?:^|\b(?:do|did|does|our|the|a|an|each|every|average|typical|what|people|that|when)\s+)"
                            r"(?P<w>customers?|clients?|shoppers?|buyers?|people)\s+(?:(?:typically|usually|normally"
                            r"|actually|generally)\s+)?(?:spend|spent|spends|pay|paid|pays|buy|bought|buys|purchased?"
                            r"|purchases)\b", _I)


def _parser_vocabulary() -> frozenset[str]:
    """Every word the parser understands: its rules' words (read from the compiled patterns and word lists of this
    module), the domain and function words, month names, category and lens-type words, and the chatter list."""
    global _vocabulary
    if _vocabulary is None:
        words: set[str] = set(COMMON_WORDS) | set(DOMAIN_WORDS) | set(MONTHS) | set(MONTH_ABBR) | set(_CHATTER) | set(
            REGION_NOUNS)
        for phrases in (*CATEGORY_WORDS.values(), *LENS_TYPE_WORDS.values()):
            words |= {w for phrase in phrases for w in re.findall(r"[a-z]+", phrase)}
        patterns: list[str] = []
        for value in globals().values():
            if value in (_FOR_OCCASION, _FUTURE, _AGO_LEFT, _PART_OF_PERIOD, _ORDER_KIND, _CONDITION_WORDS,
                         _EVENT_VERBS, _VENUE_AFTER, _LABEL_AFTER, _DATE_GLOSS, _THE_STORE, _ASIDE_NOT,
                         _COMPARED_BY, _SOLD_MORE, _ELLIPTIC_ORDINAL, _EVENT_NAME, _EVENT_CUE, _PLACE_BEFORE,
                         _DURING_BEFORE, _OCCASION_AFTER, _COUNTED_SET, _SHARE_CONTRAST, _HOW_MANY_NOUN,
                         _CHAIN_WORD_RX, _REMARK, _REMARK_KEEP, _EVENT_DATED, _STORE_EDGE,
                         _CIRCUMSTANCE, _OF_THEM, _EDGE_UNIT_OF,
                         _EDGE_UNIT_POSS, _PATIENT_ONLY, _HOW_IT_WENT, _NUMERIC_DAY_SPAN, _NUMERIC_SPAN,
                         _DOTTED_SPAN, _BEFORE_CLOSING, _DANGLING, _FORECAST, _SINCE_OPENING_DATED,
                         _VERSUS_BEFORE, _DAY_ABBR_RUN, _CATEGORY_RESTATED, _INCLUDED_ASIDE, _COMPARE_MEMBERS,
                         _BAND_WIDTH, _WISE, _CROSS_RX, _DIM_OF_RX,
                         _TOTAL_COMPARED, _PLACE_LIST_JOIN, _GLOSSED_AREA, _LAKH,
                         _COUNTED_BEFORE, _ELIGIBILITY):
                continue  # their words are known only in their place ("the meeting *tomorrow*"), not anywhere
            items = value if isinstance(value, (tuple, list)) else (value,)
            for item in items:
                for part in item if isinstance(item, tuple) else (item,):
                    if isinstance(part, re.Pattern):
                        patterns.append(part.pattern)
                    elif isinstance(part, frozenset):
                        words |= {w for w in part if isinstance(w, str)}
        for pattern in patterns:
            words |= set(re.findall(r"[a-z]{3,}", re.sub(r"\\[a-zA-Z]", " ", pattern)))
            # "dollars?": the rule knows "dollar" too (an optional last letter; the word itself, never its stems)
            _optional_forms.update(re.findall(r"(?<![a-z])([a-z]{3,})[a-z]\?", re.sub(r"\\[a-zA-Z]", " ", pattern)))
        _vocabulary = frozenset(words - _NOT_PLACEABLE)
    return _vocabulary


_EXAMPLES_OF = re.compile(r"\b(?P<w>(?:(?!(?:not|counting|including|excluding|except|without|than|from|in|of|for|at|on"
                          r"|by|and|or|the|our|any|all|to|aside|apart|besides|ignoring|leaving|omitting|excl)\b)"
                          r"[\w'-]+[\s,]+){1,3})(?:and|or|&|plus)\s+(?:any\s+|all\s+)?(?:the\s+)?other\s+"
                          r"(?:(?:kinds?|types?|sorts?)\s+of\s+)?$", _I)


_VENUE_AFTER = re.compile(r"\s+(?P<w>plaza|mall|centre|center|square|arcade|galleria|station"
                          r"|shopping\s+(?:cent(?:re|er)|mall))\b", _I)
_LABEL_AFTER = re.compile(r"\s+(?P<w>label|line|house\s+brand)\b", _I)


def _unplaced(ex: Extraction, text: str, catalog: Catalog) -> list[str]:
    """Nouns and adjectives of `text` that are neither a catalog name, a period nor a word the parser knows."""
    vocab = _parser_vocabulary()
    # whole words of the names, as written and without accents ("ópticas" and "opticas" of "Ópticas Azahar")
    # (of a store's name only the words several stores share: a store's own word that named no store, "Rive" of
    # "Optique Rive" when "rive" is an English word, is a condition that would be dropped)
    shared = catalog.shared_store_words
    names = {f for n in (*catalog.brands, *catalog.cities, *(p.name for p in catalog.products),
                         *(w for st in catalog.stores for w in st.name.lower().split() if w in shared))
             for w in re.findall(r"[^\W\d_]+", n.lower()) for f in (w, fold(w))}
    # a word of a multi-word brand named alone ("units of *basics*" for "Peak Basics") matches no name: it is a
    # condition that would be dropped, so it is not known here (unless the rules know it)
    # the same for a word of a multi-word city ("Rio revenue" for Rio de Janeiro): not a name of its own
    fragments = {f for b in (*catalog.brands, *catalog.cities) if len(b.split()) > 1
                 for w in re.findall(r"[^\W\d_]+", b.lower()) if len(w) >= 3 for f in (w, fold(w))}
    names -= fragments - vocab
    names |= {f for w in (*catalog.tenant_words, *catalog.chain_prefix) for f in (w, fold(w))}

    def known(word: str) -> bool:
        if fold(word) != word:  # "département": the word without its accents
            return known(fold(word))
        if word in names or word in vocab or (word in _optional_forms and word not in _NOT_PLACEABLE):
            return True
        if word.endswith("s") and (word[:-1] in vocab or word[:-1] in names):
            return True
        # "-es" is a plural only after s, x, z, ch, sh ("taxes"): "soldes" is no form of "sold"
        cut = word[:-2] if word.endswith("ed") or word.endswith("es") and word[:-2].endswith(
            ("s", "x", "z", "ch", "sh")) else ""
        if any(form in vocab for form in (word + "d", word + "ed", word + "s", cut, word[:-3] + "e")
               if len(form) >= 4) and word.endswith(("e", "ed", "ing", "es")) or word + "d" in vocab:
            return True  # "dispense" / "dispensing" when the rules know "dispensed"
        return any(word[:k] in vocab for k in range(5, len(word)))  # stems of the rules ("perform", "contribut")

    placed = [(s, e) for _, _, s, e in ex.hits] + [p.span for p in ex.periods]
    if ex.top_span is not None:
        placed.append(ex.top_span)
    placed += [m.span() for m in re.finditer(r"\bper\s+\w+", text, _I)]  # "per customer": a denominator
    # "what do customers spend per order", "what the typical customer paid": the buyer of every sale, not a kind of
    # customer (a word before it, "repeat customers", "new clients", stays unplaced)
    placed += [m.span("w") for m in _BUYER_SUBJECT.finditer(text)]
    # "the regional manager is asking": the words that qualify who asks are no condition on the data
    placed += [m.span("w") for m in _ASKER.finditer(text)]
    placed += [m.span(g) for m in _FOR_OCCASION.finditer(text) for g in ("w", "t") if m.group(g)]
    # "eye exams and other services": examples of the category named after "and other" (the category covers them)
    for kind, _, start, _ in ex.hits:
        example = _EXAMPLES_OF.search(text[:start]) if kind == "category" else None
        if example is not None:
            placed.append(example.span("w"))
    for kind, _, start, end in ex.hits:
        if kind == "store":  # "at Tunjungan Plaza": the mall or station a store is named after, the same store
            venue = _VENUE_AFTER.match(text, end)
            placed += [venue.span("w")] if venue else []
        if kind == "brand":  # "under our own Melati label", "the Melati label": the brand itself
            label = _LABEL_AFTER.match(text, end)
            placed += [label.span("w")] if label else []
            own = re.search(r"\b(?:our\s+)?own\s+$", text[:start], _I)
            placed += [own.span()] if own and label else []
    # a chatter noun right before a measure is a condition the data cannot apply ("the team discount")
    modifiers = [m.group(1) for m in _CHATTER_MODIFIER.finditer(text)]
    english = english_words()

    def is_english(word: str) -> bool:  # British spellings too: "organised", "colouring"
        return any(f in english for f in (word, fold(word), re.sub(r"is(?=e|ing|ation)", "iz", word),
                                          word.replace("our", "or")))

    return modifiers + [w for w in unplaced_words(text, placed, known, is_english) if w not in modifiers]


_HOW_MANY_NOUN = re.compile(r"\b(?:how\s+many|number\s+of|count\s+of)\s+(?P<w>[a-z]{4,})\b", _I)


def _counted_noun_typo(text: str) -> str:
    """"how many unites": the noun after "how many / number of" that no rule knows, one letter off exactly one noun
    the data counts ("units", "orders", "receipts"), is that noun; an English word elsewhere is left as typed."""
    def fix(m: re.Match[str]) -> str:
        word = m.group("w").lower()
        if word in _parser_vocabulary():
            return m.group(0)
        near = {n for n in _SOLD_NOUNS | _COUNTED_NOUNS if n[0] == word[0] and edit_distance(word, n) == 1}
        if len(near) != 1:
            return m.group(0)
        return m.group(0)[:m.start("w") - m.start()] + near.pop()
    return _HOW_MANY_NOUN.sub(fix, text)


def _tokens(ex: Extraction) -> list[tuple[str, int]]:
    """The question's words with each catalog name as one "<name>" token and each period left out."""
    text = ex.masked
    names = sorted((s, e) for kind, _, s, e in ex.hits)
    out: list[tuple[str, int]] = []
    for m in _TOKEN.finditer(text):
        out.append((m.group(0).lower(), m.start()))
    for s, _ in names:
        out.append(("<name>", s))
    out.sort(key=lambda t: t[1])
    return out


def _not_a_data_question(ex: Extraction, lower: str) -> tuple[str, str] | None:
    """(kind, words) when the question asks for something the data cannot count or total; None otherwise.

    kind: "time" (a length of time or a number of occasions), "rule" (what may / can / should happen), "unknown"
    (a count of something that is neither sold nor a measure), "bare" (a count with nothing named and no sales verb:
    only a units question when some other measure rule applies), "topic" (profit, costs, policies...), "amount"
    (how much of something that is not money, discounts or stock; the price or length of something).
    """
    topic = _NOT_IN_DATA.search(lower)
    if topic:
        return "topic", topic.group(0)
    if _ELIGIBILITY.search(lower):
        return "topic", "who is entitled to a discount"
    duration = _HOW_DURATION.search(lower)
    if duration:
        return "time", duration.group(0)
    listing = re.match(r"\W*(?:please\s+|can\s+you\s+|could\s+you\s+)?(?:list|name|enumerate|show\s+(?:me\s+)?(?:a\s+"
                       r"list\s+of|all))\b", lower)
    if listing and not 0 <= _measure_rule(lower) < len(_MEASURE_RULES) - 2:  # "list revenue by store" is a table
        return "list", listing.group(0).strip()
    lookup = _REORDER_LOOKUP.search(lower)
    if lookup and not _AGAINST_REORDER.search(lower[:lookup.start()]):
        return "price", lookup.group(0)
    price = _PRICE_LOOKUP.search(lower)
    if price and price.group(0) == "price list" and re.search(r"\bhow\s+many\s+(?:different\s+)?(?:products|items|skus"
                                                              r"|articles|models|brands)\b", lower):
        price = None  # "how many products are on our price list": a count of the catalog, not a price
    if price and not 0 <= _measure_rule(lower) < len(_MEASURE_RULES) - 3:  # no measure named but by a generic word
        return "price", price.group(0)
    for by in re.finditer(r"(?<!\bside\s)\bby\s+(?:the\s+|each\s+|our\s+|every\s+|individual\s+|single\s+)?"
                          r"(?P<w>[^\W\d_][\w'-]*)(?P<rest>(?:\s+[^\W\d_][\w'-]*){0,2})", lower):
        word = by.group("w")
        if word in COMMON_WORDS or word in _BY_OK or _dim_at_start(word + by.group("rest")) is not None or \
                0 <= _measure_rule(word) < len(_MEASURE_RULES) - 2 or word in _COUNTED_NOUNS:
            continue
        return "by", f"by {word}"
    # names blanked: "per Hoya lens" is per lens, i.e. per unit sold
    for per in re.finditer(r"(?<!\bas\s)\bper\s+(?P<w>[^\W\d_]+)(?P<rest>(?:\s+[^\W\d_]+){0,2})",
                           ex.masked.lower()):
        word = per.group("w")
        if word not in _PER_OK and _dim_at_start(word + per.group("rest")) is None:
            return "per", " ".join(per.group(0).split())
    tokens = _tokens(ex)
    for ask in _COUNT_ASK.finditer(ex.masked):
        rest = [t for t, pos in tokens if pos >= ask.end()]
        head: list[str] = []
        named = False
        for word in rest:
            if word in _NP_END:
                break
            if word in _NP_SKIP:
                continue
            if word == "<name>" or word in _SOLD_NOUNS:
                named = True
                break
            if word in _COUNTED_NOUNS:
                named = True
                if _measure_rule(lower) >= len(_MEASURE_RULES) - 2:  # "how many stores sell Tom Ford": not units
                    return "counted", f"{ask.group(0)} {word}"
                break
            if word in _TIME_NOUNS:
                return "time", f"{ask.group(0)} {word}"
            head.append(word)
            if len(head) >= 3:
                break
        tail = rest[len(head):]
        if any(w in _MODALS for w in tail):
            return "rule", ask.group(0) + (" " + " ".join(head) if head else "")
        if named or (head and 0 <= _measure_rule(" ".join(head)) < len(_MEASURE_RULES) - 2):
            continue  # a catalog name, a sold thing, or a measure of its own ("number of stock-outs")
        if not head and all(w in "?.!;:," for w in rest) and any(
                kind in ("sku", "brand", "category", "keyword") and s < ask.start() for kind, _, s, _ in ex.hits):
            continue  # "contact lens fittings last quarter - how many?": the product named before is what is counted
        if head:
            return "unknown", " ".join(head)
        if not _SALES_VERB.search(lower):
            return "bare", ask.group(0)
    for ask in _AMOUNT_ASK.finditer(ex.masked):
        rest = [t for t, pos in tokens if pos >= ask.end()]
        word = rest[0] if rest else ""
        if not word or word in "?.!":
            if not _MEASURE_WORD.search(lower) and not _SALES_VERB.search(lower):
                return "amount", ask.group(0)
            continue
        if word in ("is", "are", "does", "do", "will", "would", "should", "can", "could", "would"):
            if not _MEASURE_WORD.search(lower) and not _SALES_VERB.search(lower):
                return "amount", f"{ask.group(0)} {word}"  # "how much is an eye exam": a price, not a total
        elif word and word != "<name>" and word not in _AMOUNT_OK and word not in _NP_END \
                and not word.isdigit():
            return "amount", f"{ask.group(0)} {word}"
    return None


def _counts_sold_things(ex: Extraction) -> bool:
    """Does a "how many" count a sold thing ("how many frames does a patient get")?"""
    tokens = _tokens(ex)
    for ask in _COUNT_ASK.finditer(ex.masked):
        for word in (t for t, pos in tokens if pos >= ask.end()):
            if word in _NP_END:
                break
            if word in _NP_SKIP:
                continue
            if word in _SOLD_NOUNS or (word == "<name>" and any(
                    kind in ("sku", "brand", "category", "keyword") and s >= ask.end() and not _lens_type_at(ex, s, e)
                    for kind, _, s, e in ex.hits)):
                return True
            break
    return False


def _lens_type_at(ex: Extraction, start: int, end: int) -> bool:
    """Is a patient lens type named at the same place ("contact lenses": a category and a lens type)?"""
    return any(kind == "lens_type" and s < end and start < e for kind, _, s, e in ex.hits)


def _not_data_reason(kind: str, words: str) -> str:
    if kind == "topic":
        return (f'Your data does not record "{words.lower()}" (it holds sales: quantities, prices and discounts; '
                "stock; and patients), so I cannot answer that from it. If it is about a policy or procedure, your "
                "documents may answer it.")
    if kind == "time":
        return (f'"{words}" asks for a length of time or a number of occasions, which is not in your sales, stock '
                "or patient data; a question about your policies or procedures is one for your documents.")
    if kind == "rule":
        return (f'"{words} ... can / should ..." asks about a rule or a possibility, not about what was sold; your '
                "documents may answer it, your sales data cannot.")
    if kind == "amount":
        return f'I could not tell which total "{words}" asks for (revenue, discounts, stock...), so I did not guess.'
    if kind == "list":
        return ("I answer with numbers (totals, breakdowns, rankings), not lists of the catalog; ask for example "
                "\"how many products do we carry\" or \"units by product in 2025\".")
    if kind == "unplaced":
        return (f"I do not know what {words} {'mean' if ' and ' in words else 'means'} in your data: not a store, "
                "product, brand, category, period or anything else I can filter on, and answering without it would "
                "answer a wider question.")
    if kind == "price":
        return (f'"{words}" asks for a catalog value (a price or a reorder point) of one item; I answer totals of '
                "what was sold or is in stock (revenue, units, average selling price, items below their reorder "
                "point...), not the catalog's own values.")
    if kind == "by":
        region = _region_word()
        return (f'I cannot break the numbers down "{words}": your data can be broken down by store, city, {region}, '
                "category, brand, product, day, week, month, quarter, year or day of the week (patients by age band, "
                f"lens type or {region}).")
    if kind == "per":
        return f'I cannot compute a number "{words}": your data has no such denominator.'
    if kind == "per_patient":
        return ("You asked about sales or stock for patients: patients are not linked to sales or stock in your "
                "data, so I can count patients, or give sales figures, but not sales by patient.")
    if kind == "counted":
        return (f'I can count {words.split()[-1]} only as a total ("how many stores do we have") or broken down; '
                f'"{words}" that did something is not something I can count yet.')
    if kind == "bare":
        return f'I could not tell what "{words}" should count (units sold, orders, patients, stores...).'
    return (f'I could not tell what "{words}" is: it is not something your data counts (units sold, orders, '
            "products, stores, brands, patients, stock).")


# ---- the parser -------------------------------------------------------------------------------------------------


def _dim_word(dim: str) -> str:
    return _region_word() if dim == "state" else DIMENSIONS[dim].label


def _places_apart(filters: Filters) -> str | None:
    """The places of `filters` named as a store, a city and a region that hold no store together ("Valencia" and
    "Andalucía": the city is in another region), as a phrase; None when they share a store or only one kind is named."""
    catalog = _CATALOG.get()
    kinds = [k for k in ("store", "city", "state") if getattr(filters, k)]
    if catalog is None or len(kinds) < 2:
        return None
    if any(s.code in (filters.store or (s.code,)) and s.city in (filters.city or (s.city,))
           and s.state in (filters.state or (s.state,)) for s in catalog.stores):
        return None
    names = [(catalog.store(v).name if k == "store" and catalog.store(v) else  # type: ignore[union-attr]
              _region_display(v) if k == "state" else v) for k in kinds for v in getattr(filters, k)]
    return ", ".join(f'"{n}"' for n in names[:-1]) + f' and "{names[-1]}"'


def _understood(measure: str | None, dims: list[str], filters: Filters, period: Period | None) -> list[str]:
    parts = []
    if measure:
        parts.append(f"measure: {MEASURES[measure].label}")
    if dims:
        parts.append("by " + ", ".join(_dim_word(d) for d in dims))
    for name, values in filters.items():
        if name == "state":
            parts.append(f"{_region_word()}: {', '.join(_region_display(v) for v in values)}")
        else:
            parts.append(f"{name.replace('_', ' ')}: {', '.join(values)}")
    if period is not None:
        parts.append(f"period: {period.label}")
    return parts


_CAN_ANSWER = ("units sold, revenue, gross sales, discounts and discount rate, orders, order lines, average order "
               "value, average selling price, different products, brands and stores with sales, stock on hand and "
               "its value at list prices, items below / at / out of stock vs the reorder point, patient counts, "
               "and counts of stores, products and brands; by store, "
               "city, state, category, brand, product, day, week, month, quarter, year or day of the week; for any "
               "period; as totals, rankings, comparisons or shares")


def _can_answer() -> str:
    word = _region_word()
    return _CAN_ANSWER if word == "state" else _CAN_ANSWER.replace("city, state,", f"city, {word},")


def _refuse(reason: str, understood: list[str], *, follow_up: bool = False, corrected: str | None = None) -> Parsed:
    text = reason
    if understood:
        text += " I understood: " + "; ".join(understood) + "."
    text += f" I can answer questions about {_can_answer()}. I did not run a query."
    return Parsed(spec=None, refusal=text, follow_up=follow_up, corrected=corrected, understood=tuple(understood))


# words that set two periods against each other ("Q1 vs Q2", "March compared with April")
_COMPARED_BY = re.compile(r"\b(?:vs\.?|versus|compared|against|than|or|and|to|over)\b|,", _I)
# "this year vs last", "this year compared with the previous one": the year against the year before
_THIS_YEAR_VS_LAST = re.compile(r"\bthis\s+year(?:\s+so\s+far|\s+to\s+date)?\s*,?\s*"
                                r"(?:vs\.?|versus|compared\s+(?:to|with)|against|over|and|or)\s+"
                                r"(?:the\s+)?(?:last|previous|prior)(?:\s+(?:year|one))?\b", _I)
_THIS_YEAR_TEXT = re.compile(r"(?:in\s+|for\s+)?(?:this|the\s+current)\s+year(?:\s+so\s+far|\s+to\s+date)?"
                             r"|year\s+to\s+date|ytd")


def _pick_periods(ex: Extraction, text: str, today: date) -> tuple[Period | None, Period | None, str | None]:
    """(asked period, explicitly named comparison period, comparison kind)."""
    periods = list(ex.periods)
    relative = [p for p in periods[1:] if re.match(r"(?:the\s+)?(?:previous|prior|preceding)\b", p.text or "", _I)]
    if relative:  # "growth in Q1 over the previous quarter": a comparison with the period before
        return periods[0], None, "previous"
    if not periods:
        return None, None, None
    if len(periods) == 1:
        only = periods[0]
        if only.grain in ("month", "quarter", "half", "season") and re.fullmatch(
                r"(?P<p>.+?)\s+(?:of\s+)?last\s+year", only.text or "", _I) and _VERSUS_BEFORE.search(
                text[: only.span[0]]):
            # "which shops lost the most vs May last year": this year's May against it (the one period named is the
            # one compared with, never the asked one against the month before it)
            later = parse_period(re.sub(r"\blast\s+year\b", "this year", only.text or "", flags=_I), today)
            if later is not None and later.start <= today and later.start.year == only.start.year + 1:
                return later, only, "explicit"
        return only, None, None
    if len(periods) >= 3:
        p, q, r = periods[0], periods[1], periods[2]
        if (q.grain == "year" and p.grain == r.grain != "year" and q.start <= p.start and p.end <= q.end
                and not _COMPARED_BY.search(text[p.span[1]:q.span[0]])):
            # "Q1 sales this year versus Q1 2025": the year right after the first period says which Q1; the
            # comparison is between the two quarters, not Q1 and the year
            periods = [p, r, *periods[3:]]
    a, b = periods[0], periods[1]
    # "April vs the same month in 2025": the year is the other side's, never the bare month's
    same_span = b.grain == "year" and a.grain != "year" and _SAME_SPAN_OF.search(text[: b.span[0]])
    # a bare month/quarter next to one with a year takes that year ("March vs April 2025": both 2025)
    moved_a, moved_b = (a, b) if same_span else (_same_year(a, b, text, today), _same_year(b, a, text, today))
    # ... but "April compared to April last year": the same month named twice is compared across the years, so the
    # bare one keeps its own (latest) year rather than becoming the other one
    if (moved_a.start, moved_a.end) != (moved_b.start, moved_b.end) or (a.start, a.end) == (b.start, b.end):
        a, b = moved_a, moved_b
    if (a.start, a.end) == (b.start, b.end) and a.grain in ("month", "quarter", "half", "season"):
        # "this May vs last May" on 15 June: both read as the latest May; the one called "last / previous" is the
        # one a year before
        older = [p for p in (a, b) if re.match(r"(?:the\s+)?(?:last|previous|prior)\b", p.text or "", _I)
                 or re.search(r"\b(?:last|previous|prior)\s+$", text[: p.span[0]], _I)]
        if len(older) == 1:
            moved = older[0].year_earlier()
            a, b = (moved, b) if older[0] is a else (a, moved)
    if same_span:
        # "Jan-May 2026 against the same months of 2025": the first period's dates in that year, not the whole year
        shifted = _in_year(a, b.start.year)
        if shifted is not None:
            b = shifted
    bare = [p for p in (a, b) if p.grain == "month" and not _HAS_YEAR.search(p.text or "")]
    if len(bare) == 2 and a.start.year != b.start.year:
        # "July compared with June" in mid-June: the current month so far is no match for a whole month of last year;
        # both months are last year's (the month that has not ended moved into the other one's year)
        running = [p for p in (a, b) if p.partial or p.end > today]
        if len(running) == 1:
            other = b if running[0] is a else a
            moved = parse_period(f"{running[0].text} {other.start.year}", today)
            if moved is not None and moved.end <= today:
                a, b = (moved, b) if running[0] is a else (a, moved)
    later, earlier = (a, b) if a.start >= b.start else (b, a)
    return later, earlier, "explicit"


_FORECAST = re.compile(r"\b(?:forecast\w*|predict\w*|projections?|projected|extrapolat\w*)\b"
                       r"|\b(?:expect(?:ed)?|going)\s+to\s+(?:sell|make|take|earn|bring|end|finish|land|close|reach"
                       r"|hit)\b|\bwill\s+(?:[\w'-]+\s+){0,3}?(?:sell|make|take|earn|be|reach|hit|end|finish|land|close"
                       r"|come\s+in|look\s+like)\b"
                       # "are we on track for 1 million", "on pace to beat last year": a projection as well
                       r"|\bon\s+(?:track|pace|course)\s+(?:to|for)\b", _I)
_VERSUS_BEFORE = re.compile(r"\b(?:vs\.?|versus|against|compared\s+(?:with|to)|than|over)\s+(?:the\s+)?$", _I)
_SAME_SPAN_OF = re.compile(r"\bsame\s+(?:\w+\s+){0,2}?(?:months?|period|weeks?|days|dates|quarters?|stretch|span|time"
                           r"|window)\s+(?:of|in|for|during|from)\s+$", _I)


# "the Black Friday week 2025", "Black Week 2024", "Cyber Week": the Monday-to-Sunday week Black Friday falls in (its
# days are the calendar's, unlike "the Black Friday weekend", which shops stretch to Sunday or Monday: asked)
_BLACK_WEEK = re.compile(r"\b(?:the\s+)?(?:(?P<y1>(?:19|20)\d\d)(?:['’]s)?\s+)?(?:black\s+friday\s+week|black\s+week"
                         r"|cyber\s+week)(?![\w-])(?:\s+(?:of\s+)?(?P<y2>(?:19|20)\d\d))?(?!\s*[(,:]?\s*\d)", _I)
# "... against the 2024 one", "vs the one in 2024", "vs 2024's" right after it: that year's Black Friday week
_BLACK_WEEK_OTHER = re.compile(r"(?P<c>\s*,?\s*(?:vs\.?|versus|against|compared\s+(?:to|with)|and|or)\s+)(?:the\s+"
                               r"(?P<y>(?:19|20)\d\d)\s+(?:one|edition)|the\s+one\s+(?:in|of|from)\s+"
                               r"(?P<z>(?:19|20)\d\d)|(?P<p>(?:19|20)\d\d)['’]s)(?![\w(])(?!\s*\()", _I)


def _black_friday(year: int) -> date:
    """The day after US Thanksgiving (the fourth Thursday of November) of `year`."""
    first = date(year, 11, 1)
    thursday = first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    return thursday + timedelta(days=1)


def _black_friday_weeks(text: str, today: date) -> str:
    """"Black Friday week 2025" (with no dates given after it) written as its days, "from 2025-11-24 to 2025-11-30"
    (Monday to Sunday around Black Friday; without a year the latest one that has started); "against the 2024 one"
    right after it is that year's week."""
    def week(year: int) -> str:
        monday = _black_friday(year) - timedelta(days=4)
        return f"from {monday.isoformat()} to {(monday + timedelta(days=6)).isoformat()}"

    out, last = [], 0
    for m in _BLACK_WEEK.finditer(text):
        year_text = m.group("y1") or m.group("y2")
        if year_text:
            year = int(year_text)
        else:
            year = today.year if _black_friday(today.year) - timedelta(days=4) <= today else today.year - 1
        out.append(text[last:m.start()] + week(year))
        last = m.end()
        other = _BLACK_WEEK_OTHER.match(text, last)
        if other:
            out.append(other.group("c") + week(int(other.group("y") or other.group("z") or other.group("p"))))
            last = other.end()
    return "".join(out) + text[last:] if out else text


def _in_year(period: Period, year: int) -> Period | None:
    """`period` moved back whole years into `year` (None when `year` is not earlier or the period spans years)."""
    years = period.start.year - year
    if years <= 0 or period.start.year != (period.end - timedelta(days=1)).year:
        return None
    for _ in range(years):
        period = period.year_earlier()
    return period


# a time phrase left over after the date parser took what it could read ("next month", "last weekend"): never dropped
_UNREAD_TIME = re.compile(r"\b(?:last|past|previous|prior|this|current|next|coming|upcoming|recent|latest|full|complete"
                          r"|following)\s+(?:[a-z]+\s+)?(?:days?|weeks?|weekends?|fortnights?|months?|quarters?|years?"
                          r"|halves|half|seasons?)\b", _I)
_FUTURE = re.compile(r"\b(?:tomorrow|tonight|the\s+day\s+after)\b|\b(?:day|week|month|quarter|year)\s+before\s+last\b",
                     _I)  # and a relative phrase the date parser did not read
_PART_OF_PERIOD = re.compile(r"\b(?:first|second|third|fourth|final|opening|closing|early|late|mid|middle|start|end"
                             r"|beginning)[\s-]+(?:(?:\d+|two|three|four|few|couple\s+of)\s+)?(?:days?|weeks?|weekends?|months?"
                             r"|quarters?|half|part|bit)?\s*(?:of|in)\b|\b(?:early|late|mid)[\s-]*$", _I)
_AGO_LEFT = re.compile(r"\b(?:[a-z]+\s+){0,2}(?<!year\s)ago\b", _I)  # "a while ago" ("a year ago" is a comparison)
_GREETING = re.compile(r"^\s*(?:(?:hi|hello|hey|good\s+(?:morning|afternoon|evening)|morning|afternoon)\b(?:\s+there)?"
                       r"[\s,!.:;-]*)+", _I)


def _without_chatter(text: str, catalog: Catalog, today: date) -> str:
    """Drop the sentences that ask nothing of the data ("Thanks!", "I need it for a board pack."): no measure, no
    period, no breakdown and no name but a product-name word. Such a word ("pack") must not become a filter."""
    text = _GREETING.sub("", text) or text
    sentences: list[str] = []
    for piece in (p for p in re.split(r"(?<=[.?!])\s+", text.strip()) if p.strip()):
        if sentences and re.search(r"(?:^|\s)(?:St|Ste|Sta|Sto|Mt|Mte|Ft|Pt|Dr|Av|Sr|Sra)\.$", sentences[-1]):
            sentences[-1] += " " + piece  # "St. Gallen", "Mt. Barker": an abbreviation's dot ends no sentence
        else:
            sentences.append(piece)
    if len(sentences) < 2:
        return text
    kept = []
    for sentence in sentences:
        ex = extract(sentence, catalog, today)
        masked = " ".join(ex.masked.split())
        if ex.periods or ex.unresolved or any(kind != "keyword" for kind, *_ in ex.hits) or \
                _measure(masked.lower()) is not None or _dimensions(masked) or _FOLLOW_UP.search(sentence):
            kept.append(sentence)
    return " ".join(kept) if kept and len(kept) < len(sentences) else " ".join(sentences)


def _without_occasion(text: str, catalog: Catalog, today: date) -> str:
    """Blank "for the board pack", "before our weekly review": what the numbers are for, when it names no store,
    brand, product or period of the data. Its words ("pack", "weekly") are no product keyword or breakdown."""
    for m in reversed(list(_FOR_OCCASION.finditer(text))):
        if m.group("t"):
            continue  # "for the meeting on Monday": leave the day to the period reader
        ex = extract(m.group(0), catalog, today)
        if not ex.periods and not ex.unresolved and all(kind == "keyword" for kind, *_ in ex.hits):
            text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    return text


def _range_ends(period: Period, today: date) -> tuple[Period, Period] | None:
    """The two ends of "from 2024 to 2025" / "between Q1 and Q2" when both are whole periods of the same kind."""
    m = re.fullmatch(r"(?:from|between)?\s*(?P<a>.+?)\s+(?:to|and|until|till|through|thru|-|–)\s+(?P<b>.+)",
                     " ".join((period.text or "").split()), _I)
    if m is None:
        return None
    try:
        a, b = parse_period(m.group("b"), today), parse_period(m.group("a"), today)
    except ValueError:
        return None
    if a is None or b is None or a.grain != b.grain or a.grain not in ("month", "quarter", "half", "year"):
        return None
    if b.start.year != a.start.year and not _HAS_YEAR.search(m.group("a")):
        b = parse_period(f"{m.group('a')} {a.start.year}", today) or b
    return (b, a) if b.start < a.start else None


_VERSUS = re.compile(r"(?:vs\.?|versus|against)", _I)


def _versus_names(ex: Extraction, text: str) -> list[bool]:
    """For each comparison word of the question: is it a "vs" / "against" between two catalog names ("Kookaburra vs
    Banksia")?"""
    found = []
    for m in _CHANGE.finditer(text):
        before = any(re.fullmatch(r"[\s,]*", text[end:m.start()]) for *_, end in ex.hits if end <= m.start())
        after = any(re.fullmatch(r"[\s.,]*(?:(?:the|our)\s+)?", text[m.end():start]) for *_, start, _ in ex.hits
                    if start >= m.end())
        found.append(bool(_VERSUS.fullmatch(m.group(0))) and before and after)
    return found


def _names_versus(ex: Extraction, text: str) -> bool:
    """"Kookaburra vs Banksia frames sold Jan to May": every comparison word of the question is a "vs" / "against"
    between two catalog names, so the names are set side by side (a breakdown), and the one span named is a period
    read whole, never its two ends compared ("May against January")."""
    found = _versus_names(ex, text)
    return bool(found) and all(found)


def _periods_as_alternatives(ex: Extraction, text: str) -> bool:
    """"higher in March or February", "March or April - which was better": two periods joined by "or" are compared
    (never added together)."""
    periods = list(ex.periods)
    return any(re.fullmatch(r"[\s,]*(?:or|or\s+in|or\s+during)(?:\s+the)?\s*", text[a.span[1]:b.span[0]], _I)
               is not None
               for a, b in zip(periods, periods[1:], strict=False))


_HAS_YEAR = re.compile(r"(?:19|20)\d\d|\b(?:this|last|next)\s+year\b", _I)


def _same_year(p: Period, other: Period, text: str, today: date) -> Period:
    if p.grain not in ("month", "quarter", "half") or _HAS_YEAR.search(p.text or "") or not _HAS_YEAR.search(
            other.text or ""):
        return p
    if p.partial or re.match(r"\s*(?:so\s+far|to\s+date|until\s+now|up\s+to\s+now)\b", text[p.span[1]:], _I):
        return p  # "the first half so far vs 2025": this year's half to date, never moved into the other's year
    shift = other.start.year - p.start.year
    if shift == 0:
        return p
    moved = parse_period(f"{p.text} {other.start.year}", today)
    return moved if moved is not None else p


# words that only point back at an earlier answer ("ok and how many orders was that", "same for units", "how many of
# them wear progressives", "now rank them"): with no earlier answer in the thread (the first question, or the last
# one was not answered) they have nothing to point at
_DANGLING = re.compile(
    r"\b(?:was|were|is|are)\s+(?:that|those|they|it)\s*[?.!]*\s*$"
    r"|^\s*(?:(?:and|ok(?:ay)?|so|right)[,\s]+)*(?:the\s+)?same\s+(?:for|in|at|but|thing|again|as\s+before)\b"
    r"|\b(?:of|from|among)\s+(?:those|them)\b|\b(?:rank|sort|break|split)\s+(?:them|those)\b"
    r"|\b(?:make|change|switch|turn)\s+(?:it|that)\s+(?:to|into|the|a|an|by|in|for)\b"
    r"|\bcompar(?:e|ing)\s+(?:that|those|them)\b|^\s*(?:(?:and|ok(?:ay)?|so)[,\s]+)*(?:what|how)\s+about\s+"
    r"(?:that|those|them)\b", _I)


def parse_question(question: str, catalog: Catalog, today: date, previous: QuerySpec | None = None) -> Parsed:
    """Parse `question` into a spec (or a refusal). `previous` is the thread's last spec, for follow-ups; a question
    that only points back at an earlier answer ("how many orders was that") is refused without one.

    Raises tools.dates.DateRangeError for impossible dates (the caller turns it into a message).
    """
    # the Turkish dotted capital "İ" lower-cases to "i" and a combining dot ("İzmir", "İç Anadolu"), which no name
    # or word matches: read as the plain "I" (names are matched without accents anyway)
    question = question.replace("İ", "I")
    token = _CATALOG.set(catalog)
    try:
        dangling = _DANGLING.search(question) if previous is None else None
        if dangling and not re.search(r"[?.!;:]\s|\s[-–]\s", question[: dangling.start()]):
            # (a question of its own before it is what it points at: "what's out of stock? how many lines is that")
            return _refuse(f'"{dangling.group(0).strip(" ?.!")}" points back at an earlier answer, and there is none '
                           "in this conversation to build on (the question before was not answered, or this is the "
                           "first one), so I did not guess what it refers to. Ask the whole question, with what to "
                           "count, where and when.", [])
        if previous is not None:
            question = _occasion_year_before(question, previous, catalog, today)
        # "over Tết 2026", "on Labour Day last year": a public holiday of the tenant's country written as the days
        # the holidays package lists under that name (tools/sql/occasions.py); the name labels the period read
        # "Good Friday 2025 (nagypéntek)": a bracket naming the same holiday again only glosses it
        question = same_day_glosses(question, _countries(catalog), today)
        read, glosses = holiday_dates(question, _countries(catalog), today, _catalog_words(catalog))
        if glosses and not _HOLIDAY.search(read):
            question = read  # (an occasion left unread beside one read, "on Black Friday vs over Christmas": asked)
        else:
            glosses = []
        # "FY 2025-26", "last financial year": the tenant's financial year written as its days (tools/sql/fiscal.py)
        fiscal = fiscal_year_dates(question, _countries(catalog), today,
                                   catalog.fiscal_year_start or get_settings().fiscal_year_start)
        if fiscal.unknown is not None:
            return _refuse(f'I do not know when your financial year starts, so I did not guess what "{fiscal.unknown}" '
                           'covers. Ask with dates, for example "from 2025-04-01 to 2026-03-31" (your administrator '
                           "can record its first day with `sightline tenant fiscal-year <tenant> 07-01`).", [])
        question, glosses = fiscal.text, [*glosses, *fiscal.glosses]
        departed = next((g for g in glosses if g.asked), None)
        if departed is not None:
            return _refuse(departed.asked, [])
        both = next((g for g in glosses if g.taken), None)
        if both is not None:
            days = f"on {both.start.isoformat()}" if both.start == both.last else \
                f"from {both.start.isoformat()} to {both.last.isoformat()}"
            return _refuse(f'"{both.name}" is one of your own names (a store, product or brand) and also a public '
                           f"holiday ({both.label.removeprefix(both.name).strip(' ()')}), so I did not pick one. Ask "
                           f'with dates ("{days}") or for the product\'s or store\'s figures in a period.', [])
        with southern_seasons(_southern(catalog)):
            return _glossed(_parse_question(question, catalog, today, previous), glosses)
    finally:
        _CATALOG.reset(token)


def _occasion_year_before(question: str, previous: QuerySpec, catalog: Catalog, today: date) -> str:
    """"what about the year before?" after a question about a named occasion ("El Buen Fin 2025", "Easter 2025"):
    the occasion of the year before, named ("El Buen Fin 2024": its own days that year), not the same dates a year
    back. Only where the previous period's label is an occasion read from its name (tools/sql/occasions.py) and that
    name is read again for the year before; otherwise the question is returned unchanged."""
    label = previous.time_range.label if previous.time_range is not None else None
    before = _BEFORE_PREVIOUS.search(question)
    if not label or before is None or (before.group("u") or before.group("v") or "").lower() != "year":
        return question
    named = re.fullmatch(r"(?P<n>.+?)\s+(?:(?:19|20)\d\d|this\s+year|last\s+year)\s+\((?P<d>\d{4})-\d\d-\d\d(?:\s+to\s+"
                         r"[\d-]+)?\)", label, _I)
    if named is None or re.search(r"\b(?:compar\w*|vs\.?|versus|against|change|growth)\b", question, _I):
        return question
    again = f"{named['n']} {int(named['d']) - 1}"
    _, glosses = holiday_dates(f"on {again}", _countries(catalog), today, _catalog_words(catalog))
    if len(glosses) != 1:
        return question
    return question[:before.start()] + again + question[before.end():]


def _countries(catalog: Catalog) -> tuple[str, ...]:
    """The countries of the tenant's stored places (ISO 3166-2 codes and names of its states, GeoNames for its
    cities), none when it stores no states."""
    return catalog_regions(catalog).countries if catalog.states else ()


def _catalog_words(catalog: Catalog) -> frozenset[str]:
    """Folded words of the tenant's own names (stores, cities, states, products, brands): a holiday word among them
    is the tenant's name first, asked about by the parser, never read as the holiday."""
    names = (*(s.name for s in catalog.stores), *catalog.cities, *catalog.states, *(p.name for p in catalog.products),
             *catalog.brands)
    return frozenset(fold(w) for name in names for w in re.findall(r"[^\W\d_]+", name or ""))


def _glossed(parsed: Parsed, glosses: list[Gloss]) -> Parsed:
    """`parsed` with each period read from a named holiday labelled by the name and its days ("Tết 2026
    (2026-02-16 to 2026-02-20)"), so the interpretation line says which days the name was read as."""
    if not glosses or parsed.spec is None:
        return parsed
    by_days = {(g.start, g.last + timedelta(days=1)): g.label for g in glosses}

    def relabel(time_range: TimeRange | None) -> TimeRange | None:
        label = by_days.get((time_range.start, time_range.end)) if time_range is not None else None
        return time_range.model_copy(update={"label": label}) if label else time_range

    spec = parsed.spec.model_copy(update={"time_range": relabel(parsed.spec.time_range)})
    if spec.comparison is not None and spec.comparison.time_range is not None:
        spec = spec.model_copy(update={"comparison": spec.comparison.model_copy(
            update={"time_range": relabel(spec.comparison.time_range)})})
    return replace(parsed, spec=spec)


# countries whose seasons are the southern hemisphere's (all or nearly all of their people live south of the equator)
_SOUTHERN_COUNTRIES = frozenset("AR AU BO BR BW CL FJ LS MG MU MZ NA NZ PE PY SZ UY ZA ZM ZW".split())


def _southern(catalog: Catalog) -> bool:
    """True when every country of the tenant's stored places is in the southern hemisphere ("summer" is Dec-Feb)."""
    countries = catalog_regions(catalog).countries if catalog.states else ()
    return bool(countries) and all(c in _SOUTHERN_COUNTRIES for c in countries)


def _in_currency(question: str, catalog: Catalog) -> tuple[str, Parsed | None]:
    """"revenue in euros": the question with the currency written as "dollars" (the parser's money word) when the
    tenant's amounts are in it, or a refusal when they are not (amounts are never converted: no exchange rates are
    kept); tools/sql/money.py."""
    asked = asked_currency(question)
    if asked is None:
        # "what did Surabaya make in Rp", "revenue CHF ytd": the tenant's own mark written alone, not by an amount
        marks = _tenant_marks(catalog)
        if not marks:
            return question, None
        alone = re.compile(r"(?<![\w$€£¥.,])(?:" + "|".join(map(re.escape, marks)) + r")(?![\w$€£¥])(?!\s?\d)")
        found = [m for m in alone.finditer(question) if not re.search(r"\d\s?$", question[: m.start()])]
        for m in reversed(found):
            question = question[: m.start()] + "dollars" + question[m.end():]
        return question, None
    currency = tenant_currency(catalog)
    if currency.code and currency.code in asked.codes:
        # the tenant's own currency: read as money, as "in dollars" always was ("same thing in dollars": revenue)
        start, end = asked.span
        return question[:start] + "dollars" + question[end:], None
    if not currency.code:
        reason = (f'I do not know which currency your amounts are recorded in (your stores are in countries with '
                  f'different currencies), so I cannot give them "in {asked.text}". Ask without the currency for the '
                  "amounts as recorded.")
    else:
        reason = (f"Your amounts are recorded in {currency.name} ({currency.code}); I cannot give them in "
                  f"{asked.text}: no exchange rates are kept, so nothing is converted. Ask without the currency for "
                  f"the amount in {currency.name}.")
    return question, _refuse(reason, [])


# a money amount: a currency mark before or after it, or thousands written in groups ("1.234.567,00 €", "EUR 7.500",
# "9 500,50", "$1,500,000", "CHF 12'000", "2.5m")
_CURRENCY_MARK = (r"(?:[$€£¥₹]|R\$|CHF|EUR|USD|GBP|PLN|SEK|NOK|DKK|INR|JPY|AUD|CAD|NZD|BRL|MXN|ZAR|zł|kr|Fr\.?"
                  r"|euros?|dollars?|francs?|pounds?|quid|bucks|rupees?|yen|reais|zloty|krona|kronor|krone)")
# thousands in groups of three ("1.234.567", "12'000"), or the Indian way: lakhs and crores in pairs ("20,00,000")
_GROUPED = r"(?:\d{1,2}(?:,\d\d)+,\d{3}(?:\.\d{1,2})?|\d{1,3}(?:[.,' \u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?)"
# "$1,290.00 MXN", "699,00 zł PLN": a currency code after an amount with its mark is part of the amount
_AMOUNT = re.compile(rf"(?<![\w.,])(?:{_CURRENCY_MARK}\s?(?:{_GROUPED}|\d+(?:[.,]\d+)?)(?:\s?(?:k|m|bn|million"
                     rf"|thousand|lakh|crore)\b)?(?:\s?{_CURRENCY_MARK}(?!\w))?|(?:{_GROUPED}|\d+(?:[.,]\d+)?)(?:\s?(?:k|m|bn|million|thousand|lakh|crore)\b)?\s?"
                     rf"{_CURRENCY_MARK}(?![\w])(?:\s?{_CURRENCY_MARK}(?!\w))?|{_GROUPED}(?![\w.,]))", _I)
# "did Colaba do more than", "did we take over", "have we made less than": a period's total against a figure the user
# names (the answer states the real total), never a condition on each sale
_TOTAL_COMPARED = re.compile(r"\b(?:do|did|does|done|doing|make|made|making|take|took|taken|bring|brought|earn(?:ed)?"
                             r"|generated?|ring\s+up|rang\s+up|turn(?:ed)?\s+over)\s+(?:in\s+)?"
                             r"(?P<w>(?:more|less|fewer)\s+than|over|above|under|below|beyond)\s*$", _I)
# ... unless what is counted is named before it ("how many orders did we take over $100": orders above $100 each, a
# condition the parser does not apply, left for its refusal)
_COUNTED_BEFORE = re.compile(r"\bhow\s+many\b|\b(?:orders?|transactions?|receipts?|tickets?|units?|items?|pairs?"
                             r"|pieces?|invoices?|bills?|baskets?|lines?|customers?|patients?)\b", _I)
# a condition on each sale's amount ("orders over $100"), which the parser does not apply: left for its refusal
_THRESHOLD_BEFORE = re.compile(r"(?:\b(?:over|above|under|below|exceeding|beyond|between|and|than|least|most"
                               r"|upwards\s+of|worth|costing|priced\s+at|from|to)|[<>≤≥])\s*$", _I)


_AMOUNT_LEAD = re.compile(r"\b(?P<w>(?:(?:our|the|a|my)\s+)?(?:targets?|goals?|budgets?|budgeted|quotas?|aim|expected"
                          r"|expectations?|clear(?:ed)?|beat|hit|reach(?:ed)?|exceed(?:ed)?|pass(?:ed)?|top|break|broke"
                          r"|(?:get|got|go|gone|went|make\s+it|made\s+it)\s+(?:past|beyond)|past|cross(?:ed)?"
                          r"|surpass(?:ed)?|top(?:ped)?)"
                          r"(?:\s+(?:was|is|of|for|were|at))?)\s*$", _I)


_SINCE_OPENING = re.compile(r"\b(?:ever\s+)?since\s+(?P<who>it|we|they|you|the\s+(?:store|shop|branch|location|business"
                            r"|company)|(?:[\w'’.-]+\s+){1,4}?)(?:first\s+)?(?:opened|open(?:ed)?\s+(?:up|its\s+doors)"
                            r"|started(?:\s+trading)?|began\s+trading|launched)\b"
                            # "since we opened the Gdynia store", "since we launched the new range": since THAT, a
                            # date the data does not hold; left for the parser (it asks)
                            r"(?!\s+(?i:the|a|an|our|this|that|these|those|its|their|my|new|another)\b)"
                            # "since the shop opened in October 2025": since that date (tools/dates.py reads it)
                            r"(?!\s+(?:in|on)\s+(?:(?:the\s+)?(?:start|beginning|end|middle)\s+of\s+)?(?:\d|q[1-4]\b"
                            r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|(?:last|this)\s+(?:year|month|quarter"
                            r"|week)\b))", _I)


def _only_services(ex: Extraction, catalog: Catalog) -> bool:
    """Does the question name service products only ("Eye Exam", "Frame Repair") and no brand or other category?
    Asked with no measure ("eye exams in December"), that is a count of them."""
    skus = ex.values.get("sku", ())
    categories = set(ex.values.get("category", ()))
    products = [catalog.product(s) for s in skus]
    if ex.values.get("brand") or ex.values.get("keyword") or not skus:
        return False
    return all(p is not None and p.category == "services" for p in products) and categories <= {"services"}


def _optical_and_sun(text: str) -> str:
    """"optical frames and sun together", "sun and optical": the trade's short word for sunglasses, said beside
    frames ("sun" alone stays a word: "on Sun", "sun protection")."""
    text = re.sub(r"\b(?P<a>optical(?:\s+frames?)?|frames?|spectacles?|rx)(?P<j>\s*(?:and|&|\+|/|or|plus)\s*)"
                  r"sun\b(?!\s*(?:glass|wear|lens|protection|shade|\d))", r"\g<a>\g<j>sunglasses", text, flags=_I)
    text = re.sub(r"\bsun(?P<j>\s*(?:and|&|\+|/|or|plus)\s*)(?P<b>optical(?:\s+frames?)?|frames?|spectacles?|rx)\b",
                  r"sunglasses\g<j>\g<b>", text, flags=_I)
    # "optical" beside sunglasses is the optical frames
    return re.sub(r"\boptical\b(?!\s+frames?)(?=\s*(?:and|&|\+|/|or|plus)\s*sunglasses)|(?<=sunglasses and )optical\b"
                  r"(?!\s+frames?)", "optical frames", text, flags=_I)


def _since_opening(text: str, catalog: Catalog, today: date) -> str:
    """"since we opened", "since Gdynia opened", "ever since the shop opened": from the first recorded sale to today
    (a store has no sales before it opened, so its figures are the same), written as an explicit range; a named
    store stays in the text ("at Gdynia from ...")."""
    first = catalog.sales_from
    if first is None:
        return text

    def span(m: re.Match[str]) -> str:
        who = m.group("who").strip()
        named = "" if re.fullmatch(r"it|we|they|you|the\s+\w+", who, _I) else f"at {who} "
        return f"{named}from {first.isoformat()} to {today.isoformat()}"

    return _SINCE_OPENING_DATED.sub(span, text)


# "since we started (Jul 2024)": the opening's date in brackets is a gloss of it, not a second period
_SINCE_OPENING_DATED = re.compile(_SINCE_OPENING.pattern + r"(?:\s*\(\s*(?:in\s+|from\s+|since\s+)?"
                                  r"(?:[a-z]{3,9}\.?\s+)?(?:19|20)\d\d\s*\))?", _I)


# "its last month before we shut it", "Meknès's final week of trading", "the first month after Gdynia opened": the
# store's own last (first) month, week or day with sales, from the data
_CLOSE_VERB = r"(?:closed|closing|shut|shutting|shuttered|closed\s+down|shut\s+down|folded)"
_OPEN_VERB = r"(?:opened|opening|launched|started\s+trading|began\s+trading|opened\s+up)"
_WHO = (r"(?:it|we|they|you|the\s+(?:store|shop|branch|location|outlet|boutique)"
        r"|[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2})")
_STORE_EDGE = re.compile(
    r"(?P<pre>\b(?:in|during|for|over|on)\s+)?(?:\b(?:(?P<its>its|their|the\s+(?:store|shop|branch|location|outlet|boutique)"
    r"['’]s)|(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}?)['’]s?)\s+)?(?:very\s+)?(?:the\s+)?"
    # "its last 3 months", "the two weeks before it closed", "the first 10 days after Gdynia opened": that many
    r"(?:(?P<edge>last|final|closing|first|opening)\s+)?(?:(?P<n>\d{1,2}|two|three|four|five|six|seven|eight|nine|ten"
    r"|eleven|twelve)\s+)?(?P<u>month|week|day)(?P<pl>s)?"
    rf"(?P<tail>\s+(?:before|until|till|prior\s+to)\s+(?:{_WHO}\s+(?:(?:was|were|got|had)\s+)?)?(?:{_CLOSE_VERB}"
    r"|(?:the\s+|its\s+)?closure)"
    r"(?:\s+(?:it|down|its\s+doors|for\s+good))?"
    rf"|\s+(?:after|since)\s+(?:{_WHO}\s+(?:(?:was|were|had)\s+)?)?{_OPEN_VERB}(?:\s+(?:it|up|its\s+doors))?"
    r"|\s+(?:of|in)\s+(?:trading|business|operation)|\s+(?:it\s+was|we\s+were)\s+open)?")


def _count_of(word: str) -> int:
    """"3" or "three" -> 3 (the number words of tools.dates)."""
    return int(word) if word.isdigit() else DATE_NUMBER_WORDS.get(word.lower(), 0)


def _store_edges(text: str, catalog: Catalog, today: date,
                 previous_stores: tuple[str, ...] = ()) -> tuple[str, str | None]:
    """"How much did Meknès do in its last month before it closed?": the store's last (first) month, week or day
    with sales, read from the data (`Catalog.store_days`) and written out as that period; when the question names the
    period itself ("in February, its last month before we shut it") the phrase only comments and is dropped. Needs the
    question to name one store (or a city with one store; in a follow-up that names none, the one store of the
    thread's previous question, `previous_stores`), and the store to have closed (opened) within the data; otherwise
    a refusal says why (never "last month" read as the calendar's last month)."""
    def found() -> re.Match[str] | None:
        for m in _STORE_EDGE.finditer(text):
            name = m.group("name")
            if name and (parse_periods(name, today) or name.split()[0].lower() in ("this", "last", "next", "that")):
                continue  # "2025's last month", "Q1's first week": a period's, not a store's
            if (m.group("pl") is None) != (m.group("n") is None) or (m.group("n") and _count_of(m.group("n")) < 2):
                continue  # "its last months": how many is not said; "the last 1 months" is no wording
            if m.group("edge") is None and (m.group("n") is None or not re.match(
                    r"\s+(?:before|until|till|prior|after|since)\b", m.group("tail") or "")):
                continue  # "the two weeks before it closed" says which end; "by month since it opened" is a breakdown
            if m.group("its") or name or m.group("tail"):
                return m
        return None
    m = found()
    if m is None:
        return text, None
    tail_name = re.search(r"(?<!^)\b[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*", (m.group("tail") or "").strip())
    name = m.group("name") or (tail_name.group(0) if tail_name else "")
    rest = text[:m.start()] + (f" at {name} " if name else " ") + text[m.end():]
    ex = extract(rest, catalog, today)
    codes = set(ex.values.get("store", ()))
    for city in ex.values.get("city", ()):
        codes |= {s.code for s in catalog.stores if s.city == city}
    if not codes and len(previous_stores) == 1:
        codes = set(previous_stores)  # "and in February, its last month?" after a question about one store
    edge = m.group("edge").lower() in ("first", "opening") if m.group("edge") else bool(
        re.match(r"\s+(?:after|since)\b", m.group("tail") or ""))
    count = _count_of(m.group("n")) if m.group("n") else 1
    what = f"{'first' if edge else 'last'} {m.group('u').lower()}" if count == 1 else \
        f"{'first' if edge else 'last'} {count} {m.group('u').lower()}s"
    if len(codes) != 1:
        return text, (f'I can read "its {what}" from the data only for one store named in the question, and '
                      f'{"this question names none" if not codes else "this question names several"}. Ask with the '
                      'store, or with the dates.')
    code = next(iter(codes))
    if ex.periods:  # "in February, its last month before we shut it": the month given is the one asked
        return rest, None
    days = next(((a, b) for c, a, b in catalog.store_days if c == code), None)
    if days is None:
        return text, f"Store {code} has no sales in your data, so I cannot tell its {what}."
    day = days[0] if edge else days[1]
    bound = catalog.sales_from if edge else catalog.sales_to
    # a store that sold within four weeks of the data's first (last) day was trading then: not opened (closed) since
    if bound is None or abs((day - bound).days) < 28:
        return text, (f"Store {code} has sales {'from the start' if edge else 'up to the end'} of your data "
                      f"({day.isoformat()}), so its {what} {'after it opened' if edge else 'before it closed'} is "
                      "not in it. Ask with the dates.")
    unit = m.group("u").lower()
    if count > 1:  # that many whole months (weeks, days) from the store's first one or up to its last one
        if unit == "month":
            month = date(day.year, day.month, 1)
            first, last = (month, add_months(month, count) - timedelta(days=1)) if edge else (
                add_months(month, 1 - count), add_months(month, 1) - timedelta(days=1))
        elif unit == "week":
            monday = day - timedelta(days=day.weekday())
            first, last = (monday, monday + timedelta(days=7 * count - 1)) if edge else (
                monday - timedelta(days=7 * (count - 1)), monday + timedelta(days=6))
        else:
            first, last = (day, day + timedelta(days=count - 1)) if edge else (day - timedelta(days=count - 1), day)
        period = f"from {first.isoformat()} to {last.isoformat()}"
    elif unit == "month":
        period = f"{calendar.month_name[day.month]} {day.year}"
    elif unit == "week":
        monday = day - timedelta(days=day.weekday())
        period = f"from {monday.isoformat()} to {(monday + timedelta(days=6)).isoformat()}"
    else:
        period = f"on {day.isoformat()}"
    pre = "in " if unit == "month" and count == 1 else ""
    return text[:m.start()] + (f" at {name} " if name else " ") + pre + period + " " + text[m.end():], None


# "Bergen op Zoom revenue before it closed", "until we shut it down": the named store's sales up to its last day
_BEFORE_CLOSING = re.compile(rf"\b(?:before|until|till|up\s+(?:to|until))\s+(?:it|we|they)\s+(?:(?:was|were|got)\s+)?"
                             rf"{_CLOSE_VERB}(?:\s+(?:it|down|its\s+doors|for\s+good))?(?:\s+(?:it|down))?\b", _I)


def _months_between(a: date, b: date) -> int:
    """Whole calendar months from `b` to `a` (negative when `a` is earlier)."""
    return (a.year - b.year) * 12 + a.month - b.month


def _before_closing(text: str, catalog: Catalog, today: date) -> str:
    """"Radom revenue before it closed": where the question names one store (or a city with one store) that closed
    within the data, the phrase is the stretch from the data's first day to the store's last day with sales (the
    store has no sales after it, so its figures are the same); "from September 2025 until it closed": from the
    start of the period named right before it; beside a period of its own ("in January, before it closed") the
    phrase only comments and is dropped. Otherwise left as written (the parser then says it does not know the
    words)."""
    m = _BEFORE_CLOSING.search(text)
    if m is None or catalog.sales_from is None or catalog.sales_to is None:
        return text
    start, cut = catalog.sales_from, m.start()
    lead = re.search(r"\b(?:from|since|starting(?:\s+(?:from|in))?)\s+(?P<p>[^,;?]{3,40}?)\s*$", text[:m.start()], _I)
    if lead:
        try:
            found = parse_periods(lead.group("p"), today)
        except DateRangeError:
            found = []
        if len(found) == 1 and found[0].span == (0, len(lead.group("p"))):
            start, cut = found[0].start, lead.start()
    rest = text[:cut] + " " + text[m.end():]
    ex = extract(rest, catalog, today)
    codes = set(ex.values.get("store", ()))
    for city in ex.values.get("city", ()):
        codes |= {st.code for st in catalog.stores if st.city == city}
    if ex.periods and not lead:
        # "and in January, before it closed?": the period named is the one asked; the phrase only comments on it
        return f"{text[:m.start()]} {text[m.end():]}"
    last = next((b for c, _, b in catalog.store_days if codes == {c}), None)
    if len(codes) != 1 or last is None or (catalog.sales_to - last).days < 28 or start > last:
        return text
    return f"{text[:cut]} from {start.isoformat()} to {last.isoformat()} {text[m.end():]}"


@lru_cache(maxsize=32)
def _amount_res(marks: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """`_AMOUNT` and the currency-mark pattern, both also knowing the tenant currency's own marks ("Rp 2.500.000.000",
    "1 200 Kč"; `tools.sql.money.local_marks`)."""
    mark = rf"(?:{_CURRENCY_MARK}|{'|'.join(map(re.escape, marks))})" if marks else _CURRENCY_MARK
    return re.compile(_AMOUNT.pattern.replace(_CURRENCY_MARK, mark), _I), re.compile(mark, _I)


# a name given to the dates just written: "6 to 19 March (the pre-Lebaran promo)", "12 December 2025, the Harbolnas
# day", "(the two weeks before Eid each year)": a noun phrase whose head is an occasion or a stretch of time
_GLOSS_HEAD = (r"(?:promo(?:tion)?s?|sales?|campaigns?|days?|weekends?|weeks?|fortnight|period|season|holidays?"
               r"|festivals?|events?|break|rush|launch|drive|specials?|offers?|fair|eve)")
_DATE_GLOSS = re.compile(rf"\(\s*(?:the|our|a|an)\s+[^()]{{0,60}}?\b{_GLOSS_HEAD}\b[^()]{{0,30}}\)"
                         rf"|,\s*(?:the|our|a|an)\s+[^,.?!()]{{0,40}}?\b{_GLOSS_HEAD}(?=\s*(?:[,.?!]|$))"
                         # "25 March 2025, Independence Day": a holiday's name without an article, capitalised
                         r"|,\s*(?-i:[A-Z])(?!(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b)[^,.?!()]{0,40}?"
                         r"\b(?:day|eve|holiday|festival)(?=\s*(?:[,.?!]|$))", _I)
_DATE_END = re.compile(r"(?:\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?)\s*$", _I)


def _without_date_gloss(text: str) -> str:
    """The question without the names it gives to dates it has just written (`_DATE_GLOSS`): the dates say which days,
    the name is a label ("Lebaran" there is no filter on a "Lebaran Edition" frame)."""
    for m in reversed(list(_DATE_GLOSS.finditer(text))):
        if _DATE_END.search(text[: m.start()]):
            text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    return text


# remarks in brackets that only comment: a clause with its own subject ("(they had the builders in for part of it)",
# "(we were short-staffed)"), or a list of what a category word just said holds ("services (exams, fittings,
# repairs)"); never one with a number, a negation or a limiting word, which may change what is asked
_REMARK = re.compile(r"\(\s*(?:they|we|it|he|she|there|that|this|which|who|i)(?:'re|'d|'s|'ve)?\s+[^()]*\)"
                     r"|(?P<c>\b(?:" + "|".join(sorted({re.escape(w) for words in CATEGORY_WORDS.values() for w in words
                                                     if re.fullmatch(r"[a-z]+", w)}, key=len, reverse=True))
                     + r"))\s*\(\s*[a-z][a-z -]*(?:,\s*(?:and\s+|or\s+|&\s+)?[a-z][a-z -]*)+\.*\s*\)", _I)
_REMARK_KEEP = re.compile(r"\d|\b(?:not|no|only|just|excl\w*|exclud\w*|except\w*|without|includ\w*|incl|but|plus"
                          r"|minus|less|apart|aside|other|others|vs|versus|compared|against|than)\b", _I)


def _without_remarks(text: str) -> str:
    """The question without the bracketed remarks that only comment (`_REMARK`), blanked to keep positions."""
    def blank(m: re.Match[str]) -> str:
        if _REMARK_KEEP.search(m.group(0)):
            return m.group(0)
        kept = m.group("c") or ""
        return kept + " " * (len(m.group(0)) - len(kept))
    return _REMARK.sub(blank, text)


# "How did Patra do in July, with the works, compared with June?", "(given the roadworks)", "..., despite the heat?":
# a comment on the circumstances, set off by commas or brackets, that names nothing of the data
_CIRCUMSTANCE = re.compile(r"(?P<o>[(,])\s*(?:with|given|despite|because\s+of|due\s+to|what\s+with|amid|considering"
                           r"|thanks\s+to|in\s+spite\s+of)\s+(?:all\s+)?(?:the|those|that|this|our|its|their)\s+"
                           r"(?P<w>[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*){0,3}?)\s*(?P<c>[),]|(?=\s*[?.!]*\s*$))")


_LINK_WORDS = frozenset("on in at of the a an to for and with by from near along".split())


def _without_circumstances(text: str, catalog: Catalog, today: date) -> str:
    """The question without comments on the circumstances (`_CIRCUMSTANCE`) whose words are no catalog name, period,
    measure, condition or function word of the data ("with the works", never "with the discount" or "given the
    Ray-Ban range"), blanked to keep positions; a comma that also separates two parts of the question is kept."""
    def blank(m: re.Match[str]) -> str:
        words = m.group("w")
        if _REMARK_KEEP.search(words) or _MEASURE_WORD.search(words) or _measure(words.lower()) or any(
                w.lower() in DOMAIN_WORDS and w.lower() not in _LINK_WORDS for w in re.findall(r"[^\W\d_]+", words)):
            return m.group(0)
        try:
            ex = extract(words, catalog, today)
        except DateRangeError:
            return m.group(0)
        if ex.hits or ex.periods:
            return m.group(0)
        closing = m.group("c")
        if m.group("o") == "(" and closing != ")" or m.group("o") == "," and closing == ")":
            return m.group(0)
        kept = "," if m.group("o") == "," and closing == "," else ""
        return kept + " " * (len(m.group(0)) - len(kept))
    return _CIRCUMSTANCE.sub(blank, text)


def _tenant_marks(catalog: Catalog) -> tuple[str, ...]:
    code = tenant_currency(catalog).code
    return local_marks(code) if code else ()


def _context_amounts(text: str, marks: tuple[str, ...] = (), scales: tuple[str, ...] = ()) -> str:
    """Blank money amounts that only give context ("we budgeted 1.234.567,00 € for 2025 - what did we take?",
    "did Brera clear 7.500,00 EUR?", "(target was 9 500,50)"): a figure the user compares the answer with is no
    condition on the data, and the answer states the real figure. An amount after "over / under / between / at
    least ..." is a condition on each sale and is left for the parser's refusal; a bare number without a currency
    mark or thousands groups ("top 5", "2025") is never touched."""
    spans: list[tuple[int, int, bool]] = []
    amount, mark = _amount_res(marks)
    for m in amount.finditer(text):
        compared = _TOTAL_COMPARED.search(text[: m.start()]) if not _COUNTED_BEFORE.search(text[: m.start()]) else None
        if compared is not None:  # "did Colaba do more than ₹2 lakh": the total against a figure, not each sale's
            spans.append((compared.start("w"), m.end(), mark.search(m.group(0)) is not None))
            continue
        if _THRESHOLD_BEFORE.search(text[: m.start()]):
            continue
        if re.fullmatch(r"[^\d\s]+\s+(?:19|20)\d\d", m.group(0)):
            continue  # "revenue € 2025 by store": the currency the figures are in, then the year, not 2,025 euros
        lead = _AMOUNT_LEAD.search(text[: m.start()])  # "target was", "did Brera clear": the words that frame it
        money = mark.search(m.group(0)) is not None
        spans.append((lead.start("w") if lead else m.start(), m.end(), money))
    if scales:
        # "did we get past 500 triệu", "a target of 1,2 tỷ", "hit 2.5 million": a number with a scale word and no
        # currency mark, after the words that frame a figure, is a sum of money the user compares the answer with
        scaled = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?\s?(?:" + "|".join(map(re.escape, scales)) + r")(?!\w)", _I)
        for m in scaled.finditer(text):
            lead = _AMOUNT_LEAD.search(text[: m.start()]) or (
                _TOTAL_COMPARED.search(text[: m.start()]) if not _COUNTED_BEFORE.search(text[: m.start()]) else None)
            if lead and not any(s <= m.start() < e for s, e, _ in spans):
                spans.append((lead.start("w"), m.end(), True))
        spans.sort()
    rest = text
    for start, end, _ in reversed(spans):
        rest = rest[:start] + " " * (end - start) + rest[end:]
    named = _measure(rest.lower()) is not None  # "... at $1,290.00 MXN. How many did we move": units, as asked
    for start, end, money in reversed(spans):
        # a sum of money still says which figure is meant: "did Brera clear 7.500,00 EUR" asks for revenue
        filler = " revenue " if money and end - start >= 9 and not named else ""
        text = text[:start] + filler.ljust(end - start) + text[end:]
    return text


def currency_refusal(question: str, catalog: Catalog) -> str | None:
    """The refusal for a question asking its amounts in a currency the tenant's are not in ("revenue in euros" for a
    dollar tenant), or None. Final on every path: no model may answer it in the tenant's currency instead."""
    _, refused = _in_currency(question, catalog)
    return refused.refusal if refused is not None else None


# "(10-year bands)", "in five-year age groups": the width of the age bands asked for
_BAND_WIDTH = re.compile(r"\(?\s*\b(?:in\s+|by\s+|with\s+)?(?P<n>\d{1,2}|five|ten|twenty|fifteen)[\s-]+years?"
                         r"(?:[\s-]+(?:old|age))?[\s-]+(?:age\s+)?(?:bands?|brackets?|groups?|buckets?|bins?|ranges?)"
                         r"\s*\)?", _I)
_NUMBER_WORDS = {"five": 5, "ten": 10, "fifteen": 15, "twenty": 20}


def _band_width(text: str, catalog: Catalog) -> tuple[str, str | None]:
    """`text` without a width of age bands that is the width the data's bands have ("(10-year bands)" for bands
    "30-39", "40-49"), read as "by age band"; another width is refused (the patients are stored in their bands)."""
    m = _BAND_WIDTH.search(text)
    if m is None:
        return text, None
    n = m.group("n").lower()
    width = int(n) if n.isdigit() else _NUMBER_WORDS[n]
    bounds = [re.fullmatch(r"(\d+)\s*-\s*(\d+)", b.strip()) for b in catalog.age_bands]
    widths = {int(b.group(2)) - int(b.group(1)) + 1 for b in bounds if b}
    if widths and widths != {width}:
        shown = ", ".join(catalog.age_bands[:3])
        kept = "/".join(str(w) for w in sorted(widths))
        return text, (f"Patients' ages are kept in {kept}-year bands ({shown}, ...), so I cannot split them into "
                      f"{width}-year bands. Ask by age band for the bands as stored.")
    by_band = "" if re.search(r"\bage\b", text[: m.start()] + text[m.end():], _I) else " by age band"
    return f"{text[: m.start()]}{by_band} {text[m.end():]}", None


def _names(catalog: Catalog) -> tuple[str, ...]:
    """The tenant's names (stores, cities, products, brands, regions): never translated (tools/sql/foreign.py)."""
    tails = (" ".join(words[i:]) for s in catalog.stores for words in [s.name.split()]
             for i in range(1, len(words) - 1))
    return (*(s.name for s in catalog.stores), *tails, *catalog.cities, *(p.name for p in catalog.products),
            *catalog.brands,  # "Plaza de Armas" of "Óptica Ceiba Plaza de Armas"
            # a region's names, not its long nicknames ("Thủ đô nghìn năm văn hiến", whose words are everyday words)
            *(a for a in catalog_regions(catalog).aliases if len(a.split()) <= 3),
            # "lentes de sol": a category's name in the tenant's language is read whole, never word by word
            *(phrase for phrases in FOREIGN_CATEGORY_WORDS.values() for phrase in phrases if " " in phrase))


def _days_of_named_year(text: str, today: date) -> str:
    """"3 May last year", "on 11.11 last year", "March 5 this year": the day of that year ("3 May 2025"); before, the
    day (of the latest year holding it) and the year were two periods."""
    months = "|".join(calendar.month_name[1:])

    def year_of(m: re.Match[str]) -> str:
        return f"{m.group('d')} {today.year - (m.group('rel').lower() == 'last')}"
    return re.sub(rf"\b(?P<d>\d{{1,2}}\s+(?:{months})|(?:{months})\s+\d{{1,2}}(?:st|nd|rd|th)?)(?:,)?\s+(?:of\s+)?"
                  r"(?P<rel>last|this)\s+year\b", year_of, text, flags=_I)


def _day_ordinals(text: str) -> str:
    """"the 1er May 2025", "am 3. October", "the 1º of May of 2025", "1. to 14. July": a day written with its
    ordinal mark (French "er", German dot, Iberian and Italian "º / °") is that day ("1 May 2025"); before, the mark
    hid the day and the whole month was answered."""
    months = "|".join(calendar.month_name[1:]) + "|" + "|".join(calendar.month_abbr[1:])
    text = re.sub(rf"\b(\d{{1,2}})(?:(?:er|ère|re|º|°|ª|\.)\s*(?:(?:of|de)\s+)?|\s+(?:of|de)\s+)(?=(?:{months})\b)",
                  r"\1 ", text, flags=_I)
    # "26 au 31 December", "1 bis 14 July", "del 5 al 9 de May": a span of days with the staff's "to"
    text = re.sub(rf"\b(\d{{1,2}})\s+(?:au|at\s+the|in\s+the|to\s+the|a|al|bis|tot|t/m|do|hasta|até|ate|fino\s+al)\s+"
                  rf"(\d{{1,2}})\s+(?:of\s+)?(?=(?:{months})\b)", r"\1 to \2 ", text, flags=_I)
    text = re.sub(rf"\b(\d{{1,2}})(?:er|º|°|ª|\.)(?=\s*(?:to|-|–|until|till|and)\s*\d{{1,2}}(?:er|º|°|ª|\.)?\s*"
                  rf"(?:of\s+)?(?:{months})\b)", r"\1", text, flags=_I)
    # "1 May of 2025": the year of the day
    return re.sub(rf"\b(\d{{1,2}}\s+(?:{months}))\s+(?:of|de)\s+(?=(?:19|20)\d\d\b)", r"\1 ", text, flags=_I)


_LAKH = re.compile(r"(?<![\w.,])(?P<n>\d+(?:\.\d+)?)\s?(?P<w>lakhs?|lacs?|crores?)\b", _I)
_LAKH_SCALE = {"lakh": Decimal(100_000), "lac": Decimal(100_000), "crore": Decimal(10_000_000)}
# "branch-wise revenue", "month wise sales", "how did May go, revenue-wise": a dimension or a measure with "-wise"
_WISE = re.compile(r"(?<![\w-])(?P<w>[^\W\d_]{3,})(?:-|\s)?wise\b", _I)
# "the second half of May against the first half": a part of a named month, and the same kind of part left without its
# month on the other side of the comparison
_PART_OF_MONTH = re.compile(r"\b(?P<o>first|second|1st|2nd|last|final)\s+(?P<u>half|week|fortnight|ten\s+days)\s+of\s+"
                            rf"(?P<of>(?:the\s+)?(?:{'|'.join(sorted((*MONTHS, *MONTH_ABBR), key=len, reverse=True))})"
                            r"(?:,?\s+(?:19|20)\d\d)?)\b", _I)
_BARE_PART = r"\b(?:first|second|1st|2nd|last|final)\s+{u}\b(?!\s+(?:of|in|and)\b)"
_COMPARING = re.compile(r"\b(?:vs\.?|versus|against|compared|than)\b", _I)


def _elliptic_parts(text: str) -> str:
    """In a comparison ("the second half of May against the first half", "the first week vs the last week of June"),
    a part of a month named without its month (the same kind of part: half, week) is of the month named beside it."""
    named = list(_PART_OF_MONTH.finditer(text))
    if len(named) != 1 or not _COMPARING.search(text):
        return text
    unit, month = named[0].group("u"), named[0].group("of")
    bare = re.compile(_BARE_PART.format(u=r"\s+".join(unit.split())), _I)
    out, last = [], 0
    for m in bare.finditer(text):
        if named[0].start() <= m.start() < named[0].end():
            continue
        out.append(text[last:m.end()] + f" of {month}")
        last = m.end()
    return "".join(out) + text[last:] if out else text


# "one quarter at a time", "a month at a time": by that unit
_AT_A_TIME = re.compile(r"\b(?:one|a|an)\s+(?P<w>[^\W\d_]{3,})\s+at\s+a\s+time\b", _I)


def _wise_suffix(text: str) -> str:
    """`text` with "X-wise" (and "one X at a time") written as "by X" where X is a dimension ("branch-wise", "month
    wise", "state-wise", "one quarter at a time") and "X-wise" as X where it is a measure ("revenue-wise",
    "sales-wise"); other words with "wise" ("otherwise", "likewise") stay."""
    def swap(m: re.Match[str]) -> str:
        word = m.group("w")
        if any(rx.fullmatch(word) for _, rx in _DIM_RX):
            return f"by {word}"
        if _measure(word) is not None or _measure(f"{word} last month") not in (None, "units"):
            return word
        return m.group(0)

    def by_unit(m: re.Match[str]) -> str:
        word = m.group("w")
        return f"by {word}" if any(rx.fullmatch(word) for _, rx in _DIM_RX) else m.group(0)
    return _AT_A_TIME.sub(by_unit, _WISE.sub(swap, text))


def _parse_question(question: str, catalog: Catalog, today: date, previous: QuerySpec | None = None) -> Parsed:
    asked = question
    names = _names(catalog)
    # "1er mai", "1º de maio", "1° maggio": the day without its ordinal mark, before the month is put into English
    question = re.sub(r"(?<=\b\d)(?:er|ère|[º°ª])(?=\s+[^\W\d_])|(?<=\b\d\d)[º°ª](?=\s+[^\W\d_])", "", question)
    # "Umsatz der Berliner Filialen im Mai?": the tenant's language put into English (tools/sql/foreign.py)
    question = _dates_each_year(question)
    question = _elliptic_parts(question)
    question = _same_months_of(_named_year_back(_fortnights(_months_of_year(question, today))))
    question = _LENS_KIND.sub("lens type", _until_closed(question, catalog))
    if previous is None:  # in a follow-up "its last month" points back at the thread's store (parse_question's rule)
        question = _PERIOD_ASIDE.sub("", question)
    question = local_month_days(question, names, catalog_regions(catalog).countries if catalog.states else ())
    question = _local_events(foreign_months(question, names), catalog)
    question = in_english(question, names if language_of(question) else ())
    if MEASURE_LOAN.search(question):  # "monthly CA", "average remise per ticket": the staff's words for a measure
        question = measure_loans(question, names)
    question = _day_ordinals(question)
    question = _foreign_gloss(question, names)  # before the typo fixes make "visuales" a "visual"
    question = _wise_suffix(question)  # before the typo fixes make "revenue-wise" "revenues"
    # "₹2 lakh", "1.5 crore": South Asian scale words as the number (before the typo fixes make "lakh" a "Lake")
    question = _LAKH.sub(lambda m: f"{int(Decimal(m.group('n')) * _LAKH_SCALE[m.group('w').lower().rstrip('s')]):,}",
                         question)
    question = _named_gloss(_house_brand(question, catalog), catalog)
    # "this year v. last year", "Q1 v Q2": a lone "v" between two words is "versus"
    question = re.sub(r"(?<=\s)[vV]\.?(?=\s)", "vs", question)
    # "both branches I mean", "I meant revenue": the asker's own aside, never the statistic "mean"
    question = re.sub(r"[,;]?\s*\b(?:I|we)\s+mean[st]?\b,?", " ", question, flags=_I)
    in_currency, currency_refusal = _in_currency(question, catalog)
    if currency_refusal is not None:
        return currency_refusal
    fixed = _counted_noun_typo(correct_typos(_day_abbreviations(in_currency), catalog))
    # the currency written as the parser's money word ("in euros" -> "in dollars") is no spelling correction: the
    # reading shown is the question's own currency word with the other corrections
    shown = fixed if in_currency == question else _counted_noun_typo(correct_typos(_day_abbreviations(question),
                                                                                   catalog))
    corrected = shown if shown != asked else None
    if previous is not None:
        fixed = _of_them(fixed, previous)
        # "and a year earlier?": the same question a year back (never "compared with a year earlier", a comparison)
        fixed = re.sub(r"^\s*(?:and|so)\s+(?:(?:for|in)\s+)?(?:a|the)\s+year\s+(?:earlier|before)\s*\??\s*$",
                       "what about the year before?", fixed, flags=_I)
    # "yesterday (Sunday, so only the mall I guess)": a remark the asker hedges is their guess, no condition
    fixed = re.sub(r"\s*\([^()]*\b(?:I\s+(?:guess|think|suppose|believe|reckon|assume|imagine)|I'?m\s+guessing|probably"
                   r"|presumably|I\s+(?:would\s+)?expect)\b[^()]*\)", " ", fixed, flags=_I)
    # "how many shops, open or closed": every store the data holds, which is what a count of stores counts
    fixed = re.sub(r",?\s*\(?(?:both\s+)?(?:open\s+(?:and|or)\s+closed|closed\s+(?:and|or)\s+open)(?:\s+ones)?\)?"
                   r"(?=\s*(?:[?.!,;]|$))", "", fixed, flags=_I)
    # "closed ones included", "including the closed shops": the same, when the question counts stores
    if re.search(r"\bhow\s+many\s+(?:stores|shops|branch(?:es)?|locations|outlets)\b|\b(?:stores|shops|branches)\b[^?]*"
                 r"\b(?:count|number)\b|\b(?:count|number)\s+of\s+(?:stores|shops|branch(?:es)?)\b", fixed, _I):
        fixed = re.sub(r",?\s*\(?(?:(?:the\s+)?closed\s+(?:ones|stores|shops|branches)\s+(?:included|too|as\s+well)"
                       r"|incl(?:uding|\.)?\s+(?:the\s+)?closed\s+(?:ones|stores|shops|branches))\)?(?=\s*(?:[?.!,;]|$))",
                       "", fixed, flags=_I)
    # "July+August", "Faro + Lagos": a plus between two words is "and"
    fixed = re.sub(r"(?<=[^\W\d_])\s*\+\s*(?=[^\W\d_])", " and ", fixed)
    # "omzet p/winkel", "units p/ store": "p/" is the shorthand of "per"
    fixed = re.sub(r"(?<![\w/])[pP]/\s*(?=[^\W\d_])", "per ", fixed)
    # "Jacaranda-wide": the chain's own name before "-wide" is the whole company
    for word in (w for w in {*catalog.chain_prefix, *catalog.tenant_words} if len(w) >= 3):
        fixed = re.sub(rf"(?<![\w-]){re.escape(word)}-wide\b", "company-wide", fixed, flags=_I)
    # "01-03-2026": a day, month and year written with hyphens, read as the same with slashes ("01/03/2026")
    fixed = re.sub(r"(?<![\w/.:-])(\d{1,2})-(\d{1,2})-((?:19|20)\d\d)(?![\w/.:-])", r"\1/\2/\3", fixed)
    fixed, band_refusal = _band_width(fixed, catalog)
    if band_refusal is not None:
        return _refuse(band_refusal, [], corrected=corrected)
    # "q1 26", "H2 '25": a quarter or half with a two-digit year
    fixed = re.sub(r"\b([qQ][1-4]|[hH][12])\s*'?(\d{2})\b(?![\d:/.-])", r"\1 20\2", fixed)
    fixed = _edge_units(fixed, today)
    # "calendar year 2025", "the calendar quarter": the periods are calendar ones already
    fixed = re.sub(r"\bcalendar[\s-]+(year|quarter|month|week)\b", r"\1", fixed, flags=_I)
    # "Edelweiss-branded frames": the brand's frames; "the busiest trading day": a day
    fixed = re.sub(r"(?<=\w)(?:[\s-]+branded|-brand(?:ed)?)\b", " brand", fixed, flags=_I)
    fixed = re.sub(r"\btrading\s+(day|week|month)(s?)\b", r"\1\2", fixed, flags=_I)
    # "average discount per bill", "units per invoice": an order, as "bills" already are
    fixed = re.sub(r"\bper\s+(?:bill|invoice)\b", "per order", fixed, flags=_I)
    # "how'd Salem do": how did
    fixed = re.sub(r"\bhow['’]d\b", "how did", fixed, flags=_I)
    # "how many % were Thessaloniki", "how many percent": a share, not a count
    fixed = re.sub(r"\bhow\s+many\s+(?=%|per\s*cent\b|percent)", "what ", fixed, flags=_I)
    # "Quebec-province units", "Bavaria-wide": the place and its region noun written as one word
    fixed = re.sub(rf"(?<=[^\W\d_])-(?=(?:{REGION_WORDS})\b)", " ", fixed, flags=_I)
    # "per district", "the Porto district": the state-level places of a tenant whose country calls them districts
    if catalog_regions(catalog).word()[0] == "district":
        fixed = re.sub(r"\b(?:district)(s?)\b", r"region\1", fixed, flags=_I)
    # "customers by age band", "how many clients have we got on file": what only patient records hold, so the
    # customers are the patients
    if _PATIENT_ONLY.search(fixed):
        fixed = re.sub(r"\b(?:customer|client)(s?)\b", r"patient\1", fixed, flags=_I)
    # "patients per periphery (region)": the bracket says which dimension the local word is
    fixed = re.sub(rf"\b(per|by|each)\s+[^\W\d_]+\s*\(\s*({REGION_WORDS}|stores?|shops?|branch(?:es)?|cit(?:y|ies)"
                   r"|categor(?:y|ies)|brands?|products?)\s*\)", r"\1 \2", fixed, flags=_I)
    # "last week against the week before": the period before (not "the week before Easter", a dated week)
    fixed = re.sub(r"\b(vs\.?|versus|against|compared\s+(?:to|with)|over|and|or|to)\s+the\s+"
                   r"(day|week|month|quarter|year)\s+before\b(?=\s*(?:[?.!,;)]|$))", r"\1 the previous \2", fixed,
                   flags=_I)
    fixed = _black_friday_weeks(fixed, today)
    # "... against the 2025 one (5-11 May)": the other year's days as written in the brackets, with that year;
    # "May compared with the 2025 one", "the one in 2025", "2025's": the same period of that year
    fixed = re.sub(r"\bthe\s+(?P<y>(?:19|20)\d\d)(?:['’]s)?\s+(?:one|edition|version)\s*\((?P<d>[^()]*\d[^()]*)\)",
                   lambda m: m.group("d") if re.search(r"(?:19|20)\d\d", m.group("d")) else
                   f"{m.group('d')} {m.group('y')}", fixed, flags=_I)
    fixed = re.sub(r"\b(?P<c>vs\.?|versus|against|compared\s+(?:to|with)|with)\s+(?:the\s+(?P<y>(?:19|20)\d\d)\s+(?:one"
                   r"|edition|version)|the\s+one\s+(?:in|of|from)\s+(?P<z>(?:19|20)\d\d)|(?P<p>(?:19|20)\d\d)['’]s)(?![\w(])"
                   r"(?!\s*\()",
                   lambda m: f"{m.group('c')} the same period of {m.group('y') or m.group('z') or m.group('p')}",
                   fixed, flags=_I)
    # "how many SKUs do we list, sold or not": every listed product, whether it sold or not (the catalogue's count)
    fixed = re.sub(r",?\s*\(?(?:whether\s+(?:(?:they|it)\s+)?(?:have\s+|has\s+|were\s+|was\s+)?)?(?:sold|selling|sell)"
                   r"\s+or\s+(?:not(?:\s+sold)?|unsold)\)?(?=\s*(?:[?.!,;]|$))", "", fixed, flags=_I)
    # "July and August 2025 vs the same two months in 2024": two consecutive months on one side of a comparison are
    # one span (never July against August)
    # (either side: "July+August 2025 compared with July+August 2024")
    def consecutive(m: re.Match[str]) -> str:
        first, second = month_number(m.group("m1")), month_number(m.group("m2"))
        if first is None or second is None or second != first + 1 or (m.group("pre") is None and m.group("post")
                                                                         is None):
            return m.group(0)
        return f"{m.group('pre') or ''}{m.group('m1')} to {m.group('m2')}{m.group('y')}"
    fixed = re.sub(r"(?P<pre>\b(?:vs\.?|versus|against|compar(?:e|es|ed|ing)\s+(?:to|with)|than)\s+(?:the\s+|in\s+)?)?"
                   r"\b(?P<m1>[a-z]{3,9})(?:\s+(?:and|&)\s+|\s*\+\s*)(?:in\s+)?(?P<m2>[a-z]{3,9})"
                   r"(?P<y>,?\s+(?:19|20)\d\d)(?P<post>(?=\s*,?\s*(?:vs\.?|versus|against"
                   r"|compar(?:e|es|ed|ing)\s+(?:to|with))\b))?",
                   consecutive, fixed, flags=_I)
    # "which shop had the best average day": with no measure named, a day is best by its takings
    if _measure(fixed.lower()) is None:
        fixed = re.sub(r"\b(?P<a>(?:the|its|their)\s+(?:best|worst|highest|lowest|biggest|strongest|weakest)\s+"
                       r"average\s+(?:day|week|month|quarter))\b", r"\g<a> of revenue", fixed, flags=_I)
    # "which shop fell furthest", "grew fastest": the biggest change
    fixed = re.sub(r"\b(fell|dropped|declined|slipped|sank|grew|rose|climbed|improved|jumped)\s+(?:the\s+)?(?:furthest"
                   r"|farthest|hardest|fastest|biggest)\b", r"\1 the most", fixed, flags=_I)
    fixed = _iso_weeks(fixed, today)
    fixed = _context_amounts(_relative_ago(_numeric_dates(fixed, catalog), today), _tenant_marks(catalog),
                             scale_words(tenant_currency(catalog).code))
    fixed = _days_of_named_year(fixed, today)
    fixed = _dated_events(fixed, catalog, today)
    thread_stores = () if previous is None else previous.filters.store or tuple(
        s.code for s in catalog.stores if s.city in previous.filters.city)
    fixed, edge_refusal = _store_edges(fixed, catalog, today, thread_stores)
    if edge_refusal is not None:
        return _refuse(edge_refusal, [], corrected=corrected)
    fixed = _optical_and_sun(_since_opening(_before_closing(fixed, catalog, today), catalog, today))
    since_event = re.search(r"\bsince\s+(?:[\w'’.-]+\s+){0,4}?(?:opened|launched|started|began|introduced)\b"
                            r"(?!\s+(?:in|on)\s+[^?]*\d)", fixed, _I)  # "... opened in October 2025": that date
    if since_event:
        # "since we opened the Gdynia store", "since we launched the new range": the date of that event is not in
        # the data (a store's own figures start when it opened: "Gdynia's revenue since it opened" is answered)
        return _refuse(f'I do not know the date of "{" ".join(since_event.group(0).split())} ..." from your data, so I '
                       'did not guess it. Ask with a date, for example "since 2025-10-16".', [], corrected=corrected)
    fraction = _FRACTION_RANK.search(fixed)
    if fraction:
        return _refuse(f'I rank by a number of rows ("top 5", "bottom 3"), not by a share of them '
                       f'("{fraction.group(0)}"), so I did not pick a number for you. Ask with a number, or for the '
                       'whole ranking ("revenue by store, highest first").', [], corrected=corrected)
    last_unit = re.search(r"\b(?:this|the\s+same)\s+(?:time|point|day)\s+(?:last|a)\s+(?P<u>month|week|quarter)\b"
                          r"|\bthis\s+time\s+a\s+(?P<v>month|week|quarter)\s+ago\b", fixed, _I)
    if last_unit:
        unit = (last_unit.group("u") or last_unit.group("v")).lower()
        return _refuse(f'"{last_unit.group(0)}" could mean that one day, the {unit} so far or the whole {unit}, so I '
                       f'did not pick one. Ask with dates, for example "last {unit}" or "from 2026-05-01 to '
                       '2026-05-15".', [], corrected=corrected)
    if _ORDER_SIZE.search(fixed):
        return _refuse("I cannot count orders by how many items or how much money each one holds (a condition on "
                       "each order); I can give orders, units per order and average order value.", [],
                       corrected=corrected)
    this_time = _THIS_TIME_LAST_YEAR.search(fixed)
    if this_time and not parse_periods(fixed[:this_time.start()] + " " + fixed[this_time.end():], today):
        # alone, it names no period; after "so far this year vs" it is the same days of last year, read as such
        return _refuse('"this time last year" could mean the same day, week, month or the year so far, a year back, '
                       'so I did not pick one. Ask with dates, for example "June 2025", "the week of 2025-06-08" or '
                       '"2025 to date vs 2026 to date".', [], corrected=corrected)
    if this_time:  # "this month vs this time last year": the same days a year back, as "the same time last year"
        fixed = fixed[:this_time.start()] + "the same time last year" + fixed[this_time.end():]
    # "highest first", "in descending order", "from high to low": a sort order, never a catalog word ("First Snow"
    # frames) nor the orders measure
    fixed = re.sub(r"\b(?:highest|largest|biggest|most|best|top)\s+(?:ones?\s+)?first\b|\bin\s+(?:descending|decreasing"
                   r"|reverse)\s+order\b|\b(?:from\s+)?(?:the\s+)?(?:highest|high|biggest|most)\s+to\s+(?:the\s+)?"
                   r"(?:lowest|low|smallest|least)\b", "sorted descending", fixed, flags=_I)
    fixed = re.sub(r"\b(?:lowest|smallest|least|worst|bottom)\s+(?:ones?\s+)?first\b|\bin\s+(?:ascending|increasing)"
                   r"\s+order\b|\b(?:from\s+)?(?:the\s+)?(?:lowest|low|smallest|least)\s+to\s+(?:the\s+)?"
                   r"(?:highest|high|biggest|most)\b", "sorted ascending", fixed, flags=_I)
    # "the back half of 2025", "the front half of the year": the second / first half
    fixed = re.sub(r"\b(back|front)\s+half\b", lambda m: ("second" if m.group(1).lower() == "back" else "first")
                   + " half", fixed, flags=_I)
    # "the first half of 2025 or the second", "Q1 of 2025 vs the second": the second one's unit and year are the
    # first one's (never "the second" alone, which names no period)
    fixed = _ELLIPTIC_ORDINAL.sub(lambda m: f"{m.group(0)} {m.group('u')} of {m.group('y')}", fixed)
    # "the March quarter", "the June quarter of 2025" (as quarters are named in Australia and New Zealand): the
    # calendar quarter that ends in that month; a quarter named by another month ("the May quarter") is not read
    fixed = re.sub(r"\b(?:the\s+)?(?P<m>mar(?:ch)?|june?|sep(?:t(?:ember)?)?|dec(?:ember)?)\s+quarter\b"
                   r"(?:\s+(?:of|in)(?=\s+(?:19|20)\d\d\b))?",
                   lambda m: f"Q{('mar', 'jun', 'sep', 'dec').index(m.group('m')[:3].lower()) + 1}", fixed, flags=_I)
    fixed = _weekday_dates(fixed, catalog, today)
    fixed = _windows(_one_days(_named_days(fixed, today), today), today)
    fixed = _months_to(fixed, today)
    fixed = _open_ranges(fixed, catalog, today)
    # "since the start of the year / the beginning of this quarter": the period so far
    fixed = _SINCE_START.sub(lambda m: f"{m.group('u').lower()} to date", fixed)
    if re.search(r"\b(?:difference|differ|compar\w*|change|growth)\b[^?]*\bbetween\b", fixed, _I):
        fixed = re.sub(r"\bbetween\s+(.+?)\s+and\s+", r"\1 vs ", fixed, count=1, flags=_I)
    fixed = _without_chatter(fixed, catalog, today)
    fixed = _without_occasion(fixed, catalog, today)
    if _measure(fixed.lower()) == "stock_value":
        cost = _COST_BASIS.search(fixed)
        if cost:
            return _refuse(f'I cannot value stock "{" ".join(cost.group(0).split())}": your data holds one price per '
                           "product, its list (retail) price, and no cost or purchase price. I can give the stock "
                           'value at list prices ("what is our stock worth", "stock value by store").', [],
                           corrected=corrected)
        fixed = _RETAIL_BASIS.sub(" ", fixed)  # the list price is the one stock value uses: not a condition
    fixed = _without_circumstances(_without_remarks(_without_date_gloss(fixed)), catalog, today)
    # "brands of micas (lenses)": a word in lower case glossed by a category in brackets is that category, never a
    # product word of its own ("micas" in "Micas Jacaranda")
    fixed = _category_gloss(fixed)
    ex = extract(fixed, catalog, today)
    holiday = _HOLIDAY.search(ex.masked)  # not inside a catalog name ("Christmas Edition" frames)
    # "the Black Friday weekend, 28 November to 1 December": the dates the user gave say which days it covers
    dated = re.search(r"\b(?:19|20)\d\d-\d\d-\d\d\b", fixed) or any(
        p.grain in ("day", "range") and not _HOLIDAY.search(p.text or "") and re.search(r"\d", p.text or "")
        for p in ex.periods)
    if holiday and dated and len(ex.masked) == len(fixed):
        # the holiday's name (and its "weekend") only labels the dates given: read without it
        start, end = holiday.start(), holiday.end()
        after = re.match(r"\s+(?:weekend|sale|sales|period|week)\b", fixed[end:], _I)
        end += after.end() if after else 0
        year = re.search(r"\b((?:19|20)\d\d)(?:'s)?\s+$", fixed[:start])  # "the 2025 Black Friday weekend, 28 ..."
        start = year.start() if year else start
        year_after = re.match(r"\s+((?:19|20)\d\d)\b", fixed[end:])  # "the Black Friday weekend 2025 (28 Nov ..."
        if year is None and year_after:
            year, end = year_after, end + year_after.end()
        fixed = fixed[:start] + " " * (end - start) + fixed[end:]
        if year and not re.search(r"\b(?:19|20)\d\d\b", fixed):
            # the year of the holiday is the year of the dates given with it: "28 November to 1 December 2025"
            last = max((p.span[1] for p in ex.periods if re.search(r"\d", p.text or "") and p.span[1] > end),
                       default=len(fixed))
            fixed = f"{fixed[:last]} {year.group(1)}{fixed[last:]}"
        ex = extract(fixed, catalog, today)
        holiday = None
    if holiday and not dated:
        return _refuse(f'I do not know which dates "{holiday.group(0)}" covers in your business, so I did not guess.'
                       " Ask with dates, for example \"December 2025\" or \"from 2025-12-15 to 2025-12-31\".", [],
                       corrected=corrected)
    event = _named_event(fixed, ex) if ex.unresolved else None
    if event is not None and (dated or re.search(r"\(\s*\d{1,2}\s+[a-z]{3}[^()]*\d[^()]*\)", fixed, _I)):
        # "over Holy Week this year (30 Mar to 5 Apr)": the event's name only labels the dates given with it
        fixed = fixed[:event.start()] + " " * (event.end() - event.start()) + fixed[event.end():]
        ex = extract(fixed, catalog, today)
    elif event is not None:
        def quoted(m: re.Match[str]) -> str:
            return re.sub(r"^the\s+", "", " ".join(m.group(0).split()), flags=_I)

        name = quoted(event)
        # quoted as typed ("El Buen Fin 2025"), never as the typo correction read its words ("El Been Fin 2025")
        name = next((quoted(m) for m in _EVENT_NAME.finditer(question) if m.group("n") and len(
            quoted(m).split()) == len(name.split()) and m.group("y") == event.group("y")), name)
        year = event.group("y") or str(today.year)
        return _refuse(f'I do not know the dates of "{name}", so I did not guess them. Ask with its dates, for example '
                       f'"from {year}-MM-DD to {year}-MM-DD".', [], corrected=corrected)
    occasion = next(((s_, e_) for kind, _, s_, e_ in ex.hits if kind in ("keyword", "sku")
                     and _DURING_BEFORE.search(fixed[:s_]) and _OCCASION_AFTER.match(fixed[e_:])), None)
    if occasion is not None:
        # "sales during Carnaval 2026" where a model is called "Carnaval": a product is no stretch of time, so the
        # name is the occasion, whose dates the data does not hold (never the model's sales over the whole year)
        name = " ".join(fixed[occasion[0]:occasion[1]].split())
        given = re.match(r"\s*((?:19|20)\d\d)\b", fixed[occasion[1]:])
        year = given.group(1) if given else str(today.year)
        return _refuse(f'I do not know the dates of "{name}" ("{name}" is also one of your product names). Ask with '
                       f'dates, for example "from {year}-MM-DD to {year}-MM-DD", or for the product\'s sales in a '
                       f'period ("{name} sales in {year}").', [], corrected=corrected)
    staff = _BY_PERSON.search(ex.masked)
    if staff:
        return _refuse(f'Your data does not record who made each sale or test, so I cannot answer per '
                       f'{staff.group("w").lower()}. I can break the figures down by store, city, region, product, '
                       "brand, category or period.", [], corrected=corrected)
    if ex.unresolved and previous is not None and _FOLLOW_UP.search(fixed):
        ex = _store_or_model_from(previous, ex)
    if ex.unresolved:
        ex = _store_by_category(ex, catalog)
    if ex.unresolved:
        return Parsed(spec=None, unresolved=ex.unresolved, corrected=corrected)
    ex, ambiguous = _city_store(ex, fixed, catalog)
    if ambiguous:
        return Parsed(spec=None, unresolved=ambiguous, corrected=corrected)
    ex = _across_named_places(ex)
    ex = _without_included_aside(ex, fixed, catalog)
    ex = _without_chain_name(ex, fixed, catalog)
    mixed = _product_listed_with_place(ex, fixed)
    if mixed is not None:
        return _refuse(mixed, [], corrected=corrected)
    masked = " ".join(ex.masked.split())
    lower = masked.lower()
    ages, lower = _age_range(lower)
    if ages is not None and not ages:
        return _refuse("Patient ages are kept in 10-year bands (0-9 ... 80-89, 90+), so I can only answer for whole "
                       "bands (for example \"over 60\" or \"in their 40s\").", [], corrected=corrected)
    checked = ex.masked if ex.top_span is None else (
        ex.masked[: ex.top_span[0]] + " " * (ex.top_span[1] - ex.top_span[0]) + ex.masked[ex.top_span[1]:])
    _, checked = _age_range(checked.lower())
    # "days over $10k", "stores above 50k": a shorthand amount after a threshold word is a condition the parser does not
    # apply (before: dropped, the period's whole total answered)
    leftover = _NUMBER.search(checked) or next(
        (m for m in _SHORT_AMOUNT.finditer(checked) if _THRESHOLD_BEFORE.search(checked[: m.start()])), None)
    if leftover:
        return _refuse(f'I could not tell what the number "{leftover.group(0)}" refers to in this question, so I did '
                       "not guess.", [], corrected=corrected)
    several = _several_measures(lower)
    if several:
        return _refuse(f"I answer one measure at a time; you asked for {several}. Ask for each one (for example "
                       "\"revenue in October\", then \"and units?\").", [], corrected=corrected)
    if re.search(r"\b(?:average|avg|mean|typical)\b[^?]*\bper\s+(?:customer|patient|employee|person|head|visitor)\b"
                 r"|\bper\s+(?:customer|patient|employee|person|head|visitor)\b[^?]*\b(?:on\s+)?(?:average|avg)\b",
                 lower) and not re.search(r"\bper\s+(?:order|transaction|basket|unit|item|pair)\b", lower) and \
            _averaged(lower, _measure(lower)) not in _RATIOS:  # "average selling price per store": a breakdown
        return _refuse("Your sales are not recorded per customer, patient or employee, so I cannot average over them; "
                       "I can give averages per order, per unit, and per day, week, month, quarter, year or store.",
                       [], corrected=corrected)
    unread_text = _YOY.sub(" ", _FOR_OCCASION.sub(" ", lower))
    unread = _UNREAD_TIME.search(unread_text) or _FUTURE.search(unread_text) or _AGO_LEFT.search(
        _FOR_OCCASION.sub(" ", lower)) or (_PART_OF_PERIOD.search(lower) if ex.periods else None)
    if unread:
        future = " (future periods are not in the data)" if re.search(
            r"\b(?:next|coming|upcoming|following|tomorrow|tonight)\b", unread.group(0), _I) else ""
        return _refuse(f'I could not read the period "{unread.group(0)}"{future}. Ask '
                       'with dates, for example "last month", "Q1 2026" or "from 2026-03-01 to 2026-03-15".',
                       _understood(None, [], _filters_from(ex, "sales", fixed), None), corrected=corrected)
    measure = _averaged(lower, _measure(lower))
    if measure in ("orders", "discounted_orders", "order_lines") and _MONEY_OF_ORDERS.search(lower):
        # "revenue from orders in 2025": the money, not the count of orders; "revenue from discounted / large orders"
        # names a kind of order the spec cannot select, so it is refused below, never answered with a count
        if measure == "orders" and not _ORDER_KIND.search(lower):
            measure = "revenue"
        else:
            return _refuse(f'I cannot select "{(_ORDER_KIND.search(lower) or _MONEY_OF_ORDERS.search(lower)).group(0)}"'
                           ": I total revenue over all orders (or by store, product, period...), not over a kind of "
                           "order.", _understood(None, _dimensions(masked), _filters_from(ex, "sales", fixed),
                                                 ex.periods[0] if ex.periods else None), corrected=corrected)
    if measure in ("distinct_products", "distinct_brands", "distinct_stores") and re.search(
            r"\b(?:in\s+stock|on\s+hand|stocked|inventory|on\s+the\s+shel\w+)\b", lower):
        return _refuse("I count the different products or brands that were sold; how many different products are "
                       "in stock is not one of my measures (I can give units in stock, or items out of stock / below "
                       "their reorder point).",
                       _understood(None, _dimensions(masked), _filters_from(ex, "stock", fixed), None),
                       corrected=corrected)
    # "under our own Melati label": the brand named between "own" and "label" is the condition, and it is applied
    own_named = re.search(r"\b(?:own|house|private|in-house)[\s-]+(?P<n>\S.*?)\s+(?:brand|label)s?\b", fixed, _I)
    named_brand = own_named is not None and any(
        kind == "brand" and own_named.start("n") <= s_ < own_named.end("n") for kind, _, s_, _ in ex.hits)
    condition = (None if named_brand else _CONDITION_WORDS.search(lower)) or _EVENT_VERBS.search(
        _ALL_TIME.sub(" ", lower))
    if condition:
        return _refuse(_not_data_reason("unplaced", f'"{condition.group(0)}"'), _understood(
            None, _dimensions(masked), _filters_from(ex, "sales", fixed), ex.periods[0] if ex.periods else None),
            corrected=corrected)
    off_data = _not_a_data_question(ex, lower)
    no_discount = _NO_DISCOUNT.search(lower)
    if off_data is None and no_discount and (measure != "gross_revenue" or _COUNT_ASK.search(lower) or re.search(
            r"\b(?:units|orders|transactions|items)\b", lower)):
        return _refuse(f'I cannot apply "{no_discount.group(0)}": I can give orders with a discount, their share of '
                       "all orders, discount totals and rates, and revenue before discounts, but not what sold without "
                       "a discount.", _understood(None, _dimensions(masked), _filters_from(ex, "sales", fixed),
                                                  ex.periods[0] if ex.periods else None), corrected=corrected)
    if off_data is None and measure == "patients" and (_counts_sold_things(ex) or any(
            re.search(_MEASURE_NOUNS[m], lower, _I) for m in ("revenue", "units", "orders", "discounts", "stock"))):
        off_data = ("per_patient", "")  # "revenue from patients in their 40s": patients have no sales
    unplaced = _unplaced(ex, fixed, catalog) if off_data is None else []
    if unplaced:
        quoted = [f'"{w}"' for w in unplaced]
        off_data = ("unplaced", quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1])
    if off_data is not None and (off_data[0] != "bare" or measure == "units"):
        understood = _understood(None, _dimensions(masked), _filters_from(ex, "sales", fixed), None)
        period = ex.periods[0].label if ex.periods else None
        understood += [f"period: {period}"] if period else []
        return _refuse(_not_data_reason(*off_data), understood, corrected=corrected)
    weak = measure is not None and _MEASURE_RULES[-1][1].search(lower) is not None and _measure_rule(lower) == len(
        _MEASURE_RULES) - 1  # only a generic word ("best", "sales"): a follow-up may keep the previous measure
    # "which had the fewest?" after a ranking: "fewest" reads as units, though it names no units (a short question
    # after another is the previous one ranked the other way, `_follow_up`)
    unnamed_units = measure == "units" and not _UNITS_NAMED.search(lower)
    is_follow = previous is not None and (bool(_FOLLOW_UP.search(fixed)) or (
        (measure is None or weak or unnamed_units) and len(fixed.split()) <= 7))
    if is_follow and weak and not re.search(r"\b(?:revenue|sales)\b", lower):
        measure = None
    dims = _dimensions(masked, counted_set=bool(_COUNTED_SET.search(ex.masked)))
    each_of = _EACH_OF_UNITS.search(fixed)  # "revenue in each of the last 3 months" (the period is masked): by month
    if each_of and each_of.group("u").lower().rstrip("s") not in dims:
        dims.append(each_of.group("u").lower().rstrip("s"))
    asked, named_other, kind = _pick_periods(ex, fixed, today)
    if asked is not None and asked.grain == "day" and named_other is None and _WEEKEND.search(ex.masked):
        # "the weekend of May 9", "the 4th of July weekend": the Saturday and Sunday of the day's weekend when the
        # day is one of them; next to a weekday the weekend's days are a guess (Fri-Sun? Sat-Mon?): ask for dates
        if asked.start.weekday() < 5:
            return _refuse(f'{asked.label} is a {calendar.day_name[asked.start.weekday()]}, so I cannot tell which '
                           'days "the weekend" around it covers, and I did not guess. Ask with dates, for example '
                           f'"from {asked.start.isoformat()} to {(asked.start + timedelta(days=3)).isoformat()}".',
                           [], corrected=corrected)
        saturday = asked.start - timedelta(days=asked.start.weekday() - 5)
        asked = replace(asked, start=saturday, end=saturday + timedelta(days=2), grain="range",
                        label=f"the weekend of {saturday.isoformat()} and {(saturday + timedelta(days=1)).isoformat()}")
    ahead = [p for p in (asked, named_other) if p is not None and p.start > today]
    forecast = _FORECAST.search(lower)
    if forecast or ahead:
        what = f'"{" ".join(forecast.group(0).split())}"' if forecast else f"{ahead[0].label} has not started yet"
        return _refuse(f"I report what your data holds up to today ({today.isoformat()}); I do not forecast ({what}). "
                       "Ask about a period that has started, for example \"last month\" or \"this year so far\".",
                       _understood(measure, dims, _filters_from(ex, "sales", fixed), None), corrected=corrected)
    yoy = ex.year_over_year or bool(_YOY.search(lower))
    if kind == "explicit" and _THIS_YEAR_VS_LAST.search(fixed):
        # "Q1, this year vs last": the part of the year named beside it, this year against the year before (never
        # Q1 against the whole year so far)
        def text_of(p: Period) -> str:
            return " ".join((p.text or "").lower().split())

        part = [p for p in ex.periods if (p.grain in ("month", "quarter", "half", "season", "week") or (
            p.grain == "range" and p.start.year == (p.end - timedelta(days=1)).year
            and (p.start.month, p.start.day, p.end.month, p.end.day) != (1, 1, 1, 1)))
            and not _THIS_YEAR_TEXT.fullmatch(text_of(p))]
        whole = [p for p in ex.periods if _THIS_YEAR_TEXT.fullmatch(text_of(p))]
        last = [p for p in ex.periods if re.fullmatch(r"(?:the\s+)?(?:last|previous|prior)\s+year", text_of(p))]
        # "January to May this year vs last year": "this year" may be read into the part's own text
        this_year = whole or (part and re.search(r"\bthis\s+year\b", text_of(part[0])))
        if len(part) == 1 and this_year and len(ex.periods) == 1 + len(whole) + len(last) \
                and part[0].start.year == today.year:
            asked, named_other, kind, yoy = part[0], None, None, True
    change = bool(_CHANGE.search(lower)) or kind == "previous" or _periods_as_alternatives(ex, fixed)
    if change and named_other is None and not yoy and kind is None and len(ex.periods) <= 1 \
            and _COMPARE_MEMBERS.search(lower) and not _CHANGE.search(_COMPARE_MEMBERS.sub(" ", lower)):
        change = False  # "how do the weekdays compare on revenue this year": the weekdays side by side
    if change and asked is not None and named_other is None and not yoy and not _names_versus(ex, fixed):
        ends = _range_ends(asked, today)
        if ends is not None:  # "the biggest drop from 2024 to 2025": 2025 against 2024, not the span of both
            named_other, asked, kind = ends[0], ends[1], "explicit"
    if change and asked is not None and named_other is None and (asked.text or "").lower().startswith("since"):
        # "has it gone up since last year": this year so far against the same days of last year; "since March"
        # names no second period to compare with
        if re.fullmatch(r"since\s+(?:last|the\s+previous)\s+year", " ".join(asked.text.lower().split())):
            asked, yoy = parse_period("year to date", today), True
        else:
            return _refuse(f'I can compare two periods, but "{asked.text}" names only where one starts. Ask, for '
                           'example, "this month vs March".', [], corrected=corrected)
    desc, asc = bool(_DESC.search(_AT_LEAST.sub(" ", lower))), bool(_ASC.search(_AT_LEAST.sub(" ", lower)))
    share = bool(_SHARE.search(_PCT_CHANGE_WORDS.sub(" ", lower)))  # "percentage change" is a comparison
    if share and change and (kind == "explicit" or yoy) and not _SHARE.search(_PERCENT_WORDS.sub(" ", lower)):
        share = False  # "2025 vs 2024 as a percentage": the change in percent, not a share

    if is_follow and previous is not None:
        if ages:  # "and of them, how many are over 60?": the age bands are the follow-up's new filter
            ex = replace(ex, values={**ex.values, "age_band": ages})
        return _follow_up(previous, fixed, lower, ex, measure, dims, asked, named_other, kind, yoy, change, desc,
                          asc, share, today, corrected)
    if measure is None and any(d in ("age_band", "lens_type") for d in dims):
        measure = "patients"  # "what's the most common lens type": only patients have one
    # "how many eye test appointments did we book": appointments, which the data does not hold, not the service sold
    booked = re.search(r"\b(?:appointments?|bookings?|slots?|consultations?)\b", lower) is not None
    if measure is None and not booked and (desc or asc or _COUNT_ASK.search(lower)) and any(
            kind in ("sku", "keyword", "category", "brand") for kind, *_ in ex.hits) and re.search(
            r"\b(?:did|do|does|done|doing|performed|carried\s+out|booked)\b", lower):
        measure = "units"  # "which two stores did the most eye tests": a count of the named item, as units sold
    if measure is None and not booked and _only_services(ex, catalog):
        measure = "units"  # "eye exams done in December", "frame repairs last month": how many of the service
    if measure is None and asked is not None and not booked and (
            (named_other is not None or yoy or kind == "previous") and not dims
            or dims and all(d in TIME_DIMENSIONS for d in dims)) and \
            (any(k in ("store", "city", "state") for k, *_ in ex.hits) or not ex.hits and named_other is not None
             or not ex.hits and yoy) and not _MEASURE_WORD.search(lower):
        # "Chiado, last week against the week before", "Funchal month by month": how a shop did is its takings;
        # "March 2026 against March 2025", "Jan to May, this year against last year": how the business did
        measure = "revenue"
    if measure is None:
        if dims or asked or ex.values:
            return _refuse("I could not tell which number you want (units, revenue, orders, stock, patients...).",
                           _understood(None, dims, Filters(), asked), corrected=corrected)
        return _refuse("I could not find a question about your sales, stock or patients in that.", [],
                       corrected=corrected)
    if not ex.periods and measure == "revenue" and _HOW_IT_WENT.search(lower) and \
            not _MEASURE_WORD.search(lower):
        # "How did Braga do?": how it went needs a period, and the whole history is not what the asker means
        return _refuse('I can say how it did, but over which period? Ask, for example, "... last month", "... in '
                       '2025" or "... this year so far".', _understood(measure, dims, Filters(), None),
                       corrected=corrected)
    if measure == "units" and _store_sold_most(lower, dims, ex):
        measure = "revenue"
    family = MEASURES[measure].family
    if measure == "stock_on_hand" and re.search(r"\bunits?\s+(?:sold|sell)", lower):
        measure, family = "units", "sales"
    filters = _named_products_kinds(_filters_from(ex, family, fixed), catalog, fixed)
    if family == "sales":
        lens_words = _lens_type_words(filters, catalog)
        if isinstance(lens_words, str):
            return _refuse(lens_words, _understood(measure, dims, Filters(), asked), corrected=corrected)
        filters = lens_words
    if ages:
        if family != "patients":
            return _refuse("Ages are known for patients only.", _understood(measure, dims, filters, asked),
                           corrected=corrected)
        filters = Filters(**(dict(filters.items()) | {"age_band": ages}))
    if not dims and measure.startswith("items_") and re.search(
            r"\b(?:what|which)(?:'s|\s+is|\s+are|\s+has|\s+have)?\s+(?:currently\s+|now\s+|got\s+)?(?:running|out\b|below|under"
            r"|at\b|low|sold\s+out|need)"
            # "what did we run out of at Guelph", "what has the Leeds shop run out of", "what ran out"
            r"|\bwhat\s+(?:(?:did|have|has|had)\s+(?:[\w'-]+\s+){0,4}?)?(?:run|ran|runs|running)\s+out\b"
            # "list the items out of stock", "show me everything below reorder", "give me a list of ..."
            r"|^\W*(?:please\s+|can\s+you\s+|could\s+you\s+)?(?:list|show|name|give\s+me\s+(?:a\s+|the\s+)?list)\b",
            lower) and not _COUNT_ASK.search(lower) and not re.search(
                r"\b(?:count|total|tally)\b", lower):
        # "what's running low at Boulder": the items, one row each; with "how many" / "count" anywhere in the
        # question ("what's out of stock at Boulder? how many lines"), the count of them
        dims = ["product"]
    if not dims and (desc or asc) and family == "sales" and re.search(
            r"\bwho\s+(?:sold|sells|made|makes|took|takes|brought|moved|shifted|did|had|rang|generated)\b", lower):
        dims = ["store"]  # "who sold the most frames": the stores are the ones that sell
    if not dims and (desc or asc) and re.search(
            r"\bwhat\s+(?:did|do|have)\s+(?:we|you)\s+(?:sell|sold)\b|\bwhat\s+sold\b", lower):
        dims = ["product"]  # "what did we sell the most of": products
    the_store = _THE_STORE.search(_ASIDE_NOT.sub(" ", lower))  # "(the frame line, not the shop)": set aside
    if the_store and family == "sales" and len(catalog.stores) > 1 and "store" not in dims and not (
            filters.store or filters.city or filters.state) and not (previous is not None and previous.filters.store):
        # "how did the store do last month": one store is meant, and the question does not say which
        return _refuse(f'Which store do you mean by "{the_store.group(0)}"? You have {len(catalog.stores)}; name it '
                       '(for example "at ' + catalog.stores[0].name + '"), or ask for all of them ("by store").',
                       _understood(measure, dims, filters, asked), corrected=corrected)
    return _build(measure, family, dims, filters, ex, lower, asked, named_other, kind, yoy, change, desc, asc, share,
                  today, corrected, follow_up=False, text=fixed, catalog=catalog)


# a named occasion: capitalised words before a year ("El Buen Fin 2025", "Harbolnas 2024") or after "during / over
# ..." ("during Holy Week", "over Buen Fin"); an article in the user's language belongs to the name ("El Buen Fin")
_EVENT_NAME = re.compile(r"(?:(?:[Tt]he|El|La|Los|Las|Le|Les|Der|Die|Das|Il|Lo|De|Het)\s+)?"
                         r"(?P<n>[A-Z][\w'’-]*(?:\s+(?:de|del|la|of|the|da|do|di|van|von)?\s*[A-Z][\w'’-]*){0,3}"
                         # "Fête nationale 2025": lower-case words of the name, before its year
                         r"(?:\s+(?!(?:in|of|for|during|from|to|and|or|vs|the|this|last|so|at|on|over|since)\b)"
                         r"[a-zß-ÿĀ-ɏ][\w'’-]+(?=(?:\s+[a-zß-ÿĀ-ɏ][\w'’-]+)?\s+(?:19|20)\d\d\b)){0,2})"
                         r"(?:\s+(?P<y>(?:19|20)\d\d)\b)?")
# "Letní výprodej 2025 vs 2024 (1–14 July each year)", "the summer sale 2025 against 2024 (1-14 July both years)": an
# occasion in two years with its dates given once for both
_EACH_YEAR = re.compile(r"(?P<y1>(?:19|20)\d\d)\s+(?P<vs>vs\.?|versus|against|compared\s+(?:with|to))\s+"
                        r"(?:[^()\d,;?]{0,40}?\s)?(?P<y2>(?:19|20)\d\d)\s*,?\s*\(\s*(?P<d>[^()]*?\d[^()]*?)\s*,?\s*"
                        r"(?:in\s+)?(?:each|both|every|either)\s+(?:of\s+the\s+)?(?:years?|times)\s*\)", _I)


def _dates_each_year(text: str) -> str:
    """"Letní výprodej 2025 vs 2024 (1–14 July each year)": the dates given once, in each of the two years ("1–14 July
    2025 vs 1–14 July 2024"), the occasion's name (capitalised words before the first year) dropped: the dates say
    which days it covers. Anything else as written."""
    for m in reversed(list(_EACH_YEAR.finditer(text))):
        start = next((e.start() for e in _EVENT_NAME.finditer(text[:m.end("y1")])
                      if e.group("n") and e.end() == m.end("y1")), m.start())
        text = f"{text[:start]}{m.group('d')} {m.group('y1')} {m.group('vs')} {m.group('d')} {m.group('y2')}" \
               f"{text[m.end():]}"
    return text


_EVENT_CUE = re.compile(r"\b(?:during|over|throughout|around|before|after|since)\s+(?:the\s+)?$", _I)
_PLACE_BEFORE = re.compile(r"\b(?:in|at|from|for|of|by)\s+(?:the\s+|our\s+)?$", _I)


def _named_event(text: str, ex: Extraction) -> re.Match[str] | None:
    """The named occasion that every unknown name of the question lies in ("El Buen Fin 2025", "during Holy Week"):
    capitalised words that a year follows or an occasion cue ("during", "over") precedes. None otherwise (an unknown
    store or product name is reported as such)."""
    unknown = [u.text for u in ex.unresolved if u.kind != "ambiguous"]
    if not unknown or len(unknown) != len(ex.unresolved):
        return None
    for m in _EVENT_NAME.finditer(text):
        if not m.group("n") or not (m.group("y") or _EVENT_CUE.search(text[:m.start()])):
            continue
        if any(p.span[0] < m.end("n") and m.start("n") < p.span[1] and not re.search(
                r"\b(?:de|del|of|da|di|do)\s+$", text[:p.span[0]], _I) for p in ex.periods):
            continue  # "sales for Gotham March 2026": a name, then its period (never "Feria de Abril 2025")
        if not _EVENT_CUE.search(text[:m.start()]) and _PLACE_BEFORE.search(text[:m.start()]) and not re.match(
                r"\s*\([^()]*\d[^()]*\)", text[m.end():]):
            continue  # "revenue in Hesse 2025": an unknown place, asked as such ("the day of the Letní výprodej 2025
            # (1-14 July)": a name with its dates in brackets is the occasion they are)
        if all(re.search(rf"(?<!\w){re.escape(u)}(?!\w)", m.group(0), _I) for u in unknown) and \
                not any(m.start("n") <= h[2] < m.end("n") and h[0] in ("store", "city", "state") for h in ex.hits):
            return m
    return None


_DURING_BEFORE = re.compile(r"\b(?:during|throughout|over)\s+(?:the\s+)?$", _I)
_OCCASION_AFTER = re.compile(r"\s*(?:(?:19|20)\d\d\b|[?.!,;]|$|(?:this|last)\s+year\b)", _I)
_CATEGORY_GLOSS = re.compile(r"(?<![\w'-])(?P<w>[a-zß-ÿ][\w'-]*)\s*\(\s*(?P<g>(?i:" + "|".join(
    sorted({re.escape(w) for words in CATEGORY_WORDS.values() for w in words if "_" not in w}, key=len, reverse=True))
    + r"))\s*\)")
_ORDINALS = r"(?:first|second|third|fourth|1st|2nd|3rd|4th)"
_CATEGORY_PHRASES = "|".join(sorted({re.escape(w) for words in (CATEGORY_WORDS, FOREIGN_CATEGORY_WORDS)
                                     for ws in words.values() for w in ws if "_" not in w}, key=len, reverse=True))
_CATEGORY_RESTATED = re.compile(rf"(?<![\w'-])(?P<a>{_CATEGORY_PHRASES})(?P<o>\s*\(\s*(?P<b>{_CATEGORY_PHRASES})\s*\))",
                                _I)


def _category_gloss(text: str) -> str:
    """"micas (lenses)", "tròng kính (lenses)": the words in lower case right before a category in brackets are that
    category in the asker's words: the nearest one always, the one or two before it while they are no English word
    or word the parser knows (never "revenue of" before them)."""
    english = english_words()
    for m in reversed(list(_CATEGORY_GLOSS.finditer(text))):
        start = m.start("w")
        for word in reversed(list(re.finditer(r"[^\W\d_][\w'-]*", text[: m.start("w")]))[-2:]):
            if text[word.end():start].strip() or not word.group(0).islower() or word.group(0) in english or (
                    word.group(0) in _parser_vocabulary()):
                break
            start = word.start()
        text = text[:start] + m.group("g") + " " * (m.end() - start - len(m.group("g"))) + text[m.end():]
    # "frames (gọng kính)", "sunglasses (óculos de sol)": the same category said again in brackets adds nothing
    for m in reversed(list(_CATEGORY_RESTATED.finditer(text))):
        if _category_of(m.group("a")) == _category_of(m.group("b")) is not None:
            text = text[: m.start("o")] + " " * (m.end() - m.start("o")) + text[m.end():]
    return text


# a short bracket right after a word ("eye exams (exámenes visuales)")
_BRACKET_AFTER_WORD = re.compile(r"(?<=[^\W\d_])\s*\((?P<g>[^()\d]{3,40})\)")


_GLOSS_STOP = frozenset("how many much what which who the our a an of in at for on by to from and or did do does was "
                        "were is are we us my all any each every".split())
_LIST_LEAD = frozenset("the our my their those these all both two three four five six seven eight nine ten "
                       "of at in for from".split())
_PLACE_LIST_JOIN = re.compile(r"(?:\s*(?:,|\+|&|/|\band\b|\bplus\b)\s*)", _I)
_GLOSSED_AREA = re.compile(r"(?<![\w-])(?:(?P<w>[A-Z]{2,5})(?![\w-])|(?P<w2>[A-Z][\w-]*)\s+(?:region|area|zone"
                           r"|cluster|belt|circle|territory|patch)\b)")


# words that make a bracket a condition, never a gloss ("Zeiss (not Hoya)", "frames (only the Vltava ones)")
_GLOSS_KEEP = re.compile(r"\b(?:not|no|excl\w*|except\w*|without|only|just|incl\w*|and|or|vs|versus|plus|minus|but"
                         r"|other|others|all|each|every|per|by|in|at|from|to|since|until|last|this|next)\b")


_HOUSE_BRAND = (r"\b(?:(?:our|the|its|their)\s+)?(?:(?:own|house|in[\s-]+house|private[\s-]+label|store)\s+brand"
                r"|own[\s-]+label|house\s+label)\b")


def _house_brand(text: str, catalog: Catalog) -> str:
    """`text` with "our house brand X" / "our own label, X" (X one of the tenant's brands) written "the X brand"; "our
    own brand" alone stays (which brand is the tenant's own is not recorded: the parser asks)."""
    if not re.search(_HOUSE_BRAND, text, _I) or not catalog.brands:
        return text
    names = "|".join(re.escape(b) for b in sorted(catalog.brands, key=len, reverse=True))
    text = re.sub(rf"{_HOUSE_BRAND}\s*,?\s*(?P<b>{names})(?![\w-])(?:\s+brand\b)?", r"the \g<b> brand", text,
                  flags=_I)
    return text  # "our own brand" alone: which brand is the tenant's own is not recorded (asked)


def _named_gloss(text: str, catalog: Catalog) -> str:
    """A bracket that names the tenant's own things glosses the asker's word for them, which is dropped so it is never
    read as an unknown condition: "how many eye tests (Aankh Jaanch)" (the words right before a bracket holding one
    product, brand or store name: the name is what they mean), "Látásvizsgálat (eye exams)" (English words glossing
    the one name right before the bracket), "NCR revenue (Delhi + Gurugram branches)" (an acronym
    the parser does not know, or a name before an area noun, outside a bracket that lists only the tenant's cities
    or regions: the list is what it means)."""
    if "(" not in text:
        return text
    single = {n.lower() for n in (*(p.name for p in catalog.products), *catalog.brands,
                                  *(s.name for s in catalog.stores))}
    places = {n.lower() for n in (*catalog.cities, *catalog.states) if n}
    known = _parser_vocabulary() | english_words()
    own = {w for n in _names(catalog) for w in re.findall(r"[^\W\d_]+", n.lower())}
    for m in reversed(list(re.finditer(r"\((?P<g>[^()]{2,80})\)", text))):
        inside = " ".join(m.group("g").split()).lower()
        head, comma, tail = inside.partition(",")
        tail_words = re.findall(r"[^\W\d_]+", tail)
        if comma and head.strip() in single and 0 < len(tail_words) <= 5 and not re.search(r"\d", tail) \
                and not _GLOSS_KEEP.search(tail) and all(w in known and w not in own for w in tail_words):
            # "consults (Consult optometric, the eye test)": the name, then the asker's English for it
            text = text[: m.start("g") + m.group("g").index(",")] + text[m.end("g"):]
            inside = head.strip()
        if inside in single:
            # the words right before the bracket (up to three, letters only, back to a function word)
            words = list(re.finditer(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", text[: m.start()]))
            run: list[re.Match[str]] = []
            for word in reversed(words[-3:]):
                gap = text[word.end(): run[0].start() if run else m.start()]
                if word.group(0).lower() in _GLOSS_STOP or gap.strip(" \t-"):
                    break  # a function word, or a number or sign between: the run ends
                run.insert(0, word)
            if run and any(w.group(0).lower() not in _parser_vocabulary() and w.group(0).lower() not in own
                           for w in run):
                text = text[: run[0].start()] + text[m.start():]
            continue
        before = text[: m.start()].rstrip().lower()
        words_inside = re.findall(r"[^\W\d_]+", inside)
        if words_inside and len(words_inside) <= 4 and not re.search(r"\d", inside) \
                and not _GLOSS_KEEP.search(inside) and all(w in known and w not in own for w in words_inside) \
                and any(len(n) >= 4 and before.endswith(n) for n in single):
            # "Látásvizsgálat (eye exams)", "the Vltava (frames)": the asker's English for the name just written
            text = text[: m.start()] + text[m.end():]
            continue
        listed = [p.strip() for p in _PLACE_LIST_JOIN.split(" ".join(m.group("g").split())) if p and p.strip()]
        noun = re.search(r"(?P<d>(?:[^\W\d_]+\s+){1,2}?)(?:shops|stores|branches|outlets|locations)\s*$",
                         text[: m.start()], _I)
        if noun and len(listed) >= 2 and all(
                [h[0] for h in extract(part, catalog, date.today()).hits] == ["store"]
                or any(re.search(rf"(?<!\w){re.escape(part.lower())}$", s.name.lower()) for s in catalog.stores)
                for part in listed):
            # "the street shops (Calea Victoriei, Titan, Eroilor)": the stores listed are the ones meant; a word
            # describing them the data does not hold ("street", "mall") is dropped, never asked about
            kept = " ".join(w for w in noun.group("d").split() if w.lower() in _LIST_LEAD)
            text = f"{text[: noun.start('d')]}{kept + ' ' if kept else ''}{text[noun.end('d'):]}"
            continue
        bare = re.sub(r"\b(?:branch(?:es)?|stores?|shops?|outlets?)\b", " ", inside, flags=_I)
        parts = [p for p in _PLACE_LIST_JOIN.split(bare) if p and p.strip()]
        if len(parts) >= 2 and all(p.strip() in places for p in parts):
            outside = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end():]
            # an acronym ("NCR") or a name before an area noun ("the Konkan belt"), never any unknown word (an unknown
            # brand before the bracket stays unknown, and is asked about)
            for word in _GLOSSED_AREA.finditer(outside):
                w = (word.group("w") or word.group("w2")).lower()
                vocabulary = _parser_vocabulary() if word.group("w") else known
                if w not in vocabulary and w not in own and fold(w) not in own:
                    text = text[: word.start()] + text[word.end():]
                    break
    return text


def _foreign_gloss(text: str, names: tuple[str, ...]) -> str:
    """"eye exams (exámenes visuales)": a bracket of one to three words right after a word, none of them an English
    word, a word the parser or its phrase tables know, or a word of the tenant's names (`names`), is the asker's own
    translation of what comes before it: dropped, never read as an unknown condition. In a bracket with a region noun
    ("(la Quinta Región)") the noun and the short words are left out of that test."""
    brackets = list(_BRACKET_AFTER_WORD.finditer(text))
    if not brackets:
        return text
    english = english_words()
    known = _parser_vocabulary() | phrase_words()
    own = {w for n in names for w in re.findall(r"[^\W\d_]+", n.lower())}
    for m in reversed(brackets):
        words = re.findall(r"[^\W\d_]+", m.group("g").lower())
        if any(re.fullmatch(REGION_WORDS, fold(w)) for w in words) and \
                re.search(rf"\b(?:{REGION_WORDS})\s*$", fold(text[: m.start()])):
            # "the Valparaíso region (la Quinta Región)": after a named region, its other name in the asker's
            # language; its noun and articles say nothing, the words left decide ("per periphery (region)" is not
            # after a region: the bracket names the dimension)
            words = [w for w in words if len(w) > 3 and not re.fullmatch(REGION_WORDS, fold(w))]
            if not words:  # "(V Región)", "(the region)": a numeral or an article and the noun, no condition
                text = text[: m.start()] + text[m.end():]
                continue
        if 1 <= len(words) <= 3 and not any(w in english or w in known or fold(w) in known or w in own
                                            or fold(w) in own for w in words):
            text = text[: m.start()] + text[m.end():]
    return text


def _category_of(phrase: str) -> str | None:
    phrase = " ".join(phrase.lower().split())
    return next((c for words in (CATEGORY_WORDS, FOREIGN_CATEGORY_WORDS) for c, ws in words.items() if phrase in ws),
                None)


_ELLIPTIC_ORDINAL = re.compile(rf"\b{_ORDINALS}\s+(?P<u>half|quarter)\s+(?:of\s+)?(?P<y>(?:19|20)\d\d)\b[\s,]*"
                               r"(?:[a-z]+er\s+)?"
                               rf"(?:or|vs\.?|versus|than|against|compared\s+(?:to|with))\s+(?:in\s+|during\s+)?"
                               rf"(?:the\s+)?{_ORDINALS}(?!\s+(?:half|quarter|one)\b)"
                               r"(?=\s*(?:[?.!,;]|$|one\b|for\b|at\b|in\b))", _I)


# "which store sold the most", "did Andares sell more in H1 or H2": a store's selling, with nothing counted named, is
# its takings (the bench sets label it revenue, 2 of 2); "which store sold the most frames" counts the frames (units)
_SOLD_MORE = re.compile(r"\b(?:sold|sells?|selling)\s+(?:the\s+)?(?:most|fewest|least|more|fewer|less)\b", _I)


def _store_sold_most(lower: str, dims: list[str], ex: Extraction) -> bool:
    """A store (or its place) that "sold the most / more" with no product, count noun or other measure named."""
    if not _SOLD_MORE.search(lower) or any(kind in ("category", "brand", "sku", "keyword") for kind, *_ in ex.hits):
        return False
    if _measure(_SOLD_MORE.sub(" ", lower)) not in (None, "revenue"):
        return False  # "sold the most units", "how many ... sold more"
    located = bool(ex.values.get("store") or ex.values.get("city") or ex.values.get("state"))
    return any(d in ("store", "city", "state") for d in dims) or (not dims and located)


def _build(measure: str, family: str, dims: list[str], filters: Filters, ex: Extraction, lower: str,
           asked: Period | None, named_other: Period | None, kind: str | None, yoy: bool, change: bool, desc: bool,
           asc: bool, share: bool, today: date, corrected: str | None, *, follow_up: bool,
           base_ranking: Ranking | None = None, text: str = "", base_exclude: Filters | None = None,
           catalog: Catalog | None = None) -> Parsed:
    notes: list[str] = []
    average = re.search(r"\b(?:average|avg|mean|median|typical)\b", lower)
    over = _average_unit(lower) if MEASURES[measure].family == "sales" else None
    if over is None and average and ("weekday" in dims or filters.weekday) and MEASURES[measure].family == "sales":
        # "which weekday brings in the most on average": the mean day of each weekday; "on Saturdays on average":
        # the mean Saturday
        over = "day"
    if over is not None and MEASURES[measure].additive and not share:
        average = None  # "average monthly revenue": the mean of the monthly totals (QuerySpec.average_over)
        dims = [d for d in dims if d != over]
    else:
        over = None
    if average and MEASURES[measure].additive and not share:
        return _refuse(f'I can give the average order value, average selling price, units per order and average '
                       f'discount per order, but not "{average.group(0)}" {MEASURES[measure].label}; I did not answer '
                       "with the total instead.", _understood(measure, dims, filters, asked), corrected=corrected,
                       follow_up=follow_up)
    aside = Filters()
    if text and catalog is not None:
        filters, aside = _aside_negation(ex, text, filters, catalog)
    filters, exclude = _exclusions(ex, text, filters) if text else (filters, Filters())
    if not aside.is_empty():
        exclude = Filters(**{k: tuple(dict.fromkeys((*getattr(exclude, k), *getattr(aside, k))))
                             for k in {*dict(exclude.items()), *dict(aside.items())}})
    clash = [name for name, _ in exclude.items() if getattr(filters, name)]
    if clash and not share:
        # "Kittery minus Dover": leaving Dover out of Kittery changes nothing, so it is not an exclusion; both are
        # shown side by side (a breakdown by that kind), never Kittery alone as if it were the difference
        name = clash[0]
        filters = Filters(**(dict(filters.items()) | {name: getattr(filters, name) + getattr(exclude, name)}))
        exclude = Filters(**{k: v for k, v in exclude.items() if k != name})
        if name in DIMENSIONS and name not in dims:
            dims = [*dims, name]
    if exclude.is_empty() and base_exclude is not None:
        exclude = base_exclude
    # dimensions that do not fit the measure's table are dropped only when they are filters' words ("frames in
    # stock by store" keeps store); otherwise the combination is refused by check_spec below.
    if measure == "discount_rate" and share:
        share = False
    if measure == "discounted_orders" and share and not dims:
        measure, share = "discounted_order_rate", False  # "what percent of orders had a discount"
    if measure in ("store_count", "product_count", "brand_count", "patients", "stock_on_hand") or \
            family == "stock":
        dims = [d for d in dims if d not in TIME_DIMENSIONS]
    if measure in ("store_count", "distinct_stores"):
        dims = [d for d in dims if d != "store"]
    if measure == "product_count":
        dims = [d for d in dims if d != "product"]
    if measure == "brand_count":
        dims = [d for d in dims if d != "brand"]
    # two values of one kind with "vs" in one period: a breakdown by that kind ("Oakley vs Ray-Ban this year")
    if filters.weekday and "day" in dims and (desc or asc):
        # "were Saturdays our busiest day": days of the week ranked (is Saturday first?), not the best Saturday
        filters = Filters(**{k: v for k, v in filters.items() if k != "weekday"})
        dims = ["weekday" if d == "day" else d for d in dims]
    if re.search(r"\bweekends?\b", lower) and re.search(r"\bweekdays?\b", lower) and family == "sales":
        filters = Filters(**{k: v for k, v in filters.items() if k != "weekday"})
        dims = [*dims, "weekday"] if "weekday" not in dims else dims
        change = False
    if _SPLIT.search(lower) and kind != "explicit" and not yoy:
        for name, values in filters.items():
            if len(values) >= 2 and name in DIMENSIONS and name not in dims:
                dims.append(name)
                change = False
                share = share or bool(re.search(r"\bsplit\b", lower))
                break
    if change and (kind != "explicit" and not yoy or text and any(_versus_names(ex, text))):
        # "Oakley vs Ray-Ban this year": a breakdown by brand; "Kookaburra vs Banksia, 2025 vs 2024": the two names
        # side by side, each compared across the two periods (never the two added up)
        for name, values in filters.items():
            if len(values) >= 2 and name in DIMENSIONS and name not in dims:
                dims.append(name)
                change = kind == "explicit" or yoy
                break
    ranking: Ranking | None = base_ranking
    n = ex.top_n
    pick = _COMPARATIVE_PICK.search(lower)
    if pick and dims and not desc and not asc and not change and not share:
        # "which store had fewer orders", "which brand sold more": the one with the most / the fewest
        n = n or 1
        asc = pick.group("c").lower() in _LESS_WORDS
        desc = not asc
    if re.search(r"\b(?:highest|lowest|largest|smallest|biggest|most|best|worst)\s+(?:first|to\s+\w+est)\b|\bsorted\b"
                 r"|\bin\s+(?:descending|ascending)\s+order\b|\b(?:descending|ascending)\b", lower) and dims \
            and not share and n is None:
        direction = "asc" if re.search(r"\b(?:lowest|smallest|worst)\s+first\b|\bascending\b", lower) else "desc"
        ranking = Ranking(direction=direction, limit=None)
        desc = asc = False
    never = re.search(r"\b(?:haven'?t|hasn'?t|have\s+not|has\s+not|didn'?t|did\s+not|never|not|aren'?t|isn'?t"
                      r"|weren'?t|wasn'?t|don'?t|doesn'?t)\s+(?:been\s+)?(?:really\s+)?"
                      r"(?:sold|sell|selling|moved|moving)\b|\b(?:no|zero)\s+sales\b|\bnot\s+selling\b"
                      # "which stores sold no Native sunglasses", "sold nothing", "sold zero frames"
                      r"|\b(?:sold|sell|selling|moved)\s+(?:no|zero|nothing|none)\b"
                      r"|\b(?:had|has|have|with|made|took|recorded)\s+(?:no|zero)\s+(?:sales|revenue|orders|units"
                      r"|takings|turnover)\b", lower)
    if never and not dims:
        return _refuse("I can list what did not sell (for example \"which products haven't sold this year\"), but "
                       "not count it or total it.", _understood(measure, dims, filters, asked), corrected=corrected,
                       follow_up=follow_up)
    if dims and never:
        desc, asc, n = False, True, n or 20  # "which products haven't sold": lowest first, zeros included
        if measure == "revenue" and not re.search(r"\b(?:revenue|turnover|takings|income|money|sales\s+value)\b",
                                                  lower):
            measure = "units"  # "which products didn't sell at all": none sold, a count
    if (desc or asc or n is not None) and not share:
        direction = "asc" if asc and not (desc and _DESC.search(lower) and lower.find(
            _DESC.search(lower).group(0)) < lower.find(_ASC.search(lower).group(0))) else "desc"  # type: ignore[union-attr]
        if n is None:
            n = DEFAULT_TOP_N if _PLURAL_ASK.search(lower) else 1
        each = _IN_EACH.search(lower)
        inner = _dim_at_start(each.group("w")) if each is not None else None
        ranked_category = _ranked_category(ex, text.lower()) if (not dims or dims == [inner]) and text and \
            family in ("sales", "stock") else None
        if ranked_category is not None:
            # "which accessory sold the fewest", "which lens sold best": the products of that category, ranked
            # ("the best two frames in each store": within each store)
            dims = [*dims, "product"]
            if ex.top_n is None:
                n = 1 if ranked_category == "singular" else DEFAULT_TOP_N
        if inner in dims and len(set(dims)) == 2:
            # "the best store in each province", "top 2 products per store": the top N inside every group (one
            # top-N of all rows would give the best rows of the whole chain, never each group's)
            dims = [inner, *(d for d in dims if d != inner)]
            ranking = Ranking(direction=direction, limit=n, per_group=True)
            word = "lowest" if direction == "asc" else "highest"
            what = DIMENSIONS[dims[1]].label if n == 1 else f"{n} {DIMENSIONS[dims[1]].plural}"
            notes.append(f"the {what} with the {word} figure in each {DIMENSIONS[inner].label}")
        elif dims or measure in ("stock_on_hand",):
            ranking = Ranking(direction=direction, limit=n)
        elif family in ("sales", "stock") and len(listed := [k for k in ("store", "city", "state", "category",
                                                                         "brand", "product")
                                                             if len(getattr(filters, k)) >= 2]) == 1 \
                and re.search(r"\b(?:which|who|what)\b", lower):
            # "Among AFI, Pipera and Palas, which sold the fewest units?": the ones named, ranked among themselves
            dims = listed
            ranking = Ranking(direction=direction, limit=n)
        elif family in ("sales", "stock", "patients"):
            # a ranking with nothing named to rank ("top 5 last month"): say so, never answer the total instead
            return _refuse("I could not tell what to rank (stores, products, brands, months...?).",
                           _understood(measure, dims, filters, asked), corrected=corrected, follow_up=follow_up)
    if share and family == "sales" and (yoy or (change and named_other is not None)):
        # "frames' share of revenue, 2025 vs 2024": never the share of both years added together
        return _refuse("I can give a share for one period, or compare two periods, but not both in one answer; ask "
                       "for the share in each period.", _understood(measure, dims, filters, asked),
                       corrected=corrected, follow_up=follow_up)
    comparison: Comparison | None = None
    time_range = to_range(asked) if asked is not None else None
    seq = _SEQUENTIAL.search(lower)
    if family == "sales" and seq and kind != "explicit":
        grain = seq.group("g") or seq.group("e") or {"mom": "month", "wow": "week", "qoq": "quarter"}[
            (seq.group("a") or "mom").lower()]
        dims = [d for d in dims if d not in TIME_DIMENSIONS] + [grain]
        comparison = Comparison(kind="sequential")
        yoy = change = False
        ranking = None
    time_dims = [d for d in dims if d in _TIME_AXIS_DIMS]
    if family == "sales" and (yoy or change) and not share and time_dims and comparison is None:
        if yoy or kind == "explicit":
            return _refuse(f"I can compare two periods in total or by store, product, brand or category, but not "
                           f"{DIMENSIONS[time_dims[0]].label} by {DIMENSIONS[time_dims[0]].label} across the two. Ask "
                           "for each period by itself, or for the change from one "
                           f"{DIMENSIONS[time_dims[0]].label} to the next.",
                           _understood(measure, dims, filters, asked), corrected=corrected, follow_up=follow_up)
        comparison = Comparison(kind="sequential")  # "revenue growth by month": each month against the one before
        dims = [d for d in dims if d not in time_dims] + [time_dims[-1]]
        yoy = change = False
        ranking = None
    if family == "sales" and (yoy or change) and not share:
        current = asked
        if current is None:
            current = parse_period("year to date" if yoy else "last month", today)
            notes.append(f"no period named: compared {current.label if current else ''}")
        assert current is not None
        clamped = current.clamp(today)
        if yoy and kind != "explicit":
            other = clamped.year_earlier()
            comparison = Comparison(kind="year_over_year", time_range=to_range(other))
        elif kind == "explicit" and named_other is not None:
            other = named_other.clamp(today)
            like_for_like = _LIKE_FOR_LIKE.search(text or lower) is not None
            if clamped.partial and named_other.start == current.previous().start and like_for_like:
                other = clamped.previous()  # "this month vs the same days of last month": the first 15 days of each
            elif clamped.partial and named_other.start == current.year_earlier().start:
                other = clamped.year_earlier()
            # else "units this quarter vs last quarter" mid-quarter: last quarter is named, so all of it (the
            # interpretation line says the current one is not over and how to ask for the same days)
            comparison = Comparison(kind="explicit", time_range=to_range(other))
        elif kind == "previous" and clamped.partial and not _LIKE_FOR_LIKE.search(text or lower):
            # "this quarter against the previous quarter": the one named, whole
            comparison = Comparison(kind="previous_period", time_range=to_range(current.previous()))
        else:
            comparison = Comparison(kind="previous_period", time_range=to_range(clamped.previous()))
        time_range = to_range(clamped)
        if ranking is not None and _BY_CHANGE.search(lower):
            falling = bool(_FALL.search(lower)) and not bool(_ASC.search(lower))
            ranking = Ranking(direction="asc" if falling else ranking.direction, limit=ranking.limit,
                              by="change_pct" if _PCT_CHANGE.search(lower) else "change")
    elif kind == "explicit" and named_other is not None and family == "sales":
        # two periods without a comparison word ("March and April"): both together when they touch, else refuse
        assert asked is not None
        if named_other.end < asked.start and not named_other.end == asked.start:
            return _refuse(f"I can answer one period ({named_other.label} or {asked.label}), the span from one to "
                           "the other, or compare them, but not two separate periods added together.",
                           _understood(measure, dims, filters, asked), corrected=corrected, follow_up=follow_up)
        inner = next((p for p, q in ((asked, named_other), (named_other, asked))
                      if q.start <= p.start and p.end <= q.end), None)
        if inner is not None:
            # one inside the other ("our May target ... what did we do in May", "in 2025 ... 28 Nov - 1 Dec"): the
            # narrower one says which days
            time_range = to_range(inner)
        else:
            time_range = TimeRange(start=min(asked.start, named_other.start), end=max(asked.end, named_other.end),
                                   label=f"{named_other.label} and {asked.label}")
    if over is not None and over != "store":
        time_range = _complete_units(time_range, over, today, notes)
    if family != "sales" and time_range is not None and time_range.end <= today:
        # "what ran out last month", "stock at the end of 2025": the data holds only today's stock, so a past
        # period would be answered with today's figures -- another question
        return _refuse(f"Your data holds {MEASURES[measure].label} only as of now (a current snapshot), not for "
                       f"{time_range.label}; ask without the period for the current figures.",
                       _understood(measure, dims, filters, asked), corrected=corrected, follow_up=follow_up)
    if family != "sales" and time_range is not None:
        notes.append(f"{MEASURES[measure].label} is a current snapshot; the period ({time_range.label}) was not "
                     "applied.")
        time_range = None
    if family == "patients" and filters.brand and catalog is not None and all(
            set(b.lower().split()) <= set(catalog.chain_prefix) | set(catalog.tenant_words) for b in filters.brand):
        # "how many patient records does Zellige hold": patients have no brand; a house brand named like the chain
        # is the company there
        filters = Filters(**{k: v for k, v in filters.items() if k != "brand"})
    if family == "patients" and (filters.city or "city" in dims):
        refused = _patients_by_city(filters, dims, notes)
        if isinstance(refused, str):
            return _refuse(refused, _understood(measure, dims, filters, asked), corrected=corrected,
                           follow_up=follow_up)
        filters = refused
    nowhere = _places_apart(filters) if family in ("sales", "stock") else None
    if nowhere:
        # "Andalucía and Valencia" (a region and a city of another region): one filter on each would select no store
        # and answer 0; the places are listed instead of intersected, which the spec cannot say: ask
        return _refuse(f"{nowhere} have no store in common, so I cannot apply them together. Ask about them one at a "
                       "time, or side by side (\"by city\", \"by store\").", _understood(measure, dims, filters, asked),
                       corrected=corrected, follow_up=follow_up)
    part = Filters()
    if share and family in ("sales", "stock", "patients") and MEASURES[measure].additive:
        if not dims:
            groups = [g for g in (_PRODUCT_KINDS, _LOCATION_KINDS, _PATIENT_KINDS, ("weekday",))
                      if any(getattr(filters, k) for k in g)]
            pivot = _measure_position(ex.masked.lower())
            named = [k for k, _ in filters.items()]
            after = [k for k in named if _first_mention(ex, (k,)) > pivot >= 0]
            whole_of = _share_whole(ex, named)
            contrast = _share_contrast(ex, filters)
            if contrast is not None:  # "Quebec, as opposed to Ontario and New Brunswick": over the three together
                part = contrast
            elif whole_of is None and _same_kind_on_both_sides(ex, filters):
                return _refuse("I can give a part's share of a total that contains it (\"Kittery's share of Maine "
                               "revenue\"), or both values side by side, but not one value as a percentage of another.",
                               _understood(measure, dims, filters, asked), corrected=corrected, follow_up=follow_up)
            if contrast is not None:
                pass  # the part set above; the whole keeps every value named
            elif whole_of is not None:  # "Oakley's share of sunglasses revenue": the whole keeps sunglasses
                part = Filters(**{k: getattr(filters, k) for k in named if k not in whole_of})
                filters = Filters(**{k: v for k, v in filters.items() if k in whole_of})
            elif after and len(after) < len(named):  # "sunglasses revenue ... was Costa": the part is named last
                part = Filters(**{k: getattr(filters, k) for k in after})
                filters = Filters(**{k: v for k, v in filters.items() if k not in after})
            elif groups:
                part_group = max(groups, key=lambda g: _first_mention(ex, g))
                part = Filters(**{k: getattr(filters, k) for k in part_group if getattr(filters, k)})
                filters = Filters(**{k: v for k, v in filters.items() if k not in part_group})
            else:
                # "what percent of last year's units were X" with X unread: the share of nothing named is no
                # question the total answers; say what was understood
                return _refuse("I read a share (a part as a percentage of a total) but could not tell which part "
                               "you mean: name a store, place, brand, category or product that is in your data.",
                               _understood(measure, dims, filters, asked), corrected=corrected, follow_up=follow_up)
        else:  # "share of sunglasses in revenue per province": the part within each group's whole
            named = [k for k, _ in filters.items()]
            in_groups = _share_part_in_groups(ex, named, dims)
            if in_groups:
                part = Filters(**{k: getattr(filters, k) for k in named if k in in_groups})
                filters = Filters(**{k: v for k, v in filters.items() if k not in in_groups})
    else:
        share = False
    try:
        spec = QuerySpec(measure=measure, dimensions=tuple(dims), filters=filters, time_range=time_range,
                         ranking=ranking if dims else None, comparison=comparison, share_of_total=share, part=part,
                         exclude=exclude, average_over=over)
        check_spec(spec)
    except (SpecError, ValueError) as error:
        reason = str(error) if isinstance(error, SpecError) else "that combination cannot be answered"
        reason = re.sub(r"\bstate\b", _region_word(), reason)
        return _refuse(f"I cannot answer that as asked: {reason}.", _understood(measure, dims, filters, asked),
                       corrected=corrected, follow_up=follow_up)
    return Parsed(spec=spec, notes=(*_readings_said(ex, spec), *notes), follow_up=follow_up, corrected=corrected)


def _readings_said(ex: Extraction, spec: QuerySpec) -> tuple[str, ...]:
    """"Berlin" read as the city because the city and the state select the same stores: which reading the spec used,
    said in one line (entities.same_store_readings)."""
    said = []
    word = _region_word()
    for text, city, state in ex.readings:
        reading = "city" if city in spec.filters.city else word if state in spec.filters.state else None
        if reading is not None:
            said.append(f'"{text}" is both your city {city} and your {word} {_region_display(state)}, with the same '
                        f"stores either way: read as the {reading}.")
    return tuple(dict.fromkeys(said))


# "vs the same days of last quarter", "like for like", "last month to date": a period not over is compared with the
# same number of days of the one before (without these words, a named earlier period is taken whole)
_LIKE_FOR_LIKE = re.compile(r"\bsame\s+(?:\w+\s+){0,2}?(?:days?|period|point|time|stage|dates|number\s+of\s+days"
                            r"|span|stretch|length)\b|\blike[\s-]+for[\s-]+like\b|\blfl\b|\b(?:comparable|equivalent"
                            r"|matching)\s+(?:period|days|dates|point|stretch)\b"
                            r"|\b(?:last|previous|prior)\s+(?:month|quarter|year|week|half)\s+(?:to\s+date|so\s+far|at\s+"
                            r"(?:this|the\s+same)\s+(?:point|stage))\b|\bfirst\s+\d+\s+days\b"
                            r"|\b(?:mtd|qtd|ytd)\b[^?]*\b(?:mtd|qtd|ytd)\b|\bto\s+date\b[^?]*\bto\s+date\b", _I)
_BEFORE_PREVIOUS = re.compile(r"\b(?:the\s+)?(?P<u>day|week|month|quarter|year|period)\s+(?:before|earlier|prior)\b"
                              r"|\bthe\s+(?:previous|prior|preceding)\s+(?P<v>day|week|month|quarter|year|period)\b",
                              _I)
_PER_MEASURE = {("revenue", "order"): "avg_order_value", ("units", "order"): "units_per_order",
                ("discount_total", "order"): "avg_discount_per_order", ("revenue", "unit"): "avg_selling_price",
                ("gross_revenue", "order"): "avg_order_value"}


_AVERAGE_WORD = re.compile(r"\b(?:average|avg|mean|typical|typically|usual|usually)\b", _I)
_AVERAGE_DENOMINATOR = re.compile(
    r"\b(?:per|each|every|an?|the|one|single)\s+(?:(?:average|typical|usual|single)\s+)?"
    r"(?P<d>orders?|transactions?|baskets?|receipts?|tickets?|checkouts?|purchases?|units?|items?|pairs?|pieces?)\b",
    _I)
_SPEND = re.compile(r"\b(?:spend|spent|spends|worth|value|pay|paid|go(?:es)?\s+for|went\s+for|sell(?:s)?\s+for"
                    r"|sold\s+for|ring\s+up|rang\s+up)\b", _I)


_RANK_VERB = (r"(?:sold|sells|sell|selling|moved|moves|did|does|do|was|is|were|are|has|had|have|brought|brings|bring"
              r"|made|makes|earned|earns|generated|generates|got|gets|performed|performs|went)")


def _ranked_category(ex: Extraction, lower: str) -> str | None:
    """Is the one product category named the thing ranked ("which accessory sold the fewest", "what lens sells best",
    "which frames did best")? "singular" / "plural" by the word used, None when the category is only a filter
    ("top 5 last month in frames") or more than one category or another product-level name is named."""
    if len(ex.values.get("category", ())) != 1 or any(ex.values.get(k) for k in ("sku", "keyword")):
        return None
    for kind, _, start, end in ex.hits:
        if kind != "category":
            continue
        word = lower[start:end]
        before = lower[:start]
        after = lower[end:]
        asked = re.search(r"\b(?:which|what)\s+(?:(?:single|one|kind\s+of|type\s+of|sort\s+of)\s+)?$", before)
        # "best selling accessory", "the least sold lens", "our top-selling frame": the ranked word before it
        ranked_before = re.search(r"\b(?:(?:best|worst|top|bottom|most|least|slowest|fastest)[\s-]+"
                                  r"(?:selling|sold|moving|popular)|top|bottom"
                                  # "the top 3 frames", "our best two lenses": a number of them, ranked
                                  r"|(?:top|bottom|best|worst)\s+(?:\d+|two|three|four|five|six|seven|eight|nine|ten))"
                                  r"\s+$", before)
        if not (asked and re.match(rf"\s+{_RANK_VERB}\b", after)) and not ranked_before:
            continue
        singular = word in {w for words in CATEGORY_WORDS.values() for w in words if not w.endswith("s")} \
            or word.endswith("lens") or word.endswith("accessory")
        return "singular" if singular else "plural"
    return None


def _patients_by_city(filters: Filters, dims: list[str], notes: list[str]) -> Filters | str:
    """Patients are recorded by state-level place, never by city: a city that is also one of the tenant's states
    (Berlin, Hamburg, Vienna, Bremen, Washington DC...) is read as that state, and a note says so; any other city,
    or a breakdown by city, gives the reason to refuse (what patients can be broken down by)."""
    word = _region_word()
    can = f"patients can be counted in total or by age band, lens type or {word}"
    if "city" in dims:
        return f"Patients cannot be broken down by city: they are recorded by {word} only; {can}."
    catalog = _CATALOG.get()
    regions = catalog_regions(catalog) if catalog is not None and catalog.states else None
    as_state = {city: regions.resolve(city) if regions is not None else None for city in filters.city}
    if catalog is not None:
        # "patients in Quebec City": a city named like its state is that state only when the state holds no other
        # city of the tenant's (Berlin, Hamburg, Genève); Québec the city is not the province of Montréal and Lévis
        as_state = {city: state if state is None or {s.city for s in catalog.stores if s.state == state} <= {city}
                    else None for city, state in as_state.items()}
    for city in [c for c, state in as_state.items() if state is None and catalog is not None and regions is not None]:
        # "patients in Mexico City": a city that is itself a state-level place (Ciudad de México) under a code of
        # another scheme ("DF"): the one stored state all its stores are in, when that state has no other city
        held = {s.state for s in catalog.stores if s.city == city}
        if len(held) == 1 and {s.city for s in catalog.stores if s.state in held} == {city} and \
                is_subdivision_name(city, regions.countries):
            as_state[city] = next(iter(held))
    other = [city for city, state in as_state.items() if state is None]
    if other:
        return (f"I cannot count patients in {_or(other)}: patients cannot be filtered by city (they are recorded "
                f"by {word} only); {can}.")
    states = tuple(dict.fromkeys((*filters.state, *(s for s in as_state.values() if s is not None))))
    shown = ", ".join(f"{city} as the {word} {_region_display(state)}" for city, state in as_state.items()
                      if state is not None)
    notes.append(f"patients are recorded by {word}, not by city: read {shown}.")
    return Filters(**(dict(filters.items()) | {"city": (), "state": states}))


def _or(values: list[str]) -> str:
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


_UNIT_WORDS = {"day": "day", "daily": "day", "week": "week", "weekly": "week", "month": "month", "monthly": "month",
               "quarter": "quarter", "quarterly": "quarter", "year": "year", "yearly": "year", "annual": "year",
               "annually": "year", "store": "store", "shop": "store", "location": "store", "branch": "store",
               "outlet": "store",
               **{f"{d}day{s}": "day" for d in ("mon", "tues", "wednes", "thurs", "fri", "satur", "sun")
                  for s in ("", "s")}}
_PER_UNIT = (r"(?:per|a|each|every|one|the\s+average|an\s+average)\s+(?:single\s+)?"
             r"(?:day|week|month|quarter|year|store|shop|location|branch|outlet)\b")
# "average Saturday revenue", "revenue on an average Monday": the mean over those days (with the weekday filter)
_WEEKDAY_UNIT = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
_ADVERB_UNIT = r"(?:daily|weekly|monthly|quarterly|yearly|annual)"
# "average monthly revenue", "avg daily orders", "mean units per store", "revenue per day on average", "the monthly
# average": an average of a sales total over days / weeks / months / quarters / years / stores. Not "median" or
# "typical" (a different statistic), nor per order / per unit (those are the ratio measures).
_AVERAGE_PER = re.compile(
    rf"\b(?:average|avg|mean)\s+(?:\w+\s+){{0,5}}?{_PER_UNIT}|\b(?:average|avg|mean)\s+(?:\w+\s+){{0,2}}?{_ADVERB_UNIT}\b"
    rf"|\b{_ADVERB_UNIT}\s+(?:average|avg|mean)\b|\b{_PER_UNIT}[^?]*?\bon\s+(?:average|avg)\b"
    rf"|\bon\s+(?:average|avg)\b[^?]*?\b{_PER_UNIT}|\b{_ADVERB_UNIT}\b[^?]*?\bon\s+(?:average|avg)\b"
    rf"|\bon\s+(?:average|avg)\b[^?]*?\b{_ADVERB_UNIT}\b"
    rf"|\b(?:average|avg|mean)\s+(?:\w+\s+){{0,2}}?{_WEEKDAY_UNIT}\b|\b(?:per|each|every)\s+{_WEEKDAY_UNIT}\b"
    # "what did the average store take", "how much does an average month bring in"
    rf"|\b(?:the|an)\s+average\s+(?:store|shop|location|branch|outlet|day|week|month|quarter|year)\b"
    # "which shop had the best average day": each store's mean day
    rf"|\b(?:the|its|their)\s+(?:best|worst|highest|lowest|biggest|strongest|weakest)\s+average\s+(?:day|week|month"
    rf"|quarter)\b", _I)


def _unit_start(day: date, over: str) -> date:
    """The first day of the day / week (Monday) / month / quarter / year that contains `day`."""
    if over == "week":
        return day - timedelta(days=day.weekday())
    if over == "month":
        return day.replace(day=1)
    if over == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if over == "year":
        return date(day.year, 1, 1)
    return day


def _complete_units(time_range: TimeRange | None, over: str, today: date, notes: list[str]) -> TimeRange | None:
    """An average per day / week / month / quarter / year counts whole units only: the period starts at the first
    whole unit and ends where the last whole one ends, never after today ("average monthly revenue this year" in
    mid-June ends on 31 May; "average weekly orders in May" runs from its first Monday to its last Sunday), and a
    note says so. A period with no whole unit in it is averaged as asked, with a note."""
    if time_range is None:
        return time_range
    first = _unit_start(time_range.start, over)
    start = first if first == time_range.start else _next_unit(first, over)
    end = _unit_start(min(time_range.end, today), over)
    if (start, end) == (time_range.start, time_range.end):
        return time_range
    if end <= start:
        notes.append(f"The period holds no whole {over}, so part-{over}s are averaged.")
        return time_range
    last = end - timedelta(days=1)
    notes.append(f"Only whole {over}s are averaged: {start.isoformat()} to {last.isoformat()}.")
    label = (f"{time_range.label or time_range.start.isoformat()}, whole {over}s {start.isoformat()} to "
             f"{last.isoformat()}")
    return TimeRange(start=start, end=end, label=label)


# "week 20 of 2026", "week 20, 2026", "KW 20", "wk 20", "W20 2026": the ISO week (Monday to Sunday); never the day of
# a numeric date ("the week 29.12.2025 - 04.01.2026" is the dates)
_ISO_WEEK = re.compile(r"\b(?:(?:the\s+)?(?:calendar\s+)?(?:week|wk|kw)\s*(?:no\.?\s*|number\s+|#\s*)?|w)"
                       r"(?P<n>[1-9]|[1-4]\d|5[0-3])(?![./]\d)(?:\s*(?:of|in|,)?\s*(?P<y>(?:19|20)\d{2}))?\b(?!\s*(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep"
                       r"|oct|nov|dec|weeks?|days?|months?|%|percent|stores?|products?))", _I)


def _iso_weeks(text: str, today: date) -> str:
    """ISO week numbers as their dates ("week 20 of 2026" -> "from 2026-05-11 to 2026-05-17"); a week without a year
    is the latest one with that number that has started. A week 53 a year does not have is left as written."""
    def dates(m: re.Match[str]) -> str:
        n = int(m.group("n"))
        years = [int(m.group("y"))] if m.group("y") else [today.year, today.year - 1]
        for year in years:
            try:
                monday = date.fromisocalendar(year, n, 1)
            except ValueError:
                return m.group(0)
            if m.group("y") or monday <= today:
                sunday = monday + timedelta(days=6)
                return f"from {monday.isoformat()} to {sunday.isoformat()}"
        return m.group(0)
    return _ISO_WEEK.sub(dates, text)


def _next_unit(first: date, over: str) -> date:
    if over == "day":
        return first + timedelta(days=1)
    if over == "week":
        return first + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}[over]
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _average_unit(lower: str) -> str | None:
    """The unit a sales total is averaged over ("average monthly revenue": month; "units per store on average":
    store), or None. With a time unit and a store named ("average monthly revenue per store"), the time unit is the
    average and the store a breakdown."""
    if re.search(r"\bmedian\b", lower) or (re.search(r"\btypical\b", lower) and not re.search(
            r"\b(?:average|avg|mean)\b", lower)):
        return None  # "a typical month" alone may be a median; "a typical month (the average month)" says which
    found = [m.group(0) for m in _AVERAGE_PER.finditer(lower)]
    units = [_UNIT_WORDS[w] for text in found for w in re.findall(r"[a-z]+", text.lower()) if w in _UNIT_WORDS]
    timed = [u for u in units if u != "store"]
    return timed[0] if timed else (units[0] if units else None)


def _averaged(lower: str, measure: str | None) -> str | None:
    """An average of a total over orders or units, however worded: "how much discount did each order get on average"
    (discounts / orders), "on average how many items are in each order" (units / orders), "what did a pair of
    sunglasses sell for on average" (revenue / units), "average order size in units". The total is read from the
    question without its average word and its denominator; a total with no per-order or per-unit form (stock,
    patients) keeps `measure` (the average of a total is then refused as before)."""
    average = _AVERAGE_WORD.search(lower)
    if average is None or (measure is not None and not MEASURES[measure].additive and measure not in (
            "avg_order_value",)):
        return measure
    for denominator in _AVERAGE_DENOMINATOR.finditer(lower):
        unit = "order" if denominator.group("d").rstrip("s") in ("order", "transaction", "basket", "receipt", "ticket",
                                                                 "checkout", "purchase") else "unit"
        rest = lower[: denominator.start()] + " " + lower[denominator.end():]
        rest = _AVERAGE_WORD.sub(" ", rest)
        rest = re.sub(r"\bon\s+(?=\s)", " ", rest)  # "on average" without its average word
        base = _measure(rest)
        if base is None and _SPEND.search(rest):
            base = "revenue"
        elif base in ("orders", "order_lines") and _SPEND.search(rest):
            base = "revenue"
        if base == "units" and not _UNITS_NAMED.search(rest) and _SPEND.search(rest):
            base = "revenue"  # "what did a pair sell for": money, not a count
        per = _PER_MEASURE.get((base or "", unit))
        if per is not None:
            return per
    return measure


_AGO_NUMBERS = {"one": 1, "a": 1, "an": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_AGO = re.compile(r"\b(?:(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
                  r"(?P<u>day|week|month|quarter|year)s?\s+ago|(?:the\s+)?(?P<v>week|month|quarter|year)\s+before\s+last)\b",
                  _I)


def _relative_ago(text: str, today: date) -> str:
    """"two months ago", "the quarter before last", "3 years ago", "2 weeks ago": the whole calendar week (Monday to
    Sunday) / month / quarter / year that many back from the current one, written out ("the week of 2026-05-25",
    "April 2026", "Q4 2025", "2023") so the date parser reads it; "3 days ago" is that one day. "a year ago" stays (it
    is a year-over-year comparison); "a week ago" / "one week ago" stays unread (the day a week back, or last week?),
    so the parser asks for dates instead of picking one."""

    def named(m: re.Match[str]) -> str:
        unit = (m.group("u") or m.group("v")).lower()
        n = 2 if m.group("v") else (int(m.group("n")) if m.group("n").isdigit() else _AGO_NUMBERS[m.group("n").lower()])
        if unit in ("year", "week") and n == 1 or n == 0:
            return m.group(0)
        if unit == "day":
            return (today - timedelta(days=n)).isoformat()
        if unit == "week":
            monday = today - timedelta(days=today.weekday() + 7 * n)
            return f"the week of {monday.isoformat()}"
        if unit == "month":
            index = today.year * 12 + today.month - 1 - n
            return f"{calendar.month_name[index % 12 + 1]} {index // 12}"
        if unit == "quarter":
            index = today.year * 4 + (today.month - 1) // 3 - n
            return f"Q{index % 4 + 1} {index // 4}"
        return str(today.year - n)

    return _AGO.sub(named, text)


_OPEN_BEFORE = re.compile(r"\b(?:before|prior\s+to|ahead\s+of|earlier\s+than)\s+"
                          r"(?:the\s+(?:start|beginning)\s+of\s+)?$", _I)
_OPEN_AFTER = re.compile(r"\b(?:after|later\s+than|following)\s+(?:the\s+end\s+of\s+)?$", _I)
_OPEN_UNTIL = re.compile(r"\b(?:until|till|til|up\s+(?:to|until|till)|to\s+the\s+end\s+of|by\s+the\s+end\s+of)\s+"
                         r"(?:and\s+including\s+)?(?:the\s+end\s+of\s+)?$", _I)


# "since Easter", "after Christmas", "up to New Year's Day": one named day as the point an open range starts or ends at
# (a holiday as a period, "Easter sales", "over Christmas", stays refused: how many days it covers is the business's)
_NAMED_DAY = re.compile(r"\b(?P<prep>since|after|before|until|till|up\s+(?:to|until)|prior\s+to|ahead\s+of|following)"
                        r"\s+(?:the\s+)?"
                        r"(?P<day>easter(?:\s+sunday)?|christmas(?:\s+day)?|xmas(?:\s+day)?|new\s+year(?:'?s)?(?:\s+day)?)"
                        r"(?:\s+(?P<year>(?:19|20)\d\d))?\b(?!\s*(?:eve|weekend|week|holidays?|period|season|sales?\b|break"
                        r"|monday|friday|time|'s))", _I)


# one named day, which is one date whatever the business ("sales on Christmas Eve 2025", "Boxing Day revenue last
# year", "how did Good Friday go"): that date (the named year's, "last / this year"'s, else the latest one on or before
# today). "Christmas", "Easter" alone name a season and stay refused.
_ONE_DAY = re.compile(r"\b(?P<day>(?:christmas|xmas)\s+(?:eve|day)|boxing\s+day|new\s+year'?s\s+(?:eve|day)"
                      r"|valentine'?s\s+day|st\.?\s+valentine'?s\s+day|hall?owe'?en|easter\s+(?:sunday|monday)"
                      r"|good\s+friday|st\.?\s+patrick'?s\s+day|saint\s+patrick'?s\s+day)"
                      r"(?:\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)|\s+(?P<rel>last|this)\s+year)?\b", _I)
_FIXED_DAYS = {"christmas eve": (12, 24), "xmas eve": (12, 24), "christmas day": (12, 25), "xmas day": (12, 25),
               "boxing day": (12, 26), "new year's eve": (12, 31), "new years eve": (12, 31),
               "new year's day": (1, 1), "new years day": (1, 1), "halloween": (10, 31), "hallowe'en": (10, 31),
               "valentine's day": (2, 14), "valentines day": (2, 14)}


def _named_day(name: str, year: int) -> date:
    name = re.sub(r"^(?:st\.?|saint)\s+", "", " ".join(name.lower().split()))
    if name.startswith(("easter", "good friday")):
        from dateutil.easter import EASTER_WESTERN, easter

        sunday = easter(year, EASTER_WESTERN)  # Western (Gregorian) Easter Sunday
        return sunday + timedelta(days={"easter monday": 1, "good friday": -2}.get(name, 0))
    if name.startswith(("patrick", "patricks")):
        return date(year, 3, 17)
    if name.replace("haloween", "halloween") in _FIXED_DAYS:
        return date(year, *_FIXED_DAYS[name.replace("haloween", "halloween")])
    if name.startswith(("christmas", "xmas")):
        return date(year, 12, 25)
    return date(year, 1, 1)


# "the bottom half of our stores", "top 10% of products": a share of the rows, which a ranking does not give
_FRACTION_RANK = re.compile(r"\b(?:top|bottom|best|worst|upper|lower|highest|lowest)\s+(?:half|third"
                            r"|(?:\d{1,2}|ten|twenty)\s*(?:%|per\s*cent|percent))(?=\s|$|[?.,!])", _I)
# a condition on each order's size: "orders with more than one item", "baskets of 3+ products", "single-item orders"
_ORDER_SIZE = re.compile(r"\b(?:orders?|transactions?|baskets?|receipts?|sales)\b[^?]*?\b(?:(?:more|fewer|less)\s+than"
                         r"|at\s+least|over|under|above|below)\s+(?:one|two|three|four|five|\d+)\s+(?:items?|units?"
                         r"|products?|pairs?|lines?|things?|articles?)\b|\b(?:single|multi)[\s-]*(?:item|unit|product|line)"
                         r"\s+(?:orders?|transactions?|baskets?|sales)\b"
                         r"|\b(?:orders?|baskets?)\s+(?:of|with)\s+\d+\+", _I)
_THIS_TIME_LAST_YEAR = re.compile(r"\b(?:this|the\s+same)\s+time\s+(?:last|a)\s+year\b"
                                  r"|\bthis\s+time\s+a\s+year\s+ago\b", _I)
_WEEKDAY_REL = re.compile(rf"\b(?P<rel>last|this\s+past|past|previous|this|since|on)\s+(?P<day>{_DAY_NAMES})\b"
                          r"(?!['’]?s\b)"
                          rf"|\b(?P<own>(?P<oday>{_DAY_NAMES})['’]s)(?=\s+(?:\w+\s+){{0,2}}?"
                          rf"(?:sales|revenue|takings|units|orders|numbers|figures|total)\b)", _I)


# a day that is not about the sales: when the asker needs the answer ("by Thursday") or when something else happens
# ("for the meeting on Thursday"); left out, so it is neither a date nor a day-of-week filter
_WEEKDAY_ASIDE = re.compile(rf"(?P<lead>\b(?:meeting|call|review|presentation|deadline|session|briefing|catch[\s-]?up"
                            rf"|stand[\s-]?up|interview|chat|visit|report|email|e-mail)\b(?:\s+[\w'-]+){{0,3}}?)\s+on\s+"
                            rf"(?:{_DAY_NAMES})\b(?!['’]?s\b)|(?P<by>)\b(?:by|before|till|until)\s+(?:{_DAY_NAMES})\b"
                            rf"(?!['’]?s\b)(?=[^?]*\b(?:{_DAY_NAMES}s?|\d{{4}}|last|this|yesterday|month|week|year|quarter)"
                            rf"\b|[^?]*$)", _I)


def _weekday_dates(text: str, catalog: Catalog, today: date) -> str:
    """One named day of the week is a date: "last Tuesday" (also "this past" / "past" / "previous") is the latest one
    before today; "this Tuesday" is the one of the current week (Monday to Sunday); "since Monday" runs from the latest
    one on or before today; a bare "on Tuesday" (or "Tuesday's sales") is the latest one before today when the
    question names no other period. "on Tuesdays", "Tuesday sales by store" and "on Tuesday last month" stay a
    day-of-week filter, and a day name that starts a store's or product's name ("Sunday Best" frames) is left alone."""
    lowered = text.lower()
    names = [n.lower() for n in (*(p.name for p in catalog.products), *(s.name for s in catalog.stores))]
    other_period = None

    def date_of(m: re.Match[str]) -> str:
        nonlocal other_period
        day = (m.group("day") or m.group("oday")).lower()
        rest = lowered[m.start("day" if m.group("day") else "oday"):]
        for name in names:
            at = name.find(day)
            if at >= 0 and len(name) > at + len(day) and rest.startswith(name[at:]):
                return m.group(0)  # a catalog name ("Sunday Best"), not a day
        rel = " ".join(m.group("rel").lower().split()) if m.group("rel") else "on"  # "Tuesday's sales": "on Tuesday"
        number = int(_WEEKDAYS[day]) - 1  # Monday = 0, as date.weekday()
        if rel == "on":
            if other_period is None:
                blanked = lowered[:m.start()] + " " * (m.end() - m.start()) + lowered[m.end():]
                other_period = bool(parse_periods(blanked, today))
            if other_period:
                return m.group(0)
        if rel == "this":
            when = today - timedelta(days=today.weekday()) + timedelta(days=number)
        else:
            back = (today.weekday() - number) % 7
            if back == 0 and rel != "since":
                back = 7
            when = today - timedelta(days=back)
        return f"since {when.isoformat()}" if rel == "since" else f"on {when.isoformat()}"

    return _WEEKDAY_REL.sub(date_of, _WEEKDAY_ASIDE.sub(lambda m: m.group("lead"), text))


def _one_days(text: str, today: date) -> str:
    """"sales on Christmas Eve 2025" -> "sales on 2025-12-24" (see `_ONE_DAY`)."""
    def date_of(m: re.Match[str]) -> str:
        name = m.group("day")
        if m.group("year") or m.group("rel"):
            year = int(m.group("year")) if m.group("year") else today.year - (m.group("rel").lower() == "last")
            return _named_day(name, year).isoformat()
        day = _named_day(name, today.year)
        return (day if day <= today else _named_day(name, today.year - 1)).isoformat()

    return _ONE_DAY.sub(date_of, text)


def _named_days(text: str, today: date) -> str:
    """"since Easter" -> "since 2026-04-05": a named day (Western Easter Sunday, Christmas Day, New Year's Day) that
    starts or ends an open range becomes its date: the one of the year named, else the latest one on or before
    today."""
    def date_of(m: re.Match[str]) -> str:
        name = " ".join(m.group("day").lower().split())
        if m.group("year"):
            day = _named_day(name, int(m.group("year")))
        else:
            day = _named_day(name, today.year)
            if day > today:
                day = _named_day(name, today.year - 1)
        return f"{m.group('prep')} {day.isoformat()}"

    return _NAMED_DAY.sub(date_of, text)


# "the week before 2025-12-25" (a named day already written as its date), "the two weeks after 2026-04-05", "the
# fortnight leading up to 2025-12-25", "the day before 2025-12-31": a window of whole days next to that day
_WINDOW = re.compile(r"(?:\b(?:in|during|over|for|on)\s+)?(?:the\s+)?(?:(?:first|last|final)\s+)?"
                     r"(?:(?P<n>\d{1,2}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few"
                     r"|couple(?:\s+of)?)\s+)?(?P<u>days?|weeks?|fortnight|months?)\s+"
                     r"(?P<dir>before|after|prior\s+to|ahead\s+of|following|(?:leading|running)\s+up\s+to"
                     r"|in\s+the\s+run[\s-]+up\s+to)\s+(?:the\s+)?(?P<d>(?:19|20)\d\d-\d\d-\d\d)\b", _I)


def _windows(text: str, today: date) -> str:
    """"the week before 2025-12-25" -> "from 2025-12-18 to 2025-12-24": N days / weeks / months right before or after
    one day (a named day is already its date: "the week before Christmas"), written out as a range. The day itself is
    not in the window. A window that ends after today stops at today; one that starts after today, or one without a
    number ("the days before ...", "the few weeks after ...") raises DateRangeError: it names no length, so the
    caller asks for dates instead of picking one (it was read as everything from the first sale)."""

    def window(m: re.Match[str]) -> str:
        day = date.fromisoformat(m.group("d"))
        unit = m.group("u").lower()
        word = (m.group("n") or "").lower()
        if word == "few" or (not word and unit.endswith("s")):
            raise DateRangeError(f'"{m.group(0).strip()}" does not say how many {unit.rstrip("s")}s; ask with a '
                                 'number ("the 3 days before ...") or with dates')
        n = 2 if word.startswith("couple") else int(word) if word.isdigit() else _AGO_NUMBERS.get(word, 1)
        if unit.startswith("month"):
            span = None
        else:
            span = timedelta(days=n * (14 if unit == "fortnight" else 7 if unit.startswith("week") else 1))
        if m.group("dir").lower() in ("after", "following"):
            start = day + timedelta(days=1)
            last = (day + span) if span is not None else add_months(day, n)
        else:
            last = day - timedelta(days=1)
            start = (day - span) if span is not None else add_months(day, -n)
        if start >= today:
            raise DateRangeError(f'"{m.group(0).strip()}" starts after today ({today.isoformat()})')
        last = min(last, today - timedelta(days=1))
        lead = " " if m.group(0)[:1].isspace() else ""
        if start == last:
            return f"{lead}on {start.isoformat()}"
        return f"{lead}from {start.isoformat()} to {last.isoformat()}"

    return _WINDOW.sub(window, text)


# "the 12 months to the end of May 2026", "the six months ending March 2026", "3 months up to April": whole months
# that end with the named one
_MONTHS_TO = re.compile(r"\b(?:(?:in|over|during|for)\s+)?(?:the\s+)?(?:last\s+|past\s+)?(?P<n>\d{1,2}|two|three"
                        r"|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty-four)\s+months\s+(?:to|up\s+to|ending"
                        r"(?:\s+(?:in|with))?|ended|until|till|through|thru|leading\s+up\s+to)\s+(?:the\s+end\s+of\s+)?"
                        r"(?P<m>[A-Za-z]+(?:\s+(?:19|20)\d\d)?)\b", _I)
_MORE_NUMBERS = {"eighteen": 18, "twenty-four": 24}


def _months_to(text: str, today: date) -> str:
    """"the 12 months to the end of May 2026" -> "from 2025-06-01 to 2026-05-31": N whole months ending with the
    named month (its latest one on or before today when no year is named), written out as a range."""
    def window(m: re.Match[str]) -> str:
        period = parse_period(m.group("m"), today)
        if period is None or period.grain != "month":
            return m.group(0)
        word = m.group("n").lower()
        n = int(word) if word.isdigit() else _AGO_NUMBERS.get(word) or _MORE_NUMBERS[word]
        start = add_months(period.start, -(n - 1))
        last = min(period.end, today) - timedelta(days=1)
        lead = " " if m.group(0)[:1].isspace() else ""
        return f"{lead}from {start.isoformat()} to {last.isoformat()}"

    return _MONTHS_TO.sub(window, text)


def _open_ranges(text: str, catalog: Catalog, today: date) -> str:
    """"before March 2026", "after Q1 2025", "up to the end of April": an open-ended range, written out as "from
    <first day> to <last day>" (from the first recorded sale, or to today) so it is read as a range, never as the
    named period alone."""
    first = catalog.sales_from or date(2000, 1, 1)
    for period in reversed(parse_periods(text, today)):
        before = text[: period.span[0]]
        for rx, kind in ((_OPEN_UNTIL, "until"), (_OPEN_BEFORE, "before"), (_OPEN_AFTER, "after")):
            m = rx.search(before)
            if m is None:
                continue
            if kind == "before":
                start, end = min(first, period.start - timedelta(days=1)), period.start
            elif kind == "after":
                start, end = period.end, max(today + timedelta(days=1), period.end + timedelta(days=1))
            else:
                start, end = min(first, period.start), period.end
            last = end - timedelta(days=1)
            text = f"{text[: m.start()]}from {start.isoformat()} to {last.isoformat()}{text[period.span[1]:]}"
            break
    return text


_MONEY_OF_ORDERS = re.compile(r"\b(?:revenue|sales|takings|turnover|income|money|gross)\b[^?]*?\b(?:from|of|on|in"
                              r"|across|over|for)\s+(?:(?:all|our|the|those|these)\s+)*(?:[\w-]+\s+){0,2}?(?:orders|transactions"
                              r"|receipts|baskets|purchases)\b", _I)
_ORDER_KIND = re.compile(r"\b(?:discounted|large|big|bigger|biggest|small|smaller|high[\s-]value|low[\s-]value"
                         r"|single[\s-]item|multi[\s-]item|one[\s-]item|repeat|first|bulk|online|phone|big[\s-]ticket|cash|card)\s+"
                         r"(?:orders?|transactions?|baskets?|purchases?|receipts?)\b|\b(?:orders?|transactions?)\s+(?:with|that"
                         r"|which)\b", _I)
# a kind of product or brand the catalog does not mark ("new products", "our own brand"): a condition the data cannot
# apply (these words are known to the parser in other senses, so the part-of-speech check would let them pass)
_CONDITION_WORDS = re.compile(r"\b(?:new|newer|newest|old|older|latest|discontinued|seasonal|clearance|premium|luxury"
                              r"|budget|cheap|expensive|designer|vintage|limited|returning|repeat|loyal|regular"
                              r"|first[\s-]time)\s+(?:products?|frames?|items?|lines?|patients?"
                              r"|styles?|models?|brands?|arrivals?|collections?|ranges?|skus?|sunglasses|lenses)\b"
                              r"|\b(?:own|house|private|store|in-house)[\s-]+(?:brands?|labels?)\b"
                              # states of stock or goods the data does not record ("reserved", "on display")
                              r"|\b(?:reserved|allocated|damaged|defective|faulty|broken(?!\s+(?:down|out|up))"
                              r"|refurbished|second[\s-]hand|ex[\s-]display|on\s+display|in\s+transit"
                              r"|on\s+order(?!s|\s+lines?|\s+values?)|on\s+loan|recalled|expired|returned|exchanged"
                              r"|gift[\s-]wrapped|pre[\s-]?ordered|backordered|back[\s-]ordered)\b", _I)


# when a store opened or a product was added is not in the data: "how many stores opened in 2025" is not the store
# count, "brands we stopped selling" is not revenue
_EVENT_VERBS = re.compile(r"\b(?:opened|closed|added|launched|introduced|discontinued|delisted|retired|refitted"
                          r"|(?:stopped|started|began|quit)\s+(?:selling|stocking|carrying|offering)"
                          r"|(?:did|have|has|do)\s+(?:we|you|the\s+company)\s+(?:open|close|add|launch|introduce|discontinue"
                          r"|delist|stop|start|retire))\b", _I)


_RATIOS = frozenset({"avg_selling_price", "avg_order_value", "units_per_order", "avg_discount_per_order",
                     "discount_rate", "discounted_order_rate"})
_SINCE_START = re.compile(r"\bsince\s+the\s+(?:start|beginning)\s+of\s+(?:the\s+|this\s+)?(?P<u>year|quarter|month)\b",
                          _I)
# "across our Maine stores", "% of sales made by the Mexico City stores": the named place's stores, not "by store"
_ACROSS_PLACE = re.compile(r"\bacross\s+(?:(?:all|our|the)\s+)*$|\bby\s+(?:all\s+)?(?:the|our)\s+$", _I)


_CHAIN_WORD_RX = re.compile(r"(?P<w>\b[^\W\d_][\w-]*)(?:'s)?(?=\s+(?:stores?|shops?|locations?|branch(?:es)?|outlets?"
                            r"|boutiques?|sites?)\b)", _I)


# "(Sơn Tây included)", "(incl. the airport shop)", "(Sintra too)": an aside that says a place is counted in
_INCLUDED_ASIDE = re.compile(r"\((?=[^()]*\b(?:includ\w*|incl\.?|too|as\s+well|also|counted)(?:\W|$))[^()]*\)", _I)
# the same aside as a closing clause: ", the Karlovy Vary one included", "including the Anděl shop", ", Brno too"
_INCLUDED_CLAUSE = re.compile(r"(?:,|;|\s[-–]|\bwith)\s*(?:the\s+)?[^,;?()]{2,60}?\s+(?:(?:one|shop|store|branch)\s+)?"
                              r"(?:included|incl\.?|counted(?:\s+in)?|as\s+well)(?=\s*(?:[?.!;]|$))"
                              r"|(?:,|;|\s[-–])?\s*\bincluding\s+(?:the\s+)?[^,;?()]{2,60}?(?:\s+(?:one|shop|store|branch))?"
                              r"(?=\s*(?:[?.!;,]|$))", _I)


def _without_included_aside(ex: Extraction, text: str, catalog: Catalog) -> Extraction:
    """"revenue for the four shops in Hà Nội province (Sơn Tây included)", "Praha revenue, including the Anděl shop":
    a store or city named in an aside (bracketed, or a closing clause) that says it is counted in, when a place named
    outside it already holds it, or no place is named outside it (the whole chain), adds no filter of its own (read
    as a filter, it would narrow the province, or the chain, to that one shop)."""
    asides = [m.span() for rx in (_INCLUDED_ASIDE, _INCLUDED_CLAUSE) for m in rx.finditer(text)]
    if not asides:
        return ex
    inside = [h for h in ex.hits if h[0] in ("store", "city") and any(a <= h[2] and h[3] <= b for a, b in asides)]
    outside = [h for h in ex.hits if h[0] in ("store", "city", "state") and h not in inside]
    if not inside:
        return ex

    def stores(kind: str, value: str) -> set[str]:
        field = {"store": "code", "city": "city", "state": "state"}[kind]
        return {st.code for st in catalog.stores if getattr(st, field) == value}
    # "how many shops in the whole chain, the Karlovy Vary one included": with no place named outside the aside, the
    # scope is every store (what is said to be included never narrows it)
    held = set().union(*(stores(k, v) for k, v, _, _ in outside)) if outside else {st.code for st in catalog.stores}
    dropped = [h for h in inside if stores(h[0], h[1]) and stores(h[0], h[1]) <= held]
    if not dropped:
        return ex
    # kept as read (its words are placed) under a kind no filter is made of
    hits = tuple(("aside", *h[1:]) if h in dropped else h for h in ex.hits)
    return replace(ex, hits=hits, values=_values_of(h for h in hits if h[0] != "aside"))


def _without_chain_name(ex: Extraction, text: str, catalog: Catalog) -> Extraction:
    """"how did Peak Vision do": the chain's own name (the words every store name starts with) is the whole company,
    not a product word ("vision") or a ranking word ("peak"); it is blanked, with the hits inside it, unless a brand
    word follows it ("Edelweiss brand frames": a house brand of the chain's name)."""
    prefix = catalog.chain_prefix
    if not prefix:
        return ex
    rx = re.compile(r"\b" + r"\s+".join(re.escape(w) for w in prefix) + r"(?:'s)?\b", _I)
    spans = [m.span() for m in rx.finditer(text)]
    # "Peak: which store ...": one word of the company's name heading the question, as a label
    head = re.match(r"\s*(?P<w>[^\W\d_]+)\s*[:\u2013\u2014-]\s", text)
    if head and fold(head["w"]).lower() in {fold(w).lower() for w in (*prefix, *catalog.tenant_words)}:
        spans.append(head.span("w"))
    # "which Harbor location", "the Lindenhof stores": one word of the chain's name before a store noun is the
    # company too
    for word in (w for w in prefix if len(w) >= 3):
        spans += [m.span("w") for m in _CHAIN_WORD_RX.finditer(text) if m.group("w").lower() == word]
    # "what did Peak take in May?", "how did Lucciola do", "Peak's revenue", "Zellige revenue by region": one word of
    # the company's name, written with its capital, as the subject or owner of the sales, or right before the money
    # it took (never "peak month", "the peak"; "Zellige frames revenue" is the house brand's frames)
    for word in (w for w in {*prefix, *catalog.tenant_words} if len(w) >= 3):
        spans += [m.span("w") for m in re.finditer(
            rf"(?<![\w-])(?P<w>{re.escape(word[0].upper())}(?i:{re.escape(word[1:])}))(?=['’]s\b|\s+(?:take|took|takes"
            r"|do|did|does|make|made|makes|sell|sold|sells|bring|brought|brings|turn|turned|earn|earned|gross|grossed"
            r"|ring|rang|generate|generated|pull|pulled|revenue|turnover|takings|sales|income)\b)", text)]
        # "how many patients does Peak have", "did Lucciola sell more": the company as the subject after "does/did"
        spans += [m.span("w") for m in re.finditer(
            rf"\b(?i:does|did|do|has|had|have|will|would)\s+(?P<w>{re.escape(word[0].upper())}(?i:{re.escape(word[1:])}))"
            r"(?=\s+[a-z])", text)]
    spans = [(a, b) for a, b in spans if not any(s <= a and b < e for _, _, s, e in ex.hits)]  # "Peak Vision Aspen"
    # "Edelweiss brand frames", "Edelweiss-branded": the house brand of that name, not the company
    spans = [(a, b) for a, b in spans if not re.match(r"[\s-]*(?:brand(?:ed)?|label)\b", text[b:], _I)]
    if not spans:
        return ex
    masked = list(ex.masked)
    for a, b in spans:
        masked[a:b] = " " * (b - a)
    hits = tuple(h for h in ex.hits if not any(a <= h[2] and h[3] <= b for a, b in spans))
    return replace(ex, masked="".join(masked), hits=hits, values=_values_of(hits))


def _values_of(hits: Iterable[tuple[str, str, int, int]]) -> dict[str, tuple[str, ...]]:
    """The values of each kind that `hits` name, in order, each once."""
    values: dict[str, tuple[str, ...]] = {}
    for kind, value, _, _ in hits:
        if value not in values.get(kind, ()):
            values[kind] = values.get(kind, ()) + (value,)
    return values


def _store_or_model_from(previous: QuerySpec, ex: Extraction) -> Extraction:
    """"and Agdal?" after a question about one store: a name of both a store and a product model is the store when
    the previous question was about stores and no product, the model when it was about products and no store."""
    about_store = bool(previous.filters.store or "store" in previous.dimensions)
    about_model = bool(previous.filters.product or previous.filters.keyword or "product" in previous.dimensions)
    if about_store == about_model:
        return ex
    return _settle_store_or_model(ex, about_store)


def _store_by_category(ex: Extraction, catalog: Catalog) -> Extraction:
    """"how much of Plateau's 2025 revenue came from services", "Triana sunglasses sales": a name of both a store and
    a product model is the store when the question names a category that no product of that model name is in (a
    frame model has no services revenue)."""
    categories = set(ex.values.get("category", ()))
    models = [u for u in ex.unresolved if u.kind == "store_or_model"]
    if not categories or not models:
        return ex
    for u in models:
        alias = u.options[1].lower()
        kinds = {p.category for p in catalog.products if alias in p.name.lower()}
        if not kinds or kinds & categories:
            return ex
    return _settle_store_or_model(ex, True)


def _settle_store_or_model(ex: Extraction, as_store: bool) -> Extraction:
    """`ex` with every store-or-model name read as the store (`as_store`) or as the model's name."""
    if not any(u.kind == "store_or_model" for u in ex.unresolved):
        return ex
    about_store = as_store
    hits, masked = list(ex.hits), list(ex.masked)
    values = {k: list(v) for k, v in ex.values.items()}
    low = ex.masked.lower()
    for u in (u for u in ex.unresolved if u.kind == "store_or_model"):
        code, alias = u.options
        at = low.find(u.text.lower())
        if at < 0:
            return ex
        kind, value = ("store", code) if about_store else ("keyword", alias)
        hits.append((kind, value, at, at + len(u.text)))
        values.setdefault(kind, [])
        if value not in values[kind]:
            values[kind].append(value)
        masked[at:at + len(u.text)] = " " * len(u.text)
    return replace(ex, hits=tuple(hits), masked="".join(masked), values={k: tuple(v) for k, v in values.items()},
                   unresolved=tuple(u for u in ex.unresolved if u.kind != "store_or_model"))


def _product_listed_with_place(ex: Extraction, text: str) -> str | None:
    """"Top End and Alice combined": a product or model name listed with a place by "and / & / +" reads as a place
    nickname the data does not know (a list names things of one kind); asked about, never read as a product filter on
    a place. The refusal's reason, or None."""
    hits = sorted(ex.hits, key=lambda h: h[2])
    for (k1, _, s1, e1), (k2, _, s2, e2) in zip(hits, hits[1:], strict=False):
        kinds = {k1, k2}
        if not (kinds & {"keyword", "sku"} and kinds & {"city", "store", "state"}):
            continue
        if re.fullmatch(r"\s*(?:and|&|\+)\s*", text[e1:s2], _I):
            product = text[s1:e1] if k1 in ("keyword", "sku") else text[s2:e2]
            place = text[s2:e2] if k1 in ("keyword", "sku") else text[s1:e1]
            return (f'"{product}" is one of your product names, but it is listed with the place "{place}", so I '
                    f'cannot tell whether you mean the product or a place I do not know. Ask again naming the stores, '
                    f'cities or region, or the product ("{product} sales at ...").')
    return None


def _across_named_places(ex: Extraction) -> Extraction:
    """"across our Maine stores", "made by the Lyon shops": the stores of a named place are a filter and the total over
    them, not a breakdown by store ("across" / "by the" is blanked before a place name that is followed by a plural
    store noun)."""
    masked = ex.masked
    for kind, _, start, end in ex.hits:
        if kind not in ("state", "city"):
            continue
        before = _ACROSS_PLACE.search(masked[:start])
        if before and re.match(r"\s*(?:stores|shops|locations|branches|outlets|boutiques)\b", masked[end:], _I):
            masked = masked[: before.start()] + " " * (before.end() - before.start()) + masked[before.end():]
    return ex if masked == ex.masked else replace(ex, masked=masked)


_PERCENT_WORDS = re.compile(r"\b(?:as\s+an?\s+|in\s+)?(?:percent(?:age)?s?|%)(?!\w)(?:\s+terms)?(?!\s+of\b)", _I)
_PCT_CHANGE_WORDS = re.compile(r"\b(?:percent(?:age)?|%)\s+(?:change|increase|decrease|growth|drop|rise|fall|difference"
                               r"|swing|jump|decline|gain)\b|\b(?:change|growth|increase|decrease|difference)\s+(?:in|as\s+an?)"
                               r"\s+(?:percent(?:age)?|%)", _I)
# a count of what had no discount ("orders with no discount", "units sold at full price"): the data has discounts
# per line, the spec has no "without a discount" condition; never answered with discounts or all orders instead
_NO_DISCOUNT = re.compile(r"\b(?:with\s+no|had\s+no|has\s+no|have\s+no|got\s+no|get\s+no|no|zero|without\s+(?:a|any)"
                          r"|non)[\s-]+discount(?:s|ed)?\b|\bundiscounted\b|\b(?:were|was|are|is|got|been)\s*(?:n[o']t"
                          r"|never)\s+discounted\b|\bat\s+full\s+(?:list\s+)?price\b|\bfull[\s-]+price\s+(?:orders?|sales"
                          r"|units|transactions?|items|pairs)\b", _I)


_UNITS_NAMED = re.compile(r"\bunits?\b|\bquantit(?:y|ies)\b|\bqty\b|\bpieces\b|\bpairs\b|\bvolume\b|\bsold\b"
                          r"|\bsell(?:s|ing)?\b|\bsellers?\b|\bitems\b|\bhow\s+many\s+\w+", _I)


# a follow-up that sets the previous question's period against a named one, wherever the comparison word stands
_COMPARED_WITH = re.compile(r"\b(?:compar(?:e|es|ed|ing)|comparison)\s+(?:\w+\s+)?(?:to|with|against)\b|\bvs\b\.?"
                            r"|\bversus\b|\bagainst\b|\brelative\s+to\b|\bstack(?:s|ed)?\s+up\s+(?:to|with|against)\b",
                            _I)


# "the same month last year", "same period a year ago": the previous question's dates a year back
_SAME_SPAN_LAST_YEAR = re.compile(r"\b(?:the\s+)?same\s+(?:period|time|month|week|quarter|day|dates|span|stretch"
                                  r"|window)\s+(?:last|a|the\s+previous|the\s+year\s+before)\s*year\b|\bsame\s+(?:period|time"
                                  r"|month|week|quarter|day)\s+(?:(?:a|one)\s+)?year\s+(?:ago|before|earlier)\b", _I)
# "the same period in 2025", "same months of 2024", "same time in 2025": the previous question's dates in that year
_SAME_SPAN_IN_YEAR = re.compile(r"\bsame\s+(?:period|time|months?|weeks?|days|dates|quarter|span|stretch|window)\s+"
                                r"(?:in|of|for|during|from)\s+(?P<y>(?:19|20)\d{2})\b", _I)


def _follow_up(prev: QuerySpec, fixed: str, lower: str, ex: Extraction, measure: str | None, dims: list[str],
               asked: Period | None, named_other: Period | None, kind: str | None, yoy: bool, change: bool,
               desc: bool, asc: bool, share: bool, today: date, corrected: str | None) -> Parsed:
    """A follow-up: start from the previous spec, replace only what the question names."""
    if (measure is None and not dims and asked is None and not ex.values and not (desc or asc or yoy or change or share)
            and ex.top_n is None and not _ALL_TIME.search(lower) and not _ALL_LOCATIONS.search(lower)
            and not _ALL_PRODUCTS.search(lower) and not _BEFORE_PREVIOUS.search(fixed)
            and not re.search(r"\bper\b", lower)):
        return _refuse("I could not find anything to change in the previous question (a period, a store, a product, "
                       "the measure, the breakdown or the ranking).", [], follow_up=True, corrected=corrected)
    per = re.search(r"\bper\s+(?P<d>order|transaction|basket|receipt|unit|item|pair|piece)\b", lower)
    if per and not re.search(r"\bper\s+\w+\b[^?]*\b(?:revenue|sales|units|discounts?)\b|\b(?:revenue|sales|units"
                              r"|discounts?)\b[^?]*\bper\b", lower):
        # "and per order?" after revenue: revenue per order (the average order value), not the number of orders
        unit = "unit" if per.group("d") in ("unit", "item", "pair", "piece") else "order"
        measure = _PER_MEASURE.get((prev.measure, unit))
        if measure is None:
            return _refuse(f"I cannot compute {MEASURES[prev.measure].label} per {unit}.", [], follow_up=True,
                           corrected=corrected)
    # ("the same month a year earlier" is that month a year back: `_SAME_SPAN_LAST_YEAR`, below)
    before = _BEFORE_PREVIOUS.search(fixed) if not _SAME_SPAN_LAST_YEAR.search(fixed) else None
    if before and prev.time_range is not None and named_other is None:
        # "and the month before?" / "the previous quarter": relative to the previous question's period, not today
        unit = (before.group("u") or before.group("v")).lower()
        last = Period(prev.time_range.start, prev.time_range.end, prev.time_range.label, prev.time_range.grain,
                      partial=prev.time_range.partial)
        if change or yoy:  # "growth over the previous quarter": the previous question's period against the one before
            asked, named_other, kind = last, None, None
            yoy = yoy or unit == "year"
        elif unit == "year":
            asked = replace(last.year_earlier(), text=last.year_earlier().label)
        elif unit == last.grain or (unit == "period"):
            asked = replace(last.previous(), text=last.previous().label)
        else:
            return _refuse(f'I could not tell which {unit} comes before {last.label}; ask with the period (for '
                           'example "and March 2026?").', [], follow_up=True, corrected=corrected)
    same_last = _SAME_SPAN_LAST_YEAR.search(fixed)
    if same_last and prev.time_range is not None and named_other is None and not before and not re.search(
            r"\b(?:compar\w*|vs\.?|versus|against|change|growth|grow|grew|differ\w*|up|down|increase|decrease)\b",
            lower):
        # "and in the same month last year?" after "units in Como last month": that month a year back, asked by
        # itself (only the period changes), not a comparison with it
        # a period still running ("Q2 so far", "this year") is the stretch up to today, a year back
        moved = Period(prev.time_range.start, prev.time_range.end, prev.time_range.label, prev.time_range.grain,
                       partial=prev.time_range.partial).clamp(today).year_earlier()
        asked, yoy, change, kind = replace(moved, text=moved.label), False, False, None
    same = _SAME_SPAN_IN_YEAR.search(fixed)
    if same and prev.time_range is not None and named_other is None and not before and not (change or yoy):
        # "and for the same period in 2025?": the previous question's dates in that (earlier) year, not all of 2025
        back = prev.time_range.start.year - int(same.group("y"))
        if back > 0:
            moved = Period(prev.time_range.start, prev.time_range.end, prev.time_range.label, prev.time_range.grain,
                           partial=prev.time_range.partial).clamp(today)
            for _ in range(back):
                moved = moved.year_earlier()
            asked = replace(moved, text=moved.label)
    new_measure = measure or prev.measure
    if measure == "units" and not _UNITS_NAMED.search(lower):
        # units read off a word that names none ("and how many?", "ok and which had the fewest?"): the previous
        # measure, asked again or ranked the other way
        new_measure = prev.measure
    family = MEASURES[new_measure].family
    new_filters = _filters_from(ex, family, fixed)
    keep: dict[str, tuple[str, ...]] = {}
    if family == MEASURES[prev.measure].family:
        merged_prev = dict(prev.filters.items()) | dict(prev.part.items())
        replaced_groups = {g for name, _ in new_filters.items() for g in [_kind_group(name)]}
        # "only the sunglasses" / "just frames" after "what did Ray-Ban make": narrows the previous question, so a
        # category, brand or product named keeps the other kinds of the product already named (Ray-Ban sunglasses)
        narrows = re.match(r"\W*(?:(?:and|but|ok|okay|so|now)\W+)?(?:only|just)\b", lower) is not None
        new_kinds = {name for name, _ in new_filters.items()}
        for name, values in merged_prev.items():
            if narrows and name in ("brand", "category") and name not in new_kinds \
                    and new_kinds <= {"brand", "category"}:
                keep[name] = values
                continue
            if _kind_group(name) in replaced_groups:
                continue
            if name in _LOCATION_KINDS and _ALL_LOCATIONS.search(lower):
                continue
            if name in _PRODUCT_KINDS and _ALL_PRODUCTS.search(lower):
                continue
            keep[name] = values
    filters = Filters(**(keep | dict(new_filters.items())))
    new_dims = dims or [d for d in prev.dimensions if family in DIMENSIONS[d].families]
    if asked is None and prev.time_range is not None and not _ALL_TIME.search(lower):
        period: Period | None = Period(prev.time_range.start, prev.time_range.end, prev.time_range.label,
                                       prev.time_range.grain, partial=prev.time_range.partial)
    else:
        period = asked
    # follow-up in a bare month ("and April?") after a period of another year: the one nearest the previous period
    # (its own year on a tie: "and April?" after March 2025 is April 2025, "and in January?" after December 2025 is
    # January 2026), never one that has not started
    if asked is not None and prev.time_range is not None and asked.grain in ("month", "quarter", "half") and \
            not _HAS_YEAR.search(asked.text or ""):
        year = prev.time_range.start.year
        candidates = [p for y in (year, year + 1, year - 1) for p in [parse_period(f"{asked.text} {y}", today)]
                      if p is not None and p.start <= today and p.grain == asked.grain
                      and (p.start.month, p.end.month) == (asked.start.month, asked.end.month)]
        if candidates:
            period = min(candidates, key=lambda p: abs(_months_between(p.start, prev.time_range.start)))
    comparison_kind = kind
    if asked is not None and kind is None and prev.time_range is not None and prev.comparison is None and \
            _COMPARED_WITH.search(fixed) and (asked.start, asked.end) != (prev.time_range.start, prev.time_range.end):
        # "compared to September?" after an October question, "how does that compare with May last year?" after a
        # May 2026 question: the previous question's period against the named one (never the named one against the
        # period before it)
        named_other, period, comparison_kind, change = period, Period(
            prev.time_range.start, prev.time_range.end, prev.time_range.label, prev.time_range.grain,
            partial=prev.time_range.partial), "explicit", True
    if prev.comparison is not None and not (yoy or change) and kind is None:
        yoy = prev.comparison.kind == "year_over_year"
        change = not yoy
    base_ranking = prev.ranking
    if base_ranking is not None and (desc or asc or ex.top_n):
        direction = "asc" if asc and not desc else "desc" if desc and not asc else base_ranking.direction
        base_ranking = Ranking(direction=direction, limit=ex.top_n or base_ranking.limit, by=base_ranking.by,
                               per_group=base_ranking.per_group)  # "and the bottom 2?" after "top 2 in each store"
        desc = asc = False
    elif base_ranking is not None and dims and not (desc or asc):
        base_ranking = None if set(dims) != set(prev.dimensions) else base_ranking
    ex_top = ex if base_ranking is None else Extraction(values=ex.values, unresolved=(), masked=ex.masked,
                                                       hits=ex.hits, periods=ex.periods, top_n=None)
    share = share or (prev.share_of_total and not dims and measure is None)
    if share and prev.share_of_total and not dims and new_filters.is_empty():
        filters = Filters(**(dict(prev.filters.items()) | dict(prev.part.items())))
    result = _build(new_measure, family, list(new_dims), filters, ex_top, lower, period,
                    named_other, comparison_kind, yoy, change, desc, asc, share, today, corrected, follow_up=True,
                    base_ranking=base_ranking, text=fixed, catalog=_CATALOG.get(),
                    base_exclude=prev.exclude if family == MEASURES[prev.measure].family else None)
    if (result.spec is not None and prev.share_of_total and not prev.dimensions and result.spec.share_of_total
            and not result.spec.dimensions
            and {k for k, _ in new_filters.items()} <= {k for k, _ in prev.part.items()}):
        # "Lindberg's share of frames revenue" then "what about Tom Ford?" (a new part) or "and in 2024?" (the same
        # part): within the same whole
        spec = result.spec.model_copy(update={"filters": prev.filters,
                                              "part": prev.part if new_filters.is_empty() else new_filters})
        try:
            check_spec(spec)
            result = replace(result, spec=spec)
        except SpecError:
            pass
    if (result.spec is not None and prev.average_over is not None and result.spec.average_over is None
            and result.spec.measure == prev.measure and prev.average_over not in result.spec.dimensions
            and not re.search(r"\b(?:total|in\s+all|altogether|overall\s+figure)\b", lower)):
        # "which weekday brings in the most on average" then "and at Glenelg?": still the average, never the sum
        spec = result.spec.model_copy(update={"average_over": prev.average_over})
        try:
            check_spec(spec)
            result = replace(result, spec=spec)
        except SpecError:
            pass
    if result.spec is not None:
        result = Parsed(spec=result.spec, notes=("follow-up: kept the previous question's "
                                                 + _kept(prev, result.spec) + ".", *result.notes),
                        follow_up=True, corrected=corrected)
    return result


# what the previous question counted, as the noun a follow-up's "how many of them" stands for
_COUNTED_NOUN = {"patients": "patients", "units": "units", "orders": "orders", "order_lines": "order lines",
                 "store_count": "stores", "product_count": "products", "brand_count": "brands",
                 "discounted_orders": "orders with a discount", "distinct_products": "different products"}
_OF_THEM = re.compile(r"^(?P<lead>\s*(?:and\s+|so\s+|ok(?:ay)?,?\s+)?)(?:(?:out\s+)?of\s+(?:them|those|these)\s*,?\s*)?"
                      r"(?P<ask>how\s+many)(?:\s+of\s+(?:them|those|these)\b|(?=\s+(?:wear|wears|use|uses|are|were"
                      r"|have|had|got)\b))", _I)


def _of_them(text: str, previous: QuerySpec) -> str:
    """"and how many of them wear progressives?", "of those, how many are over 60?", "and how many wear
    progressives?" after a count: a follow-up that counts the previous question's things (its filters kept), written
    with their noun ("and how many patients wear progressives?")."""
    noun = _COUNTED_NOUN.get(previous.measure)
    m = _OF_THEM.match(text)
    if noun is None or m is None or (m.group(0).rstrip().lower().endswith("many") and not re.search(
            r"\b(?:them|those|these)\b", m.group(0), _I) and previous.measure != "patients"):
        return text  # "how many wear ...": patients only (a product is not worn by a count of units)
    return f"and how many {noun}" + text[m.end():]


def _kept(prev: QuerySpec, new: QuerySpec) -> str:
    parts = []
    if prev.measure == new.measure:
        parts.append("measure")
    if prev.dimensions and prev.dimensions == new.dimensions:
        parts.append("breakdown")
    if prev.time_range is not None and new.time_range == prev.time_range:
        parts.append("period")
    if any(v == getattr(prev.filters, k, None) for k, v in new.filters.items()):
        parts.append("filters")
    return ", ".join(parts) if parts else "context"
