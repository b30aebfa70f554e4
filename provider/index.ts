/** The provider contract shared by activities/ (its client side) and sim-cloud/ (its server side). */
export * from './types';
export * from './errors';
export * from './landing-zones';
