//! What the web benchmarks share: the articles worth asking for.

use redline_store::{ArticleId, Store};

/// Every article with at least two versions, with its number of versions.
pub fn changed_articles(store: &dyn Store) -> Vec<(ArticleId, u32)> {
    let mut changed: Vec<(ArticleId, u32)> = Vec::new();
    loop {
        let page = store
            .find_articles(&redline_store::ArticleQuery {
                changed_only: true,
                limit: 1000,
                offset: changed.len(),
                ..Default::default()
            })
            .unwrap();
        if page.is_empty() {
            return changed;
        }
        changed.extend(
            page.into_iter()
                .map(|h| (h.article.id, h.article.version_count)),
        );
    }
}
