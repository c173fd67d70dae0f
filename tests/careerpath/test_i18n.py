"""The interface is translatable: every word the pages show comes from the translation catalogue.

A pseudo-locale ("en-xa") is built at test time from the Hindi catalogue's message ids: each message
becomes ``[[message]]`` (GNU gettext's msgen, msgfilter and msgfmt). A page rendered in it shows
every translated word inside ``[[...]]``, so any text outside the brackets was never marked for
translation. Catalogue content (skill names, descriptions, questions), numbers, dates, the
person's own input and a short reviewed allow-list are left out of the check.

Also: the switch between languages, the person's saved language, and the Hindi catalogue's state.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http import HTTPStatus
from pathlib import Path

import pytest
from django.conf import settings
from django.db import models
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation

from accounts.models import Profile
from assessments import presenters as assessment_presenters
from assessments import services as assessment_services
from catalogue.models import CATALOGUE_MODELS
from tests.assessments.through_services import fill_pages

pytestmark = pytest.mark.django_db

PSEUDO = "en-xa"
HINDI_PO = Path(settings.BASE_DIR) / "locale" / "hi" / "LC_MESSAGES" / "django.po"
# The libraries' own texts our pages show (allauth, Django's auth forms, country names).
LIBRARIES_HINDI_PO = Path(settings.BASE_DIR) / "locale-libraries" / "hi" / "LC_MESSAGES" / "django.po"
HINDI_CATALOGUES = pytest.mark.parametrize("po", [HINDI_PO, LIBRARIES_HINDI_PO], ids=["ours", "libraries"])
GETTEXT_TOOLS = ("msgcat", "msgen", "msgfilter", "msgfmt")

# Words that stay as they are in every language (reviewed): the product's name, the separator of
# the page title.
ALLOWED = {"careerpath", "·", "JSON", "ML", "INR", "USD", "OK"}

MONTHS_AND_DAYS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "a.m.",
    "p.m.",
    "midnight",
    "noon",
]


# --- the pseudo-locale -------------------------------------------------------------------------


def build_pseudo_locale(catalogues: list[Path], folder: Path) -> Path:
    """locale/en_XA/LC_MESSAGES/django.mo under ``folder``: every message of the ``catalogues`` as
    ``[[message]]`` (the first catalogue wins a message in more than one, as Django's order does)."""
    po = folder / "all.po"
    subprocess.run(["msgcat", "--use-first", "--no-wrap", "-o", str(po), *map(str, catalogues)], check=True)
    blank = folder / "blank.po"
    english = folder / "en.po"
    pseudo = folder / "pseudo.po"
    out = folder / "locale" / "en_XA" / "LC_MESSAGES"
    out.mkdir(parents=True)
    # Every translation emptied (msgen fills only empty ones), then each message is its own English.
    subprocess.run(
        ["msgfilter", "--keep-header", "--no-wrap", "-i", str(po), "-o", str(blank), "sed", "-e", "d"],
        check=True,
    )
    subprocess.run(["msgen", "--no-wrap", "-o", str(english), str(blank)], check=True)
    subprocess.run(
        [
            "msgfilter",
            "--keep-header",
            "--no-wrap",
            "-i",
            str(english),
            "-o",
            str(pseudo),
            "sed",
            "-e",
            "1s/^/[[/",
            "-e",
            "$s/$/]]/",
        ],
        check=True,
    )
    subprocess.run(["msgfmt", "--check-format", "-o", str(out / "django.mo"), str(pseudo)], check=True)
    return folder / "locale"


@pytest.fixture(scope="module")
def pseudo_locale_path(tmp_path_factory) -> Path:
    missing = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"GNU gettext's {', '.join(missing)} not installed")
    if not HINDI_PO.exists():
        pytest.fail("locale/hi/LC_MESSAGES/django.po is missing: run `make messages`")
    return build_pseudo_locale([HINDI_PO, LIBRARIES_HINDI_PO], tmp_path_factory.mktemp("pseudo-locale"))


@pytest.fixture
def pseudo_locale(pseudo_locale_path):
    """The pseudo-locale is one of the interface's languages while the test runs."""
    with override_settings(
        LANGUAGES=[*settings.LANGUAGES, (PSEUDO, "Pseudo")],
        LOCALE_PATHS=[pseudo_locale_path, *settings.LOCALE_PATHS],
    ):
        yield PSEUDO
    translation.activate(settings.LANGUAGE_CODE)


