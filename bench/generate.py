"""Synthetic journal issues for the benchmarks: N realistic trilingual (kk/ru/en) articles.

Each article has:
- titles in Kazakh, Russian and English (Kazakh letters included), the original first;
- an abstract of about 200 words in each language and 5 keywords per language, all
  taken from the abstract's own words (so the editorial keyword check passes);
- 3 authors with a valid ORCID iD (ISO 7064 MOD 11-2 check character from
  ``biblio.ids.orcid_check_digit``), names in Cyrillic (kk, ru) and Latin (en), an
  affiliation with a valid ROR ID, CRediT roles, an e-mail for the corresponding author;
- a section, pages, received/accepted/published dates, a CC BY 4.0 licence;
- one funding source with an award number and a funding statement in three languages;
- 20 references with DOIs, structured fields and the printed text.

The issue has a journal with two ISSNs (valid check digits), a DOI pattern the articles'
DOIs follow, and publisher settings (depositor, registrant, landing-page pattern) on a
``.test`` host, so ``biblio check`` reports no example-data warning.

Output is deterministic: the same ``n`` and ``seed`` give the same issue, and article
``i`` does not depend on ``n`` (each article has its own seeded generator).

    python bench/generate.py 1000 -o /tmp/issue-1000.json    # a manifest (JSON or YAML)

or, from Python: ``generate.issue(1000)`` returns a ``biblio.Issue``.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import biblio
from biblio import ids
from biblio.model import (
    Affiliation,
    Article,
    ArticleDates,
    Contributor,
    Depositor,
    Funding,
    Issn,
    Issue,
    Journal,
    LangText,
    License,
    Pages,
    PartialDate,
    PersonName,
    Publisher,
    Reference,
    Settings,
)

LANGS = ("kk", "ru", "en")
DOI_PREFIX = "10.99999"
YEAR = 2025
DOI_PATTERN = "{prefix}/saj.{year}.{whole_number}.{number}.{seq:05}"
LANDING_PAGE_PATTERN = "https://journal.synthetic.test/articles/{suffix}"

# --- vocabulary: aligned kk / ru / en triples (nominative phrases) -----------------------

TOPICS = [
    ("мәдени бірегейлік", "культурная идентичность", "cultural identity"),
    ("тілдік саясат", "языковая политика", "language policy"),
    ("көші-қон үдерістері", "миграционные процессы", "migration processes"),
    ("цифрлық экономика", "цифровая экономика", "digital economy"),
    ("жоғары білім сапасы", "качество высшего образования", "quality of higher education"),
    ("азаматтық қоғам", "гражданское общество", "civil society"),
    ("ұлттық тарихнама", "национальная историография", "national historiography"),
    ("әлеуметтік әділеттілік", "социальная справедливость", "social justice"),
    ("энергетикалық қауіпсіздік", "энергетическая безопасность", "energy security"),
    ("ауыл шаруашылығы саясаты", "аграрная политика", "agricultural policy"),
    ("қоғамдық денсаулық", "общественное здоровье", "public health"),
    ("жастар саясаты", "молодёжная политика", "youth policy"),
    ("діни сана", "религиозное сознание", "religious consciousness"),
    ("сыбайлас жемқорлыққа қарсы іс-қимыл", "противодействие коррупции", "anti-corruption policy"),
    ("аймақтық даму", "региональное развитие", "regional development"),
    ("экологиялық мәдениет", "экологическая культура", "environmental culture"),
    ("медиа сауаттылық", "медиаграмотность", "media literacy"),
    ("мемлекеттік басқару", "государственное управление", "public administration"),
    ("отбасы институты", "институт семьи", "the institution of the family"),
    ("кәсіпкерлікті қолдау", "поддержка предпринимательства", "support for entrepreneurship"),
    ("халықаралық ынтымақтастық", "международное сотрудничество", "international cooperation"),
    ("су ресурстарын басқару", "управление водными ресурсами", "water resource management"),
    ("инклюзивті білім", "инклюзивное образование", "inclusive education"),
    ("тарихи жады", "историческая память", "historical memory"),
    ("еңбек нарығы", "рынок труда", "the labour market"),
    ("қалалық кеңістік", "городское пространство", "urban space"),
    ("ақпараттық қауіпсіздік", "информационная безопасность", "information security"),
    ("этносаралық қатынастар", "межэтнические отношения", "interethnic relations"),
]

ASPECTS = [
    ("құндылықтар жүйесі", "система ценностей", "value system"),
    ("әлеуметтік институттар", "социальные институты", "social institutions"),
    ("мемлекеттік бағдарламалар", "государственные программы", "state programmes"),
    ("құқықтық реттеу", "правовое регулирование", "legal regulation"),
    ("қоғамдық пікір", "общественное мнение", "public opinion"),
    ("ұлттық мүдде", "национальные интересы", "national interests"),
    ("жаһандану", "глобализация", "globalisation"),
    ("модернизация", "модернизация", "modernisation"),
    ("дәстүр мен жаңашылдық", "традиции и новаторство", "tradition and innovation"),
    ("әлеуметтік капитал", "социальный капитал", "social capital"),
    ("білім беру жүйесі", "система образования", "the education system"),
    ("азаматтық белсенділік", "гражданская активность", "civic engagement"),
    ("тұрақты даму", "устойчивое развитие", "sustainable development"),
    ("цифрландыру", "цифровизация", "digitalisation"),
    ("инвестициялық ахуал", "инвестиционный климат", "the investment climate"),
    ("мемлекеттік тіл", "государственный язык", "the state language"),
    ("жергілікті өзін-өзі басқару", "местное самоуправление", "local self-government"),
    ("халықтың әл-ауқаты", "благосостояние населения", "public welfare"),
    ("саяси мәдениет", "политическая культура", "political culture"),
    ("ғылыми әлеует", "научный потенциал", "research capacity"),
    ("диаспора", "диаспора", "the diaspora"),
    ("ұлттық сәйкестік", "национальная идентичность", "national identity"),
    ("әлеуметтік желілер", "социальные сети", "social networks"),
    ("адами капитал", "человеческий капитал", "human capital"),
    ("кеңестік кезең", "советский период", "the Soviet period"),
    ("тәуелсіздік жылдары", "годы независимости", "the years of independence"),
    ("бәсекеге қабілеттілік", "конкурентоспособность", "competitiveness"),
    ("әлеуметтік теңсіздік", "социальное неравенство", "social inequality"),
    ("көптілділік", "многоязычие", "multilingualism"),
    ("ақпараттық кеңістік", "информационное пространство", "the information space"),
]

TITLE_FRAMES = [
    ("{T}: теориялық талдау", "{T}: теоретический анализ", "{T}: a theoretical analysis"),
    ("{T}: қазақстандық тәжірибе", "{T}: казахстанский опыт", "{T}: the Kazakhstani experience"),
    ("{T}: негізгі үрдістер мен мәселелер", "{T}: основные тенденции и проблемы",
     "{T}: main trends and problems"),
    ("{T}: салыстырмалы зерттеу", "{T}: сравнительное исследование", "{T}: a comparative study"),
    ("{T}: эмпирикалық зерттеу нәтижелері", "{T}: результаты эмпирического исследования",
     "{T}: findings of an empirical study"),
    ("{T}: қазіргі жағдайы және даму перспективалары", "{T}: современное состояние и перспективы развития",
     "{T}: current state and prospects"),
]

# The subject sentence names the topic; the aspect sentence names two aspects. Both take the
# phrases in the nominative, so the sentences stay grammatical in every language.
SUBJECT = ("Мақаланың зерттеу нысаны – {T}.", "Предметом исследования статьи является {T}.",
           "The subject of this article is {T}.")
ASPECT_PAIR = ("Зерттеуде {A} және {B} ұғымдарының өзара байланысы талданады.",
               "В исследовании анализируется взаимосвязь таких понятий, как {A} и {B}.",
               "The study analyses how {A} and {B} are related.")

SENTENCES = [
    ("Мақалада отандық және шетелдік ғалымдардың еңбектері негізінде мәселенің теориялық негіздері жүйеленеді.",
     ("В статье на основе трудов отечественных и зарубежных учёных систематизируются теоретические основы "
      "проблемы."),
     ("Drawing on the work of Kazakhstani and foreign scholars, the article systematises the theoretical "
      "foundations of the problem.")),
    ("Зерттеудің әдіснамалық негізін жүйелік, салыстырмалы және тарихи тәсілдер құрайды.",
     "Методологическую основу исследования составляют системный, сравнительный и исторический подходы.",
     "The methodology combines systemic, comparative and historical approaches."),
    ("Эмпирикалық база ретінде Қазақстанның үш өңірінде жүргізілген сауалнама деректері пайдаланылды.",
     ("В качестве эмпирической базы использованы данные анкетного опроса, проведённого в трёх регионах "
      "Казахстана."),
     "The empirical base consists of survey data collected in three regions of Kazakhstan."),
    ("Сауалнамаға әртүрлі жас топтарынан мыңнан астам респондент қатысты.",
     "В опросе приняли участие более тысячи респондентов разных возрастных групп.",
     "More than a thousand respondents of different age groups took part in the survey."),
    ("Алынған нәтижелер қоғамдағы өзгерістердің біркелкі емес екенін көрсетеді.",
     "Полученные результаты свидетельствуют о неравномерном характере изменений в обществе.",
     "The results show that the changes in society are uneven."),
    ("Авторлар қалалық және ауылдық елді мекендер арасындағы айырмашылықтарға ерекше назар аударады.",
     "Авторы уделяют особое внимание различиям между городскими и сельскими населёнными пунктами.",
     "The authors pay particular attention to the differences between urban and rural settlements."),
    ("Мәселенің тарихи алғышарттары кеңестік және посткеңестік кезеңдер тұрғысынан қарастырылады.",
     "Исторические предпосылки проблемы рассматриваются в контексте советского и постсоветского периодов.",
     "The historical background of the problem is traced through the Soviet and post-Soviet periods."),
    ("Сапалық талдау барысында сарапшылармен жүргізілген жартылай құрылымдалған сұхбаттар қолданылды.",
     "В ходе качественного анализа использованы полуструктурированные интервью с экспертами.",
     "The qualitative analysis relies on semi-structured interviews with experts."),
    ("Зерттеу барысында мемлекеттік статистика деректері мен нормативтік құжаттар талданды.",
     "В ходе исследования проанализированы данные государственной статистики и нормативные документы.",
     "Official statistics and regulatory documents were analysed in the course of the study."),
    ("Халықаралық тәжірибені салыстыру Қазақстан үшін тиімді шешімдерді анықтауға мүмкіндік береді.",
     "Сравнение международного опыта позволяет определить решения, эффективные для Казахстана.",
     "A comparison with international experience helps to identify solutions that work for Kazakhstan."),
    ("Жұмыста қолданыстағы тәсілдердің артықшылықтары мен кемшіліктері сыни тұрғыдан бағаланады.",
     "В работе критически оцениваются преимущества и недостатки существующих подходов.",
     "The paper critically assesses the strengths and weaknesses of existing approaches."),
    ("Авторлар ұғымның өзіндік анықтамасын ұсынып, оның негізгі белгілерін атап көрсетеді.",
     "Авторы предлагают собственное определение понятия и выделяют его основные признаки.",
     "The authors propose their own definition of the concept and identify its main features."),
    ("Зерттеу нәтижелері ғылыми әдебиетте бұрын аз қарастырылған аспектілерді айқындайды.",
     "Результаты исследования раскрывают аспекты, ранее мало изученные в научной литературе.",
     "The findings shed light on aspects that have received little attention in the literature."),
    ("Деректерді өңдеу кезінде корреляциялық және кластерлік талдау әдістері қолданылды.",
     "При обработке данных применялись методы корреляционного и кластерного анализа.",
     "Correlation and cluster analysis were used to process the data."),
    ("Мақалада мемлекеттік органдар мен азаматтық сектордың өзара әрекеттесу тетіктері сипатталады.",
     "В статье описываются механизмы взаимодействия государственных органов и гражданского сектора.",
     "The article describes how state bodies and the civic sector interact."),
    ("Қорытындыда мәселені шешудің бірнеше практикалық ұсынымдары тұжырымдалады.",
     "В заключении сформулирован ряд практических рекомендаций по решению проблемы.",
     "The conclusion offers several practical recommendations for addressing the problem."),
    ("Ұсынымдар мемлекеттік бағдарламаларды әзірлеу кезінде пайдаланылуы мүмкін.",
     "Рекомендации могут быть использованы при разработке государственных программ.",
     "The recommendations may be used in the design of government programmes."),
    ("Зерттеудің практикалық маңызы оның нәтижелерін оқу үдерісінде қолдану мүмкіндігімен анықталады.",
     ("Практическая значимость исследования определяется возможностью использования его результатов в "
      "учебном процессе."),
     "The practical value of the study lies in the possible use of its results in teaching."),
    ("Сонымен қатар жаһандық үрдістердің өңірлік ерекшеліктерге ықпалы бағаланады.",
     "Кроме того, оценивается влияние глобальных тенденций на региональную специфику.",
     "The influence of global trends on regional specifics is also assessed."),
    ("Мақалада соңғы он жылдағы негізгі өзгерістер хронологиялық тәртіппен баяндалады.",
     "В статье в хронологическом порядке излагаются основные изменения последнего десятилетия.",
     "The article sets out the main changes of the last decade in chronological order."),
    ("Зерттеу шектеулері ретінде іріктеменің көлемі мен деректердің өңірлік сипаты аталады.",
     "В качестве ограничений исследования названы объём выборки и региональный характер данных.",
     "The sample size and the regional nature of the data are named as the study's limitations."),
    ("Болашақ зерттеулер үшін бойлық деректерді жинау маңызды бағыт ретінде ұсынылады.",
     "Сбор лонгитюдных данных предлагается как важное направление будущих исследований.",
     "Collecting longitudinal data is proposed as an important direction for future research."),
    ("Талдау көрсеткендей, респонденттердің басым бөлігі өзгерістерді оң бағалайды.",
     "Анализ показал, что большинство респондентов оценивают изменения положительно.",
     "The analysis shows that most respondents view the changes positively."),
    ("Алайда жастар мен егде жастағы адамдардың көзқарастары айтарлықтай ерекшеленеді.",
     "Однако взгляды молодёжи и людей старшего возраста существенно различаются.",
     "However, the views of young and older people differ considerably."),
    ("Авторлардың пікірінше, бұл үдерістер ұзақ мерзімді әрі кешенді саясатты талап етеді.",
     "По мнению авторов, эти процессы требуют долгосрочной и комплексной политики.",
     "In the authors' view, these processes call for a long-term and comprehensive policy."),
    ("Зерттеу пәнаралық сипатқа ие және әлеуметтану, саясаттану мен тарих тоғысында жүргізілді.",
     "Исследование носит междисциплинарный характер и выполнено на стыке социологии, политологии и истории.",
     "The study is interdisciplinary, at the crossroads of sociology, political science and history."),
]

SECTIONS = [
    ("Әлеуметтану", "Социология", "Sociology"),
    ("Саясаттану", "Политология", "Political science"),
    ("Тарих", "История", "History"),
    ("Экономика", "Экономика", "Economics"),
    ("Педагогика", "Педагогика", "Education"),
]

# --- people -----------------------------------------------------------------------------

GIVEN_MALE = ["Мұрат", "Ерлан", "Нұрлан", "Бақыт", "Қайрат", "Дәурен", "Серік", "Ғалым", "Төлеген", "Асқар",
              "Бауыржан", "Ербол", "Нұржан", "Самат", "Жандос", "Әлібек", "Ұлан", "Өмірзақ", "Шыңғыс", "Іскендір"]
GIVEN_FEMALE = ["Айгүл", "Гүлнар", "Әсел", "Жанар", "Сәуле", "Мәдина", "Алтынай", "Іңкәр", "Үміт", "Ләззат",
                "Динара", "Айжан", "Гүлмира", "Айнұр", "Ақбота", "Жұлдыз", "Гүлшат", "Мөлдір", "Ақмарал", "Салтанат"]
# Male forms; a woman's surname in -ов/-ев/-ин takes -а.
FAMILY = ["Насимов", "Әбдірахманов", "Қасымов", "Төлеуов", "Жұмабаев", "Сейітқали", "Оспанов", "Бекмұхамбетов",
          "Нұрғалиев", "Ахметов", "Сәрсенбаев", "Құдайбергенов", "Мұхамеджанов", "Исабеков", "Тоқтаров",
          "Байжанов", "Ермеков", "Омаров", "Жақыпов", "Смағұлов", "Өтебаев", "Дүйсенов", "Рақымжанов",
          "Шәкенов", "Ыбырайымов", "Әлімжанов", "Ғабитов", "Күзембаев", "Мақсұтов", "Үсенов", "Нұрпейісұлы"]


def person(rng: random.Random) -> tuple[str, str]:
    """A Kazakh (Cyrillic) given name and family name, of one gender."""
    family = rng.choice(FAMILY)
    if rng.random() < 0.5:
        return rng.choice(GIVEN_MALE), family
    female = family + "а" if family.endswith(("ов", "ев", "ин")) else family
    return rng.choice(GIVEN_FEMALE), female


_TO_RU = str.maketrans({"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и",
                        "Ә": "А", "Ғ": "Г", "Қ": "К", "Ң": "Н", "Ө": "О", "Ұ": "У", "Ү": "У", "Һ": "Х", "І": "И"})
_TO_LATIN = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o",
    "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "kh",
    "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e",
    "ю": "yu", "я": "ya",
}


def to_russian(name: str) -> str:
    """The Russian spelling of a Kazakh name: Kazakh letters replaced by their Russian neighbours."""
    return name.translate(_TO_RU)


def to_latin(name: str) -> str:
    """A passport-style Latin transliteration of a Kazakh (Cyrillic) name."""
    out = []
    for char in name:
        latin = _TO_LATIN.get(char.lower(), char)
        out.append(latin[:1].upper() + latin[1:] if char.isupper() and latin else latin)
    return "".join(out)


UNIVERSITIES = [
    ("Әл-Фараби атындағы Қазақ ұлттық университеті", "Казахский национальный университет имени аль-Фараби",
     "Al-Farabi Kazakh National University"),
    ("Л.Н. Гумилев атындағы Еуразия ұлттық университеті", "Евразийский национальный университет имени Л.Н. Гумилева",
     "L.N. Gumilyov Eurasian National University"),
    ("Абай атындағы Қазақ ұлттық педагогикалық университеті",
     "Казахский национальный педагогический университет имени Абая", "Abai Kazakh National Pedagogical University"),
    ("Академик Е.А. Бөкетов атындағы Қарағанды университеті", "Карагандинский университет имени академика Е.А. Букетова",
     "Karaganda Buketov University"),
    ("Қожа Ахмет Ясауи атындағы Халықаралық қазақ-түрік университеті",
     "Международный казахско-турецкий университет имени Ходжи Ахмеда Ясави",
     "Khoja Akhmet Yassawi International Kazakh-Turkish University"),
    ("Торайғыров университеті", "Торайгыров университет", "Toraighyrov University"),
]
CREDIT = ["conceptualization", "methodology", "investigation", "formal-analysis", "writing-original-draft",
          "writing-review-editing", "data-curation", "supervision"]
_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


def ror_id(rng: random.Random) -> str:
    """A syntactically valid ROR ID with correct check digits (``https://ror.org/0xxxxxxNN``)."""
    first = "0" + "".join(rng.choice(_CROCKFORD) for _ in range(6))
    return f"https://ror.org/{first}{ids.ror_check_digits(first)}"


def orcid_id(rng: random.Random) -> str:
    """An ORCID iD in the 0000-0001… to 0000-0003… block, with its ISO 7064 MOD 11-2 check character."""
    digits = "0000000" + str(rng.randint(1, 3)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    digits += ids.orcid_check_digit(digits)
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))


