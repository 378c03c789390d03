//! Every route over HTTP (the router driven in process): pages, feeds
//! (parsed back with feed-rs), the API, admin endpoints, bad input,
//! escaping and hidden articles.

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use common::{Fixture, fixture};
use http_body_util::BodyExt;
use redline_store::ListingKind;
use redline_web::{WebConfig, router};
use serde_json::Value;
use tower::ServiceExt;

const TOKEN: &str = "correct-horse-battery-staple";

struct Resp {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

fn app(f: &Fixture, token: Option<&str>) -> Router {
    router(
        f.store.clone(),
        WebConfig {
            admin_token: token.map(str::to_string),
            base_url: None,
            archive_dir: None,
        },
    )
}

/// Sends a request; an answer under `/api/v1/` is checked against the
/// OpenAPI document (see [`openapi_check`]).
async fn send(app: &Router, request: Request<Body>) -> Resp {
    let method = request.method().as_str().to_ascii_lowercase();
    let path = request.uri().path().to_string();
    let r = send_unchecked(app, request).await;
    if path.starts_with("/api/v1/") && path != "/api/v1/openapi.json" {
        openapi_check(app, &method, &path, &r).await;
    }
    r
}

async fn send_unchecked(app: &Router, request: Request<Body>) -> Resp {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Resp {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

async fn get(app: &Router, uri: &str) -> Resp {
    send(
        app,
        Request::get(uri)
            .header(header::HOST, "redline.test")
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

async fn post(app: &Router, uri: &str, token: Option<&str>, body: &str) -> Resp {
    let mut r = Request::post(uri)
        .header(header::HOST, "redline.test")
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    send(app, r.body(Body::from(body.to_string())).unwrap()).await
}

/// The served OpenAPI document, its schemas made strict for validation.
static OPENAPI: tokio::sync::OnceCell<(Value, Value)> = tokio::sync::OnceCell::const_new();

/// Checks an API answer against the served OpenAPI document: its route,
/// method and status are documented, it is JSON, and its body is valid
/// against the schema given for that status, with no property the
/// document does not name (at any depth). A path no route matches must
/// answer the documented error shape with 404 (or 405).
async fn openapi_check(app: &Router, method: &str, path: &str, r: &Resp) {
    let (doc, schemas) = OPENAPI
        .get_or_init(|| async {
            let r = send_unchecked(
                app,
                Request::get("/api/v1/openapi.json")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
            let doc = r.json();
            let schemas = strict_schemas(&doc["components"]["schemas"]);
            (doc, schemas)
        })
        .await;
    let what = format!("{method} {path} → {}", r.status.as_u16());
    assert_eq!(r.header("content-type"), "application/json", "{what}");
    let status = r.status.as_u16().to_string();
    let route = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(template, _)| {
            let t: Vec<&str> = template.split('/').collect();
            let p: Vec<&str> = path.split('/').collect();
            t.len() == p.len()
                && t.iter()
                    .zip(&p)
                    .all(|(t, p)| t == p || (t.starts_with('{') && !p.is_empty()))
        });
    let schema = match route.and_then(|(_, item)| item.get(method)) {
        Some(op) => {
            let response = op["responses"]
                .get(&status)
                .unwrap_or_else(|| panic!("{what}: status undocumented"));
            let schema = &response["content"]["application/json"]["schema"];
            assert!(schema.is_object(), "{what}: no JSON schema documented");
            schema.clone()
        }
        None => {
            assert!(
                matches!(r.status.as_u16(), 404 | 405),
                "{what}: no documented route, yet not 404"
            );
            serde_json::json!({ "$ref": "#/components/schemas/Error" })
        }
    };
    let mut root = serde_json::json!({ "components": { "schemas": schemas } });
    root.as_object_mut()
        .unwrap()
        .extend(strict(&schema, false).as_object().unwrap().clone());
    let validator = jsonschema::draft202012::new(&root)
        .unwrap_or_else(|e| panic!("{what}: the document's schema does not compile: {e}"));
    let body = r.json();
    let errors: Vec<String> = validator
        .iter_errors(&body)
        .map(|e| format!("at {}: {e}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: the answer does not match the OpenAPI document:\n{}\n{}",
        errors.join("\n"),
        &r.body[..r.body.len().min(2000)]
    );
}

/// The components with every object schema closed: a schema with
/// `properties` gets `additionalProperties: false`, and one built with
/// `allOf` (a flattened struct) gets `unevaluatedProperties: false`, its
/// members pointing at open copies (`NAME__open`) so that the whole can
/// still hold the members' properties together.
fn strict_schemas(schemas: &Value) -> Value {
    let mut out = serde_json::Map::new();
    for (name, schema) in schemas.as_object().unwrap() {
        out.insert(name.clone(), strict(schema, false));
        out.insert(format!("{name}__open"), strict(schema, true));
    }
    Value::Object(out)
}

fn strict(schema: &Value, open: bool) -> Value {
    let Value::Object(map) = schema else {
        return schema.clone();
    };
    let mut out = serde_json::Map::new();
    for (k, v) in map {
        let v = match k.as_str() {
            "properties" => Value::Object(
                v.as_object()
                    .unwrap()
                    .iter()
                    .map(|(name, s)| (name.clone(), strict(s, false)))
                    .collect(),
            ),
            "allOf" => Value::Array(
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|member| match member.get("$ref").and_then(Value::as_str) {
                        Some(r) => serde_json::json!({ "$ref": format!("{r}__open") }),
                        None => strict(member, true),
                    })
                    .collect(),
            ),
            "items" | "additionalProperties" => strict(v, false),
            "oneOf" | "anyOf" => Value::Array(
                v.as_array()
                    .unwrap()
                    .iter()
                    .map(|s| strict(s, open))
                    .collect(),
            ),
            _ => v.clone(),
        };
        out.insert(k.clone(), v);
    }
    if !open {
        if map.contains_key("allOf") {
            out.insert("unevaluatedProperties".into(), Value::Bool(false));
        } else if map.contains_key("properties") {
            out.entry("additionalProperties")
                .or_insert(Value::Bool(false));
        }
    }
    Value::Object(out)
}

fn assert_status(r: &Resp, status: u16, what: &str) {
    assert_eq!(
        r.status.as_u16(),
        status,
        "{what}: {}",
        &r.body[..r.body.len().min(600)]
    );
}

/// Every HTML page is a complete, styled document.
fn assert_page(r: &Resp, what: &str) {
    assert!(r.header("content-type").starts_with("text/html"), "{what}");
    assert!(r.body.starts_with("<!DOCTYPE html>"), "{what}");
    assert!(r.body.contains("/static/style."), "{what}");
    assert!(
        !r.body.contains("<script"),
        "{what}: a script tag in the page"
    );
}

#[tokio::test]
async fn home_lists_latest_changes_newest_first() {
    let f = fixture();
    let app = app(&f, None);
    let r = get(&app, "/").await;
    assert_status(&r, 200, "/");
    assert_page(&r, "/");
    // Newest first: the edited article's last (non-minor) change is at
    // t0+39.2h, the hidden one (not listed) at 20h, the hostile one at 5h.
    let edited = r
        .body
        .find("Iran Sending Drones and Supplies Into Iraq, U.S. Officials Say")
        .unwrap();
    let hostile = r.body.find("Mayor resigns after vote").unwrap();
    assert!(edited < hostile);
    assert!(r.body.contains(&format!("/articles/{}/diff/1/2", f.edited)));
    assert!(r.body.contains("version 1 → 2"));
    assert!(r.body.contains("headline changed"));
    assert!(r.body.contains("The Daily Example"));
    assert!(r.body.contains(r#"<span class="plus">+"#));
    // The minor change (2 → 3) is hidden by default, shown on request.
    assert!(!r.body.contains(&format!("/articles/{}/diff/2/3", f.edited)));
    assert!(r.body.contains("?minor=1"));
    let with_minor = get(&app, "/?minor=1").await;
    assert!(
        with_minor
            .body
            .contains(&format!("/articles/{}/diff/2/3", f.edited))
    );
    assert!(with_minor.body.contains("minor"));
    // A revert is a change too: the flip-flopping article went back from
    // version 2 to the text of version 1.
    assert!(
        r.body
            .contains(&format!("/articles/{}/diff/2/1", f.reverted))
    );
    assert!(r.body.contains("back from version 2 to 1"));
    assert!(r.body.contains(r#"<span class="badge revert""#));
    // The hidden article is nowhere.
    assert!(!r.body.contains("zanzibarian"));
    assert!(!r.body.contains(&format!("/articles/{}", f.hidden)));
    // Footer: 6 visible articles; 4+2+1+2+3+1 versions (the hidden one's 2 left out).
    assert!(
        r.body
            .contains("Monitoring 6 articles with 13 versions from 2 sources."),
        "{}",
        &r.body[r.body.find("Monitoring").unwrap_or(0)..][..80]
    );
    // A search box and feed links.
    assert!(r.body.contains(r#"action="/search""#));
    assert!(r.body.contains(r#"type="application/atom+xml""#));
}

#[tokio::test]
async fn pages_of_lists_refuse_absurd_numbers() {
    let f = fixture();
    let app = app(&f, None);
    assert_status(&get(&app, "/?page=1").await, 200, "page 1");
    assert_status(&get(&app, "/?page=2").await, 404, "past the end");
    for bad in ["0", "-3", "abc", "1.5", "99999999999999999999999"] {
        let r = get(&app, &format!("/?page={bad}")).await;
        assert_status(&r, 400, bad);
        assert_page(&r, bad);
    }
    // Beyond the last page any list can have: past the end, like page 2.
    assert_status(&get(&app, "/?page=10001").await, 404, "10001");
    assert_status(&get(&app, "/?minor=maybe").await, 400, "bad flag");
    assert_status(
        &get(&app, "/sources/daily?page=0").await,
        400,
        "source page 0",
    );
    assert_status(
        &get(&app, "/sources/daily?page=7").await,
        404,
        "source past the end",
    );
}

#[tokio::test]
async fn sources_and_one_source() {
    let f = fixture();
    let app = app(&f, None);
    let r = get(&app, "/sources").await;
    assert_status(&r, 200, "/sources");
    assert_page(&r, "/sources");
    assert!(r.body.contains(r#"href="/sources/daily""#));
    assert!(
        r.body.contains("Herald &amp; &lt;Tribune&gt;"),
        "source titles are escaped"
    );
    let r = get(&app, "/sources/daily").await;
    assert_status(&r, 200, "/sources/daily");
    assert!(r.body.contains("The Daily Example"));
    assert!(r.body.contains("Mayor resigns after vote"));
    assert!(r.body.contains("/sources/daily/feed.atom"));
    assert!(r.body.contains("https://daily.example/feed.xml"));
    assert!(
        !r.body.contains("Minister denies"),
        "another source's change"
    );
    let herald = get(&app, "/sources/herald").await;
    assert!(herald.body.contains("Minister denies report on budget"));
    assert!(
        !herald.body.contains("zanzibarian"),
        "hidden article listed"
    );
    assert!(
        herald.body.contains("2 articles tracked"),
        "hidden article counted"
    );
    for bad in ["/sources/nope", "/sources/a%20b", "/sources/%3Cscript%3E"] {
        let r = get(&app, bad).await;
        assert_status(&r, 404, bad);
        assert!(!r.body.contains("<script>"));
    }
}

#[tokio::test]
async fn article_page_tells_its_story() {
    let f = fixture();
    let app = app(&f, None);
    let r = get(&app, &format!("/articles/{}", f.edited)).await;
    assert_status(&r, 200, "article");
    assert_page(&r, "article");
    let b = &r.body;
    assert!(b.contains("This article is from the source"));
    assert!(b.contains("The Daily Example"));
    assert!(b.contains("and was first seen on"));
    assert!(b.contains("It last changed"));
    assert!(b.contains("will be checked again <time"));
    assert!(
        b.contains(">in about 1 hour</time>"),
        "next check in 47 minutes"
    );
    assert!(b.contains("You can find the current article at its original source at"));
    assert!(b.contains(&format!(
        r#"<a class="ext" href="{}" rel="noopener noreferrer nofollow">"#,
        common::EDITED_URL
    )));
    assert!(
        b.contains("The article has changed 3 times."),
        "counts changes, not versions"
    );
    assert!(b.contains(&format!("/articles/{}/feed.atom", f.edited)));
    assert!(b.contains(&format!("/articles/{}/feed.rss", f.edited)));
    // The versions table.
    assert!(b.contains("(about 9 hours later)"));
    assert!(b.contains("(1 day later)"));
    assert!(b.contains("(about 2 hours later)"));
    assert!(b.contains(&format!("/articles/{}/versions/3", f.edited)));
    assert!(b.contains(&format!("/articles/{}/diff/0/1", f.edited)));
    assert!(b.contains("minor"));
    assert!(b.contains("Iran Secretly Sending Drones and Supplies Into Iraq"));
    assert!(
        b.contains(&format!("/articles/{}/diff/2/3", f.edited)),
        "latest change button"
    );
    assert!(b.contains(r#"action="/articles/"#), "compare form");

    let retired = get(&app, &format!("/articles/{}", f.retired)).await;
    assert!(retired.body.contains("won't be checked again for changes"));
    assert!(
        retired
            .body
            .contains("has not changed since redline first saw it")
    );
    let gone = get(&app, &format!("/articles/{}", f.gone)).await;
    assert!(gone.body.contains("It was removed from the site"));
    assert!(gone.body.contains("HTTP 404"));
    // An edit and its removal: two changes.
    assert!(gone.body.contains("The article has changed twice."));
    let reverted = get(&app, &format!("/articles/{}", f.reverted)).await;
    assert!(reverted.body.contains("The site went back to the text of"));
    assert!(
        reverted
            .body
            .contains("The article has changed 3 times, going back to an earlier text once.")
    );
    assert!(reverted.body.contains("live"), "the live version is marked");
    // A javascript: URL from a fetched page is shown, never linked.
    let sneaky = get(&app, &format!("/articles/{}", f.sneaky)).await;
    assert!(!sneaky.body.contains(r#"href="javascript:"#));
    assert!(
        sneaky
            .body
            .contains("<code>javascript:alert(document.cookie)</code>")
    );

    for bad in [
        "/articles/999",
        "/articles/abc",
        "/articles/0",
        "/articles/-1",
        "/articles/1e3",
    ] {
        let r = get(&app, bad).await;
        assert_status(&r, 404, bad);
        assert_page(&r, bad);
    }
}

#[tokio::test]
async fn one_version_and_its_bounds() {
    let f = fixture();
    let app = app(&f, None);
    let r = get(&app, &format!("/articles/{}/versions/0", f.edited)).await;
    assert_status(&r, 200, "version 0");
    assert_page(&r, "version 0");
    assert!(r.body.contains("is secretly supplying Iraq with tons"));
    assert!(r.body.contains("By Ana Reporter"));
    assert!(r.body.contains(r#"id="p1""#));
    assert!(
        r.body
            .contains(&format!("/articles/{}/versions/1", f.edited))
    );
    for bad in ["4", "99", "-1", "x", "4294967296"] {
        let uri = format!("/articles/{}/versions/{bad}", f.edited);
        assert_status(&get(&app, &uri).await, 404, &uri);
    }
    assert_status(
        &get(&app, "/articles/999/versions/0").await,
        404,
        "unknown article",
    );
}

#[tokio::test]
async fn diff_page_side_by_side_and_inline() {
    let f = fixture();
    let app = app(&f, None);
    let r = get(&app, &format!("/articles/{}/diff/0/1", f.edited)).await;
    assert_status(&r, 200, "diff");
    assert_page(&r, "diff");
    let b = &r.body;
    assert!(b.contains(">Version 0</a>"));
    assert!(b.contains(">Version 1</a>"));
    assert!(b.contains("(about 9 hours later)"));
    assert!(b.contains(r#"<div class="cell old">"#) && b.contains(r#"<div class="cell new">"#));
    assert!(
        b.contains("<del>secretly supplying Iraq</del>") || b.contains("<del>"),
        "removed words"
    );
    assert!(b.contains("<ins>"), "added words");
    assert!(b.contains(r#"id="p1""#) && b.contains(r##"href="#p1""##));
    assert!(
        b.contains("<details class=\"fold\">"),
        "unchanged runs folded"
    );
    assert!(b.contains("unchanged paragraphs"));
    assert!(
        b.contains(&format!("/articles/{}/diff/1/2", f.edited)),
        "next pair"
    );
    assert!(b.contains("?view=inline"));

    // The headline change of 1 → 2 is shown.
    // The headline change of 1 → 2 is shown as whole lines, and labelled.
    let r = get(&app, &format!("/articles/{}/diff/1/2", f.edited)).await;
    assert!(
        r.body.contains(
            "<div class=\"cell old\"><h2 class=\"dtitle\"><del>Iran Secretly Sending Drones and \
             Supplies Into Iraq</del></h2></div><div class=\"cell new\"><h2 class=\"dtitle\">\
             <ins>Iran Sending Drones and Supplies Into Iraq, U.S. Officials Say</ins></h2></div>"
        ),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(
            "<a class=\"badge label l-headline\" href=\"/?label=headline\" \
             title=\"The headline changed in words.\">headline</a>"
        ),
        "{}",
        r.body
    );
    assert!(
        r.body.contains(&format!("/articles/{}/diff/0/1", f.edited)),
        "previous pair"
    );

    // Any two versions, either order.
    assert_status(
        &get(&app, &format!("/articles/{}/diff/0/3", f.edited)).await,
        200,
        "0/3",
    );
    let back = get(&app, &format!("/articles/{}/diff/3/0", f.edited)).await;
    assert_status(&back, 200, "3/0");
    assert!(back.body.contains("earlier)"));

    let inline = get(
        &app,
        &format!("/articles/{}/diff/0/1?view=inline", f.edited),
    )
    .await;
    assert_status(&inline, 200, "inline");
    assert!(inline.body.contains(r#"class="diff inline""#));
    assert!(inline.body.contains("<del>") && inline.body.contains("<ins>"));

    assert_status(
        &get(&app, &format!("/articles/{}/diff/0/1?view=3d", f.edited)).await,
        400,
        "bad view",
    );
    for bad in ["0/4", "9/1", "x/1", "0/-1"] {
        let uri = format!("/articles/{}/diff/{bad}", f.edited);
        assert_status(&get(&app, &uri).await, 404, &uri);
    }
    // The compare form redirects to the pair's address.
    let r = get(&app, &format!("/articles/{}/diff?from=0&to=2", f.edited)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.header("location"),
        format!("/articles/{}/diff/0/2", f.edited)
    );
    assert_status(
        &get(&app, &format!("/articles/{}/diff?from=0&to=9", f.edited)).await,
        404,
        "form out of range",
    );
}

#[tokio::test]
async fn fetched_text_is_escaped_everywhere() {
    let f = fixture();
    let app = app(&f, None);
    let id = f.hostile;
    for uri in [
        "/".to_string(),
        "/sources/daily".to_string(),
        format!("/articles/{id}"),
        format!("/articles/{id}/versions/1"),
        format!("/articles/{id}/diff/0/1"),
        format!("/articles/{id}/diff/0/1?view=inline"),
        "/search?q=mayor".to_string(),
    ] {
        let r = get(&app, &uri).await;
        assert_status(&r, 200, &uri);
        assert!(!r.body.contains("<script"), "{uri}: unescaped script");
        assert!(!r.body.contains("<img"), "{uri}: unescaped img");
        assert!(
            r.body.contains("&lt;script&gt;"),
            "{uri}: the script shows as text"
        );
    }
    // Feeds: escaped in the XML, and a parser gets the text back.
    for uri in [
        format!("/articles/{id}/feed.atom"),
        format!("/articles/{id}/feed.rss"),
    ] {
        let r = get(&app, &uri).await;
        assert!(!r.body.contains("<script"), "{uri}");
        let feed = feed_rs::parser::parse(r.body.as_bytes()).unwrap();
        let title = &feed.entries[0].title.as_ref().unwrap().content;
        assert!(
            title.contains("<script>alert('headline')</script>"),
            "{title}"
        );
        let html = entry_html(&feed.entries[0]);
        assert!(
            html.contains("&lt;script&gt;") && !html.contains("<script"),
            "{html}"
        );
    }
    // JSON: no raw angle brackets, the text intact once parsed.
    for uri in [
        format!("/api/v1/articles/{id}"),
        format!("/api/v1/articles/{id}/versions/1"),
        format!("/api/v1/articles/{id}/diff/0/1"),
        "/api/v1/changes".to_string(),
    ] {
        let r = get(&app, &uri).await;
        assert_status(&r, 200, &uri);
        assert!(!r.body.contains('<') && !r.body.contains('>'), "{uri}");
        assert!(r.body.contains("\\u003cscript\\u003e"), "{uri}");
    }
    let v = get(&app, &format!("/api/v1/articles/{id}/versions/1"))
        .await
        .json();
    assert_eq!(
        v["title"],
        "<script>alert('headline')</script> Mayor resigns after vote"
    );
}

fn entry_html(e: &feed_rs::model::Entry) -> String {
    e.content
        .as_ref()
        .and_then(|c| c.body.clone())
        .or_else(|| e.summary.as_ref().map(|s| s.content.clone()))
        .unwrap_or_default()
}

#[tokio::test]
async fn security_headers_and_assets() {
    let f = fixture();
    let app = app(&f, None);
    for uri in [
        "/",
        "/articles/1",
        "/nope",
        "/api/v1/sources",
        "/feeds/changes.atom",
        "/healthz",
    ] {
        let r = get(&app, uri).await;
        let csp = r.header("content-security-policy");
        assert!(
            csp.contains("default-src 'none'") && csp.contains("style-src 'self'"),
            "{uri}"
        );
        assert!(
            !csp.contains("script-src"),
            "{uri}: scripts are never allowed"
        );
        assert_eq!(r.header("x-content-type-options"), "nosniff", "{uri}");
        assert!(!r.header("referrer-policy").is_empty(), "{uri}");
    }
    let home = get(&app, "/").await;
    let start = home.body.find("/static/style.").unwrap();
    let end = start + home.body[start..].find('"').unwrap();
    let css = get(&app, &home.body[start..end]).await;
    assert_status(&css, 200, "css");
    assert!(css.header("content-type").starts_with("text/css"));
    assert!(css.header("cache-control").contains("immutable"));
    assert!(css.body.contains("prefers-color-scheme: dark"));
    assert_status(&get(&app, "/static/other.js").await, 404, "other static");
    assert_status(&get(&app, "/favicon.ico").await, 200, "favicon");
    let nope = get(&app, "/no/such/page").await;
    assert_status(&nope, 404, "unknown path");
    assert_page(&nope, "unknown path");
}

#[tokio::test]
async fn search_words_phrases_exclusions_fields() {
    let f = fixture();
    let app = app(&f, None);
    let hits = |body: &str| body.matches(r#"<li class="change">"#).count();

    let r = get(&app, "/search?q=drones").await;
    assert_status(&r, 200, "drones");
    assert_page(&r, "search");
    assert_eq!(hits(&r.body), 1, "one hit per article, not per version");
    assert!(r.body.contains("Matched in"));
    assert!(r.body.contains("<mark>drones</mark>"));

    // A word only in old versions is found too.
    let r = get(&app, "/search?q=secretly").await;
    assert_eq!(hits(&r.body), 1);
    assert!(
        r.body
            .contains(&format!("/articles/{}/versions/1", f.edited)),
        "the version that matched"
    );

    let r = get(&app, "/search?q=%22storm+warning+was+lifted%22").await;
    assert_eq!(hits(&r.body), 1, "phrase");
    let r = get(&app, "/search?q=%22warning+storm%22").await;
    assert_eq!(hits(&r.body), 0, "phrase order matters");
    assert!(r.body.contains("No version of any article matches"));

    let r = get(&app, "/search?q=minister").await;
    assert_eq!(hits(&r.body), 1);
    let r = get(&app, "/search?q=minister+-budget").await;
    assert_eq!(hits(&r.body), 1, "v0 of the article has no 'budget'");
    let r = get(&app, "/search?q=said").await;
    let all = hits(&r.body);
    assert!(all >= 3);
    let r = get(&app, "/search?q=said+source%3Aherald").await;
    assert!(hits(&r.body) < all && hits(&r.body) >= 1);
    assert!(!r.body.contains("/sources/daily\""));
    let r = get(&app, "/search?q=said+-source%3Aherald").await;
    assert!(!r.body.contains(r#"href="/sources/herald""#));

    let r = get(&app, "/search?q=title%3Aresigns").await;
    assert_eq!(hits(&r.body), 1);
    let r = get(&app, "/search?q=title%3Aevening").await;
    assert_eq!(hits(&r.body), 0, "'evening' is only in the body");
    let r = get(&app, "/search?q=harb*").await;
    assert_eq!(hits(&r.body), 1, "prefix");
    let r = get(&app, "/search?q=Harbour+OR+mayor").await;
    assert_eq!(hits(&r.body), 2, "OR");

    // Hidden articles are never found.
    let r = get(&app, "/search?q=zanzibarian").await;
    assert_status(&r, 200, "hidden");
    assert_eq!(hits(&r.body), 0);

    // Malformed or useless queries are a 400 with the form and a reason.
    for bad in [
        "-drones",
        "source%3Aherald",
        "%22%22",
        "-%22a+b%22",
        "source%3Anope+x",
        "source%3A%3Cb%3E+x",
    ] {
        let r = get(&app, &format!("/search?q={bad}")).await;
        assert_status(&r, 400, bad);
        assert_page(&r, bad);
        assert!(r.body.contains(r#"class="problem""#), "{bad}");
    }
    // Hostile syntax is only words.
    for odd in [
        "NEAR(drones",
        "drones%22",
        "%22drones",
        "(drones)",
        "drones*%22*",
        "title%3A",
        "a%3Ab%3Ac",
    ] {
        let r = get(&app, &format!("/search?q={odd}")).await;
        assert!(r.status == 200 || r.status == 400, "{odd}: {}", r.status);
    }
    let long = "x".repeat(600);
    assert_status(
        &get(&app, &format!("/search?q={long}")).await,
        400,
        "too long",
    );
    assert_status(&get(&app, "/search?q=drones&page=0").await, 400, "page 0");
    assert_status(
        &get(&app, "/search?q=drones&page=2").await,
        404,
        "past the end",
    );
    // Empty: the help page.
    let r = get(&app, "/search").await;
    assert_status(&r, 200, "empty");
    assert!(r.body.contains("How to search"));
    // A pasted URL is a lookup.
    let r = get(&app, "/search?q=https%3A%2F%2Fdaily.example%2Fx").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn search_never_fails_on_arbitrary_input() {
    let f = fixture();
    let app = app(&f, None);
    let samples = [
        "\"",
        "\"\"\"",
        "*",
        "**",
        "-",
        "--x",
        "^x",
        "x^",
        "NEAR(a b, 2)",
        "a AND",
        "OR",
        "NOT",
        "NOT NOT x",
        "x OR OR y",
        "title:",
        "title:\"",
        "source:",
        "source:,",
        "{title}:x",
        "x:y:z",
        "col:x",
        "(",
        ")",
        "\\",
        "'",
        "x'y",
        "'x'",
        "%",
        "\u{0}",
        "\u{202e}x",
        "é",
        "ß*",
        "日本",
        "x-y",
        "x -",
        "- x",
        "\"x\"*",
        "x NEAR y",
        "+x",
        "x + y",
    ];
    for s in samples {
        let uri = format!(
            "/search?q={}",
            form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>()
        );
        let r = get(&app, &uri).await;
        assert!(
            r.status == 200 || r.status == 400,
            "{s:?}: {} {}",
            r.status,
            r.body
        );
        let api = format!(
            "/api/v1/articles?q={}",
            form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>()
        );
        let r = get(&app, &api).await;
        assert!(
            r.status == 200 || r.status == 400,
            "{s:?}: {} {}",
            r.status,
            r.body
        );
    }
}

#[tokio::test]
async fn lookup_by_url() {
    let f = fixture();
    let app = app(&f, None);
    for form in [
        common::EDITED_URL.to_string(),
        common::EDITED_URL
            .trim_start_matches("https://")
            .to_string(),
        format!("{}?utm_source=twitter", common::EDITED_URL),
        format!("{}/", common::EDITED_URL),
        common::EDITED_URL.replace("https://", "http://"),
    ] {
        let uri = format!(
            "/lookup?url={}",
            form_urlencoded::byte_serialize(form.as_bytes()).collect::<String>()
        );
        let r = get(&app, &uri).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{form}");
        assert_eq!(
            r.header("location"),
            format!("/articles/{}", f.edited),
            "{form}"
        );
    }
    let r = get(&app, "/lookup").await;
    assert_status(&r, 200, "form");
    assert!(r.body.contains(r#"name="url""#));
    assert_status(&get(&app, "/lookup?url=").await, 400, "empty");
    assert_status(
        &get(&app, "/lookup?url=https%3A%2F%2Fnowhere.example%2Fa").await,
        404,
        "unknown",
    );
    assert_status(&get(&app, "/lookup?url=%3A%2F%2F").await, 400, "garbage");
    assert_status(
        &get(&app, "/lookup?url=herald.example%2F2026%2Ftakedown-story").await,
        410,
        "hidden",
    );
    let r = get(&app, &format!("/api/v1/lookup?url={}", common::EDITED_URL)).await;
    assert_status(&r, 200, "api lookup");
    assert_eq!(r.json()["id"], f.edited);
    assert_status(
        &get(&app, "/api/v1/lookup").await,
        400,
        "api lookup without url",
    );
    assert_status(
        &get(&app, "/api/v1/lookup?url=nowhere.example%2Fa").await,
        404,
        "api lookup unknown",
    );
}

#[tokio::test]
async fn feeds_parse_and_carry_the_diff() {
    let f = fixture();
    let app = app(&f, None);
    let routes = [
        "/feeds/changes.atom".to_string(),
        "/feeds/changes.rss".to_string(),
        "/sources/daily/feed.atom".to_string(),
        "/sources/daily/feed.rss".to_string(),
        format!("/articles/{}/feed.atom", f.edited),
        format!("/articles/{}/feed.rss", f.edited),
        "/search/feed.atom?q=drones".to_string(),
        "/search/feed.rss?q=drones".to_string(),
    ];
    for uri in &routes {
        let r = get(&app, uri).await;
        assert_status(&r, 200, uri);
        let atom = uri.contains(".atom");
        assert!(
            r.header("content-type").starts_with(if atom {
                "application/atom+xml"
            } else {
                "application/rss+xml"
            }),
            "{uri}"
        );
        let feed = feed_rs::parser::parse(r.body.as_bytes())
            .unwrap_or_else(|e| panic!("{uri}: {e}\n{}", r.body));
        assert!(!feed.entries.is_empty(), "{uri}");
        for e in &feed.entries {
            assert!(
                e.id.starts_with("http://redline.test/articles/"),
                "{uri}: id {}",
                e.id
            );
            assert!(e.updated.is_some() || e.published.is_some(), "{uri}");
            let html = entry_html(e);
            if e.id.contains("#removed-") {
                // A removal has no diff: its entry leads to the article.
                assert!(
                    e.links
                        .iter()
                        .any(|l| l.href.ends_with(&format!("/articles/{}", f.gone))),
                    "{uri}"
                );
                assert!(
                    html.contains("the article was removed from the site"),
                    "{uri}: {html}"
                );
            } else {
                assert!(e.links.iter().any(|l| l.href.contains("/diff/")), "{uri}");
                assert!(html.contains("words added"), "{uri}: {html}");
            }
        }
        // The edited article's 0 → 1 change carries its removed and added words.
        if !uri.contains("herald") {
            let e = feed
                .entries
                .iter()
                .find(|e| e.id.ends_with(&format!("/articles/{}/diff/0/1", f.edited)))
                .unwrap_or_else(|| panic!("{uri}: no entry for 0 → 1"));
            let html = entry_html(e);
            assert!(
                html.contains("<del>") && html.contains("<ins>"),
                "{uri}: {html}"
            );
            assert!(html.contains("according to </ins>"), "{uri}: {html}");
        }
        // Stable ids and an ETag that a reader can revalidate with.
        let again = get(&app, uri).await;
        assert_eq!(r.body, again.body, "{uri}");
        let etag = r.header("etag").to_string();
        assert!(!etag.is_empty());
        let cond = send(
            &app,
            Request::get(uri.as_str())
                .header(header::HOST, "redline.test")
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(cond.status, StatusCode::NOT_MODIFIED, "{uri}");
    }
    // The article feed lists every change, minor ones too; the aggregate
    // ones hide minor changes unless asked.
    let article = feed_rs::parser::parse(get(&app, &routes[4]).await.body.as_bytes()).unwrap();
    assert_eq!(article.entries.len(), 3);
    let all =
        feed_rs::parser::parse(get(&app, "/feeds/changes.atom").await.body.as_bytes()).unwrap();
    assert!(
        !all.entries
            .iter()
            .any(|e| e.id.ends_with(&format!("/articles/{}/diff/2/3", f.edited)))
    );
    let all = feed_rs::parser::parse(
        get(&app, "/feeds/changes.atom?minor=1")
            .await
            .body
            .as_bytes(),
    )
    .unwrap();
    assert!(
        all.entries
            .iter()
            .any(|e| e.id.ends_with(&format!("/articles/{}/diff/2/3", f.edited)))
    );
    // Newest first.
    let times: Vec<_> = all.entries.iter().map(|e| e.updated.unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
    // A revert is an entry with the diff back to the earlier text, in Atom
    // and RSS, with an id of its own (the same pair may revert again).
    for uri in [
        format!("/articles/{}/feed.atom", f.reverted),
        format!("/articles/{}/feed.rss", f.reverted),
    ] {
        let feed = feed_rs::parser::parse(get(&app, &uri).await.body.as_bytes()).unwrap();
        assert_eq!(feed.entries.len(), 3, "{uri}: 2 edits and a revert");
        let revert = &feed.entries[0];
        assert!(
            revert
                .id
                .contains(&format!("/articles/{}/diff/2/1#revert-", f.reverted)),
            "{uri}: {}",
            revert.id
        );
        let title = &revert.title.as_ref().unwrap().content;
        assert!(
            title.ends_with(" — Storm warning lifted") && title.starts_with("Headline"),
            "{uri}: {title}"
        );
        let html = entry_html(revert);
        assert!(
            html.contains("went back to the text of version 1"),
            "{uri}: {html}"
        );
        assert!(
            html.contains("<del>issued again</del> <ins>lifted</ins>"),
            "{uri}: {html}"
        );
        let ids: std::collections::HashSet<_> = feed.entries.iter().map(|e| &e.id).collect();
        assert_eq!(ids.len(), 3, "{uri}: unique ids");
    }
    // The hidden article never appears in an aggregate feed.
    for uri in [
        "/feeds/changes.atom?minor=1",
        "/sources/herald/feed.atom",
        "/search/feed.atom?q=zanzibarian",
    ] {
        let r = get(&app, uri).await;
        let feed = feed_rs::parser::parse(r.body.as_bytes()).unwrap();
        for e in &feed.entries {
            assert!(!entry_html(e).contains("zanzibarian"), "{uri}");
        }
        assert!(
            !r.body.contains(&format!("/articles/{}/", f.hidden)),
            "{uri}"
        );
    }
    // Configured base URL.
    let based = router(
        f.store.clone(),
        WebConfig {
            admin_token: None,
            base_url: Some("https://redline.example.org/".into()),
            archive_dir: None,
        },
    );
    let r = get(&based, "/feeds/changes.atom").await;
    assert!(
        r.body
            .contains("<id>https://redline.example.org/feeds/changes.atom</id>")
    );
    // A hostile Host header is not echoed.
    let r = send(
        &app,
        Request::get("/feeds/changes.rss")
            .header(header::HOST, "evil.example\"><x")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(!r.body.contains("evil.example"));
    // Bad input.
    assert_status(
        &get(&app, "/sources/nope/feed.atom").await,
        404,
        "unknown source feed",
    );
    assert_status(
        &get(&app, "/articles/999/feed.rss").await,
        404,
        "unknown article feed",
    );
    assert_status(
        &get(&app, "/search/feed.atom?q=").await,
        400,
        "empty search feed",
    );
    assert_status(
        &get(&app, "/search/feed.rss?q=-x").await,
        400,
        "negative search feed",
    );
}

#[tokio::test]
async fn hidden_article_is_gone_everywhere() {
    let f = fixture();
    let app = app(&f, None);
    let id = f.hidden;
    for uri in [
        format!("/articles/{id}"),
        format!("/articles/{id}/versions/0"),
        format!("/articles/{id}/versions/9"),
        format!("/articles/{id}/diff/0/1"),
        format!("/articles/{id}/diff?from=0&to=1"),
        format!("/articles/{id}/feed.atom"),
        format!("/articles/{id}/feed.rss"),
        format!("/api/v1/articles/{id}"),
        format!("/api/v1/articles/{id}/versions"),
        format!("/api/v1/articles/{id}/versions/0"),
        format!("/api/v1/articles/{id}/diff/0/1"),
        format!("/api/v1/changes?article={id}"),
    ] {
        let r = get(&app, &uri).await;
        assert_status(&r, 410, &uri);
        assert!(!r.body.contains("zanzibarian"), "{uri}");
        if uri.starts_with("/api/") {
            assert!(r.json()["error"].is_string(), "{uri}");
        }
    }
    for uri in [
        "/".to_string(),
        "/?minor=1".to_string(),
        "/sources/herald".to_string(),
        "/search?q=businessman".to_string(),
        "/feeds/changes.rss".to_string(),
        "/api/v1/articles?limit=200".to_string(),
        "/api/v1/articles?q=zanzibarian".to_string(),
        "/api/v1/changes?limit=200&minor=true".to_string(),
    ] {
        let r = get(&app, &uri).await;
        assert_status(&r, 200, &uri);
        assert!(!r.body.contains("zanzibarian"), "{uri}");
    }
    let sources = get(&app, "/api/v1/sources").await.json();
    let herald = sources["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "herald")
        .unwrap()
        .clone();
    assert_eq!(herald["articles"], 2, "the hidden article is not counted");
}

#[tokio::test]
async fn api_articles_with_filters_and_cursors() {
    let f = fixture();
    let app = app(&f, None);
    let r = get(&app, "/api/v1/articles").await;
    assert_status(&r, 200, "articles");
    assert_eq!(r.header("content-type"), "application/json");
    let v = r.json();
    let all: Vec<i64> = v["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(all.len(), 6);
    assert!(v["next_cursor"].is_null());
    // Most recently changed first: the removal (at 50 h) is the gone
    // article's last change, the edited article's is at 41 h.
    assert_eq!(all[0], f.gone, "most recently changed first");
    assert_eq!(all[1], f.edited);
    // Walk with a small page: the same articles, none twice.
    let mut seen = Vec::new();
    let mut uri = "/api/v1/articles?limit=2".to_string();
    loop {
        let page = get(&app, &uri).await.json();
        let ids: Vec<i64> = page["articles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_i64().unwrap())
            .collect();
        assert!(ids.len() <= 2);
        seen.extend(ids);
        match page["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/v1/articles?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, all);
    let a = &v["articles"][1];
    assert_eq!(a["changes"], 3);
    assert_eq!(a["versions"], 4);
    assert_eq!(a["source"], "daily");
    assert_eq!(
        a["links"]["html"],
        format!("http://redline.test/articles/{}", f.edited)
    );

    let ids = |v: &Value| -> Vec<i64> {
        v["articles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(
        ids(&get(&app, "/api/v1/articles?source=herald").await.json()).len(),
        2
    );
    assert_eq!(
        ids(&get(&app, "/api/v1/articles?status=retired").await.json()),
        [f.retired]
    );
    assert_eq!(
        ids(&get(&app, "/api/v1/articles?status=gone").await.json()),
        [f.gone]
    );
    let changed = ids(&get(&app, "/api/v1/articles?changed=true").await.json());
    assert!(changed.contains(&f.edited) && !changed.contains(&f.retired));
    let since = (f.t0 + chrono::Duration::hours(30)).to_rfc3339();
    let recent = ids(&get(
        &app,
        &format!(
            "/api/v1/articles?changed_since={}",
            form_urlencoded::byte_serialize(since.as_bytes()).collect::<String>()
        ),
    )
    .await
    .json());
    // Changed after 30 h: the removed article (its removal at 50 h) and the
    // edited one (41 h).
    assert_eq!(recent, [f.gone, f.edited]);
    let found = get(&app, "/api/v1/articles?q=secretly").await.json();
    assert_eq!(ids(&found), [f.edited]);
    assert_eq!(found["articles"][0]["matched_version"]["number"], 1);

    for bad in [
        "limit=0",
        "limit=201",
        "limit=x",
        "status=lost",
        "cursor=garbage",
        "cursor=YzE6MTox",
        "changed_since=yesterday",
        "source=%3Cb%3E",
        "q=-x",
        "q=",
        "changed=perhaps",
    ] {
        let r = get(&app, &format!("/api/v1/articles?{bad}")).await;
        if bad == "q=" {
            assert_status(&r, 200, bad);
            continue;
        }
        assert_status(&r, 400, bad);
        assert!(r.json()["error"].as_str().unwrap().len() > 10, "{bad}");
    }
}

#[tokio::test]
async fn api_article_versions_diff_sources_changes() {
    let f = fixture();
    let app = app(&f, None);
    let id = f.edited;
    let a = get(&app, &format!("/api/v1/articles/{id}")).await.json();
    assert_eq!(a["id"], id);
    assert_eq!(a["current_url"], common::EDITED_URL);
    let r = get(&app, &format!("/api/v1/articles/{}", f.reverted))
        .await
        .json();
    assert_eq!(r["live_version"], 1);
    assert_eq!(r["events"][0]["kind"], "reverted");

    let v = get(&app, &format!("/api/v1/articles/{id}/versions"))
        .await
        .json();
    let versions = v["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 4);
    assert_eq!(versions[3]["minor"], true);
    assert!(versions[1]["words_added"].as_u64().unwrap() > 0);

    let t = get(&app, &format!("/api/v1/articles/{id}/versions/2"))
        .await
        .json();
    assert_eq!(t["number"], 2);
    assert_eq!(t["paragraphs"].as_array().unwrap().len(), 11);

    let d = get(&app, &format!("/api/v1/articles/{id}/diff/1/2"))
        .await
        .json();
    assert_eq!(d["title"]["changed"], true);
    assert_eq!(d["from"]["number"], 1);
    assert!(
        d["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["op"] == "insert")
    );

    for (uri, status) in [
        ("/api/v1/articles/999".to_string(), 404),
        ("/api/v1/articles/abc".to_string(), 404),
        (format!("/api/v1/articles/{id}/versions/4"), 404),
        (format!("/api/v1/articles/{id}/diff/0/9"), 404),
        ("/api/v1/sources/nope".to_string(), 404),
        ("/api/v1/nothing".to_string(), 404),
        ("/api/v2/articles".to_string(), 404),
    ] {
        let r = get(&app, &uri).await;
        assert_status(&r, status, &uri);
        assert!(r.json()["error"].is_string(), "{uri}");
    }

    let s = get(&app, "/api/v1/sources").await.json();
    assert_eq!(s["sources"].as_array().unwrap().len(), 2);
    let one = get(&app, "/api/v1/sources/daily").await.json();
    assert_eq!(one["listings"][0]["url"], "https://daily.example/feed.xml");

    let c = get(&app, "/api/v1/changes").await.json();
    let changes = c["changes"].as_array().unwrap();
    assert!(changes.iter().all(|c| c["minor"] == false));
    // The newest change is the removal of an article, then the edit that
    // rewrote this one's headline.
    assert_eq!(changes[0]["article_id"], f.gone);
    assert_eq!(changes[0]["kind"], "removed");
    assert_eq!(changes[0]["significance"], 80);
    assert_eq!(changes[0]["level"], "major");
    assert_eq!(changes[0]["summary"], "Removed from the site (HTTP 404)");
    assert_eq!(changes[0]["labels"], serde_json::json!([]));
    assert_eq!(changes[0]["detail"], "the site answered HTTP 404");
    assert_eq!(changes[1]["article_id"], id);
    assert_eq!(changes[1]["kind"], "edit");
    assert_eq!(changes[1]["headline_changed"], true);
    let labels = changes[1]["labels"].as_array().unwrap();
    assert!(
        labels.contains(&serde_json::json!("headline")),
        "{labels:?}"
    );
    assert!(
        changes[1]["summary"]
            .as_str()
            .unwrap()
            .starts_with("Headline"),
        "{}",
        changes[1]
    );
    // Cursor walk over all changes including minor ones.
    let mut seen = Vec::new();
    let mut uri = "/api/v1/changes?limit=3&minor=1".to_string();
    let mut last: Option<String> = None;
    loop {
        let page = get(&app, &uri).await.json();
        for ch in page["changes"].as_array().unwrap() {
            let t = ch["seen_at"].as_str().unwrap().to_string();
            if let Some(l) = &last {
                assert!(&t <= l, "newest first across pages");
            }
            last = Some(t);
            seen.push(ch.clone());
        }
        match page["next_cursor"].as_str() {
            Some(cur) => uri = format!("/api/v1/changes?limit=3&minor=1&cursor={cur}"),
            None => break,
        }
    }
    assert_eq!(
        seen.len(),
        3 + 1 + 1 + 1 + 2 + 1,
        "edited 3, hostile 1, gone 1 and its removal, reverted 2 and its revert"
    );
    // The revert: from the live version 2 back to the text of version 1.
    let reverts: Vec<_> = seen.iter().filter(|c| c["kind"] == "revert").collect();
    assert_eq!(reverts.len(), 1);
    let r = reverts[0];
    assert_eq!(r["article_id"], f.reverted);
    assert_eq!(
        (&r["previous_version"], &r["version"]),
        (&2.into(), &1.into())
    );
    assert_eq!(r["title"], "Storm warning lifted");
    assert_eq!(r["previous_title"], "Storm warning issued again");
    assert!(r["words_added"].as_u64().unwrap() > 0 && r["words_removed"].as_u64().unwrap() > 0);
    assert!(
        r["links"]["html"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/articles/{}/diff/2/1", f.reverted))
    );
    assert!(seen.iter().filter(|c| c["kind"] == "edit").count() == 7);
    let one = get(&app, &format!("/api/v1/changes?article={id}&minor=1"))
        .await
        .json();
    assert_eq!(one["changes"].as_array().unwrap().len(), 3);
    assert_status(
        &get(&app, "/api/v1/changes?article=x").await,
        400,
        "bad article",
    );
    assert_status(
        &get(&app, "/api/v1/changes?article=999").await,
        404,
        "unknown article",
    );
    assert_status(
        &get(&app, "/api/v1/changes?since=nope").await,
        400,
        "bad since",
    );
    let herald = get(&app, "/api/v1/changes?source=herald").await.json();
    assert!(
        herald["changes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["source"] == "herald")
    );
}

#[tokio::test]
async fn openapi_document_is_valid_and_complete() {
    let f = fixture();
    let app = app(&f, None);
    let r = get(&app, "/api/v1/openapi.json").await;
    assert_status(&r, 200, "openapi");
    let doc = r.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    for route in [
        "/api/v1/articles",
        "/api/v1/articles/{id}",
        "/api/v1/articles/{id}/versions",
        "/api/v1/articles/{id}/versions/{n}",
        "/api/v1/articles/{id}/diff/{a}/{b}",
        "/api/v1/changes",
        "/api/v1/sources",
        "/api/v1/sources/{name}",
        "/api/v1/lookup",
        "/api/v1/admin/sources",
        "/api/v1/admin/articles/{id}/check",
        "/api/v1/admin/articles/{id}/retire",
        "/api/v1/admin/articles/{id}/hide",
        "/api/v1/admin/articles/{id}/unhide",
    ] {
        assert!(paths.contains_key(route), "{route} undocumented");
    }
    // Every $ref resolves, and every path parameter is declared.
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(r)) = m.get("$ref") {
                    out.push(r.clone());
                }
                m.values().for_each(|v| refs(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{r}"));
        assert!(
            doc["components"]["schemas"].get(name).is_some(),
            "{r} does not resolve"
        );
    }
    for (path, item) in paths {
        for op in item.as_object().unwrap().values() {
            assert!(op["responses"].is_object(), "{path}");
            for segment in path.split('/').filter(|s| s.starts_with('{')) {
                let name = segment.trim_matches(|c| c == '{' || c == '}');
                assert!(
                    op["parameters"].as_array().is_some_and(|ps| ps
                        .iter()
                        .any(|p| p["name"] == name && p["in"] == "path")),
                    "{path}: {name} not declared"
                );
            }
        }
    }
    // The reference validator: the Python of REDLINE_PYTHON (the virtual
    // environment .ci/run makes), else python3. Required when
    // REDLINE_REQUIRE_OPENAPI_VALIDATOR is set (in CI); otherwise a missing
    // validator is a loud skip.
    let required = std::env::var_os("REDLINE_REQUIRE_OPENAPI_VALIDATOR").is_some();
    let python = std::env::var("REDLINE_PYTHON").unwrap_or_else(|_| "python3".into());
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), &r.body).unwrap();
    let out = std::process::Command::new(&python)
        .args([
            "-c",
            "import sys, json\ntry:\n    from openapi_spec_validator import validate\nexcept ImportError:\n    print('SKIP'); sys.exit(0)\nvalidate(json.load(open(sys.argv[1])))\nprint('VALID')",
        ])
        .arg(file.path())
        .output();
    let skip = |why: &str| {
        assert!(
            !required,
            "{why}, and REDLINE_REQUIRE_OPENAPI_VALIDATOR is set"
        );
        eprintln!("SKIPPED: {why}: the OpenAPI document had structural checks only");
    };
    match out {
        Ok(out) => {
            let stdout = String::from_utf8_lossy(&out.stdout);
            if stdout.contains("SKIP") {
                skip(&format!(
                    "openapi-spec-validator is not installed for {python}"
                ));
            } else {
                assert!(
                    stdout.contains("VALID"),
                    "{stdout}{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
        Err(e) => skip(&format!("{python} cannot be run ({e})")),
    }
}

#[tokio::test]
async fn admin_endpoints_need_the_token() {
    let f = fixture();
    let off = app(&f, None);
    let on = app(&f, Some(TOKEN));
    let id = f.edited;
    let source = r#"{"name":"wire","title":"The Wire","feeds":["https://wire.example/rss"],"article_url":"^https://wire\\.example/"}"#;
    // Off without a token configured.
    for uri in [
        "/api/v1/admin/sources".to_string(),
        format!("/api/v1/admin/articles/{id}/retire"),
    ] {
        assert_status(&post(&off, &uri, Some(TOKEN), source).await, 404, &uri);
    }
    // Wrong or missing token.
    for token in [None, Some("wrong"), Some("correct-horse-battery-stapl")] {
        let r = post(&on, "/api/v1/admin/sources", token, source).await;
        assert_status(&r, 401, "bad token");
        assert!(r.header("www-authenticate").starts_with("Bearer"));
    }
    assert_status(
        &post(
            &on,
            &format!("/api/v1/admin/articles/{id}/hide"),
            Some("nope"),
            "",
        )
        .await,
        401,
        "hide",
    );
    // The right one.
    let r = post(&on, "/api/v1/admin/sources", Some(TOKEN), source).await;
    assert_status(&r, 201, "add source");
    assert!(
        f.store
            .source_specs()
            .unwrap()
            .iter()
            .any(|s| s.name == "wire" && s.title == "The Wire")
    );
    assert_status(
        &post(&on, "/api/v1/admin/sources", Some(TOKEN), source).await,
        409,
        "twice",
    );
    for bad in [
        "not json",
        r#"{"name":"bad name","feeds":["https://x.example/"]}"#,
        r#"{"name":"nofeeds"}"#,
        r#"{"name":"js","feeds":["javascript:alert(1)"]}"#,
        r#"{"name":"re","feeds":["https://x.example/"],"article_url":"("}"#,
        r#"{"name":"extra","feeds":["https://x.example/"],"admin":true}"#,
    ] {
        let r = post(&on, "/api/v1/admin/sources", Some(TOKEN), bad).await;
        assert_status(&r, 400, bad);
        assert!(r.json()["error"].is_string());
    }
    // Hide, and the article answers 410 and leaves the (cached) feeds;
    // show it again.
    let diff_link = format!("/articles/{id}/diff/0/1");
    assert!(
        get(&on, "/feeds/changes.atom")
            .await
            .body
            .contains(&diff_link)
    );
    assert_status(
        &post(
            &on,
            &format!("/api/v1/admin/articles/{id}/hide"),
            Some(TOKEN),
            "",
        )
        .await,
        200,
        "hide",
    );
    assert_status(
        &get(&on, &format!("/articles/{id}")).await,
        410,
        "hidden page",
    );
    assert!(
        !get(&on, "/feeds/changes.atom")
            .await
            .body
            .contains(&diff_link)
    );
    assert_status(
        &post(
            &on,
            &format!("/api/v1/admin/articles/{id}/unhide"),
            Some(TOKEN),
            "",
        )
        .await,
        200,
        "unhide",
    );
    assert_status(
        &get(&on, &format!("/articles/{id}")).await,
        200,
        "shown again",
    );
    // Retire, re-check.
    assert_status(
        &post(
            &on,
            &format!("/api/v1/admin/articles/{id}/retire"),
            Some(TOKEN),
            "",
        )
        .await,
        200,
        "retire",
    );
    assert_eq!(
        f.store.article(id).unwrap().unwrap().status,
        redline_store::ArticleStatus::Retired
    );
    assert_status(
        &post(
            &on,
            &format!("/api/v1/admin/articles/{id}/retire"),
            Some(TOKEN),
            "",
        )
        .await,
        409,
        "retire twice",
    );
    assert_status(
        &post(
            &on,
            &format!("/api/v1/admin/articles/{id}/check"),
            Some(TOKEN),
            "",
        )
        .await,
        200,
        "check",
    );
    let a = f.store.article(id).unwrap().unwrap();
    assert_eq!(a.status, redline_store::ArticleStatus::Active);
    assert!(a.next_check.unwrap() <= chrono::Utc::now());
    assert_status(
        &post(&on, "/api/v1/admin/articles/999/check", Some(TOKEN), "").await,
        404,
        "unknown",
    );
    assert_status(
        &post(&on, "/api/v1/admin/articles/x/check", Some(TOKEN), "").await,
        404,
        "bad id",
    );
    // Admin routes do not answer GET.
    assert_status(&get(&on, "/api/v1/admin/sources").await, 405, "GET admin");
}

#[tokio::test]
async fn healthz_and_metrics() {
    let f = fixture();
    let app = app(&f, None);
    let r = get(&app, "/healthz").await;
    assert_status(&r, 200, "healthz");
    get(&app, "/").await;
    let r = get(&app, "/metrics").await;
    assert_status(&r, 200, "metrics");
    assert!(
        r.header("content-type")
            .starts_with("text/plain; version=0.0.4")
    );
    let b = &r.body;
    for line in [
        "# TYPE redline_articles gauge",
        "redline_articles{status=\"active\"} 5",
        "redline_articles{status=\"retired\"} 1",
        "redline_articles{status=\"gone\"} 1",
        "redline_articles_hidden 1",
        "redline_versions 15",
        "# TYPE redline_checks_total counter",
        "redline_checks_total{source=\"daily\"}",
        "redline_fetch_errors_total{source=\"herald\"} 0",
        "redline_check_queue_due 0",
        "redline_check_queue_lag_seconds 0.000",
        "redline_http_requests_total{route=\"/\",status=\"200\"} 1",
    ] {
        assert!(b.contains(line), "missing {line:?} in\n{b}");
    }
    // Every sample line parses as `name{labels} value`.
    for line in b.lines().filter(|l| !l.starts_with('#')) {
        let value = line.rsplit(' ').next().unwrap();
        assert!(value.parse::<f64>().is_ok(), "{line}");
    }
}

#[tokio::test]
async fn changes_filter_by_level_and_label_everywhere() {
    let f = fixture();
    let app = app(&f, None);
    // The API and the pages agree on what a filter keeps.
    let api = |uri: String| {
        let app = app.clone();
        async move {
            get(&app, &uri).await.json()["changes"]
                .as_array()
                .unwrap()
                .clone()
        }
    };
    let major = api("/api/v1/changes?min_significance=60".into()).await;
    assert!(!major.is_empty());
    assert!(
        major
            .iter()
            .all(|c| c["significance"].as_u64().unwrap() >= 60)
    );
    assert!(major.iter().all(|c| c["level"] == "major"));
    let named = api("/api/v1/changes?min_significance=major".into()).await;
    assert_eq!(named, major);
    let headline = api("/api/v1/changes?label=headline".into()).await;
    assert!(!headline.is_empty());
    for c in &headline {
        assert!(
            c["labels"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!("headline")),
            "{c}"
        );
    }
    let all = api("/api/v1/changes".into()).await;
    assert!(all.len() > headline.len() && all.len() > major.len());

    let page = get(&app, "/?min=major").await;
    assert_status(&page, 200, "/?min=major");
    for c in &all {
        let link = c["links"]["html"]
            .as_str()
            .unwrap()
            .replace("http://redline.test", "");
        let shown = page.body.contains(&format!("href=\"{link}\""));
        let expected = c["significance"].as_u64().unwrap() >= 60;
        assert_eq!(shown, expected, "{link} on /?min=major");
    }
    assert!(page.body.contains("<strong>major only</strong>"));
    // The feeds take the same filters, and their own address keeps them.
    let feed = get(&app, "/feeds/changes.atom?min=major").await;
    assert_status(&feed, 200, "feed");
    let parsed = feed_rs::parser::parse(feed.body.as_bytes()).unwrap();
    assert_eq!(parsed.entries.len(), major.len());
    assert!(
        feed.body
            .contains("href=\"http://redline.test/feeds/changes.atom?min=major\"")
    );

    for (uri, message) in [
        (
            "/?label=gossip",
            "There is no label &quot;gossip&quot;. Labels: headline, social_headline, byline, lede, number, quote, \
             attribution, name, correction, addition, deletion, move, style, rewrite, live, \
             stealth.",
        ),
        (
            "/?min=huge",
            "min must be minor, notable, major or a number from 0 to 100, not &quot;huge&quot;.",
        ),
        (
            "/feeds/changes.rss?min=101",
            "min must be minor, notable, major or a number from 0 to 100, not &quot;101&quot;.",
        ),
        (
            "/top?period=year",
            "period must be day or week, not &quot;year&quot;.",
        ),
    ] {
        let r = get(&app, uri).await;
        assert_status(&r, 400, uri);
        if !uri.contains("/feeds/") {
            assert!(r.body.contains(message), "{uri}: {}", r.body);
        }
    }
    let r = get(&app, "/api/v1/changes?label=gossip").await;
    assert_status(&r, 400, "api label");
}

#[tokio::test]
async fn top_site_changes_and_outlet_statistics_pages() {
    let f = fixture();
    let app = app(&f, None);
    // The fixture's changes are 8 to 10 days old.
    let day = get(&app, "/top?period=day").await;
    assert_status(&day, 200, "/top");
    assert_page(&day, "/top");
    assert!(
        day.body
            .contains("Most significant changes of the last day")
    );
    assert!(day.body.contains("No changes in the last day."));
    let sites = get(&app, "/site-changes").await;
    assert_status(&sites, 200, "/site-changes");
    assert!(sites.body.contains("No site changes found."));
    assert!(
        sites
            .body
            .contains("When at least 5 articles of one source change the same way within 6 hours")
    );

    let herald = get(&app, "/sources/herald").await;
    assert_status(&herald, 200, "/sources/herald");
    assert!(herald.body.contains("How this outlet edits"));
    assert!(
        herald.body.contains(
            "<tr><th>Removed or redirected away</th><td class=\"num\">0</td>\
             <td class=\"num\">1</td><td class=\"num\">1</td></tr>"
        ),
        "{}",
        herald.body
    );
    let api = get(&app, "/api/v1/sources/herald").await.json();
    let stats = api["statistics"].as_array().unwrap();
    let periods: Vec<_> = stats
        .iter()
        .map(|s| s["period"].as_str().unwrap())
        .collect();
    assert_eq!(periods, ["7d", "30d", "all"]);
    assert_eq!(stats[2]["removals"], 1);
    assert_eq!(api["site_changes"], serde_json::json!([]));
}

#[tokio::test]
async fn rough_edges_a_first_user_met() {
    let f = fixture();
    let app = app(&f, None);
    // Unknown API parameters are refused by name; unknown sources are 404.
    let r = get(&app, "/api/v1/changes?kind=revert").await;
    assert_status(&r, 400, "unknown parameter");
    assert_eq!(
        r.json()["error"],
        "Unknown parameter \"kind\": this address takes source, article, minor, since, q, \
         min_significance, min, label, site_changes, limit, cursor."
    );
    for uri in [
        "/api/v1/changes?source=nowhere",
        "/api/v1/articles?source=nowhere",
    ] {
        let r = get(&app, uri).await;
        assert_status(&r, 404, uri);
        assert_eq!(
            r.json()["error"],
            "There is no source named \"nowhere\". Sources: daily, herald.",
            "{uri}"
        );
    }
    // A page past the end names the end, not a limit nobody reached.
    let r = get(&app, "/?page=99999").await;
    assert_status(&r, 404, "/?page=99999");
    assert!(
        r.body.contains(
            "There is no page 99999: the list ends before it (lists show 10000 pages at most)."
        ),
        "{}",
        r.body
    );
    // The version page counts versions from 0.
    let r = get(&app, &format!("/articles/{}/versions/3", f.edited)).await;
    assert!(
        r.body
            .contains("<p class=\"kicker\">Version 3 · 4 versions kept, numbered 0 to 3"),
        "{}",
        r.body
    );
    // A version compared with itself has no neighbouring pairs.
    let r = get(&app, &format!("/articles/{}/diff/2/2", f.edited)).await;
    assert_status(&r, 200, "2/2");
    assert!(!r.body.contains("rel=\"prev\"") && !r.body.contains("rel=\"next\""));
    assert!(r.body.contains("These two versions have the same text."));
    // Link previews.
    let r = get(&app, &format!("/articles/{}/diff/1/2", f.edited)).await;
    let summary = get(&app, &format!("/api/v1/articles/{}/diff/1/2", f.edited))
        .await
        .json()["summary"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        r.body.contains(&format!(
            "<meta property=\"og:description\" content=\"{summary}\">"
        )),
        "{}",
        r.body
    );
    // The article list, filtered and sorted.
    let r = get(&app, "/articles?source=daily&changed=1&sort=first_seen").await;
    assert_status(&r, 200, "/articles");
    assert_page(&r, "/articles");
    let rows: Vec<&str> = r
        .body
        .split("<td data-label=\"Article\"><a href=\"/articles/")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    // Daily's changed articles, most recently first seen first: the
    // flip-flopping one (5 h), the hostile one (1 h), the edited one (0 h).
    let expected: Vec<String> = [f.reverted, f.hostile, f.edited]
        .iter()
        .map(|id| id.to_string())
        .collect();
    assert_eq!(rows, expected);
    for (uri, status) in [
        ("/articles?sort=sideways", 400),
        ("/articles?status=lost", 400),
        ("/articles?source=nowhere", 404),
        ("/articles?colour=red", 400),
    ] {
        assert_status(&get(&app, uri).await, status, uri);
    }
    // Search counts its articles, names sources by title, and says where
    // words were removed.
    let r = get(&app, "/search?q=secretly").await;
    assert!(
        r.body.contains("<p class=\"count\">1 article matches.</p>"),
        "{}",
        r.body
    );
    assert!(r.body.contains(">The Daily Example</a>"));
    assert!(
        r.body.contains(&format!(
            "; the words were <a href=\"/articles/{}/diff/1/2\">removed in version 2</a>",
            f.edited
        )),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn a_source_added_with_css_rules_extracts_with_them() {
    let f = fixture();
    let on = app(&f, Some(TOKEN));
    let source = r#"{"name":"ruled","feeds":["https://ruled.example/rss"],
        "extract":{"body":"div#main","remove":[".kicker"]}}"#;
    let r = post(&on, "/api/v1/admin/sources", Some(TOKEN), source).await;
    assert_status(&r, 201, "add source");
    let spec = f
        .store
        .source_specs()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "ruled")
        .unwrap();
    assert_eq!(
        spec,
        redline_store::SourceSpec {
            name: "ruled".into(),
            title: "ruled".into(),
            listings: vec![(ListingKind::Feed, "https://ruled.example/rss".into())],
            article_url: None,
            exclude_url: None,
            extract_body: Some("div#main".into()),
            extract_remove: vec![".kicker".into()],
        }
    );
    // The crawler builds its extractor from what the store keeps.
    let story = [
        "The council approved the new budget on Tuesday, after a long debate that ran late into the night.",
        "Opponents said the plan, which raises fees for parking and permits, would hurt small businesses.",
        "The mayor, speaking after the vote, said the city had no other way to close the gap this year.",
    ];
    let html = format!(
        "<html><head><title>Budget approved</title></head><body><h1>Budget approved</h1>\
         <div id=\"main\"><p class=\"kicker\">Exclusive</p>{}</div>\
         <div class=\"other\"><p>Some other long text that generic detection might also \
         consider, with commas, clauses, and more words than the story has.</p></div></body></html>",
        story.map(|p| format!("<p>{p}</p>")).concat()
    );
    let extractor = redline_crawl::extractor_of(&spec).unwrap();
    assert_eq!(extractor.extract(&html).paragraphs, story);
    // Rules that would not work are refused, saying why.
    for (extract, message) in [
        (r#"{"body":" "}"#, "extract: empty CSS selector \" \"."),
        (
            r#"{"remove":["p:nth-child(2)"]}"#,
            "extract: invalid CSS selector \"p:nth-child(2)\": pseudo-classes are not supported.",
        ),
        (
            r#"{"bodies":"main"}"#,
            "The body must be a JSON object with name, title, feeds, pages, sitemaps, \
             article_url, exclude_url, extract: unknown field `bodies`, expected `body` or \
             `remove` at line 1 column 64",
        ),
    ] {
        let bad = format!(r#"{{"name":"bad","feeds":["https://x.example/"],"extract":{extract}}}"#);
        let r = post(&on, "/api/v1/admin/sources", Some(TOKEN), &bad).await;
        assert_status(&r, 400, &bad);
        assert_eq!(r.json()["error"], message, "{bad}");
    }
    assert!(
        !f.store
            .source_specs()
            .unwrap()
            .iter()
            .any(|s| s.name == "bad")
    );
}

/// Every kind of bad request to the API, with its status and its whole
/// answer: what happened and what to do.
#[tokio::test]
async fn bad_api_requests_get_their_status_and_message() {
    let f = fixture();
    let app = app(&f, None);
    let edited = f.edited;
    let cases: Vec<(String, u16, String)> =
        vec![
        ("/api/v1/articles/0".into(), 404, "There is no article \"0\".".into()),
        ("/api/v1/articles/x1".into(), 404, "There is no article \"x1\".".into()),
        (
            format!("/api/v1/articles/{edited}/versions/9"),
            404,
            "There is no version \"9\" of this article: its versions are numbered 0 to 3.".into(),
        ),
        (
            format!("/api/v1/articles/{edited}/diff/0/x"),
            404,
            "There is no version \"x\" of this article: its versions are numbered 0 to 3.".into(),
        ),
        (
            format!("/api/v1/articles/{}", f.hidden),
            410,
            "This article was withdrawn from redline at an administrator's request (for example \
             a legal takedown). Its pages, versions and feeds are no longer available."
                .into(),
        ),
        (
            "/api/v1/articles?limit=0".into(),
            400,
            "limit must be a whole number from 1 to 200, not \"0\".".into(),
        ),
        (
            "/api/v1/articles?status=lost".into(),
            400,
            "status must be one of active, retired, gone, merged; not \"lost\".".into(),
        ),
        (
            "/api/v1/articles?changed_since=yesterday".into(),
            400,
            "changed_since must be a date (2026-03-04) or an RFC 3339 time \
             (2026-03-04T14:00:00Z), not \"yesterday\"."
                .into(),
        ),
        (
            "/api/v1/changes?min_significance=lots".into(),
            400,
            "min_significance must be a number from 0 to 100, not \"lots\".".into(),
        ),
        (
            "/api/v1/changes?minor=perhaps".into(),
            400,
            "minor must be true or false, not \"perhaps\".".into(),
        ),
        (
            "/api/v1/changes?article=abc".into(),
            400,
            "article must be an article id, not \"abc\".".into(),
        ),
        (
            "/api/v1/changes?soruce=daily".into(),
            400,
            "Unknown parameter \"soruce\": this address takes source, article, minor, since, q, \
             min_significance, min, label, site_changes, limit, cursor."
                .into(),
        ),
        (
            "/api/v1/sources/nope".into(),
            404,
            "There is no source named \"nope\".".into(),
        ),
        (
            "/api/v1/nothing".into(),
            404,
            "There is no such API endpoint; see /api/v1/openapi.json.".into(),
        ),
    ];
    let mut seen = Vec::new();
    for (uri, _, _) in &cases {
        let r = get(&app, uri).await;
        seen.push((uri.clone(), r.status.as_u16(), r.json()));
    }
    let expected: Vec<_> = cases
        .into_iter()
        .map(|(uri, status, message)| {
            (
                uri,
                status,
                serde_json::json!({"error": message, "status": status}),
            )
        })
        .collect();
    let wrong: Vec<_> = seen
        .iter()
        .zip(&expected)
        .filter(|(got, want)| got != want)
        .map(|(got, want)| format!("got  {got:?}\nwant {want:?}"))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The body of a GET, as bytes (a PNG), with its status and headers.
async fn get_bytes(app: &Router, uri: &str) -> (StatusCode, HeaderMap, Vec<u8>) {
    let response = app
        .clone()
        .oneshot(
            Request::get(uri)
                .header(header::HOST, "redline.test")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, bytes.to_vec())
}

/// The card the fixture's first edit (0 → 1, 9.2 hours apart) shows.
fn edited_card(site: &str) -> redline_card::Card {
    use redline_card::{Segment, SegmentKind::*};
    redline_card::Card {
        source: "The Daily Example".into(),
        site_name: site.into(),
        headline_before: "Iran Secretly Sending Drones and Supplies Into Iraq".into(),
        headline_after: "Iran Secretly Sending Drones and Supplies Into Iraq".into(),
        // The one changed sentence, word by word.
        sentences: vec![vec![
            Segment::new(
                Same,
                "BRUSSELS — Iran is directing surveillance drones over Iraq from an airfield \
                 in Baghdad and is ",
            ),
            Segment::new(Removed, "secretly "),
            Segment::new(Same, "supplying "),
            Segment::new(Removed, "Iraq "),
            Segment::new(Added, "Iraqi forces "),
            Segment::new(Same, "with tons of military equipment"),
            Segment::new(Removed, ", supplies"),
            Segment::new(Same, " and other "),
            Segment::new(Removed, "assistance, "),
            Segment::new(Added, "supplies, according to "),
            Segment::new(Same, "American officials"),
            Segment::new(Removed, " said"),
            Segment::new(Same, "."),
        ]],
        elapsed: "about 9 hours later".into(),
    }
}

#[tokio::test]
async fn diff_card_png_and_the_diff_pages_preview_tags() {
    let f = fixture();
    let app = app(&f, None);
    let (status, headers, png) =
        get_bytes(&app, &format!("/articles/{}/diff/0/1.png", f.edited)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(headers[header::CACHE_CONTROL], "no-cache");
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    // The whole image: the card of the change, drawn by redline-card.
    let card = edited_card("redline.test");
    assert!(
        png == redline_card::render(&card).unwrap(),
        "not the card of {card:#?}"
    );
    let decoder = png::Decoder::new(std::io::Cursor::new(&png[..]));
    let info = decoder.read_info().unwrap().info().clone();
    assert_eq!((info.width, info.height), (1200, 675));
    // Served again from the cache, the same bytes.
    let (_, _, again) = get_bytes(&app, &format!("/articles/{}/diff/0/1.png", f.edited)).await;
    assert_eq!(again, png);

    // The diff page names it in its link-preview tags, by absolute URL.
    let r = get(&app, &format!("/articles/{}/diff/0/1", f.edited)).await;
    assert_status(&r, 200, "diff");
    let alt = redline_card::alt_text(&card);
    let head = r.body.split("</head>").next().unwrap();
    let tags: Vec<&str> = head
        .split('<')
        .filter(|t| t.starts_with("meta property=\"og:") || t.starts_with("meta name=\"twitter:"))
        .collect();
    let image = format!("http://redline.test/articles/{}/diff/0/1.png", f.edited);
    assert_eq!(
        tags,
        [
            "meta property=\"og:site_name\" content=\"redline\">".to_string(),
            "meta property=\"og:type\" content=\"website\">".into(),
            "meta property=\"og:title\" content=\"Version 0 → 1: Iran Secretly Sending Drones and \
             Supplies Into Iraq · redline\">"
                .into(),
            "meta property=\"og:description\" content=\"Lede changed\">".into(),
            format!("meta property=\"og:image\" content=\"{image}\">"),
            "meta property=\"og:image:type\" content=\"image/png\">".into(),
            "meta property=\"og:image:width\" content=\"1200\">".into(),
            "meta property=\"og:image:height\" content=\"675\">".into(),
            format!("meta property=\"og:image:alt\" content=\"{alt}\">"),
            "meta name=\"twitter:card\" content=\"summary_large_image\">".into(),
            format!("meta name=\"twitter:image\" content=\"{image}\">"),
            format!("meta name=\"twitter:image:alt\" content=\"{alt}\">"),
        ]
    );
    assert_eq!(
        alt,
        "The Daily Example, about 9 hours later. \
         Headline: Iran Secretly Sending Drones and Supplies Into Iraq. \
         Before: BRUSSELS — Iran is directing surveillance drones over Iraq from an airfield in \
         Baghdad and is secretly supplying Iraq with tons of military equipment, supplies and \
         other assistance, American officials said. \
         After: BRUSSELS — Iran is directing surveillance drones over Iraq from an airfield in \
         Baghdad and is supplying Iraqi forces with tons of military equipment and other \
         supplies, according to American officials. \
         Shown by redline.test."
    );

    // The configured base URL wins over the Host header, on the page and
    // on the card.
    let configured = router(
        f.store.clone(),
        WebConfig {
            admin_token: None,
            base_url: Some("https://redline.example.org/".into()),
            archive_dir: None,
        },
    );
    let r = get(&configured, &format!("/articles/{}/diff/0/1", f.edited)).await;
    assert!(r.body.contains(&format!(
        "<meta property=\"og:image\" content=\"https://redline.example.org/articles/{}/diff/0/1.png\">",
        f.edited
    )));
    let (_, _, png) = get_bytes(&configured, &format!("/articles/{}/diff/0/1.png", f.edited)).await;
    assert_eq!(
        png,
        redline_card::render(&edited_card("redline.example.org")).unwrap()
    );

    // Other pages carry no image tags.
    let home = get(&app, "/").await;
    assert!(!home.body.contains("og:image") && !home.body.contains("twitter:card"));

    // Bad addresses: as the diff page's, and a hidden article is gone.
    for bad in [
        "0/4.png",
        "9/1.png",
        "x/1.png",
        "0/-1.png",
        "0/1.png.png",
        "0/.png",
        "0/1.PNG",
    ] {
        let uri = format!("/articles/{}/diff/{bad}", f.edited);
        let r = get(&app, &uri).await;
        assert_status(&r, 404, &uri);
        assert!(r.header("content-type").starts_with("text/html"), "{uri}");
    }
    let r = get(&app, &format!("/articles/{}/diff/0/1.png", f.hidden)).await;
    assert_status(&r, 410, "hidden card");
    let r = get(&app, "/articles/999999/diff/0/1.png").await;
    assert_status(&r, 404, "no article");
}

/// Writes two fetches of one page to a WARC archive and records them as
/// versions 0 and 1 of a new article, each with its capture. Returns the
/// article and what the archive's reader gives back for each capture.
fn article_with_captures(
    f: &Fixture,
    archive: &std::path::Path,
) -> (
    i64,
    Vec<(redline_store::CaptureRef, redline_archive::StoredCapture)>,
) {
    use chrono::TimeZone;
    use redline_archive::{ArchiveWriter, Bytes, Capture, CapturedRequest, CapturedResponse};
    use redline_store::{
        CaptureRef, ChangeInfo, CheckOutcome, CheckRecord, NewArticle, NewVersion,
    };
    let url = "https://daily.example/news/evidence.html";
    let t0 = chrono::Utc.with_ymd_and_hms(2026, 3, 4, 14, 2, 37).unwrap();
    let id = f
        .store
        .add_articles(
            "daily",
            &[NewArticle {
                url: url.into(),
                title: None,
                published: None,
            }],
            t0,
        )
        .unwrap()[0];
    let mut writer = ArchiveWriter::open(archive, 1 << 30).unwrap();
    let mut out = Vec::new();
    let mut previous: Option<redline_diff::ArticleText> = None;
    for (i, word) in ["first", "second"].into_iter().enumerate() {
        let at = t0 + chrono::Duration::hours(9 * i as i64);
        let body = format!(
            "<html><head><title>Café</title></head><body><h1>Café</h1>\
             <p>The {word} text.</p><script>alert(1)</script></body></html>"
        );
        let location = writer
            .append(&Capture {
                target_uri: url.into(),
                fetched_at: at,
                ip_address: Some("192.0.2.7".parse().unwrap()),
                request: CapturedRequest {
                    method: "GET".into(),
                    target: "/news/evidence.html".into(),
                    version: "HTTP/1.1".into(),
                    headers: vec![("Host".into(), b"daily.example".to_vec())],
                },
                response: CapturedResponse {
                    version: "HTTP/1.1".into(),
                    status: 200,
                    reason: "OK".into(),
                    headers: vec![
                        ("Content-Type".into(), b"text/html; charset=utf-8".to_vec()),
                        ("X-Note".into(), b"<b>bold</b>".to_vec()),
                    ],
                    body: Bytes::from(body),
                },
            })
            .unwrap();
        writer.sync().unwrap();
        let cap = CaptureRef {
            file: location.file.clone(),
            offset: location.offset,
            length: location.length,
        };
        let text = redline_diff::ArticleText::new("Café", "", vec![format!("The {word} text.")]);
        let change = previous.as_ref().map(|old| {
            ChangeInfo::from_assessment(&redline_classify::assess(old, &text, Default::default()))
        });
        f.store
            .record_check(&CheckRecord {
                article: id,
                at,
                expected_versions: i as u32,
                outcome: CheckOutcome::NewVersion(NewVersion {
                    change,
                    restored: false,
                    text: text.clone(),
                    published: None,
                    minor: false,
                    words_added: i as u32,
                    words_removed: i as u32,
                    capture: Some(cap.clone()),
                }),
                next_check: None,
                check_interval: std::time::Duration::from_secs(3600),
                retire: false,
                http: None,
                aliases: vec![],
            })
            .unwrap();
        previous = Some(text);
        let stored = redline_archive::read_capture(archive, &location).unwrap();
        out.push((cap, stored));
    }
    (id, out)
}

/// "Can you prove it said that?": a version's capture is shown as fetched
/// (status, headers, body as escaped text, never rendered) with its WARC
/// record id, payload digest and fetch time to the second; the JSON API
/// carries the same; the version page links it and the diff page cites
/// both versions with their digests.
#[tokio::test]
async fn a_versions_archived_capture_is_shown_as_evidence() {
    let f = fixture();
    let archive = tempfile::tempdir().unwrap();
    let (id, caps) = article_with_captures(&f, archive.path());
    let served = router(
        f.store.clone(),
        WebConfig {
            admin_token: None,
            base_url: None,
            archive_dir: Some(archive.path().to_path_buf()),
        },
    );
    let body = "<html><head><title>Café</title></head><body><h1>Café</h1>\
                <p>The second text.</p><script>alert(1)</script></body></html>";
    let (cap, stored) = &caps[1];
    assert_eq!(
        stored.warc_header("WARC-Payload-Digest").unwrap(),
        redline_archive::sha1_digest(body.as_bytes())
    );

    let r = get(
        &served,
        &format!("/api/v1/articles/{id}/versions/1/capture"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.json(),
        serde_json::json!({
            "article_id": id,
            "version": 1,
            "url": "https://daily.example/news/evidence.html",
            "fetched_at": "2026-03-04T23:02:37Z",
            "record_id": stored.record_id,
            "payload_digest": redline_archive::sha1_digest(body.as_bytes()),
            "block_digest": stored.warc_header("WARC-Block-Digest").unwrap(),
            "ip_address": "192.0.2.7",
            "warc": {"file": cap.file, "offset": cap.offset, "length": cap.length},
            "http_version": "HTTP/1.1",
            "status": 200,
            "reason": "OK",
            "headers": [
                {"name": "Content-Type", "value": "text/html; charset=utf-8"},
                {"name": "X-Note", "value": "<b>bold</b>"},
            ],
            "body": body,
            "body_bytes": body.len(),
            "body_truncated": false,
            "body_note": null,
        })
    );

    let r = get(&served, &format!("/articles/{id}/versions/1/capture")).await;
    assert_eq!(r.status, StatusCode::OK);
    let record = stored.record_id.replace('<', "&lt;").replace('>', "&gt;");
    for shown in [
        "<h1>Archived capture of version 1</h1>".to_string(),
        "<tr><th>URL</th><td><code>https://daily.example/news/evidence.html</code></td></tr>".into(),
        "<tr><th>Fetched</th><td><time datetime=\"2026-03-04T23:02:37Z\">4 Mar 2026, 23:02:37 UTC</time></td></tr>".into(),
        format!("<tr><th>WARC record</th><td><code>{record}</code></td></tr>"),
        format!("<tr><th>Payload digest</th><td><code>{}</code></td></tr>", redline_archive::sha1_digest(body.as_bytes())),
        "<pre class=\"capture\">HTTP/1.1 200 OK\nContent-Type: text/html; charset=utf-8\nX-Note: &lt;b&gt;bold&lt;/b&gt;\n</pre>".into(),
        "<pre class=\"capture\">&lt;html&gt;&lt;head&gt;&lt;title&gt;Café&lt;/title&gt;&lt;/head&gt;&lt;body&gt;&lt;h1&gt;Café&lt;/h1&gt;&lt;p&gt;The second text.&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;/body&gt;&lt;/html&gt;</pre>".into(),
    ] {
        assert!(r.body.contains(&shown), "{shown}\nnot in\n{}", r.body);
    }
    assert!(!r.body.contains("<script>alert"), "{}", r.body);

    let r = get(&served, &format!("/articles/{id}/versions/1")).await;
    assert!(
        r.body.contains(&format!(
            "<a href=\"/articles/{id}/versions/1/capture\">archived capture</a>"
        )),
        "{}",
        r.body
    );
    let r = get(&served, &format!("/api/v1/articles/{id}/versions/1")).await;
    assert_eq!(
        r.json()["links"]["capture"],
        format!("http://redline.test/api/v1/articles/{id}/versions/1/capture")
    );

    let r = get(&served, &format!("/articles/{id}/diff/0/1")).await;
    assert_eq!(r.status, StatusCode::OK);
    let side = |n: usize, seen: &str, exact: &str| {
        let c = &caps[n].1;
        format!(
            "<li>Version {n}, first seen <time datetime=\"{seen}\">{exact}</time>; fetched <time datetime=\"{seen}\">{exact}</time>, WARC record <code>{}</code>, payload digest <code>{}</code> (<a href=\"/articles/{id}/versions/{n}/capture\">capture</a>)</li>",
            c.record_id.replace('<', "&lt;").replace('>', "&gt;"),
            c.warc_header("WARC-Payload-Digest").unwrap(),
        )
    };
    let cite = format!(
        "<section class=\"cite\"><h2>Cite this change</h2><p>Permalink: <a href=\"http://redline.test/articles/{id}/diff/0/1\"><code>http://redline.test/articles/{id}/diff/0/1</code></a></p><ul>{}{}</ul></section>",
        side(0, "2026-03-04T14:02:37Z", "4 Mar 2026, 14:02:37 UTC"),
        side(1, "2026-03-04T23:02:37Z", "4 Mar 2026, 23:02:37 UTC"),
    );
    assert!(r.body.contains(&cite), "{cite}\nnot in\n{}", r.body);

    // A version recorded without a capture, and a server without the
    // archive, say so.
    let r = get(
        &served,
        &format!("/api/v1/articles/{}/versions/0/capture", f.edited),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        r.json(),
        serde_json::json!({
            "error": "Version 0 has no archived capture (it was imported or recorded without one).",
            "status": 404,
        })
    );
    let r = get(
        &app(&f, None),
        &format!("/api/v1/articles/{id}/versions/1/capture"),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(
        r.json(),
        serde_json::json!({
            "error": "This redline serves no archived captures: its web interface was started without the archive directory (set [storage] archive to the crawler's).",
            "status": 404,
        })
    );
}
