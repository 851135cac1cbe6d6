export * from './errors.ts';
export * from './media.ts';
export * from './room-events.ts';
export * from './sfu-rpc.ts';
export * from './validate.ts';
export * from './rest.ts';
export * from './api/index.ts';
export * from './permissions.ts';