def pseudo_client(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = PSEUDO
    return client


# --- reading a page's text ---------------------------------------------------------------------


@dataclass
class PageText(HTMLParser):
    """The text a person reads on a page (text nodes, and the attributes read aloud or shown)."""

    texts: list[str] = field(default_factory=list)
    _skip: int = 0

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    SKIPPED = frozenset({"script", "style", "template", "code", "pre"})
    READ_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self._skip += 1
        for name, value in attrs:
            if name in self.READ_ATTRIBUTES and value and value.strip():
                self.texts.append(value.strip())

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def page_texts(html: str) -> list[str]:
    parser = PageText()
    parser.feed(html)
    return parser.texts


INNERMOST = re.compile(r"\[\[(?!\[)(?:(?!\[\[|\]\]).)*\]\]", re.DOTALL)
LEFT_OVER = re.compile(r"[^\W\d_]{2,}")  # a word of two letters or more


def strip_translated(text: str) -> str:
    """``text`` without its ``[[...]]`` parts (nested ones too)."""
    while True:
        stripped = INNERMOST.sub(" ", text)
        if stripped == text:
            return text
        text = stripped


def catalogue_words() -> list[str]:
    """Every text of the catalogue's rows (content, not interface), longest first."""
    texts: set[str] = set()
    for model in CATALOGUE_MODELS:
        names = [
            f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))
        ]
        for row in model.objects.values_list(*names) if names else []:
            for value in row:
                if value and isinstance(value, str):
                    texts.add(" ".join(value.split()))
                    texts.add(" ".join(value.replace("`", "").replace("*", "").split()))
    return sorted(texts, key=len, reverse=True)


def untranslated(texts: list[str], *, content: list[str]) -> list[str]:
    """The texts with words outside ``[[...]]`` that are not content, dates or allowed words."""
    pieces = [re.escape(piece) for piece in content if len(piece) >= 2]
    content_re = re.compile(r"(?<!\w)(?:" + "|".join(pieces) + r")(?!\w)") if pieces else None
    # One message may hold tags (a link inside a sentence), so its [[ and ]] fall in different text
    # nodes: take the translated parts out of the page's text as a whole, then look at what is left.
    separator = "\x00"
    rest_of_page = strip_translated(separator.join(texts))
    found = []
    for rest in rest_of_page.split(separator):
        if content_re is not None:
            rest = content_re.sub(" ", rest)
        words = [w for w in LEFT_OVER.findall(rest) if w not in ALLOWED and w not in MONTHS_AND_DAYS]
        if words:
            found.append(rest.strip())
    return found


# --- a learner with something on every page ------------------------------------------------


@pytest.fixture
def learner(user, small_catalogue):
    """A person with a submitted result (so a plan) and a retake in progress."""
    Profile.objects.update_or_create(user=user, defaults={"display_name": "Asha"})
    first = assessment_services.assessment_start(user=user)
    fill_pages(first, default=1)
    result = assessment_services.assessment_submit(assessment=first)
    retake = assessment_services.assessment_start(user=user)
    return {"user": user, "result": result, "retake": retake}


def step_index(assessment, prefix: str) -> int:
    assessment.refresh_from_db()
    return next(i for i, key in enumerate(assessment.steps) if key.startswith(prefix))


def main_pages(learner):
    """The main pages in turn: (name, address, needs the learner logged in); the retake moves on as
    they go (its checks page once it is rated, its review once the checks are answered)."""
    retake = learner["retake"]
    yield "home", reverse("home"), False
    yield "log in", reverse("account_login"), False
    yield "sign up", reverse("account_signup"), False
    yield "dashboard", reverse("dashboard"), True
    yield "profile", reverse("profile"), True
    yield "assessment rate page", reverse("assessment_step", args=[retake.pk, 0]), True
    rate_all(retake)
    yield "checks page", reverse("assessment_step", args=[retake.pk, step_index(retake, "round")]), True
    fill_pages(retake, default=2)
    yield "review", reverse("assessment_step", args=[retake.pk, step_index(retake, "review")]), True
    yield "results", reverse("result_detail", args=[learner["result"].pk]), True
    yield "roadmap", reverse("roadmap"), True
    yield "progress", reverse("progress"), True
    yield "catalogue index", reverse("catalogue_index"), False
    yield "skill page", reverse("catalogue_skill", args=["python"]), False
    yield "how we score", reverse("how_we_score"), False
    yield "privacy", reverse("privacy"), False


