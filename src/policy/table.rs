//! The fixed-capacity rule table and its lookup.
//!
//! The rules are kept in two sorted runs: prefix rules first, then exact rules,
//! each by name bytes. Beside them the table keeps:
//!
//! - `keys[i]`: the first eight name bytes of rule `i` as a big-endian `u64`,
//!   zero-padded, so that searches compare integers and read names only on a tie;
//! - `up[i]`, for a prefix rule: the longest other prefix rule that starts it
//!   (`NONE` if there is none).
//!
//! The longest prefix rule matching a name `n` is found from the last prefix rule
//! `p` not after `n` (a binary search): every prefix rule `q` matching `n` sorts
//! between `q` and `n`, so it also starts `p` and is no longer than their common
//! prefix. The `up` chain from `p` lists exactly the prefix rules starting `p`,
//! longest first, so the answer is its first link no longer than that common
//! prefix. The chain is as long as prefix rules nest (in the Open Cookie
//! Database, at most 2), never as long as the table.
//!
//! Every array access goes through [`get`] and [`set`], which check the index:
//! the `const fn`s here cannot call `slice::get`, and a broken invariant must
//! give a wrong answer at worst, never a panic.

use core::cmp::Ordering;
use core::fmt;

use super::error::{LoadError, LoadErrorKind};
use super::rule::{Category, Pattern, Rule, Undeclared};
use super::text::{self, Item, Lines};

/// No link in `up`.
const NONE: usize = usize::MAX;

/// A cookie policy: up to `N` rules, a revision and what to do with undeclared
/// cookies. Borrows its texts (`'a`); holds no pointer of its own, so a `static`
/// one lives in flash. Each slot holds a [`Rule`], an 8-byte key and three
/// indices (the lookup structures of [`classify`](Self::classify)).
///
/// ```
/// use embedded_cookie::policy::{Category, Pattern, Policy, Rule};
///
/// static POLICY: Policy<'static, 3> = match Policy::from_rules(7, [
///     Rule::new(Pattern::Exact("sid"), Category::Necessary),
///     Rule::new(Pattern::Prefix("_ga"), Category::Statistics),
///     Rule::new(Pattern::Prefix("_ga_"), Category::Marketing),
/// ]) {
///     Ok(policy) => policy,
///     Err(_) => panic!("invalid cookie policy"),
/// };
///
/// let rule = POLICY.classify("_ga_X1").unwrap();
/// assert_eq!(rule.category, Category::Marketing); // the longest prefix wins
/// assert_eq!(POLICY.classify("_gid"), None);
/// assert_eq!(POLICY.classify("evil_sid"), None);
/// ```
///
/// # Memory
///
/// A table is large: `size_of::<Policy<'_, 64>>()` is 5,392 bytes on
/// `thumbv7em` (84 per rule) and 9,240 on a 64-bit host (144 per rule). So it
/// is not `Copy`: copying one is an explicit `clone()`, never an accident on a
/// small stack. On a device, keep one table where it stays: a `static` built at
/// compile time with [`from_rules`](Self::from_rules) (a `static`, unlike a
/// `const`, is not copied into each expression that names it), or a table in a
/// `static` or a task's state filled with [`load_into`](Self::load_into).
/// [`load`](Self::load) and [`load_reporting`](Self::load_reporting) return the
/// table by value and suit a host.
///
/// ```compile_fail,E0382
/// use embedded_cookie::policy::Policy;
///
/// let policy = Policy::<64>::new(1);
/// let copy = policy; // moves: `Policy` is not `Copy`
/// assert_eq!(policy.revision(), copy.revision());
/// ```
#[derive(Clone)]
pub struct Policy<'a, const N: usize> {
    revision: u32,
    undeclared: Undeclared,
    len: usize,
    /// `rules[..prefixes]` are the prefix rules.
    prefixes: usize,
    rules: [Rule<'a>; N],
    keys: [u64; N],
    up: [usize; N],
}

