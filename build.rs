// rustc sets no SONAME on a cdylib, so programs linked by path would record the build path.
fn main() {
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap();
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libaurorax.so.{major}");
}