def rate_all(assessment) -> None:
    """Rate every skill of the retake, so that its first page of checks opens."""
    from assessments import selectors as assessment_selectors

    assessment.refresh_from_db()
    for index, key in enumerate(assessment.steps):
        if key.startswith("rate:"):
            page = assessment_selectors.step_page(assessment, index)
            rows = assessment_selectors.rating_rows(assessment, page.category)
            assessment_services.ratings_save(
                assessment=assessment, step=index, levels={skill.pk: 2 for skill, _a, _s in rows}
            )


def test_every_main_page_shows_only_translated_words_in_the_pseudo_locale(pseudo_locale, learner, client):
    content = catalogue_words()
    logged_in = pseudo_client(Client())
    logged_in.force_login(learner["user"])
    pseudo_client(client)
    problems = {}
    for name, url, private in main_pages(learner):
        response = (logged_in if private else client).get(url)
        assert response.status_code == HTTPStatus.OK, name
        # The language switch names each language in itself ("English", "हिन्दी"): not interface text.
        autonyms = [name for _code, name in response.context["interface_languages"]]
        missing = untranslated(page_texts(response.content.decode()), content=[*content, "Asha", *autonyms])
        if missing:
            problems[name] = missing
    assert problems == {}


# --- what is translated already: the profile page's form, messages and the language switch -----


def form_texts(html: str) -> dict[str, list[str]]:
    """The profile form's labels, help texts and errors, the messages, and the language switch."""

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.stack: list[str | None] = []
            self.found: dict[str, list[str]] = {}

        def kind(self, tag, attrs) -> str | None:
            a = dict(attrs)
            classes = (a.get("class") or "").split()
            if tag == "label" and (a.get("for") or "").startswith("id_"):
                return "label"
            if tag == "form" and "language-switch" in classes:
                return "switch"
            if tag in {"option", "select"}:
                return "choices"  # language and country names, role names: not checked here
            if (a.get("id") or "").endswith("_helptext") or "form-text" in classes:
                return "help"
            if "invalid-feedback" in classes:
                return "error"
            if "alert" in classes:
                return "message"
            return None

        def handle_starttag(self, tag, attrs):
            if tag in {"input", "br", "meta", "link", "img"}:
                return
            inherited = next((k for k in reversed(self.stack) if k), None)
            self.stack.append(self.kind(tag, attrs) or inherited)

        def handle_endtag(self, tag):
            if tag in {"input", "br", "meta", "link", "img"}:
                return
            if self.stack:
                self.stack.pop()

        def handle_data(self, data):
            kind = next((k for k in reversed(self.stack) if k), None)
            text = " ".join(data.split()).strip("* ")
            if kind and text:
                self.found.setdefault(kind, []).append(text)

    parser = Collect()
    parser.feed(html)
    return parser.found


def test_the_profile_form_and_its_messages_are_translated(pseudo_locale, user, small_catalogue, client):
    client = pseudo_client(client)
    client.force_login(user)
    page = form_texts(client.get(reverse("profile")).content.decode())
    for kind in ("label", "help", "switch"):
        assert page.get(kind), kind
        assert untranslated(page[kind], content=[]) == [], kind

    data = {
        "display_name": "Asha",
        "hours_per_week": 8,
        "target_role": client.get(reverse("profile")).context["form"].initial["target_role"],
        "experience_level": "student",
        "language": "",
    }
    wrong = client.post(reverse("profile"), {**data, "hours_per_week": 99})
    page = form_texts(wrong.content.decode())
    assert untranslated(page["error"], content=[]) == []
    assert untranslated(page["message"], content=[]) == []
    assert "[[Choose between 1 and 60 hours a week.]]" in page["error"]

    saved = client.post(reverse("profile"), data, follow=True)
    assert "[[Your profile is saved.]]" in form_texts(saved.content.decode()).get("message", [])


