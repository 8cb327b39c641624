// Gives the cdylib its install name, per target OS. rustc sets none, so without this a
// program linked by path would record the build path instead of a name the loader can
// look up. A build script sees the *target* only through CARGO_CFG_* variables (`cfg!`
// here would describe the machine running the build script).
//
// The name carries MAJOR.MINOR while the version is 0.x, because Cargo and our CMake
// version file treat 0.2 and 0.3 as incompatible; from 1.0 on it carries MAJOR only.
// CMakeLists.txt lays out the same names (keep the two in step).
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let (major, minor, patch) = (
        var("CARGO_PKG_VERSION_MAJOR"),
        var("CARGO_PKG_VERSION_MINOR"),
        var("CARGO_PKG_VERSION_PATCH"),
    );
    let abi = if major == "0" {
        format!("{major}.{minor}")
    } else {
        major.clone()
    };
    match var("CARGO_CFG_TARGET_OS").as_str() {
        // ELF platforms whose linkers (GNU ld, gold, lld) take -soname
        "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly" => {
            println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libaurorax.so.{abi}");
        }
        // Mach-O: the loader finds the library through the program's rpath entries
        "macos" | "ios" => {
            println!("cargo:rustc-cdylib-link-arg=-Wl,-install_name,@rpath/libaurorax.{abi}.dylib");
            // ld64 wants X[.Y[.Z]] with each part <= 65535; compatibility_version is the ABI
            let compat = if major == "0" {
                format!("0.{minor}.0")
            } else {
                format!("{major}.0.0")
            };
            println!("cargo:rustc-cdylib-link-arg=-Wl,-compatibility_version,{compat}");
            println!("cargo:rustc-cdylib-link-arg=-Wl,-current_version,{major}.{minor}.{patch}");
        }
        // Windows (DLLs are found by file name) and anything else: no link argument, so the
        // build never fails on a flag the linker does not know
        _ => {}
    }
}
