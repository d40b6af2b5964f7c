//! Local RBAC authorization: the project's policy, cached, and the permission checks.
//!
//! Mirrors `dist/shared/rbac_local.js` (`performBaseRoleAuthorizationCheck`,
//! `performBaseScopeAuthorizationCheck`, `PolicyCache`, `B2BPolicyCache`),
//! `dist/b2c/rbac_local.js` (caller type `"User"`) and `dist/b2b/rbac_local.js` (caller type
//! `"Member"`, and the `tenancy_mismatch` check first). The decisions and the error codes and
//! messages are the JS ones:
//!
//! - `invalid_permissions`: `"{caller} does not have permission to perform the requested action"`;
//! - `tenancy_mismatch`: `"Member belongs to different organization"`.
//!
//! The policy is fetched with the generated `rbac.policy()` call (B2B organization policies with
//! `rbac.organizations.get_org_policy()`) and kept for [`POLICY_CACHE_TTL`], measured with the
//! client's [`crate::ext::Clock`].

use std::time::Duration;

use super::error::{ClientError, ClientErrorCode};
use crate::shared::rbac_local::{AuthorizationCheck, Policy, Role};

/// How long a fetched policy is used before it is fetched again (JS `PolicyCache.CacheTTL`,
/// 5 minutes).
pub const POLICY_CACHE_TTL: Duration = Duration::from_secs(5 * 60);

/// Whether any of `permissions` (resource id, actions) allows `action` on `resource_id`: the
/// action is listed, or `"*"` is.
fn any_permits<'a>(
    mut permissions: impl Iterator<Item = (&'a str, &'a [String])>,
    resource_id: &str,
    action: &str,
) -> bool {
    permissions.any(|(resource, actions)| {
        let matching_action = actions.iter().any(|a| a == action || a == "*");
        matching_action && resource == resource_id
    })
}

fn invalid_permissions(caller_type: &str) -> ClientError {
    ClientError::new(
        ClientErrorCode::InvalidPermissions,
        format!("{caller_type} does not have permission to perform the requested action"),
    )
}

#[cfg(feature = "b2b")]
fn tenancy_check(subject_org_id: &str, check_org_id: &str) -> Result<(), ClientError> {
    if subject_org_id != check_org_id {
        return Err(ClientError::new(ClientErrorCode::TenancyMismatch, "Member belongs to different organization"));
    }
    Ok(())
}

/// `performBaseRoleAuthorizationCheck`: succeeds when one of the subject's roles (those of
/// `policy_roles` whose `role_id` is in `subject_roles`) allows the check's action (or `"*"`) on
/// its resource; otherwise `invalid_permissions`.
pub fn perform_base_role_authorization_check(
    policy_roles: &[Role],
    subject_roles: &[String],
    authorization_check: &AuthorizationCheck,
    caller_type: &str,
) -> Result<(), ClientError> {
    let permissions = policy_roles
        .iter()
        .filter(|role| subject_roles.contains(&role.role_id))
        .flat_map(|role| role.permissions.iter())
        .map(|p| (p.resource_id.as_str(), p.actions.as_slice()));
    if any_permits(permissions, &authorization_check.resource_id, &authorization_check.action) {
        Ok(())
    } else {
        Err(invalid_permissions(caller_type))
    }
}

/// `performBaseScopeAuthorizationCheck`: as
/// [`perform_base_role_authorization_check`], with the policy's scopes named in `token_scopes`
/// in place of roles.
pub fn perform_base_scope_authorization_check(
    policy: &Policy,
    token_scopes: &[String],
    authorization_check: &AuthorizationCheck,
    caller_type: &str,
) -> Result<(), ClientError> {
    let permissions = policy
        .scopes
        .iter()
        .filter(|scope| token_scopes.contains(&scope.scope))
        .flat_map(|scope| scope.permissions.iter())
        .map(|p| (p.resource_id.as_str(), p.actions.as_slice()));
    if any_permits(permissions, &authorization_check.resource_id, &authorization_check.action) {
        Ok(())
    } else {
        Err(invalid_permissions(caller_type))
    }
}

#[cfg(feature = "consumer")]
mod consumer {
    use std::sync::Arc;

    use super::*;
    use crate::b2c::rbac::{RBACPolicy, RBACPolicyRole, Rbac};
    use crate::b2c::sessions::SessionsAuthorizationCheck;
    use crate::ext::cache::SingleFlight;
    use crate::ext::config::StytchContext;
    use crate::ext::error::AuthError;

    /// `performAuthorizationCheck` of `dist/b2c/rbac_local.js`: the role check for a User.
    pub fn perform_authorization_check(
        policy_roles: &[RBACPolicyRole],
        subject_roles: &[String],
        authorization_check: &SessionsAuthorizationCheck,
    ) -> Result<(), ClientError> {
        let permissions = policy_roles
            .iter()
            .filter(|role| subject_roles.contains(&role.role_id))
            .flat_map(|role| role.permissions.iter())
            .map(|p| (p.resource_id.as_str(), p.actions.as_slice()));
        if any_permits(permissions, &authorization_check.resource_id, &authorization_check.action) {
            Ok(())
        } else {
            Err(invalid_permissions("User"))
        }
    }

