/** The token is not one this system issued, or no longer valid: a 401. */
export class InvalidAccessTokenError extends Error {}

/** The token was valid but has been revoked (logout, disabled user): a 401 like any bad token. */
export class RevokedAccessTokenError extends InvalidAccessTokenError {}

/** The token could not be checked (keys or revocation list unreachable): a 503, not a 401. */
export class TokenVerificationUnavailableError extends Error {}

/** The keys could not be fetched (auth down or slow): the token may be fine, so not a 401. */
export class TokenKeysUnavailableError extends TokenVerificationUnavailableError {}
