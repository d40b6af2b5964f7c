//! Client construction, following the JS SDK's `BaseClient` constructor: the project id and
//! secret are required; the environment is live for `project-live-` ids and test otherwise; fraud
//! calls go to their own base URL. Every base URL (custom, environment, fraud) must be `https`:
//! the runtime's [`Transport::new`] checks them all, since every call carries the project secret.
//! Tests against a local mock server opt out with [`ClientConfig::allow_http_loopback`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use npm_sdk_runtime::{Config, Error, Transport};

use super::clock::{Clock, SystemClock};

/// The test API, for `project-test-` ids (and any id that is not live).
pub const TEST_BASE_URL: &str = "https://test.stytch.com/";
/// The live API, for `project-live-` ids.
pub const LIVE_BASE_URL: &str = "https://api.stytch.com/";
/// Where the fraud and risk calls go.
pub const FRAUD_BASE_URL: &str = "https://telemetry.stytch.com/";
/// The base URL name generated code uses for fraud calls.
pub const FRAUD: &str = "FRAUD";

/// Which Stytch environment a client talks to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Environment {
    /// `https://test.stytch.com/`.
    Test,
    /// `https://api.stytch.com/`.
    Live,
    /// Any other base URL, used as given. It must be `https`, as every base URL (a local test
    /// server on `http://127.0.0.1` needs [`ClientConfig::allow_http_loopback`]); the JS SDK's
    /// `env` accepts any scheme.
    Custom(String),
}

impl Environment {
    /// The environment the JS SDK picks for a project id.
    pub fn for_project(project_id: &str) -> Environment {
        if project_id.starts_with("project-live-") { Environment::Live } else { Environment::Test }
    }

    /// The API base URL of this environment.
    pub fn base_url(&self) -> &str {
        match self {
            Environment::Test => TEST_BASE_URL,
            Environment::Live => LIVE_BASE_URL,
            Environment::Custom(url) => url,
        }
    }
}

/// Everything a client is built from.
#[derive(Clone)]
pub struct ClientConfig {
    project_id: String,
    secret: String,
    env: Option<Environment>,
    custom_base_url: Option<String>,
    fraud_base_url: Option<String>,
    timeout: Option<Duration>,
    http_client: Option<reqwest::Client>,
    clock: Option<Arc<dyn Clock>>,
    allow_http_loopback: bool,
    strict_decoding: bool,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("project_id", &self.project_id)
            .field("secret", &"<redacted>")
            .field("env", &self.env)
            .field("custom_base_url", &self.custom_base_url)
            .field("fraud_base_url", &self.fraud_base_url)
            .field("timeout", &self.timeout)
            .field("clock", &self.clock.as_ref().map_or("system", |_| "custom"))
            .field("allow_http_loopback", &self.allow_http_loopback)
            .field("strict_decoding", &self.strict_decoding)
            .finish_non_exhaustive()
    }
}

/// Which root client a transport was built for. It decides the JWKS the shared `m2m` client
/// verifies access tokens with: the JS `Client` and `B2BClient` each build their `M2M` with their
/// own `jwtConfig` (`/v1/sessions/jwks/...` and `/v1/b2b/sessions/jwks/...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientKind {
    /// The consumer `Client` (the default).
    #[default]
    Consumer,
    /// The `B2BClient`.
    B2B,
}

/// What hand-written code needs to know about the client it runs in. Attached to the shared
/// transport, so every sub-client sees the same one, with the same caches: this is the JS
/// client's `jwtConfig` (project id, issuers, remote JWKS) and its `PolicyCache`.
#[derive(Clone)]
pub struct StytchContext {
    /// The project id: the expected JWT audience.
    pub project_id: String,
    /// The API base URL the client uses, ending in `/`.
    pub base_url: String,
    /// The root client the transport was built for.
    pub kind: ClientKind,
    clock: Arc<dyn Clock>,
    #[cfg(feature = "consumer")]
    pub(crate) consumer_jwks: Arc<super::jwks::JwksCache>,
    #[cfg(any(feature = "consumer", feature = "b2b"))]
    pub(crate) b2b_jwks: Arc<super::jwks::JwksCache>,
    #[cfg(feature = "consumer")]
    pub(crate) consumer_policy: Arc<super::rbac::PolicyCache>,
    #[cfg(feature = "b2b")]
    pub(crate) b2b_policy: Arc<super::rbac::B2BPolicyCache>,
}

