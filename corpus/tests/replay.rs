//! The node replay comparison: every generated call of the openai client is sent to a mock
//! server with inputs built from its Rust types (path arguments `id-N x`, the params object
//! decoded from `{}`), then the same method of the JS SDK is called in node with the same
//! inputs and a stubbed `fetch` (`replay.js`); the method, path and query, body and the API's
//! own headers must be the same bytes. Needs node and the fetched package
//! (`cargo run -p npm-sdk-codegen -- fetch specs/openai.toml`).

use std::collections::BTreeMap;
use std::path::Path;

use npm_sdk_runtime::stainless::ClientOptions;
use corpus::openai::OpenAI;
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

// Every call is driven, the deprecated ones (the Assistants API) too.
#[allow(deprecated)]
mod harness {
    use super::OpenAI;
    fn input<T: serde::de::DeserializeOwned>() -> Result<T, String> {
        serde_json::from_value(serde_json::json!({})).map_err(|e| format!("no input: the params type does not decode from {{}}: {e}"))
    }
    include!(concat!(env!("OUT_DIR"), "/openai_replay.rs"));
}

/// Headers the API reads (not the SDKs' own telemetry: `user-agent`, `x-stainless-*`).
const COMPARED_HEADERS: [&str; 3] = ["authorization", "openai-beta", "content-type"];

fn recorded(r: &wiremock::Request) -> Value {
    let url = r.url.as_str();
    let after_base = url.split_once("/v1").map_or(url, |(_, rest)| rest);
    let mut headers = BTreeMap::new();
    for name in COMPARED_HEADERS {
        if let Some(v) = r.headers.get(name) {
            headers.insert(name, v.to_str().unwrap_or("").to_string());
        }
    }
    // JS sends no content type without a body; compare it only beside a body.
    if r.body.is_empty() {
        headers.remove("content-type");
    }
    json!({ "method": r.method.as_str(), "url": after_base, "headers": headers, "body": String::from_utf8_lossy(&r.body) })
}

#[tokio::test]
async fn every_generated_call_sends_what_the_js_sdk_sends() {
    let package = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.cache/npm/openai-6.49.0/package");
    assert!(package.join("package.json").is_file(), "fetch the package: cargo run -p npm-sdk-codegen -- fetch specs/openai.toml");
    let server = MockServer::start().await;
    let reply = json!({"id": "x", "object": "list", "data": [], "has_more": false});
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(reply)).mount(&server).await;
    let options = ClientOptions::new(OpenAI::DEFAULTS)
        .with_base_url(format!("{}/v1", server.uri()))
        .with_token("apiKey", "sk-test")
        .with_token("adminAPIKey", "sk-admin")
        .with_max_retries(0)
        .allow_http_loopback();
    let client = OpenAI::new(options).expect("client builds");

    let mut cases = Vec::new();
    let mut no_input = Vec::new();
    for i in 0..harness::OPS {
        let before = server.received_requests().await.unwrap().len();
        let Some(result) = harness::replay_one(i, &client).await else { continue };
        let sent = server.received_requests().await.unwrap();
        match (result, &sent[before..]) {
            (Ok(inputs), [one]) => cases.push(json!({ "op": i, "inputs": inputs, "rust": recorded(one) })),
            (Ok(inputs), other) => no_input.push(format!("op {i} {inputs}: sent {} requests", other.len())),
            (Err(why), _) => no_input.push(format!("op {i}: {why}")),
        }
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("replay");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("rust.json");
    std::fs::write(&file, serde_json::to_string_pretty(&cases).unwrap()).unwrap();
    let out = std::process::Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/replay.js"))
        .arg(&package)
        .arg(&file)
        .output()
        .expect("node runs");
    assert!(out.status.success(), "node failed: {}", String::from_utf8_lossy(&out.stderr));
    let js: Vec<Value> = serde_json::from_slice(&out.stdout).expect("node prints JSON");
    let mut matched = 0;
    let mut differ = Vec::new();
    for (case, js) in cases.iter().zip(&js) {
        if case["rust"] == *js {
            matched += 1;
        } else {
            differ.push(format!("{} {}:\n  rust {}\n  js   {js}", case["inputs"]["path"], case["inputs"]["method"], case["rust"]));
        }
    }
    println!(
        "replay: {} generated calls, {} with inputs, {matched} match the JS SDK byte for byte; {} without inputs",
        cases.len() + no_input.len(),
        cases.len(),
        no_input.len()
    );
    for n in &no_input {
        println!("  {n}");
    }
    assert!(differ.is_empty(), "{} of {} calls differ from the JS SDK:\n{}", differ.len(), cases.len(), differ.join("\n"));
}
