//! One small package, changed one way per test: each change kind with each class it can take.

use std::path::PathBuf;

use super::{Class, Kind, next_version};
use crate::{Config, NumberPolicy};

const USERS_DTS: &str = r#"
export type Status = "active" | "pending";
export type Role = "admin" | "member";
export interface Cat { kind: "cat"; lives: number; }
export interface Dog { kind: "dog"; good: boolean; }
export type Pet = Cat | Dog;
/** A user. */
export interface User {
    user_id: string;
    /** Display name. */
    name?: string;
    status: Status;
    pet?: Pet;
}
export interface UsersGetRequest {
    user_id: string;
    role?: Role;
}
export interface UsersGetResponse {
    user: User;
}
export declare class Users {
    /** Get a user. */
    get(params: UsersGetRequest): Promise<UsersGetResponse>;
}
"#;

const USERS_JS: &str = r#"
"use strict";
var _shared = require("./shared");
class Users {
  constructor(fetchConfig) {
    this.fetchConfig = fetchConfig;
  }
  get(params) {
    const headers = {};
    return (0, _shared.request)(this.fetchConfig, {
      method: "GET",
      url: `/v1/users/${encodeURIComponent(params.user_id)}`,
      headers,
      params: {}
    });
  }
}
exports.Users = Users;
"#;

const CLIENT_DTS: &str = r#"
import { Users } from "./users";
export declare class Client {
    users: Users;
    constructor(config: unknown);
}
"#;

const CLIENT_JS: &str = r#"
"use strict";
var _users = require("./users");
class Client {
  constructor(config) {
    this.users = new _users.Users(config);
  }
}
exports.Client = Client;
"#;

