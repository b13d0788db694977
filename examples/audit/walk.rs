//! The audit itself: the HAR's entries in order, the consent they run under, and
//! what each cookie on the wire says against the policy.

use std::collections::HashMap;

use embedded_cookie::CookieHeader;
use embedded_cookie::consent::{Categories, Consent};
use embedded_cookie::cookie::{Config, Limits, Mode};
use embedded_cookie::enforce::{Enforcer, Reason, Transport, Verdict};
use embedded_cookie::policy::{Category, Party, Policy, Rule, Undeclared};
use embedded_cookie::set_cookie::{AttributeName, Expiry, SetCookie, SetCookieBuilder};

use crate::har::{Entry, Har};

/// Rules a policy or the Open Cookie Database may hold.
pub const CAPACITY: usize = 4096;

/// A policy table as large as the audit reads.
pub type Table = Policy<'static, CAPACITY>;

/// How a cookie showed on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum How {
    /// In a `Set-Cookie` that stores it.
    Set,
    /// In a request's `Cookie` header.
    Sent,
    /// In a `Set-Cookie` that deletes it (`Max-Age` of zero or less, or an
    /// `Expires` not after the entry's start).
    Deleted,
}

impl How {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Set => "set",
            Self::Sent => "sent",
            Self::Deleted => "deleted",
        }
    }
}

/// How often, and first where, something was seen.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Seen {
    /// The index in `log.entries` of the first time.
    pub first: usize,
    pub set: usize,
    pub sent: usize,
    pub deleted: usize,
}

impl Seen {
    fn add(&mut self, how: How) {
        match how {
            How::Set => self.set += 1,
            How::Sent => self.sent += 1,
            How::Deleted => self.deleted += 1,
        }
    }
}

/// What a policy rule says, as the report shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleInfo {
    /// The pattern as the policy text writes it (`_ga_*`).
    pub rule: String,
    pub category: Category,
    pub provider: String,
    pub party: Party,
    pub purpose: String,
    /// Whether it needs consent.
    pub required: bool,
    /// The rule's longest lifetime, in seconds.
    pub max_age: Option<u32>,
}

impl RuleInfo {
    fn of(rule: &Rule<'_>) -> Self {
        Self {
            rule: rule.pattern.to_string(),
            category: rule.category,
            provider: rule.provider.to_owned(),
            party: rule.party,
            purpose: rule.purpose.to_owned(),
            required: rule.requirement() == embedded_cookie::policy::Requirement::Required,
            max_age: rule.attributes.max_age,
        }
    }
}

/// A declared rule whose cookies were seen.
#[derive(Debug, PartialEq)]
pub struct Declared {
    pub info: RuleInfo,
    /// The names seen, in the order first seen.
    pub names: Vec<String>,
    pub seen: Seen,
}

/// A cookie no rule declares.
#[derive(Debug, PartialEq)]
pub struct UndeclaredCookie {
    pub name: String,
    pub seen: Seen,
    /// The Open Cookie Database's rule for the name, with `--ocd`.
    pub guess: Option<RuleInfo>,
    /// A `Set-Cookie` that stored it (the last), for `--draft`.
    pub line: Option<String>,
    /// Set by a response from another site than the page's.
    pub third_party: bool,
}

/// Which attribute of a `Set-Cookie` disagrees with its rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Attribute {
    Secure,
    HttpOnly,
    SameSite,
    /// `Max-Age`, or `Expires` from the entry's start, over the rule's `max-age`.
    Lifetime,
    Path,
    Domain,
    /// Set by a response from another site, under a first-party rule.
    Party,
    /// Set over a transport its rule does not allow (`transport=`): the
    /// enforcer blocks it with `Reason::Transport`.
    Transport,
}