/// Fills the slots past `len`; never read.
const UNUSED: Rule<'static> = Rule::new(Pattern::Exact(""), Category::Necessary);

impl<'a, const N: usize> Policy<'a, N> {
    /// An empty table for `revision`, blocking undeclared cookies.
    pub const fn new(revision: u32) -> Self {
        Policy {
            revision,
            undeclared: Undeclared::Block,
            len: 0,
            prefixes: 0,
            rules: [UNUSED; N],
            keys: [0; N],
            up: [NONE; N],
        }
    }

    /// Empties the table where it is: no rule, revision 0, undeclared cookies
    /// blocked, as [`new(0)`](Self::new) without building one on the stack.
    pub(super) const fn clear(&mut self) {
        self.revision = 0;
        self.undeclared = Undeclared::Block;
        self.len = 0;
        self.prefixes = 0;
        let mut i = 0;
        while i < N {
            set(&mut self.up, i, NONE);
            i += 1;
        }
    }

    /// A table holding `rules`, sorted at compile time when called in a `const`.
    /// The first rule that fails its checks is the error, with its 1-based
    /// position as `line`.
    pub const fn from_rules(revision: u32, rules: [Rule<'a>; N]) -> Result<Self, LoadError> {
        let mut policy = Self::new(revision);
        let mut i = 0;
        while let Some(rule) = get(&rules, i) {
            if let Err(kind) = policy.insert(rule) {
                return Err(LoadError { kind, line: i + 1 });
            }
            i += 1;
        }
        Ok(policy)
    }

    /// Sets the revision a consent must have been given for.
    pub const fn set_revision(&mut self, revision: u32) {
        self.revision = revision;
    }

    /// The policy revision; a consent given for another one is void.
    pub const fn revision(&self) -> u32 {
        self.revision
    }

    /// What happens to undeclared cookies.
    pub const fn undeclared(&self) -> Undeclared {
        self.undeclared
    }

    /// How many rules the table holds.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// True when the table holds no rule.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many rules the table can hold.
    pub const fn capacity(&self) -> usize {
        N
    }

    /// The rules: the prefix rules sorted by name, then the exact rules sorted by
    /// name.
    pub fn rules(&self) -> &[Rule<'a>] {
        self.rules.get(..self.len).unwrap_or_default()
    }

    /// Adds `rule` in its sorted place after checking it ([`LoadErrorKind`] says
    /// why not). Costs a search and a shift of the rules after it: linear in the
    /// table, so loading `n` rules is quadratic (about 40 ms for the 2,237 rules of
    /// the Open Cookie Database on a PC, most of it moving rules).
    ///
    /// ```
    /// use embedded_cookie::policy::{Category, LoadErrorKind, Pattern, Policy, Rule};
    ///
    /// let mut policy = Policy::<1>::new(1);
    /// policy.insert(Rule::new(Pattern::Exact("sid"), Category::Necessary))?;
    /// let again = policy.insert(Rule::new(Pattern::Exact("sid"), Category::Marketing));
    /// assert_eq!(again, Err(LoadErrorKind::DuplicateName));
    /// let full = policy.insert(Rule::new(Pattern::Exact("lang"), Category::Preferences));
    /// assert_eq!(full, Err(LoadErrorKind::CapacityExceeded));
    /// # Ok::<(), LoadErrorKind>(())
    /// ```
    pub const fn insert(&mut self, rule: Rule<'a>) -> Result<(), LoadErrorKind> {
        if let Err(kind) = rule.check() {
            return Err(kind);
        }
        let name = rule.pattern.name().as_bytes();
        let prefix = rule.pattern.is_prefix();
        let duplicate = if prefix {
            match self.last_prefix_at_or_before(name) {
                Some(i) => match get(&self.rules, i) {
                    Some(r) => eq(r.pattern.name().as_bytes(), name),
                    None => false,
                },
                None => false,
            }
        } else {
            self.exact(name).is_some()
        };
        if duplicate {
            return Err(LoadErrorKind::DuplicateName);
        }
        if self.len >= N {
            return Err(LoadErrorKind::CapacityExceeded);
        }
        let (start, end) = if prefix { (0, self.prefixes) } else { (self.prefixes, self.len) };
        let at = self.partition(start, end, name);
        // The longest prefix rule starting the new one, before anything moves.
        let up = if prefix { self.longest_prefix(name) } else { None };
        let mut i = self.len;
        while i > at {
            self.move_entry(i - 1, i);
            i -= 1;
        }
        set(&mut self.rules, at, rule);
        set(&mut self.keys, at, key(name));
        set(&mut self.up, at, NONE);
        self.len += 1;
        if prefix {
            self.prefixes += 1;
            self.link_prefix(at, up);
        }
        Ok(())
    }

    /// The rule that covers `name`: an exact rule if there is one, else the
    /// longest prefix rule; `None` for an undeclared name. One binary search of
    /// the exact rules, then for a name without an exact rule one of the prefix
    /// rules.
    ///
    /// ```
    /// use embedded_cookie::policy::{Pattern, Policy};
    ///
    /// let policy = Policy::<4>::load("csrftoken | necessary | | API (CSRF)\n_ga_* | statistics")?;
    /// assert_eq!(policy.classify(b"csrftoken").unwrap().function, "API (CSRF)");
    /// assert_eq!(policy.classify(b"_ga_X1").unwrap().pattern, Pattern::Prefix("_ga_"));
    /// assert_eq!(policy.classify("_ga"), None);
    /// # Ok::<(), embedded_cookie::policy::LoadError>(())
    /// ```
    pub fn classify<Name: AsRef<[u8]> + ?Sized>(&self, name: &Name) -> Option<&Rule<'a>> {
        let name = name.as_ref();
        let found = match self.exact(name) {
            Some(i) => Some(i),
            None => self.longest_prefix(name),
        };
        self.rules.get(found?)
    }

