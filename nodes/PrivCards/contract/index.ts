export * from './api';
export type * from './types';