def test_the_switch_names_each_language_in_itself_and_marks_the_page_language(client):
    body = client.get(reverse("privacy")).content.decode()
    assert '<html lang="en-gb">' in body
    assert 'value="hi" lang="hi"' in body
    client.post(reverse("set_language"), {"language": "hi", "next": reverse("privacy")})
    assert '<html lang="hi">' in client.get(reverse("privacy")).content.decode()


# --- the person's saved language -------------------------------------------------------------


def test_the_switch_saves_a_logged_in_persons_language_and_brings_them_back(user, client):
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "hi", "next": reverse("profile")})
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("profile")
    assert Profile.objects.get(user=user).language == "hi"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "hi"
    assert client.get(reverse("profile"))["Content-Language"] == "hi"


SIGN_UP_PASSWORD = "a-long-enough-passphrase-42"


@pytest.mark.parametrize(("picked", "saved"), [("hi", "hi"), (None, "")])
def test_a_language_picked_before_signing_up_is_saved_on_the_new_profile(client, picked, saved):
    """So it follows the person to another browser and into their e-mails (blank: the browser decides)."""
    if picked:
        client.post(reverse("set_language"), {"language": picked, "next": "/"})
    client.post(
        reverse("account_signup"),
        {"email": "new.person@example.com", "password1": SIGN_UP_PASSWORD, "password2": SIGN_UP_PASSWORD},
    )
    assert Profile.objects.get(user__email="new.person@example.com").language == saved


def test_the_switch_refuses_a_next_address_on_another_site(client):
    response = client.post(reverse("set_language"), {"language": "hi", "next": "https://evil.example/"})
    assert response.status_code == HTTPStatus.FOUND
    assert not response.url.startswith("https://evil.example")


def test_an_unknown_language_changes_nothing(user, client):
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert Profile.objects.get(user=user).language == ""


