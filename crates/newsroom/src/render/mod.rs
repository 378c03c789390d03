//! Rendering: HTML escaping, pre-rendered ("compiled") pages, and their
//! per-request assembly with fresh boilerplate, gzip-compressed or not.
//!
//! A page is compiled once per article revision into a list of segments:
//! static HTML (kept both raw and as a raw-deflate stream ending in a sync
//! flush, so it is byte-aligned and self-contained) and *noise* slots filled
//! per request. A gzip response is then the gzip header, the pre-deflated
//! static segments and the noise as stored (uncompressed) deflate blocks,
//! a final empty block and the CRC/size trailer: only the CRC is computed
//! per request, never a compression.

pub(crate) mod layouts;
pub(crate) mod noise;
pub(crate) mod pages;

use std::sync::Arc;

use bytes::{BufMut, Bytes, BytesMut};
use chrono::{DateTime, Utc};
use flate2::{Compress, Compression, FlushCompress};

pub(crate) use noise::{Noise, NoiseCtx};

/// Escapes text for an HTML text node or a double-quoted attribute.
pub(crate) fn esc(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains(['&', '<', '>', '"']) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Serialises JSON for embedding in a `<script>` element (`</` escaped).
pub(crate) fn script_json(v: &serde_json::Value) -> String {
    serde_json::to_string(v)
        .expect("json")
        .replace("</", "<\\/")
}

/// Raw-deflates `data` with a sync flush: the output is byte-aligned, not
/// final, and references nothing outside itself, so such streams concatenate.
pub(crate) fn deflate_sync(data: &[u8], level: u32) -> Vec<u8> {
    thread_local! {
        // Creating a compressor allocates and zeroes a large state: reuse one per level.
        static COMPRESSORS: std::cell::RefCell<Vec<(u32, Compress)>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    COMPRESSORS.with(|cs| {
        let mut cs = cs.borrow_mut();
        let k = match cs.iter().position(|(l, _)| *l == level) {
            Some(k) => k,
            None => {
                cs.push((level, Compress::new(Compression::new(level), false)));
                cs.len() - 1
            }
        };
        let c = &mut cs[k].1;
        c.reset();
        let mut out = Vec::with_capacity(data.len() / 3 + 128);
        loop {
            let consumed = c.total_in() as usize;
            c.compress_vec(&data[consumed..], &mut out, FlushCompress::Sync)
                .expect("deflate");
            if c.total_in() as usize == data.len() && out.len() < out.capacity() {
                return out;
            }
            out.reserve(out.capacity().max(4096));
        }
    })
}

/// The 10-byte gzip member header (no name, no mtime, unknown OS).
pub(crate) const GZIP_HEADER: [u8; 10] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
/// A final, empty fixed-Huffman deflate block.
pub(crate) const FINAL_BLOCK: [u8; 2] = [0x03, 0x00];

/// Appends `data` as stored (uncompressed) non-final deflate blocks.
pub(crate) fn put_stored(out: &mut BytesMut, data: &[u8]) {
    for chunk in data.chunks(65_535) {
        let len = chunk.len() as u16;
        out.put_u8(0);
        out.put_u16_le(len);
        out.put_u16_le(!len);
        out.put_slice(chunk);
    }
}

/// A static piece of a page, raw and pre-deflated.
#[derive(Debug)]
pub(crate) struct StaticSeg {
    raw: Bytes,
    deflated: Bytes,
}

impl StaticSeg {
    pub(crate) fn new(raw: String) -> Self {
        let deflated = deflate_sync(raw.as_bytes(), 6);
        StaticSeg {
            raw: Bytes::from(raw),
            deflated: Bytes::from(deflated),
        }
    }
}

#[derive(Debug, Clone)]
enum Seg {
    Static(Arc<StaticSeg>),
    Noise(Noise),
}

/// Accumulates static HTML and noise slots into a [`CompiledPage`].
#[derive(Default)]
pub(crate) struct PageBuilder {
    segs: Vec<Seg>,
    cur: String,
}

impl PageBuilder {
    pub(crate) fn new() -> Self {
        PageBuilder {
            segs: Vec::new(),
            cur: String::with_capacity(16 * 1024),
        }
    }

    /// Appends static HTML.
    pub(crate) fn s(&mut self, html: &str) -> &mut Self {
        self.cur.push_str(html);
        self
    }

    /// Appends a shared, already compiled static segment.
    pub(crate) fn shared(&mut self, seg: &Arc<StaticSeg>) -> &mut Self {
        self.flush();
        self.segs.push(Seg::Static(seg.clone()));
        self
    }

    /// Appends a per-request noise slot.
    pub(crate) fn noise(&mut self, n: Noise) -> &mut Self {
        self.flush();
        self.segs.push(Seg::Noise(n));
        self
    }

    fn flush(&mut self) {
        if !self.cur.is_empty() {
            let raw = std::mem::take(&mut self.cur);
            self.segs.push(Seg::Static(Arc::new(StaticSeg::new(raw))));
        }
    }

    pub(crate) fn finish(mut self, etag: String, last_modified: DateTime<Utc>) -> CompiledPage {
        self.flush();
        let static_len = self
            .segs
            .iter()
            .map(|s| match s {
                Seg::Static(s) => s.raw.len(),
                Seg::Noise(_) => 0,
            })
            .sum();
        CompiledPage {
            segs: self.segs,
            static_len,
            etag,
            last_modified,
        }
    }
}

impl std::fmt::Write for PageBuilder {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.cur.push_str(s);
        Ok(())
    }
}

/// A pre-rendered page: static segments plus noise slots.
#[derive(Debug)]
pub(crate) struct CompiledPage {
    segs: Vec<Seg>,
    static_len: usize,
    /// Weak validator of the article text (quoted, `W/` prefixed).
    pub etag: String,
    /// Time of the revision the page shows.
    pub last_modified: DateTime<Utc>,
}

impl CompiledPage {
    /// Assembles one response body with fresh noise; gzip-framed if `gzip`.
    pub(crate) fn assemble(&self, cx: &mut NoiseCtx<'_>, gzip: bool) -> Bytes {
        let mut scratch = String::with_capacity(8 * 1024);
        if !gzip {
            let mut out = BytesMut::with_capacity(self.static_len + 12 * 1024);
            for seg in &self.segs {
                match seg {
                    Seg::Static(s) => out.put_slice(&s.raw),
                    Seg::Noise(n) => {
                        scratch.clear();
                        noise::write(*n, cx, &mut scratch);
                        out.put_slice(scratch.as_bytes());
                    }
                }
            }
            return out.freeze();
        }
        let mut out = BytesMut::with_capacity(self.static_len / 2 + 16 * 1024);
        out.put_slice(&GZIP_HEADER);
        let mut crc = crc32fast::Hasher::new();
        let mut total: u64 = 0;
        for seg in &self.segs {
            match seg {
                Seg::Static(s) => {
                    out.put_slice(&s.deflated);
                    crc.update(&s.raw);
                    total += s.raw.len() as u64;
                }
                Seg::Noise(n) => {
                    scratch.clear();
                    noise::write(*n, cx, &mut scratch);
                    put_stored(&mut out, scratch.as_bytes());
                    crc.update(scratch.as_bytes());
                    total += scratch.len() as u64;
                }
            }
        }
        out.put_slice(&FINAL_BLOCK);
        out.put_u32_le(crc.finalize());
        out.put_u32_le(total as u32);
        out.freeze()
    }
}

/// Compresses a whole body as gzip (for pages that are not pre-compiled).
pub(crate) fn gzip_all(data: &[u8]) -> Bytes {
    let mut out = BytesMut::with_capacity(data.len() / 3 + 64);
    out.put_slice(&GZIP_HEADER);
    out.put_slice(&deflate_sync(data, 1));
    out.put_slice(&FINAL_BLOCK);
    out.put_u32_le(crc32fast::hash(data));
    out.put_u32_le(data.len() as u32);
    out.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn sync_flushed_segments_concatenate_into_valid_gzip() {
        let a = "<p>hello hello hello</p>".repeat(50);
        let seg = deflate_sync(a.as_bytes(), 6);
        assert_eq!(&seg[seg.len() - 4..], &[0, 0, 0xff, 0xff]);
        let mut out = BytesMut::new();
        out.put_slice(&GZIP_HEADER);
        out.put_slice(&seg);
        put_stored(&mut out, b"<i>noise</i>");
        out.put_slice(&seg);
        out.put_slice(&FINAL_BLOCK);
        let whole = format!("{a}<i>noise</i>{a}");
        out.put_u32_le(crc32fast::hash(whole.as_bytes()));
        out.put_u32_le(whole.len() as u32);
        let mut s = String::new();
        flate2::read::GzDecoder::new(&out[..])
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, whole);
        let mut s = String::new();
        flate2::read::GzDecoder::new(&gzip_all(whole.as_bytes())[..])
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, whole);
    }

    #[test]
    fn escaping() {
        assert_eq!(esc("a & <b> \"c\""), "a &amp; &lt;b&gt; &quot;c&quot;");
        assert_eq!(
            script_json(&serde_json::json!({"a": "</script>"})),
            r#"{"a":"<\/script>"}"#
        );
    }
}
