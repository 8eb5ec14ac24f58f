/**
 * The browser-safe part of @clearance/protocol (no `node:` imports, no schema file): what the
 * client and the console share with the authority without pulling in Node-only code.
 */
export { HASH_DOMAINS } from './hash-domains.js';
export type { HashDomain, HashDomainName } from './hash-domains.js';