def issn(first_seven: str) -> str:
    return f"{first_seven[:4]}-{first_seven[4:]}{ids.issn_check_digit(first_seven)}"


# ROR IDs of the universities: fixed per issue, drawn from one seeded generator.
_UNIVERSITY_RORS = [ror_id(random.Random(f"ror:{n}")) for n in range(len(UNIVERSITIES))]


def contributor(rng: random.Random, number: int, article_lang: str) -> Contributor:
    given, family = person(rng)
    uni = rng.randrange(len(UNIVERSITIES))
    names = {
        # Kazakh blocks often print the family name first
        "kk": PersonName(family, given, "family-first" if rng.random() < 0.5 else "given-first"),
        "ru": PersonName(to_russian(family), to_russian(given)),
        "en": PersonName(to_latin(family), to_latin(given)),
    }
    return Contributor(
        role="author",
        names=names,
        orcid=orcid_id(rng),
        email=f"{to_latin(family).lower()}.{to_latin(given).lower()}@uni{uni}.synthetic.test" if number == 0 else None,
        corresponding=number == 0,
        affiliations=[Affiliation(LangText.of(dict(zip(LANGS, UNIVERSITIES[uni])), article_lang),
                                  _UNIVERSITY_RORS[uni], "KZ")],
        credit=rng.sample(CREDIT, 2),
    )


