//! The address policy: which IP addresses redline may connect to.
//!
//! This module owns the decision, made on [`IpAddr`]s alone (no DNS, no
//! connection): [`classify`] names what is special about an address
//! (loopback, private, link-local, ...), [`AddressPolicy`] turns that into
//! allowed or [`Refusal`], with the networks the operator opened
//! (`[crawl] allow_networks`) and those a request carries (the network of
//! the listing it came from, see [`listing_network`]). It also owns the
//! resolver hook that applies the policy to every address a host name
//! resolves to, at connect time ([`PolicyResolver`]), so a redirect or a DNS
//! answer that changed since an earlier check cannot reach a forbidden
//! address.

use std::fmt;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

pub use ipnet::IpNet;

/// What makes an address one redline does not fetch from by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressClass {
    /// 127.0.0.0/8, ::1.
    Loopback,
    /// 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16.
    Private,
    /// 169.254.0.0/16 (the cloud metadata address 169.254.169.254 among
    /// them), fe80::/10.
    LinkLocal,
    /// fc00::/7, and the deprecated site-local fec0::/10.
    UniqueLocal,
    /// 100.64.0.0/10, carrier-grade NAT.
    SharedNat,
    /// 224.0.0.0/4, ff00::/8.
    Multicast,
    /// 255.255.255.255.
    Broadcast,
    /// 0.0.0.0, ::.
    Unspecified,
    /// 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32, 3fff::/20.
    Documentation,
    /// 198.18.0.0/15.
    Benchmarking,
    /// Anything else not globally routable: 0.0.0.0/8, 192.0.0.0/24,
    /// 192.88.99.0/24, 240.0.0.0/4, IETF protocol assignments (2001::/23,
    /// Teredo among them), discard-only 100::/64, local-use NAT64
    /// 64:ff9b:1::/48, IPv4-compatible ::/96, and IPv6 outside 2000::/3.
    Reserved,
}

impl AddressClass {
    /// "link-local", as in "169.254.169.254 is a link-local address".
    pub fn name(self) -> &'static str {
        match self {
            AddressClass::Loopback => "loopback",
            AddressClass::Private => "private",
            AddressClass::LinkLocal => "link-local",
            AddressClass::UniqueLocal => "unique-local",
            AddressClass::SharedNat => "shared (carrier-grade NAT)",
            AddressClass::Multicast => "multicast",
            AddressClass::Broadcast => "broadcast",
            AddressClass::Unspecified => "unspecified",
            AddressClass::Documentation => "documentation",
            AddressClass::Benchmarking => "benchmarking",
            AddressClass::Reserved => "reserved",
        }
    }
}

impl fmt::Display for AddressClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What is special about `ip`, or None for a public unicast address.
///
/// IPv6 addresses that embed an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`,
/// NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged by the IPv4 address
/// they lead to.
pub fn classify(ip: IpAddr) -> Option<AddressClass> {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn in_v4(ip: Ipv4Addr, net: [u8; 4], prefix: u32) -> bool {
    let mask = if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix)
    };
    (u32::from(ip) & mask) == (u32::from(Ipv4Addr::from(net)) & mask)
}

fn classify_v4(ip: Ipv4Addr) -> Option<AddressClass> {
    use AddressClass::*;
    let class = if ip.is_unspecified() {
        Unspecified
    } else if ip.is_broadcast() {
        Broadcast
    } else if ip.is_loopback() {
        Loopback
    } else if ip.is_private() {
        Private
    } else if ip.is_link_local() {
        LinkLocal
    } else if in_v4(ip, [100, 64, 0, 0], 10) {
        SharedNat
    } else if ip.is_multicast() {
        Multicast
    } else if ip.is_documentation() {
        Documentation
    } else if in_v4(ip, [198, 18, 0, 0], 15) {
        Benchmarking
    } else if in_v4(ip, [0, 0, 0, 0], 8)
        || in_v4(ip, [192, 0, 0, 0], 24)
        || in_v4(ip, [192, 88, 99, 0], 24)
        || in_v4(ip, [240, 0, 0, 0], 4)
    {
        Reserved
    } else {
        return None;
    };
    Some(class)
}

