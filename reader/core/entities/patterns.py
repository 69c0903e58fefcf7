"""Precise patterns for values: DATE, TIME, MONEY, PERCENT and QUANTITY.

Span conventions follow OntoNotes (as spaCy's English models learnt them):
qualifiers belong to the value (``about 5%``, ``more than $1bn``), determiners
to relative dates (``the past decade``, ``next month``), ``€100 billion ($108.6
billion)`` is two MONEY spans, and a weekday with its date is one DATE
(``Thursday, April 4, 2024``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept\.|Sep\.|Oct\.|Nov\.|Dec\."
)
_MONTH = rf"(?:{_MONTHS})"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_NUMWORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a|an|a few|"
    r"several|a couple of|a dozen|dozens of|hundreds of|thousands of|half a|a half)"
)
_NUMWORD_C = rf"(?:(?i:{_NUMWORD})(?:-(?i:{_NUMWORD}))?)"
_NUM = r"(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)"
_QUAL = (
    r"(?:(?:about|around|roughly|approximately|nearly|almost|some|over|under|only|just|up to|more than|"
    r"less than|fewer than|at least|at most|as much as|as many as|as little as|just over|just under|an estimated|"
    r"a further|another|an extra|an additional|a record|a total of)\s+)"
)
_SCALE = r"(?:hundred|thousand|million|billion|trillion|bn|mn|m|k|tn|trn|crore|lakh)"
_CURSYM = r"(?:US\$|A\$|C\$|HK\$|NZ\$|S\$|R\$|\$|€|£|¥|₹|₽|₴|Rs\.?\s?|CHF\s?|USD\s?|EUR\s?|GBP\s?)"
_CURWORD = (
    r"(?:dollars?|euros?|pounds?(?:\s+sterling)?|pence|p|cents?|yen|yuan|renminbi|rupees?|roubles?|rubles?|"
    r"francs?|hryvnias?|dinars?|pesos?|won|kronor|kroner|krona|krone|zlotys?|lira|liras|rand|shekels?|riyals?|"
    r"dirhams?|bitcoins?|USD|EUR|GBP|JPY|CNY|CHF)"
)

MONEY_RE = re.compile(
    rf"(?<![\w$€£¥])(?:{_QUAL})?(?:"
    rf"{_CURSYM}\s?{_NUM}(?:\s?{_SCALE}\b|(?<=\d){_SCALE}\b)?(?:\s(?:dollars|euros|pounds))?"
    rf"|{_NUM}(?:\s?{_SCALE})?\s?{_CURWORD}\b(?!-)"
    rf"|(?i:{_NUMWORD})\s(?:{_SCALE}\s)?(?:dollars|euros|pounds|pence|cents)\b"
    rf")",
)
PERCENT_RE = re.compile(
    rf"(?<![\w.])(?:{_QUAL})?(?:{_NUM}\s?(?:%|percent\b|per\s?cent\b|percentage points?\b)"
    rf"|{_NUMWORD_C}\s(?:percent|per\s?cent|percentage points?)\b)",
    re.IGNORECASE,
)
_UNITS = (
    r"(?:km|kilometres?|kilometers?|miles?|metres?|meters?|cm|mm|feet|foot|ft|inches|inch|yards?|kg|kilos?|"
    r"kilograms?|grams?|g|tonnes?|tons?|lbs?|ounces?|oz|barrels?|litres?|liters?|gallons?|acres?|hectares?|"
    r"square (?:kilometres?|kilometers?|miles?|metres?|meters?|feet)|sq km|mph|km/h|kph|knots?|degrees?|°C|°F|"
    r"MW|GW|kW|megawatts?|gigawatts?|kilowatts?|megatons?|calories|bytes|gigabytes?|megabytes?|terabytes?|"
    r"GB|MB|TB|GHz|MHz)"
)
QUANTITY_RE = re.compile(
    rf"(?<![\w.])(?:{_QUAL})?(?:{_NUM}(?:\s?(?:million|billion|thousand))?(?:\s?|-){_UNITS}"
    rf"|{_NUMWORD_C}\s(?:million\s|billion\s|thousand\s)?{_UNITS})(?![\w/])",
)

_DATE_FULL = (
    rf"(?:{_WEEKDAY},?\s)?{_MONTH}\s{_DAY}(?:,?\s{_YEAR})?"  # (Thursday,) April 4(, 2024)
    rf"|(?:{_WEEKDAY},?\s)?(?:the\s)?{_DAY}(?:\sof)?\s{_MONTH}(?:,?\s{_YEAR})?"  # (Thursday) 4 April 2024
    rf"|(?:(?:early|late|mid|the end of|the beginning of|the start of|the middle of)[\s-])?{_MONTH}\s{_YEAR}"
    rf"|{_WEEKDAY}(?:,\s(?:{_MONTH}\s{_DAY}|{_DAY}\s{_MONTH}))?"
)
_PERIOD = r"(?:day|week|weekend|fortnight|month|year|decade|century|quarter|season|term|half|spring|summer|autumn|fall|winter)"
_DATE_REL = (
    rf"(?:(?:earlier|later|early|late)\s(?:this|last|next)\s{_PERIOD})"
    rf"|(?:(?:the\s)?(?:past|last|next|coming|previous|following|same|current|first|second|third|final)\s"
    rf"(?:(?:few|two|three|four|five|six|seven|eight|nine|ten|twelve|\d+)\s)?{_PERIOD}s?)"
    rf"|(?:this|that|next|last)\s{_PERIOD}"
    rf"|(?:(?:in|over|for)\s)?recent\s(?:days|weeks|months|years|decades)"
    rf"|(?:the\s)?(?:(?:early|late|mid)[\s-])?(?:1[5-9]\d0s|20\d0s|'[0-9]0s)"
    rf"|(?:[Tt]oday|[Yy]esterday|[Tt]omorrow|(?:the\s)?day before yesterday|the day after tomorrow)\b"
    rf"|(?:earlier|later)\sin\s(?:the\s(?:year|month|week|day)|{_MONTH})"
    rf"|(?:{_QUAL})?(?:{_NUM}|{_NUMWORD_C})[\s-](?:calendar\s|financial\s|fiscal\s)?"
    rf"(?:days?|weeks?|months?|years?|decades?|centuries|century)(?:[\s-]old|\sago|\slater|\searlier|\sbefore|\safter)?"
    rf"(?<!\ba\sday)(?<!\ba\sweek)(?<!\ba\smonth)(?<!\ba\syear)"  # "£102.80 a week" is a rate, not a date
)
DATE_RE = re.compile(
    rf"(?<![\w-])(?:{_DATE_FULL})(?!\d)"
    rf"|(?<![\w-])(?:{_DATE_REL})(?![\w-])"
    rf"|\b(?:[Ii]n|[Ss]ince|[Uu]ntil|till|[Bb]y|[Ff]rom|[Dd]uring|[Bb]efore|[Aa]fter|of|last|next|this|and|or|to|"
    rf"through|between|[Oo]n)\s(?P<v>(?:(?:early|late|mid)[\s-])?{_MONTH}(?:\s{_YEAR})?)(?![\w-]|\s\d)"
    rf"|(?<=\bmid-){_MONTH}(?![\w-])"
    rf"|(?<![\w$€£¥.,-]){_YEAR}(?:[-/–](?:\d\d|{_YEAR}))?(?![\w%$€£-]|\.\d|,\d|\s(?:{_SCALE}|{_UNITS}|people|troops|soldiers|"
    r"jobs|workers|members|votes|times|units|cars|homes|others|of)\b)",
)
TIME_RE = re.compile(
    r"(?<![\w:.])(?:(?:about|around|at about|shortly after|shortly before|just after|just before)\s)?"
    r"(?:(?:[01]?\d|2[0-3])[:.][0-5]\d(?:\s?(?:[ap]\.m\.|[ap]m\b))?|(?:1[0-2]|0?[1-9])\s?(?:[ap]\.m\.|[ap]m\b))"
    r"(?:\s(?:GMT|UTC|CET|CEST|BST|EST|EDT|PST|ET|local time|Kyiv time|Moscow time))?"
    r"|(?<![\w:.,$£€-])(?:[01]\d|2[0-3])[0-5]\d\s?(?:GMT|UTC|CET|CEST|BST|EST|EDT|PST|PDT|ET|hrs|hours\b)"
    r"|\b(?:midnight|noon|midday|tonight|overnight)\b"
    rf"|\b(?:this|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|tomorrow|Yesterday|Tomorrow|This)\s"
    r"(?:morning|afternoon|evening|night)\b"
    rf"|(?<![\w.])(?:{_QUAL})?(?:{_NUM}|{_NUMWORD_C})[\s-](?:hours?|minutes?|seconds?)(?:\slater|\searlier|\sago)?\b",
)


def find_values(text: str) -> Iterator[tuple[int, int, str, int]]:
    """Yield ``(start, end, label, priority)`` candidates for value entities.

    MONEY and PERCENT come first (higher priority) so that a number inside an
    amount is never also a date or a quantity.
    """
    for regex, label, prio in (
        (MONEY_RE, "MONEY", 90),
        (PERCENT_RE, "PERCENT", 90),
        (TIME_RE, "TIME", 70),
        (DATE_RE, "DATE", 60),
        (QUANTITY_RE, "QUANTITY", 50),
    ):
        for m in regex.finditer(text):
            group = "v" if "v" in regex.groupindex and m.group("v") else 0
            start, end = m.start(group), m.end(group)
            while end > start and text[end - 1] in " ,":
                end -= 1
            if end > start:
                yield start, end, label, prio
