/** The client: transports, the typed REST client, informers, listers, the workqueue, events. */
export * from './clock.js';
export * from './errors.js';
export * from './events.js';
export * from './https-transport.js';
export * from './informer.js';
export * from './lister.js';
export * from './rate-limiter.js';
export * from './rest-client.js';
export * from './transport.js';
export * from './workqueue.js';
export * from './informer-factory.js';
export * from './kubeconfig.js';
