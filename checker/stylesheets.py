"""Classes and ids a draft's own style sheets hide: junk letters inside words.

``wa<span class="x">qz</span>ter`` renders as "water" when the page's ``<style>``
says ``.x { display: none }``, or when the site's CSS framework defines the class
(Tailwind's ``hidden``, Bootstrap's ``d-none`` and ``visually-hidden``): the
tokenizer would read "waqzter". :mod:`checker.hidden` drops what an element says of
itself (``hidden``, an inline style); this module reads the rest from the draft's
``<style>`` elements (tinycss2 parses them, cssselect their selectors) plus the
frameworks' well-known utility classes.

A selector is read by its subject, the compound its rule styles: ``.a .b``, ``p >
span.b`` and ``.b:hover`` all count as "an element of class b" (and ``span.b.c`` as a
``span`` of both classes). Reading more (combinators, pseudo-classes) would take the
page's whole tree per rule: a draft of 20,000 elements and 2,000 rules took 20 s. A
subject of an element name alone counts only in a selector of one compound (``i``, not
``.menu span``: read loosely, that would take every ``<span>`` inside a word of a real
page); a subject of attributes only (``[data-x]``) is not read.

Only an element that stands *inside a word* (a letter or digit right before it and
right after it) is dropped for what a style sheet says. A scan cannot run the
cascade as a browser does (``@media`` conditions, scripts, the site's other style
sheets), so text between words is always read: wrapping a copied paragraph in
``<div class="hidden">`` on a site whose CSS shows it must not hide it from the gate,
while breaking every word with hidden junk must not either.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .hidden import BACKGROUND_TEXT_RE, BLOCK_TAGS, HIDING_DECLARATION, erase

if TYPE_CHECKING:  # lxml is imported when a page is read
    import lxml.html

#: Utility classes of widespread CSS frameworks that hide their element (Tailwind,
#: Bootstrap 3-5, Bulma, Foundation, WordPress): a site built on one hides them
#: without a ``<style>`` of the page's own.
UTILITY_CLASSES = frozenset({
    "hidden", "invisible", "sr-only", "visually-hidden", "visuallyhidden", "d-none",
    "is-hidden", "is-invisible", "hide", "show-for-sr", "screen-reader-text"})
#: Style sheet text read per draft, and rules kept from it: bounds on a hostile draft.
MAX_CSS_CHARS = 500_000
MAX_RULES = 2_000

# A declaration that hides its element, as :func:`checker.hidden.hides` reads an inline
# style (the value's whole text, blanks and "!important" apart).
_HIDES_RE = re.compile(HIDING_DECLARATION, re.IGNORECASE)
# A selector of generated content.
_PSEUDO_RE = re.compile(r"::?(?:before|after)\b", re.IGNORECASE)
# A <style> element of raw HTML. Its content stops at the next "<style" or "</style",
# open or close: a draft of unclosed <style> tags costs linear time, not quadratic
# (20,000 of them took 17 s when the content could run to the end of the text).
_STYLE_RE = re.compile(r"<style\b[^<>]*>((?:[^<]|<(?!/?style\b))*)</style\s*>", re.IGNORECASE)


#: A rule's subject: its element name (or None), the classes it must all have, its id
#: (or None).
Subject = tuple[str | None, frozenset[str], str | None]


@dataclass(frozen=True)
class Hiding:
    """What a draft's style sheets hide: the subjects of the rules that hide (with the
    utility classes as one-class subjects), and every class and id they name, for the
    Markdown reader's regex (which cannot tell one subject from another: inside a word
    the looser reading is safe)."""

    subjects: tuple[Subject, ...] = tuple((None, frozenset({c}), None)
                                          for c in sorted(UTILITY_CLASSES))
    classes: frozenset[str] = UTILITY_CLASSES
    ids: frozenset[str] = frozenset()


def style_texts(markup: str) -> list[str]:
    """The contents of the ``<style>`` elements of raw HTML (Markdown, or a page not
    parsed), :data:`MAX_CSS_CHARS` in all."""
    out: list[str] = []
    left = MAX_CSS_CHARS
    for m in _STYLE_RE.finditer(markup):
        if left <= 0:
            break
        out.append(m.group(1)[:left])
        left -= len(out[-1])
    return out


def hiding(css_texts: Iterable[str]) -> Hiding:
    """The subjects of the rules of these style sheets that hide their elements (any
    rule, at the top level or inside ``@media``/``@supports``/``@layer``, but not a
    print-only one), with the utility classes. A selector cssselect cannot parse, or
    whose subject names no element, class or id (``*``, ``:hover``), is left out."""
    texts = [t for t in css_texts if t.strip()]
    if not texts:
        return Hiding()

    subjects = dict.fromkeys(Hiding().subjects)
    subjects.update(dict.fromkeys(_subjects(texts, _hides)))
    kept = tuple(subjects)[:MAX_RULES + len(UTILITY_CLASSES)]
    return Hiding(kept, frozenset(c for _, cs, _ in kept for c in cs),
                  frozenset(i for _, _, i in kept if i is not None))


def _subjects(texts: list[str], wanted: Callable[[Sequence[object]], bool]) -> list[Subject]:
    """The subjects of the rules of these style sheets with a declaration ``wanted``
    (:func:`_rule_selectors`), :data:`MAX_RULES` at most."""
    from cssselect import SelectorError, parse

    out: list[Subject] = []
    for selector_text in _rule_selectors(_sheet_rules(texts), wanted):
        try:
            selectors = parse(selector_text)
        except SelectorError:
            continue
        out += [subject for sel in selectors
                if (subject := _subject(sel.parsed_tree)) is not None]
    return out[:MAX_RULES]


@dataclass(frozen=True)
class Directions:
    """The subjects of a draft's style sheet rules that override the direction of their
    elements' letters (``unicode-bidi: bidi-override`` or ``isolate-override``) and that
    set it right to left (``direction: rtl``): :mod:`checker.pageview` shows the content
    of an element that does both right to left."""

    overriding: tuple[Subject, ...] = ()
    rtl: tuple[Subject, ...] = ()


def directions(css_texts: Iterable[str]) -> Directions:
    """:class:`Directions` of these style sheets (their rules read as :func:`hiding`
    reads them)."""
    texts = list(css_texts)
    if not any("override" in t for t in texts):
        return Directions()
    return Directions(tuple(_subjects(texts, _overrides)),
                      tuple(_subjects(texts, _right_to_left)))


def subject_matcher(subjects: Iterable[Subject]) -> Callable[[lxml.html.HtmlElement], bool]:
    """Whether an element is one that a subject of ``subjects`` matches (subjects looked
    up by the element's classes, id and name: one look per element, not per rule)."""
    by: dict[str, list[Subject]] = {}
    for subject in subjects:
        tag, classes, ident = subject
        at = f"#{ident}" if ident is not None else min(classes) if classes else f"<{tag}"
        if len(group := by.setdefault(at, [])) < 64:
            group.append(subject)

    def matches(el: lxml.html.HtmlElement) -> bool:
        if not by:
            return False
        classes = frozenset((el.get("class") or "").split()[:64])
        ident = (el.get("id") or "").strip()
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        wanted = [*classes, f"<{tag}"] + ([f"#{ident}"] if ident else [])
        return any(_matches(s, tag, classes, ident) for at in wanted for s in by.get(at, ()))

    return matches


def _subject(tree: object) -> Subject | None:
    """The subject compound of a parsed selector: its element name, classes and id
    (pseudo-classes, attributes and negations left out: a looser reading)."""
    from cssselect.parser import Class, CombinedSelector, Element, Hash

    combined = isinstance(tree, CombinedSelector)
    while isinstance(tree, CombinedSelector):
        tree = tree.subselector
    tag, classes, ident = None, set(), None
    for _ in range(64):  # a compound's parts, outermost first
        if isinstance(tree, Element):
            tag = tree.element.lower() if tree.element and tree.element != "*" else None
            break
        if isinstance(tree, Class):
            classes.add(tree.class_name)
        elif isinstance(tree, Hash):
            ident = tree.id
        tree = getattr(tree, "selector", None)
        if tree is None:
            break
    if not classes and ident is None and (tag is None or combined):
        # Nothing to go by, or an element name under other conditions (".menu span"):
        # read loosely, every <span> inside a word of a real page would go.
        return None
    return tag, frozenset(classes), ident


def _rule_selectors(rules: Iterable[tuple[str, Sequence[object]]],
                    wanted: Callable[[Sequence[object]], bool]) -> list[str]:
    """The selector texts of the rules whose declarations are ``wanted`` (one of them
    hides their element, say), :data:`MAX_RULES` at most."""
    out: list[str] = []
    for selector, decls in rules:
        if wanted(decls):
            out.append(selector)
            if len(out) >= MAX_RULES:
                break
    return out


def _sheet_rules(texts: Iterable[str]) -> tuple[tuple[str, tuple[object, ...]], ...]:
    """The rules (:func:`_rules`) of these style sheets, read together
    (:data:`MAX_CSS_CHARS` in all). A page's sheets are read for hiding, for direction
    and for generated text, from its text and again from its blocks: parsed once."""
    return _parsed_rules("\n".join(t for t in texts if t.strip())[:MAX_CSS_CHARS])


@functools.lru_cache(maxsize=4)
def _parsed_rules(css: str) -> tuple[tuple[str, tuple[object, ...]], ...]:
    import tinycss2

    return tuple((selector, tuple(decls)) for selector, decls in _rules(
        tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)))