    /// `performScopeAuthorizationCheck` of `dist/b2c/rbac_local.js`: the scope check for a User.
    pub fn perform_scope_authorization_check(
        policy: &RBACPolicy,
        token_scopes: &[String],
        authorization_check: &SessionsAuthorizationCheck,
    ) -> Result<(), ClientError> {
        let permissions = policy
            .scopes
            .iter()
            .filter(|scope| token_scopes.contains(&scope.scope))
            .flat_map(|scope| scope.permissions.iter())
            .map(|p| (p.resource_id.as_str(), p.actions.as_slice()));
        if any_permits(permissions, &authorization_check.resource_id, &authorization_check.action) {
            Ok(())
        } else {
            Err(invalid_permissions("User"))
        }
    }

    /// The consumer project's policy (`PolicyCache` of `dist/b2c/rbac_local.js`).
    #[derive(Debug, Default)]
    pub(crate) struct PolicyCache {
        project: SingleFlight<RBACPolicy>,
    }

    impl PolicyCache {
        /// `getPolicy()`: the cached policy, fetched again when older than the TTL.
        pub(crate) async fn get_policy(&self, rbac: &Rbac, ctx: &StytchContext) -> Result<Arc<RBACPolicy>, AuthError> {
            // A response without a policy is cached as the empty policy (JS: `undefined`, which
            // then fails every check).
            let fetch = || async { Ok::<_, crate::Error>(rbac.policy().await?.policy.unwrap_or_default()) };
            Ok(self.project.get(POLICY_CACHE_TTL, ctx.clock(), fetch).await?.value)
        }
    }

    impl Rbac {
        /// The project's RBAC policy from the client's cache: fetched with [`Rbac::policy`] on
        /// first use and again once older than [`POLICY_CACHE_TTL`] (JS `PolicyCache.getPolicy`).
        /// This is the policy the local authorization checks use.
        pub async fn cached_policy(&self) -> Result<Arc<RBACPolicy>, AuthError> {
            let ctx = StytchContext::of(self.transport())?;
            ctx.consumer_policy.get_policy(self, ctx).await
        }
    }
}

#[cfg(feature = "consumer")]
pub(crate) use consumer::PolicyCache;
#[cfg(feature = "consumer")]
pub use consumer::{perform_authorization_check, perform_scope_authorization_check};

#[cfg(feature = "b2b")]
mod b2b {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::b2b::rbac::{OrgPolicy, Policy as B2BPolicy, PolicyRole, Rbac};
    use crate::b2b::rbac_organizations::B2BRBACOrganizationsGetOrgPolicyRequest;
    use crate::b2b::sessions::AuthorizationCheck as B2BAuthorizationCheck;
    use crate::ext::cache::SingleFlight;
    use crate::ext::config::StytchContext;
    use crate::ext::error::AuthError;

    /// `performAuthorizationCheck` of `dist/b2b/rbac_local.js`: `tenancy_mismatch` when the
    /// member's organization is not the check's, else the role check for a Member.
    pub fn perform_b2b_authorization_check(
        policy_roles: &[PolicyRole],
        subject_roles: &[String],
        subject_org_id: &str,
        authorization_check: &B2BAuthorizationCheck,
    ) -> Result<(), ClientError> {
        tenancy_check(subject_org_id, &authorization_check.organization_id)?;
        let permissions = policy_roles
            .iter()
            .filter(|role| subject_roles.contains(&role.role_id))
            .flat_map(|role| role.permissions.iter())
            .map(|p| (p.resource_id.as_str(), p.actions.as_slice()));
        if any_permits(permissions, &authorization_check.resource_id, &authorization_check.action) {
            Ok(())
        } else {
            Err(invalid_permissions("Member"))
        }
    }

    /// `performScopeAuthorizationCheck` of `dist/b2b/rbac_local.js`: `tenancy_mismatch` when the
    /// token's organization is not the check's, else the scope check for a Member.
    pub fn perform_b2b_scope_authorization_check(
        policy: &B2BPolicy,
        token_scopes: &[String],
        subject_org_id: &str,
        authorization_check: &B2BAuthorizationCheck,
    ) -> Result<(), ClientError> {
        tenancy_check(subject_org_id, &authorization_check.organization_id)?;
        let permissions = policy
            .scopes
            .iter()
            .filter(|scope| token_scopes.contains(&scope.scope))
            .flat_map(|scope| scope.permissions.iter())
            .map(|p| (p.resource_id.as_str(), p.actions.as_slice()));
        if any_permits(permissions, &authorization_check.resource_id, &authorization_check.action) {
            Ok(())
        } else {
            Err(invalid_permissions("Member"))
        }
    }

