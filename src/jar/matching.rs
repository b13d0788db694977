//! The matching rules of RFC 6265 §5.1.3 and §5.1.4 (unchanged in 6265bis):
//! domain-match, default-path and path-match.

use super::url;

/// True when `host` domain-matches `domain` (RFC 6265 §5.1.3): they are equal, or
/// `domain` is a suffix of `host` after a `.` and `host` is a name, not an IP
/// address. Both must already be lower-case, as the jar keeps them.
///
/// ```
/// use embedded_cookie::jar::domain_match;
///
/// assert!(domain_match("www.example.org", "example.org"));
/// assert!(domain_match("example.org", "example.org"));
/// assert!(!domain_match("badexample.org", "example.org"));
/// assert!(!domain_match("1.2.3.4", "2.3.4"));
/// ```
pub fn domain_match(host: &str, domain: &str) -> bool {
    if host == domain {
        return true;
    }
    let Some(prefix) = host.strip_suffix(domain) else { return false };
    !domain.is_empty() && prefix.ends_with('.') && !url::is_ip_address(host)
}

/// The default-path of a request path (RFC 6265 §5.1.4): the path up to, not
/// including, its last `/`; `/` when that leaves nothing or the path does not
/// start with `/`.
///
/// ```
/// use embedded_cookie::jar::default_path;
///
/// assert_eq!(default_path(b"/cookie-parser"), b"/");
/// assert_eq!(default_path(b"/a/b/c"), b"/a/b");
/// assert_eq!(default_path(b"/a/b/"), b"/a/b");
/// ```
pub fn default_path(path: &[u8]) -> &[u8] {
    match path.iter().rposition(|&b| b == b'/') {
        Some(last) if last > 0 && path.starts_with(b"/") => path.get(..last).unwrap_or(b"/"),
        _ => b"/",
    }
}

/// True when `request_path` path-matches `cookie_path` (RFC 6265 §5.1.4): they are
/// equal, or `cookie_path` is a prefix of it that ends with `/` or is followed in
/// it by `/`. Byte for byte: case and percent-escapes count.
///
/// ```
/// use embedded_cookie::jar::path_match;
///
/// assert!(path_match(b"/foo/bar", b"/foo"));
/// assert!(path_match(b"/foo/bar", b"/foo/"));
/// assert!(!path_match(b"/foobar", b"/foo"));
/// assert!(!path_match(b"/Foo", b"/foo"));
/// ```
pub fn path_match(request_path: &[u8], cookie_path: &[u8]) -> bool {
    let Some(rest) = request_path.strip_prefix(cookie_path) else { return false };
    rest.is_empty() || cookie_path.ends_with(b"/") || rest.starts_with(b"/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_match_cases() {
        let cases = [
            ("example.org", "example.org", true),
            ("home.example.org", "example.org", true),
            ("a.b.example.org", "example.org", true),
            ("home.example.org", "home.example.org", true),
            ("example.org", "home.example.org", false),
            ("badexample.org", "example.org", false),
            ("home.example.org", ".example.org", false),
            ("home.example.org", "", false),
            ("home.example.org.", "example.org", false),
            ("127.0.0.1", "127.0.0.1", true),
            ("127.0.0.1", "0.0.1", false),
            ("1.2.3.4.", "3.4.", false),
            ("a.0x7f", "0x7f", false),
            ("[::1]", "[::1]", true),
        ];
        for (host, domain, want) in cases {
            assert_eq!(domain_match(host, domain), want, "{host} / {domain}");
        }
    }

    #[test]
    fn default_path_cases() {
        let cases = [
            ("", "/"),
            ("/", "/"),
            ("x", "/"),
            ("x/y", "/"),
            ("/a", "/"),
            ("/a/", "/a"),
            ("/a/b", "/a"),
            ("//", "/"),
            ("/a//b", "/a/"),
        ];
        for (path, want) in cases {
            assert_eq!(default_path(path.as_bytes()), want.as_bytes(), "{path:?}");
        }
    }

    #[test]
    fn path_match_cases() {
        let cases = [
            ("/", "/", true),
            ("/a", "/", true),
            ("/a/b", "/a", true),
            ("/a/b", "/a/", true),
            ("/a", "/a/", false),
            ("/ab", "/a", false),
            ("/a", "/a", true),
            ("/A", "/a", false),
            ("/f%6Fo", "/foo", false),
            ("/a//b", "/a/", true),
        ];
        for (request, cookie, want) in cases {
            assert_eq!(
                path_match(request.as_bytes(), cookie.as_bytes()),
                want,
                "{request} / {cookie}"
            );
        }
    }
}