fn classify_v6(ip: Ipv6Addr) -> Option<AddressClass> {
    use AddressClass::*;
    let seg = ip.segments();
    if let Some(v4) = ip.to_ipv4_mapped() {
        return classify_v4(v4);
    }
    // NAT64 well-known prefix: the last 32 bits are the IPv4 destination.
    if seg[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let o = ip.octets();
        return classify_v4(Ipv4Addr::new(o[12], o[13], o[14], o[15]));
    }
    // 6to4: bits 16..48 are the IPv4 address of the relay's other side.
    if seg[0] == 0x2002 {
        let o = ip.octets();
        return classify_v4(Ipv4Addr::new(o[2], o[3], o[4], o[5]));
    }
    let class = if ip.is_unspecified() {
        Unspecified
    } else if ip.is_loopback() {
        Loopback
    } else if ip.is_multicast() {
        Multicast
    } else if seg[0] & 0xffc0 == 0xfe80 {
        LinkLocal
    } else if seg[0] & 0xfe00 == 0xfc00 || seg[0] & 0xffc0 == 0xfec0 {
        UniqueLocal
    } else if (seg[0] == 0x2001 && seg[1] == 0x0db8) || seg[0] & 0xfff0 == 0x3ff0 {
        Documentation
    } else if seg[0] & 0xe000 != 0x2000
        || (seg[0] == 0x2001 && seg[1] < 0x0200)
        || seg[..3] == [0x64, 0xff9b, 1]
    {
        // Outside 2000::/3 (::/96 IPv4-compatible, 100::/64 discard and
        // 64:ff9b:1::/48 among them), or IETF protocol assignments 2001::/23.
        Reserved
    } else {
        return None;
    };
    Some(class)
}

/// Why an address may not be fetched from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The address refused.
    pub ip: IpAddr,
    /// What it is.
    pub class: AddressClass,
    /// The host name that resolved to it, when the URL named a host rather
    /// than an address.
    pub host: Option<String>,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "refused: {} is a {} address", self.ip, self.class)?;
        if let Some(host) = &self.host {
            write!(f, " ({host} resolves to it)")?;
        }
        Ok(())
    }
}

impl std::error::Error for Refusal {}

/// Which addresses may be connected to: public unicast ones, and those in
/// the networks opened by the operator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressPolicy {
    /// Networks opened explicitly (`[crawl] allow_networks`).
    pub allow: Vec<IpNet>,
}

impl AddressPolicy {
    /// The policy with `allow` opened.
    pub fn new(allow: Vec<IpNet>) -> Self {
        AddressPolicy { allow }
    }

    /// Whether `ip` may be connected to, `extra` networks being opened for
    /// this request too.
    pub fn check(&self, ip: IpAddr, extra: &[IpNet]) -> Result<(), Refusal> {
        let Some(class) = classify(ip) else {
            return Ok(());
        };
        let canonical = ip.to_canonical();
        let opened = self
            .allow
            .iter()
            .chain(extra)
            .any(|net| net.contains(&ip) || net.contains(&canonical));
        if opened {
            return Ok(());
        }
        Err(Refusal {
            ip,
            class,
            host: None,
        })
    }

    /// Every one of `addrs` must be allowed (a host with one forbidden
    /// address is refused, whatever its others); `host` is named in the
    /// refusal.
    pub fn check_all(&self, host: &str, addrs: &[IpAddr], extra: &[IpNet]) -> Result<(), Refusal> {
        for ip in addrs {
            self.check(*ip, extra).map_err(|refusal| Refusal {
                host: Some(host.to_string()),
                ..refusal
            })?;
        }
        Ok(())
    }
}

/// The network a listing's URL puts within reach of the entries it lists:
/// when the URL names a loopback or private address literally (or is
/// `localhost`), the entries may be on the same network — the same /24
/// (IPv4 private), the same /64 (IPv6 unique-local), the same loopback
/// network (127.0.0.0/8, ::1). A listing named by a host name that merely
/// resolves to a private address opens nothing: that needs
/// `[crawl] allow_networks`, so a public name cannot open an internal
/// network by changing its DNS answer.
pub fn listing_network(url: &url::Url) -> Option<IpNet> {
    let ip = match url.host()? {
        url::Host::Ipv4(v4) => IpAddr::V4(v4),
        url::Host::Ipv6(v6) => IpAddr::V6(v6).to_canonical(),
        url::Host::Domain(name) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            if name == "localhost" || name.ends_with(".localhost") {
                return IpNet::new(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 0)), 8).ok();
            }
            return None;
        }
    };
    let prefix = match classify(ip)? {
        AddressClass::Loopback if ip.is_ipv4() => 8,
        AddressClass::Loopback => 128,
        AddressClass::Private => 24,
        AddressClass::UniqueLocal => 64,
        _ => return None,
    };
    IpNet::new(ip, prefix).ok().map(|n| n.trunc())
}

