//! Discovery documents: feeds parse, list the newest articles first with
//! tracking parameters on some links; the news sitemap; robots.txt; front
//! and section pages.

mod common;

use common::{get, get_with};
use quick_xml::Reader;
use quick_xml::events::Event;
use redline_newsroom::{ArticleStatus, Newsroom, NewsroomConfig, Robots, tracked_link};

fn canonical(link: &str) -> String {
    link.split(['?', '#']).next().unwrap().to_string()
}

async fn newsroom(config: NewsroomConfig) -> Newsroom {
    Newsroom::start(config).await.expect("start")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rss_atom_and_json_feeds_parse_and_agree() {
    let room = newsroom(NewsroomConfig {
        articles: 20,
        seed: 11,
        ..Default::default()
    })
    .await;
    // Newest first = descending publication time.
    let mut expected = room.articles();
    expected.sort_by(|a, b| b.published.cmp(&a.published).then(b.id.cmp(&a.id)));
    for (url, kind) in [
        (room.feed_url(), "rss"),
        (room.atom_url(), "atom"),
        (room.json_feed_url(), "json"),
    ] {
        let resp = get(&url).await;
        assert_eq!(resp.status, 200);
        let feed = feed_rs::parser::parse(&resp.body[..]).unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(feed.entries.len(), 20, "{kind}");
        let mut tracked = 0;
        let mut fragments = 0;
        for (entry, want) in feed.entries.iter().zip(&expected) {
            let link = &entry.links[0].href;
            assert_eq!(canonical(link), want.url, "{kind}");
            assert_eq!(
                entry.title.as_ref().unwrap().content,
                want.headline,
                "{kind}"
            );
            assert!(
                entry.id.contains(&format!("article-{}", want.id)),
                "{kind}: stable id {}",
                entry.id
            );
            assert!(entry.published.is_some(), "{kind}");
            tracked += link.contains("utm_source=") as usize;
            fragments += link.contains('#') as usize;
        }
        assert!(
            tracked >= 4 && fragments >= 4,
            "{kind}: {tracked} tracked, {fragments} with fragments"
        );
        assert!(
            resp.header("content-type")
                .unwrap()
                .contains(if kind == "json" { "json" } else { "xml" })
        );
    }
    assert_eq!(
        tracked_link("http://h/a-6.html", 6, "rss"),
        "http://h/a-6.html?utm_source=rss&utm_medium=feed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feed_limit_and_conditional_feed_requests() {
    let room = newsroom(NewsroomConfig {
        articles: 30,
        feed_limit: Some(10),
        ..Default::default()
    })
    .await;
    let resp = get(&room.feed_url()).await;
    let feed = feed_rs::parser::parse(&resp.body[..]).unwrap();
    assert_eq!(feed.entries.len(), 10);
    let etag = resp.header("etag").unwrap().to_string();
    assert_eq!(
        get_with(&room.feed_url(), &[("If-None-Match", &etag)])
            .await
            .status,
        304
    );
    let gz = get_with(&room.feed_url(), &[("Accept-Encoding", "gzip")]).await;
    assert_eq!(gz.decoded(), resp.body);
    room.edit_random().unwrap();
    room.set_status(30, ArticleStatus::Gone).unwrap();
    let after = get_with(&room.feed_url(), &[("If-None-Match", &etag)]).await;
    assert_eq!(after.status, 200);
    assert!(!after.text().contains("newsroom-article-30<"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn news_sitemap_lists_every_article() {
    let room = newsroom(NewsroomConfig {
        articles: 12,
        ..Default::default()
    })
    .await;
    let body = get(&room.sitemap_url()).await.body;
    let mut reader = Reader::from_reader(&body[..]);
    let mut locs = Vec::new();
    let mut titles = Vec::new();
    let mut current = String::new();
    let mut text = String::new();
    let mut buf = Vec::new();
    loop {
        match reader
            .read_event_into(&mut buf)
            .expect("well-formed sitemap")
        {
            Event::Start(e) => {
                current = e.name().as_ref().to_string();
                text.clear();
            }
            Event::Text(t) => text.push_str(t.as_ref()),
            Event::GeneralRef(r) => text.push_str(match r.into_inner().as_ref() {
                "amp" => "&",
                "lt" => "<",
                "gt" => ">",
                "quot" => "\"",
                "apos" => "'",
                other => panic!("unexpected entity {other}"),
            }),
            Event::End(_) => {
                match current.as_str() {
                    "loc" => locs.push(std::mem::take(&mut text)),
                    "news:title" => titles.push(std::mem::take(&mut text)),
                    _ => {}
                }
                current.clear();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    assert_eq!(locs.len(), 12);
    assert_eq!(titles.len(), 12);
    for a in room.articles() {
        assert!(locs.contains(&a.url));
        assert!(titles.contains(&a.headline), "{}", a.headline);
    }
    let index = get(&room.url("sitemap.xml")).await.text();
    assert!(index.contains("<sitemapindex") && index.contains("/sitemap-news.xml"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn robots_txt_configurations() {
    let room = newsroom(NewsroomConfig {
        articles: 2,
        outlets: 2,
        robots: Robots::Missing,
        ..Default::default()
    })
    .await;
    assert_eq!(get(&room.robots_url()).await.status, 404);
    room.set_robots(0, Robots::Default).unwrap();
    let text = get(&room.robots_url()).await.text();
    assert!(text.starts_with("User-agent: *\nDisallow: /private/\n"));
    assert!(text.contains("Sitemap: "));
    room.set_robots(1, Robots::Text("User-agent: *\nDisallow: /\n".into()))
        .unwrap();
    assert_eq!(
        get(&room.outlet(1).robots_url()).await.text(),
        "User-agent: *\nDisallow: /\n"
    );
    room.set_robots(0, Robots::Unavailable).unwrap();
    assert_eq!(get(&room.robots_url()).await.status, 503);
    room.set_robots(0, Robots::Oversized).unwrap();
    let big = get(&room.robots_url()).await;
    assert!(big.body.len() >= 10 * 1024 * 1024);
    assert!(
        big.body
            .starts_with(b"User-agent: *\nDisallow: /private/\n")
    );
    assert!(room.set_robots(5, Robots::Default).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn front_and_section_pages_link_articles_and_non_articles() {
    let room = newsroom(NewsroomConfig {
        articles: 80,
        front_page_limit: 30,
        section_page_size: 5,
        ..Default::default()
    })
    .await;
    let front = get(&room.front_page_url()).await.text();
    let stories = front.matches("class=\"story-link\"").count();
    assert_eq!(stories, 30);
    assert!(
        front.contains("utm_campaign=top")
            && front.contains("#comments")
            && front.contains("href=\"//127.0.0.1:")
    );
    for p in ["/live/", "/video/", "/about", "/author/", "/private/"] {
        assert!(front.contains(&format!("href=\"{p}")), "{p}");
    }
    // Non-article pages answer 200, unknown paths 404.
    for p in [
        "about",
        "live/some-blog-3",
        "video/clip-4.html",
        "author/jane-doe/",
        "private/drafts/",
    ] {
        assert_eq!(get(&room.url(p)).await.status, 200, "{p}");
    }
    assert_eq!(get(&room.url("no/such/page")).await.status, 404);
    // A section page lists its articles, paginated.
    let sec = room.article(1).unwrap().section;
    let in_section = room.articles().iter().filter(|a| a.section == sec).count();
    let page1 = get(&room.outlet(0).section_url(&sec)).await.text();
    assert_eq!(
        page1.matches("class=\"story-link\"").count(),
        in_section.min(5)
    );
    if in_section > 5 {
        assert!(page1.contains("rel=\"next\""));
        let page2 = get(&room.url(&format!("news/{sec}/?page=2"))).await.text();
        assert!(page2.contains("rel=\"prev\""));
    }
    assert_eq!(get(&room.url(&format!("news/{sec}"))).await.status, 301);
    assert_eq!(get(&room.url("news/gossip/")).await.status, 404);
}
