//! SAML Shield, as `dist/samlshield/index.js`: its own base URL (`https://api.samlshield.com`
//! unless a custom `https` one is given), `Authorization: Bearer <public_token>` instead of
//! Basic credentials, and a form-encoded `validate` call the JS writes by hand.

use std::time::Duration;

use npm_sdk_runtime::{Config, Method, Request, Transport};

use crate::Error;
use crate::samlshield::index::{SamlShield, SamlShieldClient, SamlShieldValidateRequest, SamlShieldValidateResponse};

/// The default SAML Shield API.
pub const SAML_SHIELD_BASE_URL: &str = "https://api.samlshield.com";

impl SamlShieldClient {
    /// A client for the SAML Shield API with this public token.
    pub fn new(public_token: impl Into<String>) -> Result<Self, Error> {
        Self::with_options(public_token, None, None)
    }

    /// As [`SamlShieldClient::new`], with a custom base URL (must be `https`) and timeout.
    pub fn with_options(public_token: impl Into<String>, custom_base_url: Option<&str>, timeout: Option<Duration>) -> Result<Self, Error> {
        let token = public_token.into();
        if token.is_empty() {
            return Err(Error::Config("missing public_token".into()));
        }
        let base = custom_base_url.unwrap_or(SAML_SHIELD_BASE_URL);
        // `Transport::new` refuses a base URL that is not https.
        let mut config = Config::new(base)?
            .with_user_agent(concat!("stytch-rust/", env!("CARGO_PKG_VERSION")))
            .with_header("Authorization", &format!("Bearer {token}"))?;
        if let Some(t) = timeout {
            config = config.with_timeout(t);
        }
        Ok(Self::from_transport(Transport::new(config)?))
    }
}

impl SamlShield {
    /// Validates a base64-encoded SAML response (not the raw XML).
    pub async fn validate(&self, data: &SamlShieldValidateRequest) -> Result<SamlShieldValidateResponse, Error> {
        let request = Request::new(Method::POST, "/v1/saml/validate").form_field("SAMLResponse", &data.saml_response);
        self.transport().send_checked(request).await
    }
}
