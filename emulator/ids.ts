import { randomInt } from 'node:crypto';

import { ID_BODY_LENGTH, ID_PREFIXES } from '../nodes/PrivCards/contract';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';

function randomString(alphabet: string, length: number): string {
	let text = '';
	for (let index = 0; index < length; index++) text += alphabet[randomInt(alphabet.length)];
	return text;
}

export type IdKind = keyof typeof ID_PREFIXES;

/** `card_8xK2m9Lp4q`: the kind's prefix and 10 random base62 characters. */
export function newId(kind: IdKind): string {
	return ID_PREFIXES[kind] + randomString(BASE62, ID_BODY_LENGTH);
}

export function randomBase62(length: number): string {
	return randomString(BASE62, length);
}

export function randomDigits(length: number): string {
	return randomString(DIGITS, length);
}
