/**
 * The pure domain of Passerelle: plan schema, classification rules, assessment, the gate per
 * zone, derogations, waves, the run's vocabulary (phases, statuses, step states, views),
 * progress, failures and permissions.
 */
export * from './assessment';
export * from './batches';
export * from './carried-steps';
export * from './classification';
export * from './cutover-windows';
export * from './derogations';
export * from './draft';
export * from './draft-editing';
export * from './draft-views';
export * from './duration';
export * from './estate-pictures';
export * from './failures';
export * from './gate';
export * from './lazy-schemas';
export * from './messages';
export * from './permissions';
export * from './plan';
export * from './progress';
export * from './rehearsals';
export * from './report-sections';
export * from './risks';
export * from './rule-bases';
export * from './run';
export * from './run-overview';
export * from './run-report';
export * from './run-risks';
export * from './run-status';
export * from './run-tuning';
export * from './run-views';
export * from './time-zones';
export * from './token-claims';
export * from './waves';