    /// The length of the longest name or prefix of the table's rules (0 for an
    /// empty table): how many bytes of a cookie name decide its rule.
    ///
    /// ```
    /// use embedded_cookie::policy::Policy;
    ///
    /// let policy = Policy::<4>::load("sid | necessary\n_pk_id.* | statistics")?;
    /// assert_eq!(policy.longest_name(), 7);
    /// # Ok::<(), embedded_cookie::policy::LoadError>(())
    /// ```
    pub const fn longest_name(&self) -> usize {
        let mut longest = 0;
        let mut i = 0;
        while i < self.len {
            if let Some(rule) = get_ref(&self.rules, i) {
                if rule.pattern.name().len() > longest {
                    longest = rule.pattern.name().len();
                }
            }
            i += 1;
        }
        longest
    }

    /// Whether a prefix rule starts `name`: every longer name starting with
    /// `name` is then declared, whatever follows.
    pub(crate) const fn has_prefix_rule_for(&self, name: &[u8]) -> bool {
        self.longest_prefix(name).is_some()
    }

    /// Copies entry `from` (rule, key and `up`) to `to`.
    const fn move_entry(&mut self, from: usize, to: usize) {
        if let (Some(rule), Some(key), Some(up)) =
            (get(&self.rules, from), get(&self.keys, from), get(&self.up, from))
        {
            set(&mut self.rules, to, rule);
            set(&mut self.keys, to, key);
            set(&mut self.up, to, up);
        }
    }

