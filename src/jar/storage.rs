//! The jar's memory: a fixed array of entries and one byte arena holding every
//! cookie's name, value, domain and path back to back.
//!
//! Entries stay in creation order (a replacement keeps its slot), which is the
//! tie-break §5.4 asks for between cookies created in the same second. Removing a
//! cookie closes its gap in the arena, so free space is always one run at the end
//! and a cookie fits whenever its size is at most the room left.
//!
//! Each entry knows where its site (registrable domain) starts in its domain, and
//! how many cookies of the jar share that site: kept up to date by one pass over
//! the entries per cookie added or removed, so that eviction never has to group
//! the cookies by site (which would take a pass per site).

use crate::set_cookie::SameSite;

/// The flag bits of an [`Entry`].
pub(super) const HOST_ONLY: u8 = 1 << 0;
pub(super) const SECURE: u8 = 1 << 1;
pub(super) const HTTP_ONLY: u8 = 1 << 2;
pub(super) const PERSISTENT: u8 = 1 << 3;

/// One cookie's fixed part; its bytes are `arena[start..start + len()]` as
/// name, value, domain, path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub(super) struct Entry {
    pub(super) start: u32,
    pub(super) name_len: u16,
    pub(super) value_len: u16,
    pub(super) path_len: u16,
    /// A domain is a host, at most 253 bytes.
    pub(super) domain_len: u8,
    /// Where the cookie's site starts in its domain.
    pub(super) site: u8,
    /// How many cookies of the storage (this one included) have its site; kept
    /// by [`Storage`], whatever a caller puts here.
    pub(super) held: u16,
    pub(super) flags: u8,
    pub(super) same_site: Option<SameSite>,
    pub(super) creation: i64,
    pub(super) last_access: i64,
    /// Seconds since the epoch; `i64::MAX` (and unused) for a session cookie.
    pub(super) expiry: i64,
}

impl Entry {
    fn len(&self) -> usize {
        usize::from(self.name_len)
            + usize::from(self.value_len)
            + usize::from(self.domain_len)
            + usize::from(self.path_len)
    }

    pub(super) fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    /// True when a persistent cookie's expiry time has come at `now`; a session
    /// cookie never expires by time, whatever `now` is.
    pub(super) fn expired(&self, now: i64) -> bool {
        self.has(PERSISTENT) && self.expiry <= now
    }
}

/// A cookie's four strings, borrowed from the arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Parts<'a> {
    pub(super) name: &'a [u8],
    pub(super) value: &'a [u8],
    pub(super) domain: &'a str,
    pub(super) path: &'a [u8],
}

impl Parts<'_> {
    pub(super) fn len(&self) -> usize {
        self.name.len() + self.value.len() + self.domain.len() + self.path.len()
    }
}

/// The strings of `entry` in `arena`. An entry of a storage always has them in
/// its arena; were its range ever wrong, empty strings are the safe answer.
pub(super) fn parts<'a>(arena: &'a [u8], entry: &Entry) -> Parts<'a> {
    let start = entry.start as usize;
    let bytes = arena.get(start..start + entry.len()).unwrap_or_default();
    let (name, rest) = bytes.split_at_checked(entry.name_len.into()).unwrap_or_default();
    let (value, rest) = rest.split_at_checked(entry.value_len.into()).unwrap_or_default();
    let (domain, path) = rest.split_at_checked(entry.domain_len.into()).unwrap_or_default();
    // The domain was copied in from a `&str`.
    Parts { name, value, domain: core::str::from_utf8(domain).unwrap_or_default(), path }
}

/// The site of the cookie `entry` whose domain is `domain`.
fn site<'a>(domain: &'a str, entry: &Entry) -> &'a str {
    domain.get(entry.site.into()..).unwrap_or_default()
}

/// Sets `held` of every entry of `site` to `change(held)`; returns how many
/// there are. One pass over the entries.
fn recount(entries: &mut [Entry], arena: &[u8], site: &str, change: impl Fn(u16) -> u16) -> u16 {
    let mut count: u16 = 0;
    for e in entries.iter_mut() {
        if self::site(parts(arena, e).domain, e) == site {
            e.held = change(e.held);
            count = count.saturating_add(1);
        }
    }
    count
}

/// Entries and arena. `COOKIES` entries at most, `BYTES` bytes of strings.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub(super) struct Storage<const COOKIES: usize, const BYTES: usize> {
    entries: heapless::Vec<Entry, COOKIES>,
    arena: heapless::Vec<u8, BYTES>,
}

impl<const COOKIES: usize, const BYTES: usize> Storage<COOKIES, BYTES> {
    pub(super) const fn new() -> Self {
        const { assert!(BYTES <= u32::MAX as usize, "the arena is indexed by u32") };
        const { assert!(COOKIES <= u16::MAX as usize, "a site's cookies are counted in u16") };
        Self { entries: heapless::Vec::new(), arena: heapless::Vec::new() }
    }

    pub(super) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub(super) fn entries_mut(&mut self) -> &mut [Entry] {
        &mut self.entries
    }