impl fmt::Debug for StytchContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StytchContext")
            .field("project_id", &self.project_id)
            .field("base_url", &self.base_url)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl StytchContext {
    /// A context with empty caches, reading time from `clock`.
    pub fn new(project_id: String, base_url: String, kind: ClientKind, clock: Arc<dyn Clock>) -> StytchContext {
        #[cfg(any(feature = "consumer", feature = "b2b"))]
        let jwks = |prefix: &str| {
            Arc::new(super::jwks::JwksCache::new(format!(
                "{prefix}/{}",
                npm_sdk_runtime::encode_path_segment(&project_id)
            )))
        };
        StytchContext {
            #[cfg(feature = "consumer")]
            consumer_jwks: jwks("/v1/sessions/jwks"),
            #[cfg(any(feature = "consumer", feature = "b2b"))]
            b2b_jwks: jwks("/v1/b2b/sessions/jwks"),
            #[cfg(feature = "consumer")]
            consumer_policy: Arc::default(),
            #[cfg(feature = "b2b")]
            b2b_policy: Arc::default(),
            project_id,
            base_url,
            kind,
            clock,
        }
    }

    /// The context of the client `transport` belongs to; [`Error::Config`] when the transport
    /// was not built by [`ClientConfig::transport`] (or a context attached by hand).
    pub fn of(transport: &Transport) -> Result<&StytchContext, Error> {
        transport.config().extension::<StytchContext>().ok_or_else(|| {
            Error::Config(
                "no StytchContext on this transport: build the client with ClientConfig (or attach one with Config::with_extension)"
                    .into(),
            )
        })
    }

    /// The clock the local checks and caches read.
    pub fn clock(&self) -> &dyn Clock {
        &*self.clock
    }

    /// The JWT issuers the client accepts, as the JS clients' `jwtConfig.issuers`:
    /// `stytch.com/{project_id}` and the base URL without its trailing slashes.
    pub fn issuers(&self) -> [String; 2] {
        [format!("stytch.com/{}", self.project_id), self.base_url.trim_end_matches('/').to_owned()]
    }
}

impl ClientConfig {
    /// A configuration for the project's credentials, with every option at its default.
    pub fn new(project_id: impl Into<String>, secret: impl Into<String>) -> ClientConfig {
        ClientConfig {
            project_id: project_id.into(),
            secret: secret.into(),
            env: None,
            custom_base_url: None,
            fraud_base_url: None,
            timeout: None,
            http_client: None,
            clock: None,
            allow_http_loopback: false,
            strict_decoding: false,
        }
    }

    /// Reads `STYTCH_PROJECT_ID` and `STYTCH_SECRET`.
    pub fn from_env() -> Result<ClientConfig, Error> {
        let var = |name: &str| std::env::var(name).map_err(|_| Error::Config(format!("environment variable {name} is not set")));
        Ok(ClientConfig::new(var("STYTCH_PROJECT_ID")?, var("STYTCH_SECRET")?))
    }

    /// Overrides the environment chosen from the project id.
    pub fn env(mut self, env: Environment) -> Self {
        self.env = Some(env);
        self
    }

    /// A custom API base URL (for example a CNAME of the Stytch API). Must be `https` (in any
    /// case: `HTTPS://` is fine); it wins over [`ClientConfig::env`].
    pub fn custom_base_url(mut self, url: impl Into<String>) -> Self {
        self.custom_base_url = Some(url.into());
        self
    }

    /// Where fraud and risk calls go (default [`FRAUD_BASE_URL`]). Must be `https`, as every
    /// base URL: fraud calls carry the project secret too.
    pub fn fraud_base_url(mut self, url: impl Into<String>) -> Self {
        self.fraud_base_url = Some(url.into());
        self
    }