def _rules(rules: list[object], depth: int = 0) -> Iterator[tuple[str, list[object]]]:
    """Each style rule's selector text and declarations, nested at-rules included (to a
    depth of 4), print-only ``@media`` left out. Every rule of the text is read (it is
    :data:`MAX_CSS_CHARS` at most): a hiding rule after a framework's thousands counts."""
    import tinycss2
    from tinycss2.ast import AtRule, QualifiedRule

    for rule in rules:
        if isinstance(rule, QualifiedRule):
            yield (tinycss2.serialize(rule.prelude).strip(),
                   tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                   skip_whitespace=True))
        elif isinstance(rule, AtRule) and rule.content is not None and depth < 4 \
                and rule.lower_at_keyword in ("media", "supports", "layer", "container"):
            condition = tinycss2.serialize(rule.prelude).lower()
            if rule.lower_at_keyword == "media" and "print" in condition \
                    and "screen" not in condition:
                continue
            yield from _rules(tinycss2.parse_rule_list(
                rule.content, skip_comments=True, skip_whitespace=True), depth + 1)


def generated_texts(css_texts: Iterable[str]) -> list[str]:
    """The text style rules add before or after their elements (the strings of
    ``content`` in a ``::before`` or ``::after`` rule): shown on the page like its own
    text, so a copy can be written there. One string per declaration, in order,
    :data:`MAX_RULES` at most."""
    texts = list(css_texts)
    if not any("content" in t for t in texts):
        return []
    from tinycss2.ast import Declaration, StringToken

    out: list[str] = []
    for selector, decls in _sheet_rules(texts):
        if not _PSEUDO_RE.search(selector):
            continue
        for d in decls:
            if isinstance(d, Declaration) and d.lower_name == "content":
                text = "".join(t.value for t in d.value if isinstance(t, StringToken))
                if text.strip() and len(out) < MAX_RULES:
                    out.append(text)
    return out


