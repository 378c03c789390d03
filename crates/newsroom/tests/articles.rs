//! Article pages: noise vs text, gzip, conditional requests, edits, statuses,
//! outlets, determinism and counters.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{esc, get, get_with};
use redline_newsroom::{
    ArticleStatus, Edit, Layout, NewArticle, Newsroom, NewsroomConfig, NewsroomError,
    PunctuationChange,
};

async fn room(articles: usize, seed: u64) -> Newsroom {
    Newsroom::start(NewsroomConfig {
        articles,
        seed,
        ..Default::default()
    })
    .await
    .expect("start")
}

/// Asserts that `html` shows exactly this headline and these paragraphs, in order.
fn assert_shows(html: &str, headline: &str, paragraphs: &[String]) {
    let h1_at = html.find("<h1").expect("an <h1>");
    let h1 = &html[h1_at..];
    let h1_text = &h1[h1.find('>').unwrap() + 1..h1.find("</h1>").unwrap()];
    assert_eq!(h1_text, esc(headline));
    let mut from = h1_at;
    for p in paragraphs {
        let needle = format!(">{}</p>", esc(p));
        let at = html[from..]
            .find(&needle)
            .unwrap_or_else(|| panic!("paragraph missing or out of order: {p}"));
        from += at + needle.len();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boilerplate_changes_on_every_request_but_the_article_does_not() {
    let room = room(30, 1).await;
    let mut seen_layouts = HashSet::new();
    for id in room.article_ids() {
        let a = room.article(id).unwrap();
        if !seen_layouts.insert(a.layout) {
            continue;
        }
        let url = room.article_url(id);
        let first = get(&url).await;
        let second = get(&url).await;
        assert_eq!(first.status, 200);
        assert_eq!(
            first.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        let (one, two) = (first.text(), second.text());
        assert_ne!(
            one, two,
            "{:?}: boilerplate must differ between fetches",
            a.layout
        );
        assert_shows(&one, &a.headline, &a.paragraphs);
        assert_shows(&two, &a.headline, &a.paragraphs);
        for page in [&one, &two] {
            assert!(page.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")));
            assert!(page.contains("\"@type\":\"NewsArticle\""));
            assert!(page.contains("<meta property=\"og:title\""));
            assert!(page.contains(&format!("datetime=\"{}", &a.published.to_rfc3339()[..16])));
            assert!(page.contains("By "));
            assert!(
                page.contains("ad-slot")
                    && page.contains("Page generated at")
                    && page.contains("most-read-list")
            );
            assert!(
                !page.contains("https://") || page.matches("https://").count() == 1,
                "only schema.org context is external"
            );
        }
        // The per-layout traps are there.
        match a.layout {
            Layout::Ledger => assert!(one.contains("newsletter-signup") || a.paragraphs.len() <= 3),
            Layout::Beacon => assert!(one.contains("<figcaption") && one.contains("__NEXT_DATA__")),
            Layout::Courier => assert!(one.contains("class=\"caption\"")),
        }
    }
    assert_eq!(seen_layouts.len(), 3, "30 articles use all three layouts");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gzip_when_accepted_and_the_same_article_inside() {
    // Lazy rendering (no pre-rendering): pages are compiled on first request.
    let room = Newsroom::start(NewsroomConfig {
        articles: 5,
        seed: 2,
        prerender: false,
        ..Default::default()
    })
    .await
    .unwrap();
    let a = room.article(3).unwrap();
    let plain = get(&room.article_url(3)).await;
    let gz = get_with(
        &room.article_url(3),
        &[("Accept-Encoding", "gzip, deflate, br")],
    )
    .await;
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert_eq!(gz.header("vary"), Some("Accept-Encoding"));
    assert!(gz.body.len() < plain.body.len(), "compressed is smaller");
    assert_shows(&gz.text(), &a.headline, &a.paragraphs);
    // Other pages are compressed too.
    let front = get_with(&room.front_page_url(), &[("Accept-Encoding", "gzip")]).await;
    assert_eq!(front.header("content-encoding"), Some("gzip"));
    assert!(front.text().contains("Top stories"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conditional_requests_get_304_until_the_text_changes() {
    let room = room(5, 3).await;
    let url = room.article_url(2);
    let first = get(&url).await;
    let etag = first.header("etag").unwrap().to_string();
    let last_modified = first.header("last-modified").unwrap().to_string();
    assert_eq!(
        get(&url).await.header("etag").unwrap(),
        etag,
        "noise does not change the ETag"
    );

    let not_modified = get_with(&url, &[("If-None-Match", &etag)]).await;
    assert_eq!(not_modified.status, 304);
    assert!(not_modified.body.is_empty());
    assert_eq!(
        get_with(&url, &[("If-Modified-Since", &last_modified)])
            .await
            .status,
        304
    );
    assert_eq!(
        get_with(&url, &[("If-None-Match", "\"something-else\"")])
            .await
            .status,
        200
    );

    room.edit(2, Edit::SetHeadline("A completely new headline".into()))
        .unwrap();
    let changed = get_with(&url, &[("If-None-Match", &etag)]).await;
    assert_eq!(changed.status, 200);
    assert_ne!(changed.header("etag").unwrap(), etag);
    assert_ne!(changed.header("last-modified").unwrap(), last_modified);
    assert_eq!(
        get_with(&url, &[("If-Modified-Since", &last_modified)])
            .await
            .status,
        200
    );
    assert!(changed.text().contains("<h1") && changed.text().contains("A completely new headline"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_edit_changes_exactly_what_it_says() {
    let room = room(3, 4).await;
    let id = 1;
    let before = room.article(id).unwrap();
    let n = before.paragraphs.len();

    // ReplaceWord: one token of one paragraph.
    let rev = room
        .edit(
            id,
            Edit::ReplaceWord {
                paragraph: 1,
                word_index: 0,
                with: "Officials".into(),
            },
        )
        .unwrap();
    assert_eq!(rev, 2);
    let after = room.article(id).unwrap();
    assert_eq!(after.revision, 2);
    assert_eq!(after.headline, before.headline);
    for k in 0..n {
        if k == 1 {
            let (b, a): (Vec<_>, Vec<_>) = (
                before.paragraphs[1].split_whitespace().collect(),
                after.paragraphs[1].split_whitespace().collect(),
            );
            assert_eq!(b.len(), a.len());
            assert!(a[0].contains("Officials"));
            assert_eq!(b[1..], a[1..]);
        } else {
            assert_eq!(before.paragraphs[k], after.paragraphs[k]);
        }
    }

    // AddParagraph / RemoveParagraph / ReplaceParagraph.
    let b = room.article(id).unwrap();
    room.edit(
        id,
        Edit::AddParagraph {
            at: 0,
            text: "A new first paragraph.".into(),
        },
    )
    .unwrap();
    let a = room.article(id).unwrap();
    assert_eq!(a.paragraphs[0], "A new first paragraph.");
    assert_eq!(a.paragraphs[1..], b.paragraphs[..]);
    room.edit(id, Edit::RemoveParagraph(0)).unwrap();
    assert_eq!(room.article(id).unwrap().paragraphs, b.paragraphs);
    room.edit(
        id,
        Edit::ReplaceParagraph {
            paragraph: 2,
            text: "Rewritten.".into(),
        },
    )
    .unwrap();
    let a = room.article(id).unwrap();
    assert_eq!(a.paragraphs[2], "Rewritten.");
    assert_eq!(a.paragraphs.len(), b.paragraphs.len());

    // Punctuation: only whitespace/punctuation of one paragraph differs.
    let b = room.article(id).unwrap();
    room.edit(
        id,
        Edit::Punctuation {
            paragraph: 0,
            change: PunctuationChange::TrailingPeriod,
        },
    )
    .unwrap();
    let a = room.article(id).unwrap();
    let strip = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
    };
    assert_ne!(a.paragraphs[0], b.paragraphs[0]);
    assert_eq!(strip(&a.paragraphs[0]), strip(&b.paragraphs[0]));
    room.edit(
        id,
        Edit::Punctuation {
            paragraph: 0,
            change: PunctuationChange::ExtraSpace,
        },
    )
    .unwrap();
    let c = room.article(id).unwrap();
    assert_eq!(
        c.paragraphs[0].split_whitespace().collect::<Vec<_>>(),
        a.paragraphs[0].split_whitespace().collect::<Vec<_>>()
    );

    // SetByline / SetHeadline.
    room.edit(id, Edit::SetByline("Ada Quill".into())).unwrap();
    room.edit(id, Edit::SetHeadline("Headline, revised".into()))
        .unwrap();
    let last = room.article(id).unwrap();
    assert_eq!(
        (last.byline.as_str(), last.headline.as_str()),
        ("Ada Quill", "Headline, revised")
    );

    // Rejected edits create no revision.
    let count = room.revisions(id).len();
    assert!(matches!(
        room.edit(id, Edit::SetHeadline("Headline, revised".into())),
        Err(NewsroomError::NoChange)
    ));
    assert!(matches!(
        room.edit(id, Edit::RemoveParagraph(99)),
        Err(NewsroomError::ParagraphOutOfRange { .. })
    ));
    assert!(matches!(
        room.edit(999, Edit::RemoveParagraph(0)),
        Err(NewsroomError::UnknownArticle(999))
    ));
    let revisions = room.revisions(id);
    assert_eq!(revisions.len(), count);
    assert_eq!(revisions.len() as u32, last.revision);
    for (k, r) in revisions.iter().enumerate() {
        assert_eq!(r.number, k as u32 + 1);
        assert_eq!(r.edit.is_none(), k == 0);
        if k > 0 {
            assert!(
                r.at > revisions[k - 1].at,
                "revision times strictly increase"
            );
            assert_ne!(
                r.text() + &r.byline,
                revisions[k - 1].text() + &revisions[k - 1].byline
            );
        }
    }
    assert!(
        revisions[5].is_cosmetic() && revisions[6].is_cosmetic() && !revisions[4].is_cosmetic()
    );
    assert_eq!(room.edits().len(), revisions.len() - 1);

    // The page shows the latest revision.
    let html = get(&room.article_url(id)).await.text();
    assert_shows(&html, &last.headline, &last.paragraphs);
    assert!(html.contains("Ada Quill"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statuses_404_410_503_301() {
    let room = room(6, 5).await;
    let url = |id| room.article_url(id);
    room.set_status(1, ArticleStatus::NotFound).unwrap();
    room.set_status(2, ArticleStatus::Gone).unwrap();
    room.set_status(3, ArticleStatus::ServerError { failures: 2 })
        .unwrap();
    room.set_status(4, ArticleStatus::Moved(5)).unwrap();
    assert_eq!(get(&url(1)).await.status, 404);
    assert_eq!(get(&url(2)).await.status, 410);
    assert_eq!(get(&url(3)).await.status, 503);
    assert_eq!(get(&url(3)).await.status, 503);
    assert_eq!(get(&url(3)).await.status, 200);
    assert_eq!(room.article(3).unwrap().status, ArticleStatus::Live);
    let moved = get(&url(4)).await;
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("location"), Some(url(5).as_str()));
    // Unlisted statuses leave the feed; 503 stays listed.
    let feed = get(&room.feed_url()).await.text();
    for (id, listed) in [(1, false), (2, false), (3, true), (4, false), (5, true)] {
        assert_eq!(
            feed.contains(&format!("newsroom-article-{id}<")),
            listed,
            "article {id}"
        );
    }
    room.set_status(1, ArticleStatus::Live).unwrap();
    assert_eq!(get(&url(1)).await.status, 200);
    assert!(room.set_status(1, ArticleStatus::Moved(77)).is_err());
    // A wrong slug or section redirects to the canonical URL.
    let canonical = url(6);
    let wrong_url = format!(
        "{}news/no-such-section/some-old-slug-6.html",
        room.base_url()
    );
    let r = get(&wrong_url).await;
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some(canonical.as_str()));
    assert_eq!(
        get(&format!(
            "{}news/world/nothing-here-4242.html",
            room.base_url()
        ))
        .await
        .status,
        404
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn added_articles_lead_the_feed_and_front_page() {
    let room = room(5, 6).await;
    let id = room
        .add_article(NewArticle {
            headline: Some("Breaking: the newsroom adds a story".into()),
            section: Some("science".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(id, 6);
    let a = room.article(id).unwrap();
    assert!(
        a.url
            .contains("/news/science/breaking-the-newsroom-adds-a-story-6.html"),
        "{}",
        a.url
    );
    let feed = get(&room.feed_url()).await.text();
    let first_item = &feed[feed.find("<item>").unwrap()..];
    assert!(
        first_item[..first_item.find("</item>").unwrap()]
            .contains("Breaking: the newsroom adds a story")
    );
    let front = get(&room.front_page_url()).await.text();
    let top = &front[front.find("class=\"stories\"").unwrap()..];
    let first_link = &top[top.find("<a ").unwrap()..top.find("</a>").unwrap()];
    assert!(first_link.contains("Breaking: the newsroom adds a story"));
    assert!(
        front.contains("href=\"/live/")
            && front.contains("href=\"/video/")
            && front.contains("href=\"/about\"")
    );
    assert!(
        room.add_article(NewArticle {
            outlet: 3,
            ..Default::default()
        })
        .is_err()
    );
    assert!(
        room.add_article(NewArticle {
            section: Some("gossip".into()),
            ..Default::default()
        })
        .is_err()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_seed_same_newsroom() {
    let epoch = Some(chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap());
    let start = |seed| {
        Newsroom::start(NewsroomConfig {
            articles: 25,
            seed,
            epoch,
            ..Default::default()
        })
    };
    let (a, b, c) = (
        start(77).await.unwrap(),
        start(77).await.unwrap(),
        start(78).await.unwrap(),
    );
    let text = |r: &Newsroom| {
        r.articles()
            .into_iter()
            .map(|s| (s.headline, s.byline, s.paragraphs, s.layout, s.published))
            .collect::<Vec<_>>()
    };
    assert_eq!(text(&a), text(&b));
    assert_ne!(text(&a), text(&c));
    for _ in 0..20 {
        let (ea, eb) = (a.edit_random().unwrap(), b.edit_random().unwrap());
        assert_eq!((ea.id, ea.revision), (eb.id, eb.revision));
    }
    for id in a.article_ids() {
        let strip = |r: Vec<redline_newsroom::Revision>| {
            r.into_iter()
                .map(|r| (r.text(), r.edit))
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(a.revisions(id)), strip(b.revisions(id)));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outlets_bind_distinct_loopback_addresses() {
    let room = Newsroom::start(NewsroomConfig {
        articles: 4,
        outlets: 3,
        seed: 9,
        ..Default::default()
    })
    .await
    .unwrap();
    let outlets = room.outlets();
    assert_eq!(outlets.len(), 3);
    let ips: HashSet<_> = outlets.iter().map(|o| o.addr.ip()).collect();
    assert_eq!(ips.len(), 3);
    assert_eq!(outlets[1].addr.ip().to_string(), "127.0.0.2");
    let names: HashSet<_> = outlets.iter().map(|o| o.name.clone()).collect();
    assert_eq!(names.len(), 3);
    // Article ids are global: outlet 1 has ids 5..=8 and serves them on its own host only.
    let a = room.article(5).unwrap();
    assert_eq!(a.outlet, 1);
    assert!(a.url.starts_with(&outlets[1].base_url));
    assert_eq!(get(&a.url).await.status, 200);
    let on_wrong_host = a.url.replace(&outlets[1].base_url, &outlets[0].base_url);
    assert_eq!(get(&on_wrong_host).await.status, 404);
    for o in &outlets {
        let feed = get(&o.feed_url()).await.text();
        assert_eq!(feed.matches("<item>").count(), 4);
        assert!(feed.contains(&o.base_url));
    }
    assert_eq!(room.outlet_stats(1).requests, 2);
    assert_eq!(room.requests(a.url.as_str()), 1);
    assert_eq!(room.requests(on_wrong_host.as_str()), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counters_and_request_log() {
    let room = Newsroom::start(NewsroomConfig {
        articles: 5,
        log_requests: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let url = room.article_url(2);
    get(&url).await;
    get(&format!("{url}?utm_source=x")).await;
    get(&room.feed_url()).await;
    assert_eq!(room.requests(2), 2);
    assert_eq!(room.requests(1), 0);
    let path = &url[room.base_url().len() - 1..];
    assert_eq!(room.requests(path), 2);
    assert_eq!(room.requests("/feed.xml"), 1);
    assert_eq!(room.article(2).unwrap().requests, 2);
    let log = room.request_log();
    assert_eq!(log.len(), 3);
    assert_eq!(log[1].path, format!("{path}?utm_source=x"));
    assert!(log.iter().all(|r| r.status == 200 && r.method == "GET"));
    let stats = room.outlet_stats(0);
    assert_eq!(
        (stats.requests, stats.in_flight, stats.connections),
        (3, 0, 3)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_edit_driver_keeps_editing_with_fresh_texts() {
    let room = Newsroom::start(NewsroomConfig {
        articles: 10,
        edit_every: Some(Duration::from_millis(20)),
        ..Default::default()
    })
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    room.stop_edit_driver();
    let edits = room.edits();
    assert!(edits.len() >= 5, "only {} edits", edits.len());
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(room.edits().len(), edits.len(), "stopped");
    for (k, e) in edits.iter().enumerate() {
        assert_eq!(e.seq, k as u64 + 1);
        let revs = room.revisions(e.id);
        let r = &revs[e.revision as usize - 1];
        let earlier: HashSet<_> = revs[..e.revision as usize - 1]
            .iter()
            .map(|r| (r.text(), r.byline.clone()))
            .collect();
        assert!(
            !earlier.contains(&(r.text(), r.byline.clone())),
            "driver edits never repeat an earlier text"
        );
    }
}

#[test]
fn detached_rooms_work_from_plain_threads() {
    let room = Newsroom::start_detached(NewsroomConfig {
        articles: 3,
        ..Default::default()
    })
    .unwrap();
    let url = room.article_url(1);
    let (host, path) = common::split_url(&url);
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    assert!(out.starts_with("HTTP/1.1 200"));
    drop(room);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_closes_every_port() {
    let room = Newsroom::start(NewsroomConfig {
        articles: 2,
        outlets: 2,
        ..Default::default()
    })
    .await
    .unwrap();
    let addrs: Vec<_> = room.outlets().iter().map(|o| o.addr).collect();
    // A request that never completes must not keep the room alive.
    let _hanging = common::send("GET", &room.fault_url("hang"), &[], None).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    tokio::time::timeout(Duration::from_secs(5), room.shutdown())
        .await
        .expect("shutdown is prompt");
    for a in addrs {
        assert!(
            tokio::net::TcpStream::connect(a).await.is_err(),
            "{a} still open"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_requests_have_headers_only() {
    let room = room(2, 1).await;
    let r = common::request("HEAD", &room.article_url(1), &[], None).await;
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert!(r.header("etag").is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn padding_weighs_pages_like_real_ones_and_leaves_the_article_alone() {
    let room = Newsroom::start(NewsroomConfig {
        articles: 6,
        seed: 4,
        page_padding: 150_000,
        ..Default::default()
    })
    .await
    .expect("start");
    for id in room.article_ids() {
        let a = room.article(id).unwrap();
        let page = get(&room.article_url(id)).await.text();
        assert!(
            (150_000..220_000).contains(&page.len()),
            "{:?} page of {} bytes",
            a.layout,
            page.len()
        );
        assert_shows(&page, &a.headline, &a.paragraphs);
        assert!(page.trim_end().ends_with("</html>"));
    }
}
