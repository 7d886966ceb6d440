export * from './api';
export * from './events';
export * from './money';
export type * from './types';