impl Attribute {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Secure => "Secure",
            Self::HttpOnly => "HttpOnly",
            Self::SameSite => "SameSite",
            Self::Lifetime => "lifetime",
            Self::Path => "Path",
            Self::Domain => "Domain",
            Self::Party => "party",
            Self::Transport => "transport",
        }
    }

    /// The attribute the enforcer names; `Expires` and `Max-Age` are both the
    /// lifetime.
    fn of(name: AttributeName) -> Option<Self> {
        Some(match name {
            AttributeName::Secure => Self::Secure,
            AttributeName::HttpOnly => Self::HttpOnly,
            AttributeName::SameSite => Self::SameSite,
            AttributeName::MaxAge | AttributeName::Expires => Self::Lifetime,
            AttributeName::Path => Self::Path,
            AttributeName::Domain => Self::Domain,
            AttributeName::Partitioned | AttributeName::Priority => return None,
        })
    }
}

/// A `Set-Cookie` that disagrees with its rule: a violation. One per cookie
/// name and attribute; `count` says how many lines.
#[derive(Debug, PartialEq)]
pub struct Mismatch {
    pub entry: usize,
    pub url: String,
    pub name: String,
    pub rule: String,
    pub attribute: Attribute,
    /// What the first such line carried.
    pub found: String,
    /// What the rule asks, in the policy text's words.
    pub wanted: String,
    pub count: usize,
}

/// When a cookie was used without the consent its rule needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum When {
    /// Its category had not been granted yet in the visit.
    BeforeConsent,
    /// Its category had been granted, and the grant was withdrawn.
    AfterWithdrawal,
}

impl When {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BeforeConsent => "before consent",
            Self::AfterWithdrawal => "after withdrawal",
        }
    }
}

/// A declared cookie set, or sent while the site's (see [`SentNotSet`]),
/// without the consent it needs: a violation. One per name, way and moment;
/// `count` says how many times.
#[derive(Debug, PartialEq)]
pub struct ConsentViolation {
    pub entry: usize,
    pub url: String,
    pub name: String,
    pub rule: String,
    pub category: Category,
    pub how: How,
    pub when: When,
    /// The consent cookie value in force then, if there was one.
    pub consent: Option<String>,
    pub count: usize,
}

/// What a cookie the browser sent would have been, had the site set it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Finding {
    /// No rule declares it.
    Undeclared,
    /// Its rule needs a consent not in force.
    WithoutConsent(When),
}

impl Finding {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Undeclared => "undeclared",
            Self::WithoutConsent(when) => when.as_str(),
        }
    }
}

/// A cookie the browser sent that no response of the HAR stored for it: not
/// the site's doing, so no violation. Another app on the same host (cookies
/// ignore ports), a copy from before the recording, a cookie planted by hand,
/// or one a script wrote (`document.cookie`, which a HAR does not record). One
/// per name and finding; `count` says how many requests.
#[derive(Debug, PartialEq)]
pub struct SentNotSet {
    pub entry: usize,
    pub name: String,
    /// The rule's pattern; `None` when undeclared.
    pub rule: Option<String>,
    pub finding: Finding,
    /// The Open Cookie Database's rule for an undeclared name, with `--ocd`.
    pub guess: Option<RuleInfo>,
    pub count: usize,
}

/// A cookie set by, or sent to, another site than the page's. One per name,
/// site and way.
#[derive(Debug, PartialEq)]
pub struct ThirdParty {
    pub entry: usize,
    pub name: String,
    /// The other site and the page's.
    pub site: String,
    pub page_site: String,
    pub how: How,
    /// The rule's pattern, if declared.
    pub rule: Option<String>,
    pub count: usize,
}

/// How the audit reads a `Cookie` header: leniently, as a server does, and of any
/// size. A device bounds what it reads (`Limits::DEFAULT`: 8,192 bytes, 180
/// cookies), but a browser that holds other apps' cookies for the device's host
/// sends them all, and the audit reports what was sent: the consent cookie and
/// the site's cookies among them still count.
const ANY_SIZE: Config = Config {
    mode: Mode::Lenient,
    limits: Limits { max_header_len: usize::MAX, max_pairs: usize::MAX, max_pair_len: usize::MAX },
};

