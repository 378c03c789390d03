"""diffengine's check pipeline, for crates/crawl/benches/real_pages.rs.

Usage: pipeline.py FEED_URL [PASSES]

Per pass, with a fresh in-memory store: reads the feed, then checks every
article once (first crawl: each becomes its first version) and again
(re-check: unchanged). One check is what diffengine's Entry.get_latest does
with a page: a plain requests.get (its user agent, a 60 s timeout,
redirects followed, no session, so a new connection each time), the
status checked, readability-lxml's Document(resp.text) for the title and
summary(html_partial=True), bleach.clean(summary, tags=["p"], strip=True),
its whitespace and quote normalisation, utm_* dropped from the final URL,
and against a stored version the title compared and both summaries
fingerprinted (normalised, every tag bleached, whitespace and Unicode
punctuation removed). What diffengine does besides is left out, in its
favour: its one-second sleep, its SQLite writes (peewee), the Internet
Archive save request and the diff rendering when a version is new.

Prints per phase the CPU time per check (time.process_time: user + system
of this process; imports and start-up not counted) and the wall time, the
median over passes, and lines "result first_ms=..." / "result
recheck_ms=..." for the benchmark to read.
"""

import re
import statistics
import sys
import time
import unicodedata
import xml.etree.ElementTree as ElementTree
from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

import bleach
import readability
import requests

USER_AGENT = "diffengine/0.2.7 (+https://github.com/docnow/diffengine)"

# Every Unicode punctuation code point, mapped to nothing (as diffengine's
# fingerprint removes them).
PUNCTUATION = {
    c: None
    for c in range(sys.maxunicode + 1)
    if unicodedata.category(chr(c)).startswith("P")
}

SPACES = re.compile(r"  +")
WHITESPACE = re.compile(r"\s+", flags=re.MULTILINE)


def get(url):
    return requests.get(
        url, timeout=60, headers={"User-Agent": USER_AGENT}, allow_redirects=True
    )


def normalise(text):
    for old, new in (
        ("\xa0", " "),
        ("\u201c", '"'),
        ("\u201d", '"'),
        ("\u2019", "'"),
        ("\n", " "),
    ):
        text = text.replace(old, new)
    return SPACES.sub(" ", text).strip()


def fingerprint(text):
    text = bleach.clean(normalise(text), tags=[], strip=True)
    return WHITESPACE.sub("", text).translate(PUNCTUATION)


def without_utm(url):
    parts = urlparse(url)
    query = {
        k: v
        for k, v in parse_qs(parts.query, keep_blank_values=True).items()
        if not k.startswith("utm_")
    }
    return urlunparse(parts._replace(query=urlencode(query, doseq=True)))


def check(url, store):
    """One article check; True when it made a new version."""
    response = get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    document = readability.Document(response.text)
    title = document.title()
    summary = document.summary(html_partial=True)
    summary = normalise(bleach.clean(summary, tags=["p"], strip=True))
    key = without_utm(response.url)
    old = store.get(key)
    if (
        old is None
        or old[0] != title
        or fingerprint(old[1]) != fingerprint(summary)
    ):
        store[key] = (title, summary)
        return True
    return False


def links(feed_url):
    feed = ElementTree.fromstring(get(feed_url).content)
    return [item.findtext("link") for item in feed.iter("item")]


def phase(urls, store):
    cpu, wall = time.process_time(), time.perf_counter()
    changed = sum(check(url, store) for url in urls)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return cpu * 1000 / len(urls), wall, changed


def main():
    feed_url = sys.argv[1]
    passes = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    runs = []
    for n in range(passes):
        store = {}
        urls = links(feed_url)
        first = phase(urls, store)
        again = phase(urls, store)
        if first[2] != len(urls) or again[2] != 0:
            print(
                f"  (pass {n}: {first[2]} first versions, {again[2]} changed on re-check)",
                file=sys.stderr,
            )
        for name, (ms, wall, _) in (("first crawl", first), ("re-check", again)):
            print(
                f"  diffengine pass {n} {name:<12} {len(urls):>4} checks  "
                f"{ms:>6.2f} ms CPU/check  wall {wall:>6.2f} s"
            )
        runs.append((first, again))
    first_ms = statistics.median(r[0][0] for r in runs)
    again_ms = statistics.median(r[1][0] for r in runs)
    first_wall = statistics.median(r[0][1] for r in runs)
    again_wall = statistics.median(r[1][1] for r in runs)
    print(
        f"diffengine  first crawl {first_ms:>6.2f} ms CPU/check (wall {first_wall:.2f} s)   "
        f"re-check {again_ms:>6.2f} ms CPU/check (wall {again_wall:.2f} s)"
    )
    print(f"result first_ms={first_ms:.3f}")
    print(f"result recheck_ms={again_ms:.3f}")


if __name__ == "__main__":
    main()