def _declared(decl: object) -> str | None:
    """A declaration as ``name:value``, lower case and without blanks ("!important"
    apart), or None for anything else."""
    import tinycss2
    from tinycss2.ast import Declaration

    if not isinstance(decl, Declaration):
        return None
    return f"{decl.lower_name}:" + re.sub(r"\s+", "", tinycss2.serialize(decl.value)).lower()


def _hides(decls: Sequence[object]) -> bool:
    found = [d for decl in decls if (d := _declared(decl)) is not None
             and _HIDES_RE.fullmatch(d) is not None]
    if found and any(BACKGROUND_TEXT_RE.search(d or "") for d in map(_declared, decls)):
        found = [d for d in found if "color:" not in d]  # text painted by its background
    return bool(found)


def _overrides(decls: Sequence[object]) -> bool:
    return any(_declared(d) in ("unicode-bidi:bidi-override", "unicode-bidi:isolate-override")
               for d in decls)


def _right_to_left(decls: Sequence[object]) -> bool:
    return any(_declared(d) == "direction:rtl" for d in decls)


def class_pattern(h: Hiding) -> str:
    """A regex of an element of raw HTML that ``h`` hides by its class or id, with its
    content (which stops at the next tag of the same name: linear time)."""
    names = "|".join(re.escape(c) for c in sorted(h.classes))
    # Bounded scans inside the tag: a hostile tag of many attributes costs linear time.
    attrs = [rf"\sclass\s*=\s*[\"'](?:[^\"'<>]{{0,300}}\s)?(?:{names})(?=[\s\"'])"]
    if h.ids:
        attrs.append(r"\sid\s*=\s*[\"']\s*(?:" + "|".join(re.escape(i) for i in sorted(h.ids))
                     + r")\s*[\"']")
    return (r"<(?P<cls>[A-Za-z][A-Za-z0-9]*)\b(?=[^<>]*?(?:" + "|".join(attrs) + r"))[^<>]*>"
            r"(?:[^<]|<(?!/?(?P=cls)\b))*</(?P=cls)\s*>")


