//! The raw JSON of responses, for fields the declarations do not have yet.
//!
//! Generated methods return typed values, and decoding ignores fields their types do not
//! declare (see [`crate::drift`]). A caller who needs such a field runs the call inside
//! [`capture`], which also returns the body of every successful response decoded during it,
//! as received. Outside `capture` nothing is kept: the cost is one task-local lookup per
//! response, and no generated type grows a field.

use std::future::Future;
use std::sync::{Arc, Mutex};

use serde_json::Value;

tokio::task_local! {
    static CAPTURED: Arc<Mutex<Vec<Value>>>;
}

/// Runs `future` and returns its output with the JSON body of every successful response
/// decoded during it (by [`crate::Transport::send`], [`crate::Transport::send_checked`] or a
/// generated method), in order, `null` members included.
///
/// ```no_run
/// # async fn demo(transport: npm_sdk_runtime::Transport) -> Result<(), npm_sdk_runtime::Error> {
/// use npm_sdk_runtime::{Method, Request, raw};
///
/// #[derive(serde::Serialize, serde::Deserialize)]
/// struct User { user_id: String }
///
/// let (user, bodies) = raw::capture(transport.send_checked::<User>(Request::new(Method::GET, "/v1/users/u1"))).await;
/// let user = user?;
/// let nickname = bodies.first().and_then(|body| body.get("nickname"));
/// # let _ = (user.user_id, nickname);
/// # Ok(())
/// # }
/// ```
pub async fn capture<F: Future>(future: F) -> (F::Output, Vec<Value>) {
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let output = CAPTURED.scope(bodies.clone(), future).await;
    let bodies = std::mem::take(&mut *bodies.lock().unwrap_or_else(|e| e.into_inner()));
    (output, bodies)
}

/// Keeps a copy of `body` when a [`capture`] is running in this task.
pub(crate) fn keep(body: &Value) {
    let _ = CAPTURED.try_with(|bodies| bodies.lock().unwrap_or_else(|e| e.into_inner()).push(body.clone()));
}