    /// Fixes the `up` links once a prefix rule has entered at `at`, with `up` the
    /// longest prefix rule that starts it (an index from before the shift).
    const fn link_prefix(&mut self, at: usize, up: Option<usize>) {
        let name = match get(&self.rules, at) {
            Some(rule) => rule.pattern.name().as_bytes(),
            None => return,
        };
        let mut i = 0;
        while i < self.prefixes {
            if let Some(link) = get(&self.up, i) {
                if link != NONE && link >= at && i != at {
                    set(&mut self.up, i, link + 1);
                }
            }
            i += 1;
        }
        set(
            &mut self.up,
            at,
            match up {
                Some(link) => link, // before `at`: sorts before the rule it starts
                None => NONE,
            },
        );
        // The rules this one starts follow it; those whose longest prefix was
        // shorter now have this one.
        let mut i = at + 1;
        while i < self.prefixes {
            let Some(rule) = get(&self.rules, i) else { break };
            if !starts_with(rule.pattern.name().as_bytes(), name) {
                break;
            }
            let shorter = match get(&self.up, i) {
                Some(NONE) | None => true,
                Some(link) => match get(&self.rules, link) {
                    Some(r) => r.pattern.name().len() < name.len(),
                    None => true,
                },
            };
            if shorter {
                set(&mut self.up, i, at);
            }
            i += 1;
        }
    }

    /// The index of the exact rule named `name`: a binary search of the exact
    /// rules, sorted by name.
    const fn exact(&self, name: &[u8]) -> Option<usize> {
        let after = self.partition(self.prefixes, self.len, name);
        if after <= self.prefixes {
            return None;
        }
        // A key that differs settles a miss without reading the rule's name.
        match (get(&self.keys, after - 1), get_ref(&self.rules, after - 1)) {
            (Some(k), Some(rule)) if k == key(name) && eq(rule.pattern.name().as_bytes(), name) => {
                Some(after - 1)
            }
            _ => None,
        }
    }

    /// The index of the longest prefix rule that starts `name`, by the `up` walk
    /// of the module docs.
    const fn longest_prefix(&self, name: &[u8]) -> Option<usize> {
        if self.prefixes == 0 {
            return None;
        }
        let Some(last) = self.last_prefix_at_or_before(name) else { return None };
        let common = match get_ref(&self.rules, last) {
            Some(rule) => common_prefix(rule.pattern.name().as_bytes(), name),
            None => return None,
        };
        let mut link = last;
        while let Some(rule) = get_ref(&self.rules, link) {
            if rule.pattern.name().len() <= common {
                return Some(link);
            }
            link = match get(&self.up, link) {
                Some(up) => up,
                None => return None,
            };
        }
        None
    }

    /// The last prefix rule whose text sorts at or before `name`: a branch-free
    /// binary search of the keys (its steps depend only on the number of prefix
    /// rules), then a search by full name among the rules that share `name`'s key.
    const fn last_prefix_at_or_before(&self, name: &[u8]) -> Option<usize> {
        let k = key(name);
        let (mut base, mut size) = (0, self.prefixes);
        while size > 1 {
            let half = size / 2;
            if let Some(probe) = get(&self.keys, base + half) {
                if probe <= k {
                    base += half;
                }
            }
            size -= half;
        }
        let mut upper = base;
        if let Some(probe) = get(&self.keys, base) {
            if probe <= k && base < self.prefixes {
                upper += 1;
            }
        }
        if upper > 0 {
            if let Some(probe) = get(&self.keys, upper - 1) {
                if probe == k {
                    // Rules sharing the key: the first of them, then by full name.
                    let (mut lower, mut end) = (0, upper);
                    while lower < end {
                        let mid = lower + (end - lower) / 2;
                        match get(&self.keys, mid) {
                            Some(p) if p < k => lower = mid + 1,
                            _ => end = mid,
                        }
                    }
                    upper = self.partition(lower, upper, name);
                }
            }
        }
        upper.checked_sub(1)
    }