/// A `Cookie` or `Set-Cookie` line the crate cannot read (a browser ignores such
/// a `Set-Cookie` too).
#[derive(Debug, PartialEq)]
pub struct Unreadable {
    pub entry: usize,
    pub header: &'static str,
    pub value: String,
    pub error: String,
}

/// Everything the audit found.
#[derive(Debug, Default, PartialEq)]
pub struct Report {
    pub entries: usize,
    pub declared: Vec<Declared>,
    /// The undeclared cookies a response of the HAR stored at least once.
    pub undeclared: Vec<UndeclaredCookie>,
    pub never_seen: Vec<RuleInfo>,
    pub mismatches: Vec<Mismatch>,
    pub consent: Vec<ConsentViolation>,
    pub third_party: Vec<ThirdParty>,
    /// In the order first sent.
    pub sent_not_set: Vec<SentNotSet>,
    pub unreadable: Vec<Unreadable>,
    /// The policy blocks undeclared cookies (`@undeclared block`), so each one
    /// seen set or sent is a violation.
    pub undeclared_blocked: bool,
}

impl Report {
    /// The violations: each attribute mismatch (transport included), each use
    /// without consent, and each undeclared cookie a response stored when the
    /// policy blocks them. Cookies only sent, never stored by a response of the
    /// HAR, are not counted (see [`SentNotSet`]).
    pub fn violations(&self) -> usize {
        let undeclared = if self.undeclared_blocked { self.undeclared.len() } else { 0 };
        self.mismatches.len() + self.consent.len() + undeclared
    }
}

/// The enforcer for one entry, over the transport of the entry's URL (TLS for
/// `https` and `wss`, plain http for `http`, `ws` and any other scheme; see
/// `Entry::transport`): a cookie without `Secure` set over plain http under a
/// `secure transport=any` rule is then what the rule asks, and one of a
/// `transport=tls` rule set there is blocked (`Reason::Transport`).
fn enforcer<'p>(
    policy: &'p Table,
    consent: &Consent,
    entry: &Entry,
) -> Enforcer<'p, 'static, CAPACITY> {
    Enforcer::new(policy, consent).over(entry.transport)
}

/// The site of a host, by a simple rule (no Public Suffix List): an IP address
/// or a name without a dot is its own site; otherwise its last two labels, or
/// three when those two look like a country's second-level suffix (`co.uk`,
/// `com.au`: a label of `co`, `com`, `net`, `org`, `gov`, `edu` or `ac`, then a
/// two-letter one).
pub fn site(host: &str) -> String {
    let host = host.trim_end_matches('.');
    let is_ip = host.starts_with('[')
        || host.rsplit('.').next().is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()));
    let labels: Vec<&str> = host.split('.').collect();
    if is_ip || labels.len() < 2 {
        return host.to_owned();
    }
    let n = labels.len();
    let second_level = ["co", "com", "net", "org", "gov", "edu", "ac"];
    let keep = if n >= 3 && labels[n - 1].len() == 2 && second_level.contains(&labels[n - 2]) {
        3
    } else {
        2
    };
    labels[n - keep..].join(".")
}

/// The default-path of a request path (RFC 6265 §5.1.4): what a browser stores a
/// cookie set without `Path` under.
pub fn default_path(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(at) => &path[..at],
    }
}

/// Whether the browser deletes the cookie on receipt at `now`: the expiry that
/// decides (`Max-Age` over `Expires`) is not after it.
fn deletes(cookie: &SetCookie<'_>, now: i64) -> bool {
    match cookie.expiry() {
        Some(Expiry::MaxAge(secs)) => secs <= 0,
        Some(Expiry::Expires(at)) => at <= now,
        None => false,
    }
}

/// The consent the state is in after reading the consent cookie's `value`
/// (`None`: absent or deleted).
fn consent_of(value: Option<&str>, revision: u32) -> Consent {
    match value {
        Some(value) => Consent::parse(value.as_bytes(), revision).consent,
        None => Consent::necessary_only(revision),
    }
}

