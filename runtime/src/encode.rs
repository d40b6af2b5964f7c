//! Encoding helpers that mirror JavaScript built-ins.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

/// Percent-encodes `s` like JS `encodeURIComponent`.
///
/// The unreserved characters `A-Z a-z 0-9 - _ . ! ~ * ' ( )` are kept; every
/// other character is written as the `%XX` escapes (uppercase hex) of its
/// UTF-8 bytes.
///
/// ```
/// assert_eq!(npm_sdk_runtime::encode_path_segment("a/b?c%d e"), "a%2Fb%3Fc%25d%20e");
/// ```
pub fn encode_path_segment(s: &str) -> String {
    utf8_percent_encode(s, URI_COMPONENT).to_string()
}

/// What `encodeURIComponent` escapes: everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )`.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'!').remove(b'~').remove(b'*').remove(b'\'').remove(b'(').remove(b')');

/// JS `String(value)` for a value that is not `undefined`; `None` for `null`,
/// which stands for `undefined` (an absent `Option`).
pub(crate) fn js_string_param(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        other => Some(js_string(other)),
    }
}

/// JS `String(value)`, with `Array.prototype.toString` semantics for arrays.
fn js_string(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => js_number(n),
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Null => String::new(),
                other => js_string(other),
            })
            .collect::<Vec<_>>()
            .join(","),
        Value::Object(_) => "[object Object]".to_owned(),
    }
}

/// Formats a number as JS does in the usual range: integers without a
/// fraction (`2.0` is `"2"`), and `-0` as `"0"`.
fn js_number(n: &serde_json::Number) -> String {
    if n.is_f64() {
        match n.as_f64() {
            // Also matches -0.0, which JS prints as "0".
            Some(0.0) => "0".to_owned(),
            Some(f) => f.to_string(),
            None => n.to_string(),
        }
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn js_string_matches_node() {
        // Expected strings printed by node's String().
        let arr = json!([1, null, "a", [2, [3, null]], {}, true, 1.5]);
        assert_eq!(js_string(&arr), "1,,a,2,3,,[object Object],true,1.5");
        assert_eq!(js_string(&json!(2.0)), "2");
        assert_eq!(js_string(&json!(-0.0)), "0");
        assert_eq!(js_string(&json!(0.25)), "0.25");
        assert_eq!(js_string(&json!(-7)), "-7");
        assert_eq!(js_string(&json!(u64::MAX)), "18446744073709551615");
        assert_eq!(js_string(&json!({"a": 1})), "[object Object]");
        assert_eq!(js_string_param(&Value::Null), None);
        assert_eq!(js_string_param(&json!(false)).as_deref(), Some("false"));
    }

    #[test]
    fn encodes_like_encode_uri_component() {
        // Expected strings printed by node's encodeURIComponent().
        assert_eq!(encode_path_segment("-_.!~*()'AZaz09"), "-_.!~*()'AZaz09");
        assert_eq!(
            encode_path_segment("#[]@:+,;=&$"),
            "%23%5B%5D%40%3A%2B%2C%3B%3D%26%24"
        );
    }
}