    /// The first index in `start..end` whose rule's text sorts after `name`: the
    /// keys decide where they differ, the names where they tie.
    const fn partition(&self, start: usize, end: usize, name: &[u8]) -> usize {
        let k = key(name);
        let (mut lo, mut hi) = (start, end);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let after = match (get(&self.keys, mid), get_ref(&self.rules, mid)) {
                (Some(probe), _) if probe != k => probe > k,
                (_, Some(rule)) => {
                    matches!(cmp(rule.pattern.name().as_bytes(), name), Ordering::Greater)
                }
                _ => true,
            };
            if after {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lo
    }
}

impl<'a, const N: usize> Policy<'a, N> {
    /// Reads a policy text, borrowing it. The first bad line fails the load.
    ///
    /// ```
    /// use embedded_cookie::policy::{Category, LoadError, LoadErrorKind, Policy};
    ///
    /// let text = "@revision 3\n\
    ///             sid | necessary | Acme | Login | front | Keeps you logged in | secure httponly\n\
    ///             _ga_* | statistics third-party | Google";
    /// let policy = Policy::<8>::load(text)?;
    /// assert_eq!(policy.revision(), 3);
    /// assert_eq!(policy.classify(b"_ga_1").unwrap().category, Category::Statistics);
    ///
    /// let err = Policy::<8>::load("sid | necessary\nsid | marketing").unwrap_err();
    /// assert_eq!(err, LoadError { kind: LoadErrorKind::DuplicateName, line: 2 });
    /// # Ok::<(), LoadError>(())
    /// ```
    pub const fn load(text: &'a str) -> Result<Self, LoadError> {
        let mut policy = Self::new(0);
        match policy.load_into(text) {
            Ok(()) => Ok(policy),
            Err(e) => Err(e),
        }
    }

    /// Reads a policy text into this table, in place, replacing what it held;
    /// the text must outlive the table. The one to use on a device: the table
    /// stays where it is (a `static`, a task's state), while [`load`](Self::load)
    /// returns it by value, through the stack (`size_of::<Policy<'_, 64>>()` is
    /// 5,392 bytes on `thumbv7em`, 9,240 on a 64-bit host).
    ///
    /// The first bad line fails the load and leaves the table empty (no rule,
    /// revision 0, undeclared cookies blocked): a half-read policy is never
    /// enforced.
    ///
    /// ```
    /// use std::sync::Mutex;
    /// use embedded_cookie::policy::{LoadErrorKind, Policy, Undeclared};
    ///
    /// // Built at compile time in a `static`: the table never passes through the
    /// // stack. On a device, `critical_section::Mutex<RefCell<…>>` takes the
    /// // place of `Mutex`, and the text lives in flash or in a `static` buffer.
    /// static POLICY: Mutex<Policy<'static, 64>> = Mutex::new(Policy::new(0));
    ///
    /// let mut policy = POLICY.lock().unwrap();
    /// policy.load_into("@revision 2\nsid | necessary\nlang | preferences")?;
    /// assert_eq!((policy.revision(), policy.len()), (2, 2));
    ///
    /// let err = policy.load_into("@revision 3\nsid | tasty").unwrap_err();
    /// assert_eq!(err.kind, LoadErrorKind::UnknownCategory);
    /// assert!(policy.is_empty() && policy.undeclared() == Undeclared::Block);
    /// # Ok::<(), embedded_cookie::policy::LoadError>(())
    /// ```
    pub const fn load_into(&mut self, text: &'a str) -> Result<(), LoadError> {
        self.clear();
        let (mut lines, mut given) = (Lines::new(text), (false, false));
        while let Some((line, content)) = lines.next_line() {
            if let Err(kind) = self.read_line(content, &mut given) {
                self.clear();
                return Err(LoadError { kind, line });
            }
        }
        Ok(())
    }

    /// Reads a policy text, keeping every good line and handing each bad one to
    /// `on_error`, in order. Nothing is dropped without a report.
    ///
    /// ```
    /// use embedded_cookie::policy::{LoadError, LoadErrorKind, Policy};
    ///
    /// let text = "a | necessary\nb c | necessary\nd | tasty\ne | marketing";
    /// let mut errors = Vec::new();
    /// let policy = Policy::<8>::load_reporting(text, |e| errors.push(e));
    /// assert_eq!(policy.len(), 2);
    /// assert_eq!(errors, [
    ///     LoadError { kind: LoadErrorKind::InvalidName, line: 2 },
    ///     LoadError { kind: LoadErrorKind::UnknownCategory, line: 3 },
    /// ]);
    /// ```
    pub fn load_reporting(text: &'a str, on_error: impl FnMut(LoadError)) -> Self {
        let mut policy = Self::new(0);
        policy.load_reporting_into(text, on_error);
        policy
    }

