/** The cloud provider client: its interface, its named errors and the HTTP adapter for sim-cloud. */
export * from './types';
export * from './errors';
export * from './http-client';
