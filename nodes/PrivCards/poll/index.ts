export { advance, isoSecond, readCursor, writeCursors } from './cursor';
export type { ListCursor } from './cursor';
export { byCreation, eventOf } from './events';
export type { PolledEvent } from './events';
export { MAX_PAGES_PER_POLL, newestRecord, readNewRecords } from './read';
export { POLL_SOURCES, POLLABLE_EVENTS } from './sources';
export type { PollSource } from './sources';