    /// [`load_reporting`](Self::load_reporting) in place, replacing what the table
    /// held, as [`load_into`](Self::load_into) does.
    pub fn load_reporting_into(&mut self, text: &'a str, mut on_error: impl FnMut(LoadError)) {
        self.clear();
        let (mut lines, mut given) = (Lines::new(text), (false, false));
        while let Some((line, content)) = lines.next_line() {
            if let Err(kind) = self.read_line(content, &mut given) {
                on_error(LoadError { kind, line });
            }
        }
    }

    /// Puts one line of a policy text into the table. `given` says whether the
    /// `@revision` and the `@undeclared` directive have been read: each may be
    /// given once.
    // Never inlined: every load at run time calls it by this name, so
    // `scripts/footprint` can tell that a firmware with a compiled table links no
    // loader (a `const` evaluation calls no code).
    #[inline(never)]
    const fn read_line(
        &mut self,
        line: &'a str,
        given: &mut (bool, bool),
    ) -> Result<(), LoadErrorKind> {
        match text::item(line) {
            Ok(Item::Blank) => Ok(()),
            Ok(Item::Revision(n)) if !given.0 => {
                given.0 = true;
                self.revision = n;
                Ok(())
            }
            Ok(Item::Undeclared(action)) if !given.1 => {
                given.1 = true;
                self.undeclared = action;
                Ok(())
            }
            Ok(Item::Revision(_) | Item::Undeclared(_)) => Err(LoadErrorKind::InvalidDirective),
            Ok(Item::Rule(rule)) => self.insert(rule),
            Err(kind) => Err(kind),
        }
    }
}

impl<'a, const N: usize> Default for Policy<'a, N> {
    fn default() -> Self {
        Self::new(0)
    }
}

/// Tables are equal when revision, undeclared action and rules are.
impl<const N: usize, const M: usize> PartialEq<Policy<'_, M>> for Policy<'_, N> {
    fn eq(&self, other: &Policy<'_, M>) -> bool {
        self.revision == other.revision
            && self.undeclared == other.undeclared
            && self.rules() == other.rules()
    }
}

impl<const N: usize> fmt::Debug for Policy<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Policy")
            .field("revision", &self.revision)
            .field("undeclared", &self.undeclared)
            .field("rules", &self.rules())
            .finish()
    }
}

#[cfg(feature = "defmt")]
impl<const N: usize> defmt::Format for Policy<'_, N> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "Policy {{ revision: {}, undeclared: {}, rules: {} }}",
            self.revision,
            self.undeclared,
            self.rules()
        );
    }
}

/// `slice[i]`, or `None` past its end: indexing a `const fn` can use.
#[allow(clippy::indexing_slicing)] // checked on the line before
const fn get<T: Copy>(slice: &[T], i: usize) -> Option<T> {
    if i < slice.len() { Some(slice[i]) } else { None }
}

/// `&slice[i]`, or `None` past its end: the lookups borrow rules rather than copy
/// them, which on a 32-bit target would call `memcpy` for every rule visited.
#[allow(clippy::indexing_slicing)] // checked on the line before
const fn get_ref<T>(slice: &[T], i: usize) -> Option<&T> {
    if i < slice.len() { Some(&slice[i]) } else { None }
}

/// `slice[i] = value`, or nothing past its end.
#[allow(clippy::indexing_slicing)] // checked on the line before
const fn set<T: Copy>(slice: &mut [T], i: usize, value: T) {
    if i < slice.len() {
        slice[i] = value;
    }
}

