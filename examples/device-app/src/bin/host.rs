//! The device app on the host: `cargo run --bin host -- 8080` serves it on
//! 127.0.0.1:8080; port 0 takes any free port. The URL is printed first.

use std::io::{self, Write};

#[tokio::main(flavor = "current_thread")]
async fn main() -> io::Result<()> {
    let port = match std::env::args().nth(1) {
        None => 8080,
        Some(arg) => arg.parse::<u16>().map_err(|e| {
            io::Error::new(io::ErrorKind::InvalidInput, format!("port {arg:?}: {e}"))
        })?,
    };
    let listener = device_app::host::bind(port).await?;
    println!("listening on http://127.0.0.1:{}/", listener.local_addr()?.port());
    io::stdout().flush()?;
    device_app::host::serve(device_app::host::state(), listener).await
}
