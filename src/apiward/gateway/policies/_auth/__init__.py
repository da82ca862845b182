"""Private helpers of the authentication policies: key sets, OIDC discovery, JWT verification, introspection, keys."""