/// The first eight bytes of `name`, big-endian, zero-padded: `key(a) < key(b)`
/// implies `a < b`, so keys order names wherever they differ.
// Called from four places of a lookup: on a microcontroller one copy of the loop
// costs less flash than four inlined ones costs time.
#[cfg_attr(not(target_pointer_width = "64"), inline(never))]
const fn key(name: &[u8]) -> u64 {
    // Shifted in byte by byte: a copy into a buffer would be a `memcpy` call on a
    // 32-bit target, 744 B of flash for the lookup alone.
    let (mut k, mut i, mut rest) = (0u64, 0, name);
    while let ([b, tail @ ..], true) = (rest, i < 8) {
        k = k << 8 | *b as u64;
        rest = tail;
        i += 1;
    }
    match k.checked_shl(8 * (8 - i)) {
        Some(k) => k,
        None => 0, // no byte read: `k` is 0
    }
}

const fn cmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a, b) {
            ([], []) => return Ordering::Equal,
            ([], _) => return Ordering::Less,
            (_, []) => return Ordering::Greater,
            ([x, ra @ ..], [y, rb @ ..]) => {
                if *x != *y {
                    return if *x < *y { Ordering::Less } else { Ordering::Greater };
                }
                a = ra;
                b = rb;
            }
        }
    }
}

const fn eq(a: &[u8], b: &[u8]) -> bool {
    matches!(cmp(a, b), Ordering::Equal)
}

const fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let (mut a, mut b, mut n) = (a, b, 0);
    while let ([x, ra @ ..], [y, rb @ ..]) = (a, b) {
        if *x != *y {
            break;
        }
        a = ra;
        b = rb;
        n += 1;
    }
    n
}