/// A package with these `users` declarations and JS (and `client` ones), generated in memory.
fn generate(name: &str, users_dts: &str, users_js: &str, client_dts: &str, client_js: &str) -> crate::Generated {
    let dir: PathBuf = std::env::temp_dir().join(format!("codegen-diff-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let files = [
        ("package.json", r#"{ "name": "p", "version": "1.0.0", "types": "./types/index.d.ts", "main": "./dist/index.js" }"#),
        ("types/index.d.ts", "import { Client } from \"./client\";\nexport { Client };\n"),
        ("types/users.d.ts", users_dts),
        ("types/client.d.ts", client_dts),
        ("dist/index.js", "\"use strict\";\nexports.Client = require(\"./client\").Client;\n"),
        ("dist/users.js", users_js),
        ("dist/client.js", client_js),
        ("dist/shared/index.js", "\"use strict\";\nexports.request = request;\nasync function request(fetchConfig, requestConfig) {}\n"),
    ];
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let generated = Config::new(&dir).number(NumberPolicy::Integer).generate();
    let _ = std::fs::remove_dir_all(&dir);
    generated.unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

/// Every change from the base package to one whose `users` files have these replacements.
fn changes(name: &str, dts: &[(&str, &str)], js: &[(&str, &str)]) -> Vec<(Kind, Class, String)> {
    let replace = |text: &str, edits: &[(&str, &str)]| {
        edits.iter().fold(text.to_string(), |t, (from, to)| {
            assert!(t.contains(from), "{name}: `{from}` not in the base package");
            t.replacen(from, to, 1)
        })
    };
    let old = generate(&format!("{name}-old"), USERS_DTS, USERS_JS, CLIENT_DTS, CLIENT_JS);
    let new = generate(&format!("{name}-new"), &replace(USERS_DTS, dts), &replace(USERS_JS, js), CLIENT_DTS, CLIENT_JS);
    super::diff(&old, &new).changes.into_iter().map(|c| (c.kind, c.class, c.path)).collect()
}

fn one(kind: Kind, class: Class, path: &str) -> Vec<(Kind, Class, String)> {
    vec![(kind, class, path.to_string())]
}

#[test]
fn nothing_changed_is_an_empty_diff() {
    assert_eq!(changes("same", &[], &[]), vec![]);
}

#[test]
fn a_new_optional_request_field_is_additive() {
    let got = changes("opt-req", &[("role?: Role;", "role?: Role;\n    limit?: number;")], &[]);
    assert_eq!(got, one(Kind::FieldAdded, Class::Additive, "users::UsersGetRequest::limit"));
}

#[test]
fn a_new_required_request_field_is_breaking() {
    let got = changes("req-req", &[("role?: Role;", "role?: Role;\n    limit: number;")], &[]);
    assert_eq!(got, one(Kind::FieldAdded, Class::Breaking, "users::UsersGetRequest::limit"));
}

#[test]
fn a_new_response_field_is_additive_even_when_required() {
    let got = changes("resp", &[("user: User;", "user: User;\n    total: number;")], &[]);
    assert_eq!(got, one(Kind::FieldAdded, Class::Additive, "users::UsersGetResponse::total"));
}

#[test]
fn a_removed_field_is_breaking() {
    let got = changes("removed-field", &[("    pet?: Pet;\n", "")], &[]);
    // `Pet`'s variant structs are then reached by no operation, so they count as requests and
    // are built by constructor (`emit::construct`), without `Default`.
    assert_eq!(
        got,
        vec![
            (Kind::DefaultRemoved, Class::Breaking, "users::PetCat".to_string()),
            (Kind::DefaultRemoved, Class::Breaking, "users::PetDog".to_string()),
            (Kind::FieldRemoved, Class::Breaking, "users::User::pet".to_string()),
        ]
    );
}

#[test]
fn optional_to_required_and_back_change_the_rust_type() {
    let got = changes("required", &[("name?: string;", "name: string;")], &[]);
    assert_eq!(got, one(Kind::FieldRequired, Class::Breaking, "users::User::name"));
    let got = changes("optional", &[("status: Status;", "status?: Status;")], &[]);
    assert_eq!(got, one(Kind::FieldOptional, Class::Breaking, "users::User::status"));
}

#[test]
fn a_field_type_change_is_breaking() {
    let got = changes("field-type", &[("user_id: string;\n    /**", "user_id: number;\n    /**")], &[]);
    assert_eq!(got, one(Kind::FieldTypeChanged, Class::Breaking, "users::User::user_id"));
}

#[test]
fn a_new_enum_value_is_breaking_in_responses_and_additive_in_requests_only() {
    let got = changes("enum-resp", &[(r#""active" | "pending";"#, r#""active" | "pending" | "banned";"#)], &[]);
    assert_eq!(got, one(Kind::EnumValueAdded, Class::Breaking, "users::Status::Banned"));
    let got = changes("enum-req", &[(r#""admin" | "member";"#, r#""admin" | "member" | "owner";"#)], &[]);
    assert_eq!(got, one(Kind::EnumValueAdded, Class::Additive, "users::Role::Owner"));
    let got = changes("enum-removed", &[(r#""admin" | "member";"#, r#""admin";"#)], &[]);
    assert_eq!(got, one(Kind::EnumValueRemoved, Class::Breaking, "users::Role::Member"));
}

#[test]
fn union_variants_added_and_removed() {
    let bird = "export interface Bird { kind: \"bird\"; }\nexport type Pet = Cat | Dog | Bird;";
    let got = changes("variant-added", &[("export type Pet = Cat | Dog;", bird)], &[]);
    assert_eq!(
        got,
        vec![
            (Kind::UnionVariantAdded, Class::Breaking, "users::Pet::Bird".to_string()),
            (Kind::TypeAdded, Class::Additive, "users::Bird".to_string()),
            (Kind::TypeAdded, Class::Additive, "users::BirdKind".to_string()),
            (Kind::TypeAdded, Class::Additive, "users::PetBird".to_string()),
        ]
    );
    // The same move backwards.
    let old = generate("variant-removed-old", &USERS_DTS.replace("export type Pet = Cat | Dog;", bird), USERS_JS, CLIENT_DTS, CLIENT_JS);
    let new = generate("variant-removed-new", USERS_DTS, USERS_JS, CLIENT_DTS, CLIENT_JS);
    let got: Vec<_> = super::diff(&old, &new).changes.into_iter().map(|c| (c.kind, c.class, c.path)).collect();
    assert_eq!(
        got,
        vec![
            (Kind::TypeRemoved, Class::Breaking, "users::Bird".to_string()),
            (Kind::TypeRemoved, Class::Breaking, "users::BirdKind".to_string()),
            (Kind::UnionVariantRemoved, Class::Breaking, "users::Pet::Bird".to_string()),
            (Kind::TypeRemoved, Class::Breaking, "users::PetBird".to_string()),
        ]
    );
}

#[test]
fn types_added_and_removed() {
    let got = changes("type-added", &[("export type Role", "export interface Extra { a: string; }\nexport type Role")], &[]);
    assert_eq!(got, one(Kind::TypeAdded, Class::Additive, "users::Extra"));
    let got = changes("type-kind", &[(r#"export type Role = "admin" | "member";"#, "export type Role = string;")], &[]);
    assert_eq!(got, one(Kind::TypeChanged, Class::Breaking, "users::Role"));
}

#[test]
fn a_struct_losing_default_is_breaking() {
    // A required field of a union type (no default) takes `Default` away from the response.
    let got = changes("default", &[("user: User;", "user: User;\n    pet: Pet;")], &[]);
    assert_eq!(
        got,
        vec![
            (Kind::DefaultRemoved, Class::Breaking, "users::UsersGetResponse".to_string()),
            (Kind::FieldAdded, Class::Additive, "users::UsersGetResponse::pet".to_string()),
        ]
    );
    // A request reaching `Pet` makes its variant structs request types, built by constructor.
    let got = changes("default-req", &[("role?: Role;", "role?: Role;\n    pet: Pet;")], &[]);
    assert_eq!(
        got,
        vec![
            (Kind::DefaultRemoved, Class::Breaking, "users::PetCat".to_string()),
            (Kind::DefaultRemoved, Class::Breaking, "users::PetDog".to_string()),
            (Kind::FieldAdded, Class::Breaking, "users::UsersGetRequest::pet".to_string()),
        ]
    );
}

#[test]
fn doc_changes_are_doc_only() {
    let got = changes("doc", &[("/** Display name. */", "/** The display name. */"), ("/** Get a user. */", "/** Get one user. */")], &[]);
    assert_eq!(
        got,
        vec![
            (Kind::DocChanged, Class::DocOnly, "Client.users.get".to_string()),
            (Kind::DocChanged, Class::DocOnly, "users::User::name".to_string()),
        ]
    );
}

const SEARCH_DTS: &str = "    get(params: UsersGetRequest): Promise<UsersGetResponse>;\n    search(params: UsersGetRequest): Promise<UsersGetResponse>;";
const SEARCH_JS: &str = r#"
  search(params) {
    return (0, _shared.request)(this.fetchConfig, { method: "GET", url: `/v1/users/search`, params: { ...params } });
  }
}
exports.Users"#;

#[test]
fn operations_added_removed_and_changed_on_the_wire_or_in_signature() {
    let get = "    get(params: UsersGetRequest): Promise<UsersGetResponse>;";
    let got = changes("op-added", &[(get, SEARCH_DTS)], &[("}\nexports.Users", SEARCH_JS)]);
    assert_eq!(got, one(Kind::OperationAdded, Class::Additive, "Client.users.search"));
    let got = changes("op-wire", &[], &[(r#"method: "GET""#, r#"method: "POST""#), ("params: {}", "params: { ...params }")]);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got.iter().all(|c| c.0 == Kind::OperationWireChanged && c.1 == Class::Additive && c.2 == "Client.users.get"));
    let got = changes("op-sig", &[("Promise<UsersGetResponse>;\n}", "Promise<User>;\n}")], &[]);
    // The old response, reached by no operation now, counts as a request: built by constructor.
    assert_eq!(
        got,
        vec![
            (Kind::OperationSignatureChanged, Class::Breaking, "Client.users.get".to_string()),
            (Kind::DefaultRemoved, Class::Breaking, "users::UsersGetResponse".to_string()),
        ]
    );
}

#[test]
fn a_method_that_becomes_hand_written_is_an_operation_removed_and_a_hand_written_method_added() {
    let js = [("  get(params) {", "  // MANUAL(get)(SERVICE_METHOD)\n  get(params) {"), ("  }\n}\nexports", "  }\n  // ENDMANUAL(get)\n}\nexports")];
    let got = changes("hand", &[], &js);
    assert_eq!(
        got,
        vec![
            (Kind::OperationRemoved, Class::Breaking, "Client.users.get".to_string()),
            (Kind::HandWrittenAdded, Class::Additive, "users#get".to_string()),
            // Without any operation nothing is known to be a request: every struct has `Default`.
            (Kind::DefaultAdded, Class::Additive, "users::Cat".to_string()),
            (Kind::DefaultAdded, Class::Additive, "users::Dog".to_string()),
            (Kind::DefaultAdded, Class::Additive, "users::UsersGetRequest".to_string()),
        ]
    );
}

#[test]
fn clients_added_and_moved() {
    let two = "    users: Users;\n    people: Users;";
    let old = generate("client-old", USERS_DTS, USERS_JS, CLIENT_DTS, CLIENT_JS);
    let new = generate("client-new", USERS_DTS, USERS_JS, &CLIENT_DTS.replace("    users: Users;", two), &CLIENT_JS.replace("this.users = new _users.Users(config);", "this.users = new _users.Users(config);\n    this.people = new _users.Users(config);"));
    let got: Vec<_> = super::diff(&old, &new).changes.into_iter().map(|c| (c.kind, c.class, c.path)).collect();
    assert_eq!(got, one(Kind::ClientAdded, Class::Additive, "Client.people"));
    let moved = generate("client-moved", USERS_DTS, USERS_JS, &CLIENT_DTS.replace("users: Users;", "people: Users;"), &CLIENT_JS.replace("this.users", "this.people"));
    let got: Vec<_> = super::diff(&old, &moved).changes.into_iter().map(|c| (c.kind, c.class, c.path, c.new)).collect();
    assert_eq!(got, vec![(Kind::ClientMoved, Class::Breaking, "Client.users".to_string(), Some("Client.people".to_string()))]);
}

#[test]
fn markdown_lists_breaking_first_with_rust_paths() {
    let old = generate("md-old", USERS_DTS, USERS_JS, CLIENT_DTS, CLIENT_JS);
    let new_dts = USERS_DTS.replace("name?: string;", "name: string;").replace("role?: Role;", "role?: Role;\n    limit?: number;");
    let new = generate("md-new", &new_dts, USERS_JS, CLIENT_DTS, CLIENT_JS);
    let md = super::diff(&old, &new).markdown();
    let breaking = md.find("### Breaking (1)").expect(&md);
    let additive = md.find("### Additive (1)").expect(&md);
    assert!(breaking < additive, "{md}");
    assert!(md.contains("- `users::User::name`: field optional → required: `Option<String>` → `String` [response]"), "{md}");
    assert!(md.contains("| field added | 0 | 1 | 0 |"), "{md}");
}

#[test]
fn next_version_follows_semver_with_the_0x_rule() {
    assert_eq!(next_version("0.3.1", Some(Class::Breaking)).unwrap(), "0.4.0");
    assert_eq!(next_version("0.3.1", Some(Class::Additive)).unwrap(), "0.3.2");
    assert_eq!(next_version("0.3.1", Some(Class::DocOnly)).unwrap(), "0.3.2");
    assert_eq!(next_version("0.3.1", None).unwrap(), "0.3.2");
    assert_eq!(next_version("0.0.4", Some(Class::Breaking)).unwrap(), "0.0.5");
    assert_eq!(next_version("1.2.3", Some(Class::Breaking)).unwrap(), "2.0.0");
    assert_eq!(next_version("1.2.3", Some(Class::Additive)).unwrap(), "1.3.0");
    assert_eq!(next_version("1.2.3-beta.1", Some(Class::DocOnly)).unwrap(), "1.2.4");
    assert!(next_version("1.2", None).is_err());
    assert!(next_version("x.y.z", None).is_err());
}

/// The rule for new enum variants depends on whether the emitter marks enums
/// `#[non_exhaustive]`; this keeps the rule's constant in step with the emitted code.
#[test]
fn the_enum_rule_matches_what_the_emitter_writes() {
    let g = generate("emitted", USERS_DTS, USERS_JS, CLIENT_DTS, CLIENT_JS);
    let text: String = g.files.values().cloned().collect();
    assert!(text.contains("pub enum Status"), "{text}");
    // Structs built by constructor are `#[non_exhaustive]`; enums are what the rule is about.
    assert_eq!(text.contains("#[non_exhaustive]\npub enum"), super::rules::ENUMS_NON_EXHAUSTIVE);
}

#[test]
fn a_client_class_renamed_upstream_keeps_its_path_and_operations() {
    let old = generate("class-old", USERS_DTS, USERS_JS, CLIENT_DTS, CLIENT_JS);
    let rename = |t: &str| t.replace("class Users", "class People").replace("exports.Users = Users", "exports.People = People");
    let client_dts = CLIENT_DTS.replace("import { Users }", "import { People }").replace("users: Users;", "users: People;");
    let new = generate("class-new", &rename(USERS_DTS), &rename(USERS_JS), &client_dts, &CLIENT_JS.replace("_users.Users(", "_users.People("));
    let got: Vec<_> = super::diff(&old, &new).changes.into_iter().map(|c| (c.kind, c.class, c.path, c.new)).collect();
    assert_eq!(got, vec![(Kind::Renamed, Class::Breaking, "Client.users".to_string(), Some("People".to_string()))]);
}
