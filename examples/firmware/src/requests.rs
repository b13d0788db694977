//! The requests the firmware serves, byte for byte as a browser sends them.

/// The session the device signed in (a real device draws it from its RNG at login).
#[cfg(any(feature = "cookie", feature = "set-cookie"))]
pub const SESSION_ID: &str = "q8Zt2VwX4kLmN0pR";

/// The first visit: no cookie yet.
pub const FIRST_VISIT: &[u8] = b"GET / HTTP/1.1\r\n\
    Host: device.local\r\n\
    Accept: text/html\r\n\r\n";

/// A signed-in browser with its language choice.
pub const SIGNED_IN: &[u8] = b"GET /status HTTP/1.1\r\n\
    Host: device.local\r\n\
    Cookie: csrftoken=Xq3vT9kLw2; sessionid=q8Zt2VwX4kLmN0pR;django_language=de\r\n\r\n";

/// A cookie whose name only contains `sessionid`, with the right value: not a session.
pub const LOOKALIKE: &[u8] = b"GET /status HTTP/1.1\r\n\
    Host: device.local\r\n\
    Cookie: evil_sessionid=q8Zt2VwX4kLmN0pR; sessionid2=q8Zt2VwX4kLmN0pR\r\n\r\n";

/// A session id that is not the device's.
pub const FORGED: &[u8] = b"GET /status HTTP/1.1\r\n\
    Host: device.local\r\n\
    Cookie: sessionid=q8Zt2VwX4kLmN0pQ\r\n\r\n";

/// The cookies split over two `Cookie` fields, as a proxy joining HTTP/2 may send them.
pub const SPLIT: &[u8] = b"GET /settings HTTP/1.1\r\n\
    Host: device.local\r\n\
    Cookie: django_language=fr\r\n\
    Cookie: sessionid=q8Zt2VwX4kLmN0pR\r\n\r\n";

/// More cookies than the device reads: a limit, reported as such.
pub const TOO_MANY: &[u8] = b"GET / HTTP/1.1\r\n\
    Host: device.local\r\n\
    Cookie: a=1; b=2; c=3; d=4; e=5; f=6; g=7; h=8; sessionid=q8Zt2VwX4kLmN0pR\r\n\r\n";

/// Every request, for the HTTP-level check.
pub const ALL: &[&[u8]] = &[FIRST_VISIT, SIGNED_IN, LOOKALIKE, FORGED, SPLIT, TOO_MANY];