def test_the_saved_language_wins_over_the_browser_at_the_next_log_in(user, client):
    Profile.objects.update_or_create(user=user, defaults={"language": "hi"})
    client.force_login(user)
    response = client.get(reverse("profile"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "hi"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "hi"


def test_without_a_saved_language_the_browser_decides(user, client):
    client.force_login(user)
    assert client.get(reverse("profile"), HTTP_ACCEPT_LANGUAGE="hi")["Content-Language"] == "hi"
    assert client.get(reverse("profile"), HTTP_ACCEPT_LANGUAGE="en-US")["Content-Language"] == "en-gb"
    assert client.get(reverse("profile"))["Content-Language"] == "en-gb"


def test_the_profile_form_saves_the_language(user, small_catalogue, client):
    client.force_login(user)
    data = {
        "display_name": "Asha",
        "hours_per_week": 6,
        "target_role": client.get(reverse("profile")).context["form"].initial["target_role"],
        "experience_level": "student",
        "language": "hi",
    }
    response = client.post(reverse("profile"), data)
    assert response.status_code == HTTPStatus.FOUND
    assert Profile.objects.get(user=user).language == "hi"
    assert client.get(reverse("profile"))["Content-Language"] == "hi"
    client.post(reverse("profile"), {**data, "language": ""})
    assert Profile.objects.get(user=user).language == ""
    assert client.get(reverse("profile"))["Content-Language"] == "en-gb"


# --- the Hindi catalogue ---------------------------------------------------------------------


def po_entries(path: Path) -> list[dict[str, object]]:
    """The entries of a .po file: flags, msgid, msgid_plural and msgstr(s), the header left out."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        if not lines:
            continue
        entry: dict[str, object] = {"flags": set(), "msgstr": []}
        key = None
        for line in lines:
            if line.startswith("#,"):
                entry["flags"] = {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            else:
                name, _, rest = line.partition(" ")
                if line.startswith('"'):
                    rest, name = line, key
                else:
                    key = name
                value = rest.strip()[1:-1]
                if name and name.startswith("msgstr"):
                    if line.startswith('"'):
                        entry["msgstr"][-1] += value  # type: ignore[index]
                    else:
                        entry["msgstr"].append(value)  # type: ignore[union-attr]
                elif name:
                    entry[name] = str(entry.get(name, "")) + value
        if entry.get("msgid"):
            entries.append(entry)
    return entries


@HINDI_CATALOGUES
def test_the_hindi_catalogue_has_no_fuzzy_entries(po):
    entries = po_entries(po)
    assert entries, f"{po} holds no messages: run `make messages` and `make library-messages`"
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []  # type: ignore[operator]


@HINDI_CATALOGUES
def test_the_hindi_catalogue_compiles(po):
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext's msgfmt not installed")
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True)
    assert po.with_suffix(".mo").exists(), "run `make compile-messages`"


def has_words(text: str) -> bool:
    """Whether a message holds words to translate, once its placeholders and tags are taken out."""
    bare = re.sub(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}|<[^>]+>", "", text)
    return any(character.isalpha() for character in bare)


@HINDI_CATALOGUES
def test_every_hindi_message_is_translated(po):
    """No empty translation, and none equal to its English, except a message with no words of its
    own (a list separator, "%(skill)s %(from)s → %(to)s")."""
    untranslated = [
        e["msgid"]
        for e in po_entries(po)
        if not all(e["msgstr"])  # type: ignore[attr-defined]
        or (has_words(str(e["msgid"])) and any(s == e["msgid"] for s in e["msgstr"]))  # type: ignore[attr-defined]
    ]
    assert untranslated == []


# --- what is prepared once: cached page bodies and the weekly e-mail ---------------------------


def test_cached_page_bodies_are_kept_per_language(db):
    from catalogue import caching

    built = []

    def context():
        built.append(translation.get_language())
        return {}

    for language in ("en-gb", "hi", "en-gb", "hi"):
        with translation.override(language):
            caching.cached_body("test-body", "includes/skill_map.html", context)
    assert built == ["en-gb", "hi"]
    caching.cached_bodies_delete(["test-body"])
    with translation.override("hi"):
        caching.cached_body("test-body", "includes/skill_map.html", context)
    assert built == ["en-gb", "hi", "hi"]


def test_the_weekly_email_is_written_in_the_recipients_language(
    pseudo_locale, learner, other_user, mailoutbox
):
    from django.utils import timezone

    from roadmap import weekly_email

    Profile.objects.filter(user=learner["user"]).update(weekly_email=True, language=PSEUDO)
    weekly_email.weekly_emails_send(week=timezone.localdate())
    [message] = mailoutbox
    assert message.subject.startswith("[[Your careerpath week of ")
    assert translation.get_language() != PSEUDO  # the recipient's language is not left active


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["home", "catalogue_index", "how_we_score"])
def test_public_pages_carry_the_language_switch_but_set_no_cookie(client, url_name):
    """The switch posts without a CSRF token, so showing it gives a visitor no cookie."""
    from django.urls import reverse

    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert b"data-language-select" in response.content
    assert not response.cookies, sorted(response.cookies)


@pytest.mark.django_db
def test_the_switch_works_from_another_page_without_a_csrf_token(client):
    from django.test import Client
    from django.urls import reverse

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("set_language"), {"language": "hi", "next": reverse("how_we_score")})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "hi"


# --- sentences built in Python: every word of them comes from the catalogue too -------------------

# Fields that hold codes, never shown as words: the method's name (shown in <code>), certainty keys.
CODE_FIELDS = {"method", "certainty"}


def shown_texts(obj: object, path: str) -> Iterator[tuple[str, str]]:
    """Every string a dataclass tree offers a template (fields and properties), with its path."""
    if isinstance(obj, str):
        yield path, obj
    elif isinstance(obj, tuple | list):
        for n, item in enumerate(obj):
            yield from shown_texts(item, f"{path}[{n}]")
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        names = [f.name for f in dataclasses.fields(obj)]
        names += [name for name, attr in vars(type(obj)).items() if isinstance(attr, property)]
        for name in names:
            if name not in CODE_FIELDS:
                yield from shown_texts(getattr(obj, name), f"{path}.{name}")


def test_the_how_we_score_examples_are_built_from_translated_words(pseudo_locale):
    with translation.override(PSEUDO):  # the texts' properties are worded when read
        method = assessment_presenters.scoring_method()
        leftovers = {
            path: text
            for path, text in shown_texts(method, "method")
            if untranslated([text], content=["Python", "pandas", "scikit-learn"])
        }
    assert leftovers == {}