/// Walks the entries of `har` in order against `policy`, following the consent
/// through the cookie named `consent_name`; `ocd` guesses the undeclared.
pub fn audit(policy: &Table, consent_name: &str, har: &Har, ocd: Option<&Table>) -> Report {
    let mut walk = Walk {
        policy,
        consent_name,
        ocd,
        report: Report {
            entries: har.entries.len(),
            undeclared_blocked: policy.undeclared() == Undeclared::Block,
            ..Report::default()
        },
        consent: None,
        ever_granted: Categories::NONE,
        declared: HashMap::new(),
        undeclared: HashMap::new(),
        mismatches: HashMap::new(),
        violations: HashMap::new(),
        third_party: HashMap::new(),
        stored: HashMap::new(),
        sent_not_set: HashMap::new(),
    };
    let first_site = har.entries.first().map(|e| site(&e.host)).unwrap_or_default();
    for (i, entry) in har.entries.iter().enumerate() {
        let page_site = page_site(har, entry).unwrap_or_else(|| first_site.clone());
        walk.entry(i, entry, &page_site);
    }
    for rule in policy.rules() {
        let pattern = rule.pattern.to_string();
        if !walk.declared.contains_key(&pattern) {
            walk.report.never_seen.push(RuleInfo::of(rule));
        }
    }
    // An undeclared cookie no response stored was only ever sent.
    let (set, sent): (Vec<_>, Vec<_>) =
        std::mem::take(&mut walk.report.undeclared).into_iter().partition(|u| u.seen.set > 0);
    walk.report.undeclared = set;
    walk.report.sent_not_set.extend(sent.into_iter().map(|u| SentNotSet {
        entry: u.seen.first,
        name: u.name,
        rule: None,
        finding: Finding::Undeclared,
        guess: u.guess,
        count: u.seen.sent,
    }));
    walk.report.sent_not_set.sort_by_key(|s| s.entry);
    walk.report
}

/// The site of the entry's page: its `pageref`'s page, whose `title` DevTools
/// sets to the page's URL. `None` when that title is not a URL.
fn page_site(har: &Har, entry: &Entry) -> Option<String> {
    let id = entry.pageref.as_deref()?;
    let page = har.pages.iter().find(|p| p.id == id)?;
    let url = embedded_cookie::jar::Url::parse(&page.title).ok()?;
    Some(site(url.host_str()))
}

struct Walk<'p> {
    policy: &'p Table,
    consent_name: &'p str,
    ocd: Option<&'p Table>,
    report: Report,
    /// The consent cookie value the visitor's browser holds, as far as the
    /// entries show.
    consent: Option<String>,
    /// Every category granted at some point so far.
    ever_granted: Categories,
    // Indices into the report's lists, to count repeats.
    declared: HashMap<String, usize>,
    undeclared: HashMap<String, usize>,
    mismatches: HashMap<(String, Attribute), usize>,
    violations: HashMap<(String, How, When), usize>,
    third_party: HashMap<(String, String, How), usize>,
    /// By site and name: whether the last `Set-Cookie` of that site for the
    /// name stored it (`false`: deleted). A sent cookie is the site's own only
    /// while it is `true`.
    stored: HashMap<(String, String), bool>,
    sent_not_set: HashMap<(String, Finding), usize>,
}

/// Where a cookie was seen.
struct Place<'e> {
    index: usize,
    entry: &'e Entry,
    first_party: bool,
    site: String,
    page_site: &'e str,
}