    /// The B2B project's policy and organization policies (`B2BPolicyCache` of
    /// `dist/shared/rbac_local.js`).
    #[derive(Debug, Default)]
    pub(crate) struct B2BPolicyCache {
        project: SingleFlight<B2BPolicy>,
        orgs: Mutex<HashMap<String, Arc<SingleFlight<OrgPolicy>>>>,
    }

    impl B2BPolicyCache {
        /// `getPolicy()`.
        pub(crate) async fn get_policy(&self, rbac: &Rbac, ctx: &StytchContext) -> Result<Arc<B2BPolicy>, AuthError> {
            let fetch = || async { Ok::<_, crate::Error>(rbac.policy().await?.policy.unwrap_or_default()) };
            Ok(self.project.get(POLICY_CACHE_TTL, ctx.clock(), fetch).await?.value)
        }

        /// `getOrgPolicy(organizationID)`.
        pub(crate) async fn get_org_policy(
            &self,
            rbac: &Rbac,
            ctx: &StytchContext,
            organization_id: &str,
        ) -> Result<Arc<OrgPolicy>, AuthError> {
            let cell = {
                let mut orgs = self.orgs.lock().unwrap_or_else(|e| e.into_inner());
                orgs.entry(organization_id.to_owned()).or_default().clone()
            };
            let fetch = || async {
                let request = B2BRBACOrganizationsGetOrgPolicyRequest::new(organization_id.to_owned());
                Ok::<_, crate::Error>(rbac.organizations.get_org_policy(&request).await?.org_policy)
            };
            Ok(cell.get(POLICY_CACHE_TTL, ctx.clock(), fetch).await?.value)
        }
    }

    impl Rbac {
        /// The B2B project's RBAC policy from the client's cache: fetched with [`Rbac::policy`]
        /// on first use and again once older than [`POLICY_CACHE_TTL`] (JS
        /// `B2BPolicyCache.getPolicy`).
        pub async fn cached_policy(&self) -> Result<Arc<B2BPolicy>, AuthError> {
            let ctx = StytchContext::of(self.transport())?;
            ctx.b2b_policy.get_policy(self, ctx).await
        }

        /// An organization's RBAC policy from the client's cache, fetched with
        /// `organizations.get_org_policy` on first use and again once older than
        /// [`POLICY_CACHE_TTL`] (JS `B2BPolicyCache.getOrgPolicy`).
        pub async fn cached_org_policy(&self, organization_id: &str) -> Result<Arc<OrgPolicy>, AuthError> {
            let ctx = StytchContext::of(self.transport())?;
            ctx.b2b_policy.get_org_policy(self, ctx, organization_id).await
        }
    }
}

#[cfg(feature = "b2b")]
pub(crate) use b2b::B2BPolicyCache;
#[cfg(feature = "b2b")]
pub use b2b::{perform_b2b_authorization_check, perform_b2b_scope_authorization_check};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shared::rbac_local::{PolicyScopes, PolicyScopesPermissions, RolePermissions};

    fn role(id: &str, resource: &str, actions: &[&str]) -> Role {
        let actions = actions.iter().map(|a| a.to_string()).collect();
        Role::new(id, "", vec![RolePermissions::new(resource, actions)])
    }

    fn check(resource: &str, action: &str) -> AuthorizationCheck {
        AuthorizationCheck { resource_id: resource.into(), action: action.into() }
    }

    #[test]
    fn role_checks_decide_as_the_js() {
        let roles = [role("editor", "documents", &["read", "write"]), role("admin", "billing", &["*"])];
        let editor = ["editor".to_string()];
        assert!(perform_base_role_authorization_check(&roles, &editor, &check("documents", "write"), "User").is_ok());
        let err =
            perform_base_role_authorization_check(&roles, &editor, &check("billing", "read"), "User").unwrap_err();
        assert_eq!(err.code(), ClientErrorCode::InvalidPermissions);
        assert_eq!(
            err.to_string(),
            "invalid_permissions: User does not have permission to perform the requested action"
        );
        let admin = ["admin".to_string()];
        assert!(perform_base_role_authorization_check(&roles, &admin, &check("billing", "anything"), "Member").is_ok());
        // A wildcard action does not widen the resource.
        assert!(perform_base_role_authorization_check(&roles, &admin, &check("documents", "read"), "Member").is_err());
    }

    #[test]
    fn scope_checks_decide_as_the_js() {
        let permissions = vec![PolicyScopesPermissions::new("documents", vec!["read".into()])];
        let policy = Policy::new(Vec::new(), Vec::new(), vec![PolicyScopes::new("read:docs", "", permissions)]);
        let scopes = ["read:docs".to_string()];
        assert!(perform_base_scope_authorization_check(&policy, &scopes, &check("documents", "read"), "User").is_ok());
        assert!(
            perform_base_scope_authorization_check(&policy, &scopes, &check("documents", "write"), "User").is_err()
        );
        assert!(perform_base_scope_authorization_check(&policy, &[], &check("documents", "read"), "User").is_err());
    }
}