    /// Also accepts plain `http` base URLs on a loopback host (`localhost`, `127.0.0.0/8`,
    /// `[::1]`), for tests against a local mock server. Plain `http` to any other host is always
    /// refused (see [`npm_sdk_runtime::Config::allow_http_loopback`]).
    pub fn allow_http_loopback(mut self) -> Self {
        self.allow_http_loopback = true;
        self
    }

    /// Fails a call whose response lacks a required field or holds an undeclared one, with an
    /// `Error::Decode` naming the JSON path, instead of decoding leniently (see
    /// [`npm_sdk_runtime::Config::strict_decoding`]): for tests and CI against a sandbox.
    pub fn strict_decoding(mut self) -> Self {
        self.strict_decoding = true;
        self
    }

    /// Per-request timeout (default: 10 minutes, as the JS SDK).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Uses this HTTP client (connection pool, proxy, TLS settings).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// The clock JWT checks and the JWKS and RBAC policy caches read (default: the system
    /// clock). Tests pass a [`super::ManualClock`] to move time instead of sleeping.
    pub fn clock(mut self, clock: impl Clock) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// The project id.
    pub fn project_id(&self) -> &str {
        &self.project_id
    }

    /// The API base URL this configuration resolves to.
    pub fn base_url(&self) -> String {
        let base = match (&self.custom_base_url, &self.env) {
            (Some(custom), _) => custom.clone(),
            (None, Some(env)) => env.base_url().to_string(),
            (None, None) => Environment::for_project(&self.project_id).base_url().to_string(),
        };
        if base.ends_with('/') { base } else { format!("{base}/") }
    }

    /// Checks the configuration as the JS SDK does and builds the shared transport, for a
    /// consumer [`crate::Client`] ([`ClientKind::default`]).
    pub fn transport(self) -> Result<Transport, Error> {
        self.transport_for(ClientKind::default())
    }

    /// As [`ClientConfig::transport`], for the given kind of root client.
    pub fn transport_for(self, kind: ClientKind) -> Result<Transport, Error> {
        if self.project_id.is_empty() {
            return Err(Error::Config("missing project_id".into()));
        }
        if self.secret.is_empty() {
            return Err(Error::Config("missing secret".into()));
        }
        let base_url = self.base_url();
        let mut config = Config::new(&base_url)?
            .with_named_base_url(FRAUD, self.fraud_base_url.as_deref().unwrap_or(FRAUD_BASE_URL))?
            .with_basic_auth(self.project_id.clone(), self.secret)
            .with_user_agent(concat!("stytch-rust/", env!("CARGO_PKG_VERSION")))
            .with_extension(StytchContext::new(
                self.project_id,
                base_url,
                kind,
                self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            ));
        if let Some(t) = self.timeout {
            config = config.with_timeout(t);
        }
        if let Some(c) = self.http_client {
            config = config.with_http_client(c);
        }
        if self.allow_http_loopback {
            config = config.allow_http_loopback();
        }
        if self.strict_decoding {
            config = config.strict_decoding();
        }
        // Checks that every base URL is https.
        Transport::new(config)
    }
}

/// `Client::new`, `Client::from_env` and `Client::with_config` for a root client type.
#[cfg(any(feature = "consumer", feature = "b2b"))]
macro_rules! constructors {
    ($client:ty, $kind:expr) => {
        impl $client {
            /// A client for the project, in the environment its id names.
            pub fn new(project_id: impl Into<String>, secret: impl Into<String>) -> Result<Self, Error> {
                Self::with_config(ClientConfig::new(project_id, secret))
            }

            /// A client from `STYTCH_PROJECT_ID` and `STYTCH_SECRET`.
            pub fn from_env() -> Result<Self, Error> {
                Self::with_config(ClientConfig::from_env()?)
            }

            /// A client built from `config`.
            pub fn with_config(config: ClientConfig) -> Result<Self, Error> {
                Ok(Self::from_transport(config.transport_for($kind)?))
            }
        }
    };
}

#[cfg(feature = "consumer")]
constructors!(crate::Client, ClientKind::Consumer);
#[cfg(feature = "b2b")]
constructors!(crate::B2BClient, ClientKind::B2B);