# --- references -------------------------------------------------------------------------

REF_JOURNALS = ["Central Asian Survey", "Вестник КазНУ. Серия социологическая", "Қазақстанның ғылымы мен өмірі",
                "Europe-Asia Studies", "Социологические исследования", "Journal of Eurasian Studies",
                "Нәтижелі білім беру", "Полис. Политические исследования", "Nationalities Papers",
                "Eurasian Geography and Economics"]
REF_LANG = {0: "en", 1: "ru", 2: "kk", 3: "en", 4: "ru", 5: "en", 6: "kk", 7: "ru", 8: "en", 9: "en"}


def reference(rng: random.Random, number: int) -> Reference:
    journal = rng.randrange(len(REF_JOURNALS))
    lang = REF_LANG[journal]
    col = LANGS.index(lang)
    topic, aspect = rng.choice(TOPICS)[col], rng.choice(ASPECTS)[col]
    title = {"kk": f"{topic[:1].upper()}{topic[1:]} және {aspect}",
             "ru": f"{topic[:1].upper()}{topic[1:]} и {aspect}",
             "en": f"{topic[:1].upper()}{topic[1:]} and {aspect}"}[lang]
    authors = []
    for _ in range(rng.randint(1, 3)):
        given, family = person(rng)
        if lang == "en":
            given, family = to_latin(given), to_latin(family)
        elif lang == "ru":
            given, family = to_russian(given), to_russian(family)
        authors.append((family, given))
    year = str(rng.randint(1995, 2024))
    volume, issue = str(rng.randint(1, 60)), str(rng.randint(1, 12))
    first = rng.randint(1, 300)
    pages = f"{first}-{first + rng.randint(5, 25)}"
    doi = f"10.{rng.randint(1000, 99999)}/{rng.choice(['j', 'vestnik', 'art', 'sr'])}.{year}.{rng.randint(1, 99999):05d}"
    printed_authors = ", ".join(f"{family} {given[0]}." for family, given in authors)
    text = f"{printed_authors} {title} // {REF_JOURNALS[journal]}. – {year}. – Vol. {volume}, No. {issue}. – " \
           f"P. {pages.replace('-', '–')}. – DOI: {doi}"
    return Reference(text=text, label=str(number), language=lang, doi=doi, type="journal_article",
                     authors=[f"{family}, {given}" for family, given in authors], title=title,
                     container=REF_JOURNALS[journal], year=year, volume=volume, issue=issue, pages=pages)


