"""The HTML allowlist: what Markdown writes passes unchanged; what security teams try is refused at its line."""

from __future__ import annotations

import pytest
from community_events import safety
from community_events.errors import ContentError
from community_events.reader import markdown_converter
from conftest import ROOT
from pelican.settings import read_settings

PATH = "content/events/x.md"
MARKDOWN = markdown_converter(read_settings(str(ROOT / "pelicanconf.py"))["MARKDOWN"])  # as the reader sets it up

EVERYTHING_MARKDOWN_WRITES = """\
# Heading

Some *emphasis*, **strong**, `code`, ~~not struck~~, a [link](https://example.org "title"),
a [mail](mailto:group@example.org), an [anchor](#heading) and a [page](/events/).

![A reading room]({static}/images/room.png)

1. one
2. two

- a
- b

> quoted

| left | right |
|:-----|------:|
| 1    | 2     |

```python
print("hello")
```

Term
: definition

A footnote[^1].

[^1]: The note.

*[HTML]: HyperText Markup Language

HTML is an abbreviation.

<details><summary>More</summary>

Hidden text.

</details>

---
"""

# From OWASP's XSS Filter Evasion Cheat Sheet, mutation XSS write-ups and browser quirks.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//example.org/x.js></SCRIPT>",
    '<IMG SRC="javascript:alert(1);">',
    "<IMG SRC=javascript:alert(1)>",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    '<IMG SRC=`javascript:alert("x")`>',
    '<a onmouseover="alert(1)">x</a>',
    "<IMG SRC=# onmouseover=alert(1)>",
    "<IMG onerror=alert(1) SRC=/>",
    '<IMG SRC="jav&#x09;ascript:alert(1);">',
    '<IMG SRC="jav&#x0A;ascript:alert(1);">',
    '<IMG SRC=" &#14;  javascript:alert(1);">',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<BODY ONLOAD=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<svg><a><animate attributeName=href values=javascript:alert(1) /><text x=20 y=20>x</text></a></svg>",
    '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;img src=1 onerror=alert(1)&gt;">',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--><script>alert(1)</script>-->",
    "<!-- hidden -->",
    "<iframe src=https://example.org></iframe>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<object data=javascript:alert(1)>",
    '<embed src="data:image/svg+xml;base64,PHN2Zz4=">',
    "<base href=https://example.org/>",
    '<meta http-equiv="refresh" content="0;url=https://example.org">',
    "<link rel=stylesheet href=https://example.org/x.css>",
    "<style>body{display:none}</style>",
    '<p style="position:fixed;inset:0">cover</p>',
    '<form action="https://example.org"><input name=x></form>',
    "<details open ontoggle=alert(1)>",
    "<plaintext>",
    "<xmp><script>alert(1)</script></xmp>",
    "<template><script>alert(1)</script></template>",
    '<div class="skip-link">restyled</div>',
    '<p id="main">clobbered</p>',
    'Text {: onclick="alert(1)" }\n{: onclick="alert(1)" }',
    "<img src=https://example.org/tracker.png>",
    "<a href=x:y>x</a>",
]


def clean(text: str, first_line: int = 5) -> str:
    return safety.clean(PATH, text, MARKDOWN.reset().convert(text), first_line)


def test_what_markdown_writes_is_kept_whole():
    html = MARKDOWN.reset().convert(EVERYTHING_MARKDOWN_WRITES)
    # nh3 writes some characters differently ("print(&quot;x&quot;)" as 'print("x")'); what they say is the same.
    assert safety._tokens(clean(EVERYTHING_MARKDOWN_WRITES)) == safety._tokens(html)
    for piece in (
        "<table>",
        'align="right"',
        '<code class="language-python">',
        'class="footnote"',
        "<abbr",
        "<details>",
        "<dd>",
    ):
        assert piece in html


@pytest.mark.parametrize("payload", PAYLOADS)
def test_attacks_are_refused_at_their_line_with_one_sentence(payload):
    text = f"An ordinary first line.\n\n{payload}\n"
    with pytest.raises(ContentError) as raised:
        clean(text)
    sentence = str(raised.value)
    assert sentence.startswith(f"{PATH}:") and "; " in sentence and "\n" not in sentence
    assert raised.value.line in (5, 7), sentence  # the payload's line, or the first line when the needle is everywhere


def test_the_line_named_is_the_line_with_the_problem():
    with pytest.raises(ContentError) as raised:
        clean("One.\n\nTwo.\n\n<script>alert(1)</script>\n", first_line=10)
    assert raised.value.line == 14 and "raw <script> tag" in str(raised.value)


def test_what_is_printed_is_always_the_allowlists_output():
    """Even where the finder could not name a problem, only nh3's cleaned HTML is ever returned."""
    html = '<p>fine</p><p><a href="https://example.org" rel="noopener">out</a></p>'
    assert safety.clean(PATH, "", html, 1) == safety.CLEANER.clean(html) == html


def test_fields_with_script_like_tags_are_refused_but_plain_brackets_are_text():
    from community_events.frontmatter import decode, split

    document = split(PATH, decode(PATH, b'---\ntitle: "Salon <3: a <b>bold</b> idea"\n---\n'))
    safety.check_fields(PATH, document.fields)
    document = split(PATH, decode(PATH, b'---\ntitle: ok\nsummary: "<svg onload=alert(1)>"\n---\n'))
    with pytest.raises(ContentError, match=r"x.md:3: summary contains HTML"):
        safety.check_fields(PATH, document.fields)
