/**
 * The admin API's constants that the server needs at start (bootstrap stores the admin key, the
 * 404 page names the prefix): a module of their own, so the server can load the admin API itself
 * (zod schemas, SAML metadata parsing) on its first request.
 */
export const ADMIN_PREFIX = '/admin/v1'
export const ADMIN_KEY_SETTING = 'admin_key_sha256'
export const SERVER_VERSION = '1.0.0'
