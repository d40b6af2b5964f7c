//! The build-script sink: the lines cargo reads from a build script's standard output. Cargo
//! reads one directive per line (`cargo::KEY=VALUE`), so anything that could break a line would
//! let input text start a directive of its own (`cargo::rustc-cfg=...`). Paths that cannot be
//! printed as they are (not UTF-8, or holding a control character) are refused, never altered:
//! cargo would watch a different file. Warning text is made one line by escaping.

use std::path::Path;

use crate::diag::{Diagnostic, Loc};

/// `cargo::rerun-if-changed=PATH`, or an error diagnostic when `path` cannot be printed safely.
pub(crate) fn rerun_if_changed(path: &Path) -> Result<String, Diagnostic> {
    let shown = one_line(&path.to_string_lossy());
    let refuse = |why: &str| {
        Diagnostic::error(
            Loc { file: shown.clone(), line: 1, col: 1 },
            format!("{why}: cargo cannot be told to watch it safely from a build script; rename it"),
        )
    };
    let text = path.to_str().ok_or_else(|| refuse("the path is not UTF-8 (shown with U+FFFD)"))?;
    if text.chars().any(char::is_control) {
        return Err(refuse("the path holds a line break or another control character (shown escaped)"));
    }
    Ok(format!("cargo::rerun-if-changed={text}"))
}

/// `cargo::warning=FILE:LINE:COL: MESSAGE`, always one line.
pub(crate) fn warning(d: &Diagnostic) -> String {
    format!("cargo::warning={}: {}", one_line(&d.loc.to_string()), one_line(&d.message))
}

/// Text with every control character (line breaks, CR, ...) and line separator escaped.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') { c.escape_default().to_string() } else { c.to_string() })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_with_a_line_break_is_refused() {
        let path = Path::new("/p/types/x\ncargo::rustc-cfg=injected\ny.d.ts");
        let err = rerun_if_changed(path).unwrap_err();
        assert!(err.is_error());
        assert!(!err.loc.file.contains('\n'), "{:?}", err.loc.file);
        assert!(rerun_if_changed(Path::new("/p/a\rb.d.ts")).is_err());
        assert_eq!(rerun_if_changed(Path::new("/p/a b.d.ts")).unwrap(), "cargo::rerun-if-changed=/p/a b.d.ts");
    }

    #[cfg(unix)]
    #[test]
    fn a_non_utf8_path_is_refused() {
        use std::os::unix::ffi::OsStrExt;
        let path = Path::new(std::ffi::OsStr::from_bytes(b"/p/\xff.d.ts"));
        assert!(rerun_if_changed(path).unwrap_err().message.contains("not UTF-8"));
    }

    #[test]
    fn a_warning_is_one_line() {
        let d = Diagnostic::warning(Loc { file: "a\nb".into(), line: 1, col: 2 }, "m\r\ncargo::rustc-cfg=x\u{2028}");
        let line = warning(&d);
        assert!(!line.contains(['\n', '\r', '\u{2028}']), "{line:?}");
        assert!(line.starts_with("cargo::warning=a\\nb:1:2: m\\r\\ncargo"), "{line:?}");
    }
}
