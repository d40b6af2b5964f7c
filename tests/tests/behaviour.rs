//! What the reviewed fixture snapshots do at run time: this crate compiles every snapshot (see
//! build.rs), so the generated types can be exercised directly.

use integration_tests::*;
use serde_json::json;

fn roundtrip<T: serde::Serialize + serde::de::DeserializeOwned>(value: serde_json::Value) -> (T, serde_json::Value) {
    let decoded: T = serde_json::from_value(value).expect("decodes");
    let encoded = serde_json::to_value(&decoded).unwrap();
    (decoded, encoded)
}

#[test]
fn open_string_enums_keep_unknown_values_and_exact_wire_strings() {
    use string_unions::index::{Request, RequestLocale, Status};
    let (req, back): (Request, _) = roundtrip(json!({"locale": "pt-br", "kind": "only", "weird": "a b", "status": "archived", "level": "high"}));
    assert_eq!(req.locale, Some(RequestLocale::PtBr));
    assert_eq!(req.status, Status::Other("archived".into()));
    assert_eq!(back["status"], "archived");
    assert_eq!(back["locale"], "pt-br");
    assert_eq!(RequestLocale::PtBr.as_str(), "pt-br");
    // A missing enum decodes to the detectable catch-all holding "".
    let (req, _): (Request, _) = roundtrip(json!({}));
    assert_eq!(req.status, Status::Other(String::new()));
}

#[test]
fn optional_fields_are_omitted_and_accept_null_or_absence() {
    use primitives::index::Primitives;
    let (p, back): (Primitives, _) = roundtrip(json!({"name": "x", "maybe": null, "or_null": null, "count": 60}));
    assert_eq!(p.maybe, None);
    assert_eq!(back["count"], json!(60));
    assert!(back.get("maybe").is_none() && back.get("or_null").is_none() && back.get("when").is_none());
    assert_eq!(serde_json::to_string(&back["count"]).unwrap(), "60", "integers never become 60.0");
}

#[test]
fn unknown_fields_are_ignored_and_index_signatures_keep_extra_keys() {
    use primitives::index::WithIndex;
    let (w, back): (WithIndex, _) = roundtrip(json!({"known": "k", "extra": [1, 2]}));
    assert_eq!(w.known, "k");
    assert_eq!(w.additional_properties["extra"], json!([1, 2]));
    assert_eq!(back, json!({"known": "k", "extra": [1, 2]}));
}

#[test]
fn tagged_unions_decode_by_tag_and_open_ones_keep_unknown_cases() {
    use tagged_unions::index::{Factor, Operand, OperandKnown};
    let (f, back): (Factor, _) = roundtrip(json!({"type": "phone", "phone_number": "+1", "verified": true}));
    assert!(matches!(&f, Factor::Phone(p) if p.phone_number == "+1" && p.verified == Some(true)));
    assert_eq!(back, json!({"type": "phone", "phone_number": "+1", "verified": true}));
    let (f, _): (Factor, _) = roundtrip(json!({"type": "passkey"}));
    assert_eq!(f, Factor::Unknown);

    let (o, _): (Operand, _) = roundtrip(json!({"filter_name": "user_id", "filter_value": ["u1"]}));
    assert!(matches!(o, Operand::Known(OperandKnown::UserId(ref v)) if v.filter_value == ["u1"]));
    let unknown = json!({"filter_name": "new_filter", "filter_value": {"any": 1}});
    let (o, back): (Operand, _) = roundtrip(unknown.clone());
    assert!(matches!(o, Operand::Other(ref v) if v.filter_name == "new_filter"));
    assert_eq!(back, unknown, "an unknown case survives a round trip");
}

#[test]
fn untagged_unions_pick_the_most_specific_variant() {
    use untagged_unions::index::{Holder, HolderId, HolderMany, HolderShapes};
    let (h, _): (Holder, _) = roundtrip(json!({"id": 7, "many": "one", "shapes": {"a": "x", "b": "y"}, "mixed": "auto"}));
    assert_eq!(h.id, HolderId::Number(7.0));
    assert_eq!(h.many, HolderMany::String("one".into()));
    assert!(matches!(h.shapes, HolderShapes::Big(_)), "the struct with more required fields is tried first");
    let (h, _): (Holder, _) = roundtrip(json!({"id": "abc", "many": ["a"], "shapes": {"a": "x"}, "mixed": 3}));
    assert!(matches!(h.shapes, HolderShapes::Small(_)));
    assert_eq!(h.many, HolderMany::List(vec!["a".into()]));
}