impl Walk<'_> {
    fn current(&self) -> Consent {
        consent_of(self.consent.as_deref(), self.policy.revision())
    }

    /// Takes the consent cookie's new value, and remembers what it granted.
    fn set_consent(&mut self, value: Option<String>) {
        self.consent = value;
        let granted = Enforcer::new(self.policy, &self.current()).consent().granted();
        for category in Category::ALL {
            if granted.contains(category) {
                self.ever_granted = self.ever_granted.with(category);
            }
        }
    }

    fn entry(&mut self, index: usize, entry: &Entry, page_site: &str) {
        let site = site(&entry.host);
        let place = Place { index, entry, first_party: site == page_site, site, page_site };
        let headers: Vec<CookieHeader<'_>> = entry
            .cookie
            .iter()
            .filter_map(|value| match CookieHeader::parse_with(value, &ANY_SIZE) {
                Ok(header) => Some(header),
                Err(e) => {
                    self.unreadable(index, "Cookie", value, e.to_string());
                    None
                }
            })
            .collect();
        // The browser's own consent cookie rides on every request to the page's
        // site: that is the consent in force, present or not.
        if place.first_party {
            let value = headers
                .iter()
                .find_map(|h| h.get(self.consent_name))
                .map(|c| String::from_utf8_lossy(c.value()).into_owned());
            self.set_consent(value);
        }
        for header in &headers {
            for cookie in header.iter() {
                self.cookie(&place, &String::from_utf8_lossy(cookie.name()), How::Sent, None);
            }
        }
        let lines: Vec<(&String, SetCookie<'_>)> = entry
            .set_cookie
            .iter()
            .filter_map(|line| match SetCookie::parse(line) {
                Ok(cookie) => Some((line, cookie)),
                Err(e) => {
                    self.unreadable(index, "Set-Cookie", line, e.to_string());
                    None
                }
            })
            .collect();
        // A response that sets the consent cookie answers under the new consent
        // (the server decided with it): every line of it is judged so.
        if place.first_party {
            for (_, cookie) in &lines {
                if cookie.name() == self.consent_name.as_bytes() {
                    let value = (!deletes(cookie, entry.started))
                        .then(|| String::from_utf8_lossy(cookie.value()).into_owned());
                    self.set_consent(value);
                }
            }
        }
        for (line, cookie) in &lines {
            let how = if deletes(cookie, entry.started) { How::Deleted } else { How::Set };
            self.cookie(&place, &String::from_utf8_lossy(cookie.name()), how, Some((line, cookie)));
        }
    }

    fn unreadable(&mut self, entry: usize, header: &'static str, value: &str, error: String) {
        self.report.unreadable.push(Unreadable { entry, header, value: value.to_owned(), error });
    }

    /// One cookie seen at `place`; `line` is its `Set-Cookie`, if set or deleted.
    fn cookie(
        &mut self,
        place: &Place<'_>,
        name: &str,
        how: How,
        line: Option<(&String, &SetCookie<'_>)>,
    ) {
        let policy = self.policy;
        let consent = self.current();
        let decision = enforcer(policy, &consent, place.entry).decide(name);
        let key = (place.site.clone(), name.to_owned());
        let from_site = match how {
            How::Sent => self.stored.get(&key).copied().unwrap_or(false),
            How::Set | How::Deleted => {
                self.stored.insert(key, how == How::Set);
                true
            }
        };
        if !place.first_party && how != How::Deleted {
            let key = (name.to_owned(), place.site.clone(), how);
            let finding = ThirdParty {
                entry: place.index,
                name: name.to_owned(),
                site: place.site.clone(),
                page_site: place.page_site.to_owned(),
                how,
                rule: decision.rule.map(|r| r.pattern.to_string()),
                count: 0,
            };
            count(&mut self.third_party, &mut self.report.third_party, key, finding, |f| {
                &mut f.count
            });
        }
        let Some(rule) = decision.rule else {
            return self.undeclared(place, name, how, line);
        };
        let pattern = rule.pattern.to_string();
        let at = *self.declared.entry(pattern).or_insert_with(|| {
            self.report.declared.push(Declared {
                info: RuleInfo::of(rule),
                names: Vec::new(),
                seen: Seen { first: place.index, ..Seen::default() },
            });
            self.report.declared.len() - 1
        });
        if let Some(declared) = self.report.declared.get_mut(at) {
            declared.seen.add(how);
            if !declared.names.iter().any(|n| n == name) {
                declared.names.push(name.to_owned());
            }
        }
        if how == How::Deleted {
            return;
        }
        if decision.verdict == Verdict::Block(Reason::NoConsent) {
            let when = if self.ever_granted.contains(rule.category) {
                When::AfterWithdrawal
            } else {
                When::BeforeConsent
            };
            if !from_site {
                let finding = Finding::WithoutConsent(when);
                let sent = SentNotSet {
                    entry: place.index,
                    name: name.to_owned(),
                    rule: Some(rule.pattern.to_string()),
                    finding,
                    guess: None,
                    count: 0,
                };
                count(
                    &mut self.sent_not_set,
                    &mut self.report.sent_not_set,
                    (name.to_owned(), finding),
                    sent,
                    |f| &mut f.count,
                );
                return;
            }
            let finding = ConsentViolation {
                entry: place.index,
                url: place.entry.url.clone(),
                name: name.to_owned(),
                rule: rule.pattern.to_string(),
                category: rule.category,
                how,
                when,
                consent: self.consent.clone(),
                count: 0,
            };
            count(
                &mut self.violations,
                &mut self.report.consent,
                (name.to_owned(), how, when),
                finding,
                |f| &mut f.count,
            );
        }
        if let Some((_, cookie)) = line {
            if rule.party == Party::First && !place.first_party {
                let found = format!("set by {}", place.site);
                self.mismatch(place, name, rule, Attribute::Party, found, "first-party".to_owned());
            }
            if decision.verdict == Verdict::Block(Reason::Transport) {
                // Its rule refuses this transport: no attribute makes it right.
                let found = format!("over {}", place.entry.transport);
                let wanted = format!("transport={}", rule.transports());
                self.mismatch(place, name, rule, Attribute::Transport, found, wanted);
            } else {
                self.attributes(place, name, rule, cookie);
            }
        }
    }

    fn undeclared(
        &mut self,
        place: &Place<'_>,
        name: &str,
        how: How,
        line: Option<(&String, &SetCookie<'_>)>,
    ) {
        if how == How::Deleted {
            // A removal of a cookie nobody declared only cleans up.
            return;
        }
        let at = *self.undeclared.entry(name.to_owned()).or_insert_with(|| {
            self.report.undeclared.push(UndeclaredCookie {
                name: name.to_owned(),
                seen: Seen { first: place.index, ..Seen::default() },
                guess: self.ocd.and_then(|ocd| ocd.classify(name)).map(RuleInfo::of),
                line: None,
                third_party: false,
            });
            self.report.undeclared.len() - 1
        });
        if let Some(cookie) = self.report.undeclared.get_mut(at) {
            cookie.seen.add(how);
            if let Some((line, _)) = line {
                cookie.line = Some(line.clone());
                cookie.third_party |= !place.first_party;
            }
        }
    }

    /// Checks a stored `Set-Cookie` against its rule, as the enforcer would
    /// harden it under a consent to everything: each attribute it would add,
    /// raise or cap, and each `Path` or `Domain` it would block, is a mismatch.
    fn attributes(
        &mut self,
        place: &Place<'_>,
        name: &str,
        rule: &Rule<'_>,
        cookie: &SetCookie<'_>,
    ) {
        let policy = self.policy;
        let everything = Consent::new(Categories::ALL, policy.revision());
        let enforcer = enforcer(policy, &everything, place.entry);
        let default_path = default_path(&place.entry.path);
        // A cookie without `Path` is stored under the default-path: check that.
        let mut builder: SetCookieBuilder<'_> = cookie.to_builder();
        if cookie.path().is_none() {
            builder = builder.path(default_path);
        }
        let mut found = Vec::new();
        // A `Path` or `Domain` the rule refuses blocks the cookie before the
        // other checks: each is reported and taken out, and the rest checked.
        for _ in 0..3 {
            let checked = enforcer.response(builder, place.entry.started);
            match checked.decision.verdict {
                Verdict::Block(Reason::Attribute(attribute)) => {
                    found.push(attribute);
                    builder = builder.without(attribute);
                }
                _ => {
                    found.extend(checked.hardened.iter());
                    break;
                }
            }
        }
        let mut reported = Vec::new();
        for attribute in found.into_iter().filter_map(Attribute::of) {
            if reported.contains(&attribute) {
                continue;
            }
            reported.push(attribute);
            let (found, wanted) = describe(attribute, rule, cookie, place.entry);
            self.mismatch(place, name, rule, attribute, found, wanted);
        }
    }

    fn mismatch(
        &mut self,
        place: &Place<'_>,
        name: &str,
        rule: &Rule<'_>,
        attribute: Attribute,
        found: String,
        wanted: String,
    ) {
        let finding = Mismatch {
            entry: place.index,
            url: place.entry.url.clone(),
            name: name.to_owned(),
            rule: rule.pattern.to_string(),
            attribute,
            found,
            wanted,
            count: 0,
        };
        count(
            &mut self.mismatches,
            &mut self.report.mismatches,
            (name.to_owned(), attribute),
            finding,
            |f| &mut f.count,
        );
    }
}

/// Adds `finding` under `key` once, and counts every time it is seen.
fn count<K: std::hash::Hash + Eq, F>(
    index: &mut HashMap<K, usize>,
    list: &mut Vec<F>,
    key: K,
    finding: F,
    counter: impl Fn(&mut F) -> &mut usize,
) {
    let at = *index.entry(key).or_insert_with(|| {
        list.push(finding);
        list.len() - 1
    });
    if let Some(finding) = list.get_mut(at) {
        *counter(finding) += 1;
    }
}

/// What the cookie, set by `entry`'s response, carried and what the rule asks,
/// for one attribute.
fn describe(
    attribute: Attribute,
    rule: &Rule<'_>,
    cookie: &SetCookie<'_>,
    entry: &Entry,
) -> (String, String) {
    let want = &rule.attributes;
    let (default_path, now) = (default_path(&entry.path), entry.started);
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    match attribute {
        // Over plain http the enforcer takes a `Secure` away: a browser refuses
        // the cookie with it there.
        Attribute::Secure if entry.transport == Transport::PlainHttp => {
            ("Secure over http".to_owned(), "no Secure over http".to_owned())
        }
        Attribute::Secure => ("no Secure".to_owned(), "secure".to_owned()),
        Attribute::HttpOnly => ("no HttpOnly".to_owned(), "httponly".to_owned()),
        Attribute::SameSite => (
            cookie
                .same_site()
                .map_or_else(|| "no SameSite".to_owned(), |s| format!("SameSite={}", s.as_str())),
            want.same_site.map_or_else(String::new, |s| {
                format!("samesite={}", s.as_str().to_ascii_lowercase())
            }),
        ),
        Attribute::Lifetime => (
            match cookie.expiry() {
                Some(Expiry::MaxAge(secs)) => format!("Max-Age={secs}"),
                Some(Expiry::Expires(at)) => format!("Expires in {} s", at.saturating_sub(now)),
                None => "session".to_owned(),
            },
            want.max_age.map_or_else(String::new, |secs| format!("max-age={secs}")),
        ),
        Attribute::Path => (
            cookie.path().map_or_else(
                || format!("{default_path} (default-path)"),
                |p| format!("Path={}", text(p)),
            ),
            want.path.map_or_else(String::new, |p| format!("path={p}")),
        ),
        Attribute::Domain => (
            cookie
                .domain()
                .map_or_else(|| "host-only".to_owned(), |d| format!("Domain={}", text(d))),
            want.domain.map_or_else(|| "host-only".to_owned(), |d| format!("domain={d}")),
        ),
        // The enforcer names neither: the walk describes them where it finds them.
        Attribute::Party | Attribute::Transport => (String::new(), String::new()),
    }
}
