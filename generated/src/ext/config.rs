//! Client construction, following the JS SDK's `BaseClient` constructor: the project id and
//! secret are required; the environment is live for `project-live-` ids and test otherwise; a
//! custom base URL must be `https`; fraud calls go to their own base URL.

use std::fmt;
use std::time::Duration;

use codegen_runtime::{Config, Error, Transport};

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
    Test,
    Live,
    /// Any other base URL, used as given (for example a local test server). Unlike
    /// [`ClientConfig::custom_base_url`], any scheme is accepted, as in the JS SDK's `env`.
    Custom(String),
}

impl Environment {
    /// The environment the JS SDK picks for a project id.
    pub fn for_project(project_id: &str) -> Environment {
        if project_id.starts_with("project-live-") { Environment::Live } else { Environment::Test }
    }

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
            .finish_non_exhaustive()
    }
}

/// What hand-written code needs to know about the client it runs in. Attached to the shared
/// transport, so every sub-client sees the same one.
#[derive(Debug, Clone)]
pub struct StytchContext {
    pub project_id: String,
    /// The API base URL the client uses, ending in `/`.
    pub base_url: String,
}

impl ClientConfig {
    pub fn new(project_id: impl Into<String>, secret: impl Into<String>) -> ClientConfig {
        ClientConfig {
            project_id: project_id.into(),
            secret: secret.into(),
            env: None,
            custom_base_url: None,
            fraud_base_url: None,
            timeout: None,
            http_client: None,
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

    /// A custom API base URL (for example a CNAME of the Stytch API). Must be `https`; it wins
    /// over [`ClientConfig::env`].
    pub fn custom_base_url(mut self, url: impl Into<String>) -> Self {
        self.custom_base_url = Some(url.into());
        self
    }

    pub fn fraud_base_url(mut self, url: impl Into<String>) -> Self {
        self.fraud_base_url = Some(url.into());
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

    /// Checks the configuration as the JS SDK does and builds the shared transport.
    pub fn transport(self) -> Result<Transport, Error> {
        if self.project_id.is_empty() {
            return Err(Error::Config("missing project_id".into()));
        }
        if self.secret.is_empty() {
            return Err(Error::Config("missing secret".into()));
        }
        if let Some(custom) = &self.custom_base_url
            && !custom.starts_with("https://")
        {
            return Err(Error::Config("custom_base_url must use HTTPS scheme".into()));
        }
        let base_url = self.base_url();
        let mut config = Config::new(&base_url)?
            .with_named_base_url(FRAUD, self.fraud_base_url.as_deref().unwrap_or(FRAUD_BASE_URL))?
            .with_basic_auth(self.project_id.clone(), self.secret)
            .with_user_agent(concat!("stytch-rust/", env!("CARGO_PKG_VERSION")))
            .with_extension(StytchContext { project_id: self.project_id, base_url });
        if let Some(t) = self.timeout {
            config = config.with_timeout(t);
        }
        if let Some(c) = self.http_client {
            config = config.with_http_client(c);
        }
        Transport::new(config)
    }
}

/// `Client::new`, `Client::from_env` and `Client::with_config` for a root client type.
macro_rules! constructors {
    ($client:ty) => {
        impl $client {
            /// A client for the project, in the environment its id names.
            pub fn new(project_id: impl Into<String>, secret: impl Into<String>) -> Result<Self, Error> {
                Self::with_config(ClientConfig::new(project_id, secret))
            }

            /// A client from `STYTCH_PROJECT_ID` and `STYTCH_SECRET`.
            pub fn from_env() -> Result<Self, Error> {
                Self::with_config(ClientConfig::from_env()?)
            }

            pub fn with_config(config: ClientConfig) -> Result<Self, Error> {
                Ok(Self::from_transport(config.transport()?))
            }
        }
    };
}

#[cfg(feature = "consumer")]
constructors!(crate::Client);
#[cfg(feature = "b2b")]
constructors!(crate::B2BClient);