#[test]
fn keywords_and_odd_wire_names_round_trip() {
    use keywords::index::Keywords;
    let wire = json!({
        "type": "t", "ref": "r", "override": "o", "self": "s", "x5tS256": "x",
        "https://stytch.com/session": "c", "userId": "camel", "user_id": "snake", "123start": "n"
    });
    let (k, back): (Keywords, _) = roundtrip(wire.clone());
    assert_eq!((k.r#type.as_str(), k.user_id.as_str(), k.user_id_2.as_str()), ("t", "snake", "camel"));
    assert_eq!(back, wire);
}

#[test]
fn recursive_and_merged_types_work() {
    use merging::index::{Derived, Loose};
    use recursion::index::TreeNode;
    let (t, _): (TreeNode, _) = roundtrip(json!({"value": "leaf", "parent": {"value": "root", "children": []}, "children": []}));
    assert_eq!(t.parent.unwrap().value, "root");
    let (d, _): (Derived, _) = roundtrip(json!({"id": "1", "created_at": "now", "name": "n"}));
    assert_eq!(d.created_at, "now", "the override is required");
    let (l, back): (Loose, _) = roundtrip(json!({"name": "only"}));
    assert_eq!(l.id, None);
    assert_eq!(back, json!({"name": "only"}));
}

#[test]
fn unions_of_aliased_unions_are_decided_by_one_tag() {
    use tagged_unions::index::{AnyFilter, AnyFilterKnown};
    let (f, _): (AnyFilter, _) = roundtrip(json!({"kind": "member_ids", "ids": ["m1"]}));
    assert!(matches!(f, AnyFilter::Known(AnyFilterKnown::MemberIds(ref v)) if v.ids == ["m1"]), "{f:?}");
    let (f, _): (AnyFilter, _) = roundtrip(json!({"kind": "org_ids", "ids": ["o1"]}));
    assert!(matches!(f, AnyFilter::Known(AnyFilterKnown::OrgIds(_))), "{f:?}");
    let (f, back): (AnyFilter, _) = roundtrip(json!({"kind": "brand_new", "x": 1}));
    assert!(matches!(f, AnyFilter::Other(_)));
    assert_eq!(back, json!({"kind": "brand_new", "x": 1}));
}

#[test]
fn debug_redacts_secret_fields_and_shows_the_others() {
    use redaction::index::{LoginRequest, Password, User};
    let request = LoginRequest {
        email: "sandbox@stytch.com".into(),
        password: "hunter2-password".into(),
        session_token: Some("token-value-1".into()),
        session_jwt: None,
        client_secret: "client-secret-value".into(),
        recovery_codes: vec!["recovery-code-1".into()],
        code: "oauth-code-value".into(),
        custom_secrets: Some([("k".to_owned(), "custom-secret-value".to_owned())].into()),
        pin: 987_654,
        favourite_color: Some("option-added-name".into()),
        status_code: 200,
        country_code: "NZ".into(),
        token_type: "bearer".into(),
        valid_password: true,
        ..LoginRequest::default()
    };
    for debug in [format!("{request:?}"), format!("{request:#?}")] {
        for secret in ["hunter2", "token-value-1", "client-secret-value", "recovery-code-1", "oauth-code-value", "custom-secret-value", "987654", "option-added-name"] {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
        for shown in ["sandbox@stytch.com", "200", "NZ", "bearer", "valid_password: true"] {
            assert!(debug.contains(shown), "{shown} not in {debug}");
        }
    }
    let debug = format!("{request:?}");
    assert!(debug.starts_with("LoginRequest { email: \"sandbox@stytch.com\", password: <redacted>, session_token: Some(<redacted>), session_jwt: None,"), "{debug}");
    // A field holding a struct is shown; the struct's own fields follow the rule.
    let user = User { user_id: "user-1".into(), password: Some(Password { password_id: "password-id-1".into(), requires_reset: false }) };
    assert!(format!("{user:?}").contains("password-id-1"));
}

/// Polls a future once: the calls below must finish before any I/O.
fn poll_once<F: std::future::Future>(f: F) -> std::task::Poll<F::Output> {
    let mut f = std::pin::pin!(f);
    f.as_mut().poll(&mut std::task::Context::from_waker(std::task::Waker::noop()))
}

#[test]
fn a_path_parameter_guard_refuses_the_request_before_sending_it() {
    use forms::projects::{Projects, ProjectsGetRequest};
    let config = npm_sdk_runtime::Config::new("https://127.0.0.1:9").unwrap();
    let projects = Projects::from_transport(npm_sdk_runtime::Transport::new(config).unwrap());
    // The guarded optional field is required in Rust; empty, the JS check applies, same code and
    // message, and nothing is sent (the call completes on its first poll, with no server).
    let request = ProjectsGetRequest::new(String::new());
    match poll_once(projects.get(&request)) {
        std::task::Poll::Ready(Err(npm_sdk_runtime::Error::Client { code, message })) => {
            assert_eq!((code.as_str(), message.as_str()), ("MISSING_PATH_PARAMETER", "project_slug cannot be empty"));
        }
        other => panic!("expected the guard's error at once, got {:?}", other.map(|r| r.map(|_| ()))),
    }
}

#[test]
fn written_out_serde_impls_decode_as_the_derives_did_and_as_json_parse_does() {
    use primitives::index::{Primitives, WithIndex};
    use string_unions::index::Status;
    use untagged_unions::index::Big;
    // Wire order is declaration order, then the undeclared keys.
    let (w, _): (WithIndex, _) = roundtrip(json!({"b": 2, "known": "k", "a": 1}));
    assert_eq!(serde_json::to_string(&w).unwrap(), r#"{"known":"k","a":1,"b":2}"#);
    // A repeated key keeps its last value, as `JSON.parse` does.
    let p: Primitives = serde_json::from_str(r#"{"name": "first", "name": "last"}"#).unwrap();
    assert_eq!(p.name, "last");
    // A struct is an object: an array of its fields is not (the derive took one).
    let e = serde_json::from_value::<Primitives>(json!(["x"])).unwrap_err().to_string();
    assert!(e.contains("expected struct Primitives"), "{e}");
    // A strict struct (a variant of an untagged union) names the missing field, as serde does.
    let e = serde_json::from_value::<Big>(json!({"a": "x"})).unwrap_err().to_string();
    assert_eq!(e, "missing field `b`");
    // `null` in a required field is an error, as with the derive (the runtime drops nulls first).
    assert!(serde_json::from_value::<Big>(json!({"a": "x", "b": null})).is_err());
    // A string enum is its wire string: `From<String>` decodes, `as_str` encodes.
    assert_eq!(Status::from("active".to_owned()), Status::Active);
    assert_eq!(Status::from("new".to_owned()), Status::Other("new".into()));
    assert!(serde_json::from_value::<Status>(json!(1)).is_err());
}
