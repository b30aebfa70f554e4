/** The cloud provider's adapters; the interface they implement and its named errors live in provider/. */
export * from './http-client';
