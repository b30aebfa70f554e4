/** The ARM adapter of the landing-zone port: Azure SDK clients, deterministic names, credentials. */
export * from './adapter';
export * from './credential';
export * from './names';
