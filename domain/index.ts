/** The pure domain of Passerelle: plan schema, classification rules, assessment, waves, progress. */
export * from './assessment';
export * from './classification';
export * from './duration';
export * from './plan';
export * from './progress';
export * from './waves';