# --- articles ---------------------------------------------------------------------------

def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def article(index: int, seed: int = 0, first_page: int = 5) -> tuple[Article, int]:
    """Article ``index`` (0-based) and the page the next article starts on."""
    rng = random.Random(f"{seed}:{index}")
    lang = LANGS[index % 3]
    topic = rng.choice(TOPICS)
    aspects = rng.sample(ASPECTS, 4)
    frame = rng.choice(TITLE_FRAMES)
    sentences = rng.sample(SENTENCES, 15)
    titles, abstracts, keywords = {}, {}, {}
    for col, code in enumerate(LANGS):
        titles[code] = frame[col].replace("{T}", _capital(topic[col]))
        parts = [SUBJECT[col].replace("{T}", topic[col]),
                 ASPECT_PAIR[col].replace("{A}", aspects[0][col]).replace("{B}", aspects[1][col])]
        parts += [s[col] for s in sentences[:7]]
        parts.append(ASPECT_PAIR[col].replace("{A}", aspects[2][col]).replace("{B}", aspects[3][col]))
        parts += [s[col] for s in sentences[7:]]
        abstracts[code] = " ".join(parts)
        keywords[code] = [topic[col]] + [a[col] for a in aspects]
    last_page = first_page + rng.randint(7, 19)
    published = PartialDate(YEAR, 6, 30)
    received = PartialDate(YEAR, rng.randint(1, 3), rng.randint(1, 28))
    accepted = PartialDate(YEAR, rng.randint(4, 5), rng.randint(1, 28))
    award = f"AP{rng.randint(10_000_000, 29_999_999)}"
    funding = Funding(
        funder=LangText.of({
            "kk": "Қазақстан Республикасы Ғылым және жоғары білім министрлігі",
            "ru": "Министерство науки и высшего образования Республики Казахстан",
            "en": "Ministry of Science and Higher Education of the Republic of Kazakhstan"}, lang),
        funder_id="10.13039/501100004561",
        awards=[award],
        statement=LangText.of({
            "kk": f"Зерттеу Қазақстан Республикасы Ғылым және жоғары білім министрлігінің гранттық "
                  f"қаржыландыруымен орындалды ({award}).",
            "ru": f"Исследование выполнено при грантовом финансировании Министерства науки и высшего "
                  f"образования Республики Казахстан ({award}).",
            "en": f"This research was funded by the Ministry of Science and Higher Education of the Republic "
                  f"of Kazakhstan (grant {award})."}, lang))
    seq = index + 1
    return Article(
        language=lang,
        titles=LangText.of(titles, lang),
        doi=f"{DOI_PREFIX}/saj.{YEAR}.86.2.{seq:05d}",
        section=LangText.of(dict(zip(LANGS, rng.choice(SECTIONS))), lang),
        abstracts=LangText.of(abstracts, lang),
        keywords=keywords,
        contributors=[contributor(rng, n, lang) for n in range(3)],
        pages=Pages(str(first_page), str(last_page)),
        dates=ArticleDates(published=published, received=received, accepted=accepted),
        funding=[funding],
        license=License("https://creativecommons.org/licenses/by/4.0/", published),
        references=[reference(rng, n + 1) for n in range(20)],
        citations=list(range(1, 21)),
    ), last_page + 1


