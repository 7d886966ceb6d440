export * from './api';
export * from './events';
export type * from './types';