/// The networks the listings at `urls` open (see [`listing_network`]),
/// without repeats.
pub fn listing_networks<'a>(urls: impl IntoIterator<Item = &'a url::Url>) -> Vec<IpNet> {
    let mut nets: Vec<IpNet> = urls.into_iter().filter_map(listing_network).collect();
    nets.sort();
    nets.dedup();
    nets
}

/// The future a [`Resolver`] returns.
pub type Lookup = Pin<Box<dyn Future<Output = std::io::Result<Vec<IpAddr>>> + Send>>;

/// Turns a host name into addresses. The fetcher uses the system's resolver
/// ([`SystemResolver`]); tests give it one that maps names to chosen
/// addresses.
pub trait Resolver: Send + Sync + 'static {
    /// Every address `host` resolves to.
    fn lookup(&self, host: &str) -> Lookup;
}

/// The system's resolver (getaddrinfo, on the blocking pool).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemResolver;

impl Resolver for SystemResolver {
    fn lookup(&self, host: &str) -> Lookup {
        let host = host.to_string();
        Box::pin(async move {
            let addrs = tokio::net::lookup_host((host.as_str(), 0)).await?;
            Ok(addrs.map(|a| a.ip()).collect())
        })
    }
}

/// The resolver hook given to the HTTP client: resolves, then refuses the
/// host unless the policy allows every address — at connect time, for
/// every connection (redirect hops and robots.txt included).
pub(crate) struct PolicyResolver {
    pub resolver: Arc<dyn Resolver>,
    pub policy: Arc<AddressPolicy>,
    pub extra: Vec<IpNet>,
}

impl reqwest::dns::Resolve for PolicyResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        let lookup = self.resolver.lookup(&host);
        let policy = self.policy.clone();
        let extra = self.extra.clone();
        Box::pin(async move {
            let addrs = lookup.await?;
            if addrs.is_empty() {
                return Err(std::io::Error::other(format!(
                    "failed to lookup address information: {host} has no address"
                ))
                .into());
            }
            policy.check_all(&host, &addrs, &extra)?;
            let addrs: reqwest::dns::Addrs =
                Box::new(addrs.into_iter().map(|ip| SocketAddr::new(ip, 0)));
            Ok(addrs)
        })
    }
}