def issue(n: int, seed: int = 0) -> Issue:
    """An issue of ``n`` synthetic articles (deterministic for a given ``n`` and ``seed``)."""
    articles, page = [], 5
    for index in range(n):
        item, page = article(index, seed, page)
        articles.append(item)
    journal = Journal(
        titles=LangText.of({"kk": "Ғылыми-сараптамалық журнал", "ru": "Научно-аналитический журнал",
                            "en": "Scientific and Analytical Journal"}, "kk"),
        language="kk",
        abbreviation="Sci. Anal. J.",
        issns=[Issn(issn("2999011"), "print"), Issn(issn("2999012"), "electronic")],
        publisher=Publisher(LangText.of({"kk": "Синтетикалық баспа", "ru": "Синтетическое издательство",
                                         "en": "Synthetic Publishing"}, "kk"),
                            # One language only, so the generated issues (and the benchmark's figures) stay
                            # as they were; places in several languages are tested in tests/test_jats.py.
                            LangText.of({"kk": "Астана"}, "kk")),
        doi_prefix=DOI_PREFIX,
    )
    return Issue(
        journal=journal, year=YEAR, articles=articles, number="2", whole_number="86", volume="15",
        published=PartialDate(YEAR, 6, 30), doi_pattern=DOI_PATTERN,
        settings=Settings(Depositor("Synthetic Journal Office", "deposits@journal.synthetic.test"),
                          "Synthetic Publishing (journal.synthetic.test)", LANDING_PAGE_PATTERN),
    )


def write_manifest(n: int, path: str | Path, seed: int = 0) -> Path:
    """Write the issue of ``n`` articles as a manifest (JSON when the name ends in .json, else YAML)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    biblio.dump(issue(n, seed), target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("-o", "--output", required=True, help="manifest file (.json or .yaml)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    write_manifest(args.n, args.output, args.seed)
    print(args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