def drop_in_words(tree: lxml.html.HtmlElement, h: Hiding) -> bool:
    """Drop from ``tree`` the elements a subject of ``h`` matches that stand inside a
    word (emptied, their tail text kept); whether there were any. One pass over the
    tree: subjects are looked up by each element's classes, id and name."""
    import lxml.html

    hidden = subject_matcher(h.subjects)
    dropped = False
    for el in list(tree.iter()):
        if not isinstance(el, lxml.html.HtmlElement) or el.getparent() is None:
            continue
        if hidden(el) and _inside_word(el):
            erase(el)
            dropped = True
    return dropped


def _matches(subject: Subject, tag: str, classes: frozenset[str], ident: str) -> bool:
    want_tag, want_classes, want_id = subject
    return (want_tag is None or want_tag == tag) and want_classes <= classes \
        and (want_id is None or want_id == ident)


def _inside_word(el: lxml.html.HtmlElement) -> bool:
    """An inline element with a letter or digit right before and right after it in its
    block (a block element, or a ``<br>``, ends a word)."""
    if _breaks(el):
        return False
    before, after = _text_before(el), _text_after(el)
    return bool(before) and bool(after) and before[-1].isalnum() and after[0].isalnum()


#: Elements walked to find the text next to a dropped one (a page of empty elements).
_WALK = 256


def _breaks(el: lxml.html.HtmlElement) -> bool:
    return isinstance(el.tag, str) and (el.tag in BLOCK_TAGS or el.tag == "br")


def _edge_text(el: lxml.html.HtmlElement, budget: list[int], last: bool) -> str | None:
    """The last (or first) text inside the inline element ``el``: "" when it holds none,
    None when a block inside it ends the word first."""
    if not isinstance(el.tag, str):
        return ""  # a comment: its text is not shown
    if not last and el.text:
        return str(el.text)
    for child in (reversed(el) if last else el):
        budget[0] -= 1
        if budget[0] < 0 or _breaks(child):
            return None
        if last and child.tail:
            return str(child.tail)
        inner = _edge_text(child, budget, last)
        if inner is None or inner:
            return inner
        if not last and child.tail:
            return str(child.tail)
    return str(el.text or "") if last else ""


def _text_before(el: lxml.html.HtmlElement) -> str:
    """The text right before ``el`` in its block (its end), or ""."""
    node, budget = el, [_WALK]
    while budget[0] > 0:
        budget[0] -= 1
        prev = node.getprevious()
        if prev is not None:
            if _breaks(prev):
                return ""
            if prev.tail:
                return str(prev.tail)
            text = _edge_text(prev, budget, last=True)
            if text is None or text:
                return text or ""
            node = prev
            continue
        parent = node.getparent()
        if parent is None:
            return ""
        if parent.text or _breaks(parent):
            return str(parent.text or "")
        node = parent
    return ""


def _text_after(el: lxml.html.HtmlElement) -> str:
    """The text right after ``el`` in its block (its start), or ""."""
    node, budget = el, [_WALK]
    while budget[0] > 0:
        budget[0] -= 1
        if node.tail:
            return str(node.tail)
        nxt = node.getnext()
        if nxt is not None:
            if _breaks(nxt):
                return ""
            text = _edge_text(nxt, budget, last=False)
            if text is None or text:
                return text or ""
            node = nxt
            continue
        parent = node.getparent()
        if parent is None or _breaks(parent):
            return ""
        node = parent
    return ""
