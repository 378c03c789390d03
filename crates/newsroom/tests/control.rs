//! The `/_control/` JSON API and the `newsroom` binary, as a test in another
//! process would use them.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{get, post_json};
use redline_newsroom::{Newsroom, NewsroomConfig};
use serde_json::{Value, json};

fn parse(body: &[u8]) -> Value {
    serde_json::from_slice(body).expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_api_drives_and_inspects_the_room() {
    let room = Newsroom::start(NewsroomConfig {
        articles: 4,
        outlets: 2,
        ..Default::default()
    })
    .await
    .unwrap();
    let c = |p: &str| room.outlet(1).url(&format!("_control/{p}"));

    let outlets = parse(&get(&c("outlets.json")).await.body);
    assert_eq!(outlets.as_array().unwrap().len(), 2);
    assert_eq!(outlets[1]["base_url"], room.outlet(1).base_url);

    let edited = post_json(
        &c("edit"),
        &json!({"id": 2, "edit": {"set_headline": "Edited over HTTP"}}),
    )
    .await;
    assert_eq!(edited.status, 200);
    assert_eq!(parse(&edited.body), json!({"id": 2, "revision": 2}));
    assert_eq!(room.article(2).unwrap().headline, "Edited over HTTP");
    let word = json!({"id": 2, "edit": {"replace_word": {"paragraph": 0, "word_index": 0, "with": "Yesterday"}}});
    assert_eq!(post_json(&c("edit"), &word).await.status, 200);
    assert_eq!(post_json(&c("edit"), &word).await.status, 409, "no change");
    assert_eq!(
        post_json(
            &c("edit"),
            &json!({"id": 99, "edit": {"remove_paragraph": 0}})
        )
        .await
        .status,
        404
    );
    assert_eq!(
        post_json(&c("edit"), &json!({"id": 2, "edit": {"bogus": 1}}))
            .await
            .status
            / 100,
        4
    );

    let random = parse(&post_json(&c("edit-random"), &json!({})).await.body);
    assert!(random["id"].as_u64().is_some() && random["revision"].as_u64().unwrap() >= 2);

    let revs = parse(&get(&c("revisions.json?id=2")).await.body);
    let list = revs["articles"][0]["revisions"].as_array().unwrap();
    assert!(list.len() >= 3);
    assert_eq!(list[1]["headline"], "Edited over HTTP");
    assert_eq!(list[1]["edit"], json!({"set_headline": "Edited over HTTP"}));
    assert_eq!(list[0]["edit"], Value::Null);
    let all = parse(&get(&c("revisions.json")).await.body);
    assert_eq!(all["articles"].as_array().unwrap().len(), 8);
    let edits = parse(&get(&c("edits.json?since=1")).await.body);
    assert_eq!(edits.as_array().unwrap().len(), 2);

    let st = post_json(
        &c("status"),
        &json!({"id": 5, "status": {"server_error": {"failures": 1}}}),
    )
    .await;
    assert_eq!(st.status, 200);
    assert_eq!(get(&room.article_url(5)).await.status, 503);
    assert_eq!(get(&room.article_url(5)).await.status, 200);
    post_json(&c("status"), &json!({"id": 5, "status": "gone"})).await;
    assert_eq!(get(&room.article_url(5)).await.status, 410);

    let added = post_json(
        &c("articles"),
        &json!({"outlet": 1, "headline": "Posted story"}),
    )
    .await;
    assert_eq!(added.status, 201);
    let snap = parse(&added.body);
    assert_eq!(snap["id"], 9);
    assert_eq!(get(snap["url"].as_str().unwrap()).await.status, 200);
    assert_eq!(
        parse(&get(&c("articles/9")).await.body)["headline"],
        "Posted story"
    );
    assert_eq!(
        parse(&get(&c("articles.json")).await.body)
            .as_array()
            .unwrap()
            .len(),
        9
    );

    post_json(
        &c("robots"),
        &json!({"outlet": 0, "robots": {"text": "User-agent: *\nDisallow: /\n"}}),
    )
    .await;
    assert_eq!(
        get(&room.robots_url()).await.text(),
        "User-agent: *\nDisallow: /\n"
    );

    let count = parse(&get(&c("requests?id=5")).await.body);
    assert_eq!(count["count"], 3);
    let reqs = parse(&get(&c("requests.json")).await.body);
    assert_eq!(reqs["articles"]["5"], 3);
    assert!(reqs["paths"]["/_control/edit"].as_u64().unwrap() >= 4);

    assert_eq!(
        parse(&post_json(&c("driver"), &json!({"every_ms": 10})).await.body)["every_ms"],
        10
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        parse(
            &post_json(&c("driver"), &json!({"every_ms": null}))
                .await
                .body
        )["every_ms"],
        Value::Null
    );
    assert!(room.edits().len() > 4);
}

#[test]
fn the_binary_serves_and_edits_until_killed() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsroom"))
        .args([
            "--articles",
            "12",
            "--outlets",
            "2",
            "--edit-every",
            "50ms",
            "--seed",
            "7",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn newsroom");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .expect("ready line");
    let ready: Value = serde_json::from_str(&line).expect("ready json");
    let base = ready["outlets"][0]["base_url"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(ready["outlets"].as_array().unwrap().len(), 2);
    assert!(
        ready["outlets"][1]["base_url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.2:")
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        assert_eq!(get(&format!("{base}feed.xml")).await.status, 200);
        tokio::time::sleep(Duration::from_millis(600)).await;
        let revs = parse(&get(&format!("{base}_control/revisions.json")).await.body);
        let edited = revs["articles"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["revisions"].as_array().unwrap().len() > 1)
            .count();
        assert!(edited >= 1, "the edit driver edited something");
        let edits = parse(&get(&format!("{base}_control/edits.json")).await.body);
        assert!(edits.as_array().unwrap().len() >= 3);
    });
    child.kill().unwrap();
    child.wait().unwrap();
}