const fn starts_with(name: &[u8], prefix: &[u8]) -> bool {
    common_prefix(name, prefix) == prefix.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Category::*;
    use proptest::prelude::*;
    use std::vec::Vec;

    /// The specification of `classify`, as a linear scan.
    fn reference<'r, 'a>(rules: &'r [Rule<'a>], name: &[u8]) -> Option<&'r Rule<'a>> {
        let exact = rules.iter().find(|r| !r.pattern.is_prefix() && r.pattern.matches(name));
        exact.or_else(|| {
            rules
                .iter()
                .filter(|r| r.pattern.is_prefix() && r.pattern.matches(name))
                .max_by_key(|r| r.pattern.name().len())
        })
    }

    #[test]
    fn exact_beats_prefix_and_longest_prefix_wins() {
        let policy = Policy::from_rules(
            1,
            [
                Rule::new(Pattern::Prefix("_ga"), Statistics),
                Rule::new(Pattern::Prefix("_ga_"), Marketing),
                Rule::new(Pattern::Exact("_ga_x"), Necessary),
                Rule::new(Pattern::Exact("_gab"), Preferences),
                Rule::new(Pattern::Prefix("_gac_gb_"), Necessary),
                Rule::new(Pattern::Exact("_ga"), Preferences),
            ],
        )
        .unwrap();
        let cases: [(&[u8], Option<&str>); 10] = [
            (b"_ga", Some("_ga")),
            (b"_ga_", Some("_ga_*")),
            (b"_ga_x", Some("_ga_x")),
            (b"_ga_xy", Some("_ga_*")),
            (b"_gab", Some("_gab")),
            (b"_gabc", Some("_ga*")),
            (b"_gac_gb", Some("_ga*")),
            (b"_gac_gb_1", Some("_gac_gb_*")),
            (b"_g", None),
            (b"ga", None),
        ];
        for (name, want) in cases {
            let got = policy.classify(name).map(|r| std::format!("{}", r.pattern));
            assert_eq!(got.as_deref(), want, "{}", std::string::String::from_utf8_lossy(name));
        }
    }

    /// Names are taken as `CookieHeader::get` takes them: any `AsRef<[u8]>`.
    #[test]
    fn names_are_taken_as_str_bytes_or_arrays() {
        let policy = Policy::<2>::load("sid | necessary\n_ga* | statistics").unwrap();
        let owned = std::string::String::from("_ga_1");
        let found = [
            policy.classify("sid"),
            policy.classify(b"sid"),
            policy.classify(&b"sid"[..]),
            policy.classify(&owned),
            policy.classify(owned.as_bytes()),
        ];
        let names: Vec<_> = found.iter().map(|r| r.map(|r| r.pattern.name())).collect();
        assert_eq!(names, [Some("sid"), Some("sid"), Some("sid"), Some("_ga"), Some("_ga")]);
        assert!(Pattern::Exact("sid").matches("sid"));
    }

    #[test]
    fn a_table_of_no_capacity_refuses_every_rule_and_finds_nothing() {
        let mut policy = Policy::<0>::new(1);
        let rule = Rule::new(Pattern::Exact("a"), Necessary);
        assert_eq!(policy.insert(rule), Err(LoadErrorKind::CapacityExceeded));
        assert_eq!((policy.classify("a"), policy.classify("")), (None, None));
        let err = Policy::<0>::load("a | necessary").unwrap_err();
        assert_eq!(err, LoadError { kind: LoadErrorKind::CapacityExceeded, line: 1 });
    }

    #[test]
    fn const_tables_are_sorted_at_compile_time() {
        const P: Policy<'static, 3> = match Policy::from_rules(
            2,
            [
                Rule::new(Pattern::Exact("b"), Necessary),
                Rule::new(Pattern::Exact("a"), Necessary),
                Rule::new(Pattern::Prefix("a"), Necessary),
            ],
        ) {
            Ok(p) => p,
            Err(_) => panic!(),
        };
        let names: Vec<_> = P.rules().iter().map(|r| std::format!("{}", r.pattern)).collect();
        assert_eq!(names, ["a*", "a", "b"]);
        assert_eq!(P.revision(), 2);
    }

    #[test]
    fn from_rules_reports_the_position_of_the_bad_rule() {
        let err = Policy::from_rules(
            1,
            [
                Rule::new(Pattern::Exact("a"), Necessary),
                Rule::new(Pattern::Prefix("a"), Necessary),
                Rule::new(Pattern::Exact("a"), Marketing),
            ],
        )
        .unwrap_err();
        assert_eq!(err, LoadError { kind: LoadErrorKind::DuplicateName, line: 3 });
        assert_eq!(std::format!("{err}"), "line 3: duplicate name");
    }

    fn rules_strategy() -> impl Strategy<Value = Vec<(Vec<u8>, bool)>> {
        // A small alphabet makes nested prefixes and ties of the 8-byte keys common.
        let name =
            proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b'), Just(b'_')], 1..11);
        proptest::collection::vec((name, any::<bool>()), 0..100)
    }

    proptest! {
        #[test]
        fn classify_agrees_with_a_linear_scan(
            rules in rules_strategy(),
            names in proptest::collection::vec(
                proptest::collection::vec(prop_oneof![Just(b'a'), Just(b'b'), Just(b'_')], 0..12),
                1..30,
            ),
        ) {
            let texts: Vec<std::string::String> =
                rules.iter().map(|(n, _)| std::string::String::from_utf8(n.clone()).unwrap()).collect();
            let mut policy = Policy::<'_, 128>::new(1);
            let mut kept = Vec::new();
            for (text, (_, prefix)) in texts.iter().zip(&rules) {
                let pattern = if *prefix { Pattern::Prefix(text) } else { Pattern::Exact(text) };
                let rule = Rule::new(pattern, Necessary);
                let duplicate = kept.contains(&rule);
                let got = policy.insert(rule);
                prop_assert_eq!(got.is_err(), duplicate);
                if !duplicate {
                    kept.push(rule);
                }
            }
            fn order<'r>(r: &Rule<'r>) -> (bool, &'r [u8]) {
                (!r.pattern.is_prefix(), r.pattern.name().as_bytes())
            }
            let sorted = policy.rules().windows(2).all(|w| order(&w[0]) < order(&w[1]));
            prop_assert!(sorted);
            for name in names.iter().chain(rules.iter().map(|(n, _)| n)) {
                prop_assert_eq!(policy.classify(name), reference(&kept, name), "{:?}", name);
            }
        }
    }
}