    pub(super) fn bytes_used(&self) -> usize {
        self.arena.len()
    }

    /// True when one more cookie of `len` bytes fits without evicting.
    pub(super) fn fits(&self, len: usize) -> bool {
        !self.entries.is_full() && self.room() >= len
    }

    pub(super) fn arena(&self) -> &[u8] {
        &self.arena
    }

    /// The strings of `entry`.
    pub(super) fn parts(&self, entry: &Entry) -> Parts<'_> {
        parts(&self.arena, entry)
    }

    /// The four lengths of `parts` (name, value, domain, path), or `None` when one
    /// is longer than 65535 bytes, or the domain longer than 255.
    pub(super) fn lens(parts: &Parts<'_>) -> Option<(u16, u16, u8, u16)> {
        Some((
            u16::try_from(parts.name.len()).ok()?,
            u16::try_from(parts.value.len()).ok()?,
            u8::try_from(parts.domain.len()).ok()?,
            u16::try_from(parts.path.len()).ok()?,
        ))
    }

    /// Copies `parts` to the end of the arena and points `entry` at them. The
    /// caller has checked the lengths and the room.
    fn append(
        &mut self,
        entry: &mut Entry,
        parts: &Parts<'_>,
        lens: (u16, u16, u8, u16),
    ) -> Option<()> {
        entry.start = u32::try_from(self.arena.len()).ok()?;
        (entry.name_len, entry.value_len, entry.domain_len, entry.path_len) = lens;
        for part in [parts.name, parts.value, parts.domain.as_bytes(), parts.path] {
            self.arena.extend_from_slice(part).ok()?;
        }
        Some(())
    }

    /// Adds a cookie at the end (the newest); `entry`'s position fields and
    /// `held` are filled in here, and every cookie of its site counts one more.
    /// Fails, changing nothing, when it does not [`fit`](Self::fits) or a part is
    /// too long ([`lens`](Self::lens)).
    pub(super) fn push(&mut self, mut entry: Entry, parts: &Parts<'_>) -> Result<(), ()> {
        let lens = Self::lens(parts).ok_or(())?;
        if !self.fits(parts.len()) {
            return Err(());
        }
        let site = site(parts.domain, &entry);
        let held = recount(&mut self.entries, &self.arena, site, |held| held.saturating_add(1));
        entry.held = held.saturating_add(1);
        self.append(&mut entry, parts, lens).ok_or(())?;
        self.entries.push(entry).map_err(|_| ())
    }

    /// The site of `entry`: the end of its domain.
    pub(super) fn site(&self, entry: &Entry) -> &str {
        site(self.parts(entry).domain, entry)
    }

    /// Puts `entry` and `parts` in the slot `index`, keeping its place in creation
    /// order. Fails, changing nothing, when the new bytes do not fit in the room
    /// the old ones leave or a part is longer than 65535 bytes.
    pub(super) fn replace(
        &mut self,
        index: usize,
        mut entry: Entry,
        parts: &Parts<'_>,
    ) -> Result<(), ()> {
        let old = *self.entries.get(index).ok_or(())?;
        let lens = Self::lens(parts).ok_or(())?;
        if BYTES - self.arena.len() + old.len() < parts.len() {
            return Err(());
        }
        self.free_bytes(&old);
        // The same domain, so the same site and count.
        entry.held = old.held;
        self.append(&mut entry, parts, lens).ok_or(())?;
        let slot = self.entries.get_mut(index).ok_or(())?;
        *slot = entry;
        Ok(())
    }

    /// Bytes the slot `index` holds in the arena (0 for no such slot).
    pub(super) fn len_of(&self, index: usize) -> usize {
        self.entries.get(index).map_or(0, Entry::len)
    }

    /// Bytes left in the arena.
    pub(super) fn room(&self) -> usize {
        BYTES - self.arena.len()
    }

    /// Removes the cookie in slot `index`, if there is one; every other cookie of
    /// its site counts one fewer.
    pub(super) fn remove(&mut self, index: usize) {
        if let Some(&entry) = self.entries.get(index) {
            let site = site(parts(&self.arena, &entry).domain, &entry);
            recount(&mut self.entries, &self.arena, site, |held| held.saturating_sub(1));
            self.free_bytes(&entry);
            // Rotated out rather than `remove`d, whose assertion links a panic
            // path into the firmware (`examples/panic-never`).
            if let Some(tail @ [_, ..]) = self.entries.get_mut(index..) {
                tail.rotate_left(1);
                self.entries.pop();
            }
        }
    }

    /// Removes every cookie for which `evict` is true; returns how many.
    pub(super) fn remove_where(&mut self, mut evict: impl FnMut(&Entry) -> bool) -> usize {
        let mut removed = 0;
        let mut index = 0;
        while let Some(entry) = self.entries.get(index) {
            if evict(entry) {
                self.remove(index);
                removed += 1;
            } else {
                index += 1;
            }
        }
        removed
    }

    pub(super) fn clear(&mut self) {
        self.entries.clear();
        self.arena.clear();
    }

    /// Closes the gap `entry`'s bytes leave, moving later bytes down. The entry
    /// itself is left for the caller to drop or overwrite.
    fn free_bytes(&mut self, entry: &Entry) {
        let (start, len) = (entry.start as usize, entry.len());
        if start + len > self.arena.len() {
            return;
        }
        // Rotated rather than drained: `drain` links a panic path into the
        // firmware (`examples/panic-never`).
        if let Some(tail) = self.arena.get_mut(start..) {
            if len <= tail.len() {
                tail.rotate_left(len);
            }
        }
        self.arena.truncate(self.arena.len().saturating_sub(len));
        for e in self.entries.iter_mut().filter(|e| e.start as usize > start) {
            // Later cookies start at or after `start + len`; saturating keeps a
            // broken invariant from panicking.
            e.start = e.start.saturating_sub(len as u32);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(creation: i64) -> Entry {
        Entry {
            start: 0,
            name_len: 0,
            value_len: 0,
            domain_len: 0,
            path_len: 0,
            site: 0,
            held: 0,
            flags: 0,
            same_site: None,
            creation,
            last_access: creation,
            expiry: i64::MAX,
        }
    }

    fn parts<'a>(name: &'a str, value: &'a str) -> Parts<'a> {
        Parts { name: name.as_bytes(), value: value.as_bytes(), domain: "d.org", path: b"/" }
    }

    fn names<const C: usize, const B: usize>(
        s: &Storage<C, B>,
    ) -> std::vec::Vec<std::string::String> {
        s.entries()
            .iter()
            .map(|e| {
                let p = s.parts(e);
                std::format!(
                    "{}={}",
                    std::str::from_utf8(p.name).unwrap(),
                    std::str::from_utf8(p.value).unwrap()
                )
            })
            .collect()
    }

    #[test]
    fn removing_and_replacing_keeps_every_cookie_intact() {
        let mut s = Storage::<4, 64>::new();
        s.push(entry(1), &parts("a", "1")).unwrap();
        s.push(entry(2), &parts("bb", "22")).unwrap();
        s.push(entry(3), &parts("c", "3")).unwrap();
        assert_eq!(s.bytes_used(), 8 + 10 + 8);
        s.replace(0, entry(1), &parts("a", "longer")).unwrap();
        assert_eq!(names(&s), ["a=longer", "bb=22", "c=3"]);
        s.remove(1);
        assert_eq!(names(&s), ["a=longer", "c=3"]);
        assert_eq!(s.bytes_used(), 13 + 8);
        assert_eq!(s.remove_where(|e| e.creation == 3), 1);
        assert_eq!(names(&s), ["a=longer"]);
        s.clear();
        assert_eq!((s.entries().len(), s.bytes_used()), (0, 0));
    }

    /// Each cookie's `held` is how many cookies its site has, through adding,
    /// replacing and removing, whatever the caller put in it.
    #[test]
    fn each_cookie_counts_the_cookies_of_its_site() {
        let mut s = Storage::<4, 128>::new();
        let cookie = |domain| Parts { name: b"n", value: b"", domain, path: b"/" };
        // a.x.org and b.x.org are in x.org (from byte 2), y.org apart.
        for (domain, site) in [("a.x.org", 2), ("y.org", 0), ("b.x.org", 2), ("x.org", 0)] {
            s.push(Entry { site, held: 9, ..entry(1) }, &cookie(domain)).unwrap();
        }
        let held =
            |s: &Storage<4, 128>| s.entries().iter().map(|e| e.held).collect::<std::vec::Vec<_>>();
        assert_eq!(held(&s), [3, 1, 3, 3]);
        s.replace(1, Entry { held: 0, ..entry(1) }, &cookie("y.org")).unwrap();
        assert_eq!(held(&s), [3, 1, 3, 3]);
        s.remove(0);
        assert_eq!(held(&s), [1, 2, 2]);
        s.remove_where(|e| e.site == 2);
        assert_eq!(held(&s), [1, 1]);
    }

    #[test]
    fn full_storage_refuses_and_changes_nothing() {
        let mut s = Storage::<2, 16>::new();
        s.push(entry(1), &parts("a", "1")).unwrap();
        assert!(s.fits(8) && !s.fits(9));
        assert_eq!(s.push(entry(2), &parts("b", "1234")), Err(()));
        assert_eq!(s.replace(0, entry(1), &parts("a", "0123456789")), Err(()));
        assert_eq!(names(&s), ["a=1"]);
        assert_eq!(s.replace(0, entry(1), &parts("a", "123456789")), Ok(()));
        assert_eq!(names(&s), ["a=123456789"]);
        s.remove(0);
        s.push(entry(1), &parts("a", "")).unwrap();
        s.push(entry(2), &parts("b", "")).unwrap();
        assert!(!s.fits(0));
        assert_eq!(s.push(entry(3), &parts("c", "")), Err(()));
        let long = "x".repeat(70_000);
        let mut big = Storage::<1, 80_000>::new();
        assert_eq!(big.push(entry(1), &parts("a", &long)), Err(()));
    }
}
