/** The names of a worker deployment version (worker/versioning.ts, README "Upgrades"). */

/** The worker deployment's name when PASSERELLE_DEPLOYMENT_NAME is unset. */
export const DEFAULT_DEPLOYMENT_NAME = 'passerelle';

/** What a deployment name or build id may hold: no `.` nor `:`, which the server uses to join the two. */
export const VERSION_PART_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9_+-]{0,254}$/;