/// The refusal among the causes of an error, if the policy was the cause.
pub(crate) fn refusal_in(err: &(dyn std::error::Error + 'static)) -> Option<Refusal> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if let Some(r) = e.downcast_ref::<Refusal>() {
            return Some(r.clone());
        }
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            && let Some(r) = refusal_in(inner)
        {
            return Some(r);
        }
        source = e.source();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn net(s: &str) -> IpNet {
        s.parse().unwrap()
    }

    fn class(s: &str) -> Option<&'static str> {
        classify(ip(s)).map(AddressClass::name)
    }

    #[test]
    fn every_special_range_is_named() {
        let cases = [
            ("127.0.0.1", "loopback"),
            ("127.255.0.9", "loopback"),
            ("::1", "loopback"),
            ("10.0.0.1", "private"),
            ("172.16.0.1", "private"),
            ("172.31.255.255", "private"),
            ("192.168.1.1", "private"),
            ("169.254.169.254", "link-local"),
            ("fe80::1", "link-local"),
            ("fc00::1", "unique-local"),
            ("fd12:3456::1", "unique-local"),
            ("fec0::1", "unique-local"),
            ("100.64.0.1", "shared (carrier-grade NAT)"),
            ("100.127.255.255", "shared (carrier-grade NAT)"),
            ("224.0.0.1", "multicast"),
            ("239.255.255.250", "multicast"),
            ("ff02::1", "multicast"),
            ("255.255.255.255", "broadcast"),
            ("0.0.0.0", "unspecified"),
            ("::", "unspecified"),
            ("192.0.2.1", "documentation"),
            ("198.51.100.7", "documentation"),
            ("203.0.113.9", "documentation"),
            ("2001:db8::1", "documentation"),
            ("3fff::1", "documentation"),
            ("198.18.0.1", "benchmarking"),
            ("198.19.255.255", "benchmarking"),
            ("240.0.0.1", "reserved"),
            ("0.1.2.3", "reserved"),
            ("192.0.0.8", "reserved"),
            ("192.88.99.1", "reserved"),
            ("2001::1", "reserved"),
            ("100::1", "reserved"),
            ("64:ff9b:1::1", "reserved"),
            ("::10.0.0.1", "reserved"),
            ("4000::1", "reserved"),
        ];
        for (addr, want) in cases {
            assert_eq!(class(addr), Some(want), "{addr}");
        }
    }

    #[test]
    fn public_unicast_addresses_pass() {
        for addr in [
            "1.1.1.1",
            "8.8.8.8",
            "151.101.0.81",
            "172.15.255.255",
            "172.32.0.1",
            "100.63.255.255",
            "100.128.0.1",
            "198.17.255.255",
            "198.20.0.1",
            "223.255.255.255",
            "2a00:1450:4001::200e",
            "2606:4700::1111",
            "2001:4860:4860::8888",
        ] {
            assert_eq!(class(addr), None, "{addr}");
        }
    }

    #[test]
    fn embedded_ipv4_is_judged_as_ipv4() {
        assert_eq!(class("::ffff:10.0.0.1"), Some("private"));
        assert_eq!(class("::ffff:169.254.169.254"), Some("link-local"));
        assert_eq!(class("::ffff:127.0.0.1"), Some("loopback"));
        assert_eq!(class("::ffff:8.8.8.8"), None);
        // NAT64
        assert_eq!(class("64:ff9b::a9fe:a9fe"), Some("link-local"));
        assert_eq!(class("64:ff9b::808:808"), None);
        // 6to4
        assert_eq!(class("2002:0a00:0001::1"), Some("private"));
        assert_eq!(class("2002:0808:0808::1"), None);
    }

    #[test]
    fn refusals_say_what_the_address_is() {
        let policy = AddressPolicy::default();
        assert_eq!(
            policy
                .check(ip("169.254.169.254"), &[])
                .unwrap_err()
                .to_string(),
            "refused: 169.254.169.254 is a link-local address"
        );
        assert_eq!(
            policy
                .check_all(
                    "metadata.example",
                    &[ip("8.8.8.8"), ip("::ffff:10.0.0.1")],
                    &[]
                )
                .unwrap_err()
                .to_string(),
            "refused: ::ffff:10.0.0.1 is a private address (metadata.example resolves to it)"
        );
        assert_eq!(policy.check(ip("8.8.8.8"), &[]), Ok(()));
        assert_eq!(
            policy.check_all("news.example", &[ip("8.8.8.8"), ip("1.1.1.1")], &[]),
            Ok(())
        );
    }

    #[test]
    fn opened_networks_allow_their_addresses_only() {
        let policy = AddressPolicy::new(vec![net("10.1.0.0/16")]);
        assert_eq!(policy.check(ip("10.1.2.3"), &[]), Ok(()));
        assert_eq!(policy.check(ip("::ffff:10.1.2.3"), &[]), Ok(()));
        assert_eq!(
            policy.check(ip("10.2.0.1"), &[]).unwrap_err().to_string(),
            "refused: 10.2.0.1 is a private address"
        );
        let extra = [net("127.0.0.0/8")];
        assert_eq!(policy.check(ip("127.0.0.1"), &extra), Ok(()));
        assert!(policy.check(ip("127.0.0.1"), &[]).is_err());
        assert!(policy.check(ip("169.254.169.254"), &extra).is_err());
    }

    #[test]
    fn listings_on_internal_addresses_open_their_own_network() {
        let n = |s: &str| listing_network(&url::Url::parse(s).unwrap()).map(|n| n.to_string());
        assert_eq!(n("http://127.0.0.1:8080/feed"), Some("127.0.0.0/8".into()));
        assert_eq!(n("http://localhost/feed"), Some("127.0.0.0/8".into()));
        assert_eq!(n("http://[::1]/feed"), Some("::1/128".into()));
        assert_eq!(n("http://10.1.2.3/rss"), Some("10.1.2.0/24".into()));
        assert_eq!(n("http://192.168.7.9/rss"), Some("192.168.7.0/24".into()));
        assert_eq!(
            n("http://[fd00:1:2:3::9]/rss"),
            Some("fd00:1:2:3::/64".into())
        );
        assert_eq!(
            n("http://[::ffff:10.0.0.5]/rss"),
            Some("10.0.0.0/24".into())
        );
        // Public, link-local and named hosts open nothing.
        assert_eq!(n("https://feeds.example.com/rss"), None);
        assert_eq!(n("http://8.8.8.8/rss"), None);
        assert_eq!(n("http://169.254.169.254/latest/meta-data/"), None);
        assert_eq!(n("http://internal.corp/rss"), None);
        let urls: Vec<url::Url> = [
            "http://127.0.0.1:1/a",
            "http://127.0.0.1:2/b",
            "https://x.org/",
        ]
        .iter()
        .map(|s| url::Url::parse(s).unwrap())
        .collect();
        assert_eq!(listing_networks(&urls), vec![net("127.0.0.0/8")]);
    }
}
